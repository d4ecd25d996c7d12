"""Import files are limited while they are read: declared sheet sizes are ignored, rows,
columns and the unpacked size are capped with a clear refusal, only the first problems are
listed with a count of the rest, and no hostile file makes the server grow by 200 MB."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from qa.org.importing import import_bytes
from qa.org.limits import Limits
from qa.org.parsing import parse_bytes
from tests.qa.org import bombs

TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[3]


def test_a_workbook_declaring_every_cell_is_read_at_its_real_size():
    parsed = parse_bytes("staff", bombs.declared_dimensions_bomb(), "staff.xlsx", TODAY)
    assert parsed.ok, parsed.problems
    assert len(parsed.records) == 5000


def test_a_value_in_the_last_excel_column_is_refused_with_the_column_limit():
    parsed = parse_bytes("staff", bombs.far_cell_bomb(), "staff.xlsx", TODAY)
    assert not parsed.ok
    message = parsed.problems[0].message
    assert "more than this service imports at once" in message or "16,384 columns" in message


def test_a_csv_with_200000_columns_is_refused_at_once():
    parsed = parse_bytes("staff", bombs.wide_csv(), "staff.csv", TODAY)
    assert [p.message for p in parsed.problems] == [
        "row 1 has values in 200,000 columns, more than the 50 this service reads; delete the "
        "columns you are not importing"
    ]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened():
    parsed = parse_bytes("staff", bombs.zip_bomb(), "staff.xlsx", TODAY)
    assert "the workbook unpacks to 400 MB" in parsed.problems[0].message


def test_a_file_with_more_rows_than_the_limit_is_refused():
    rows = b"".join(b"P%d,Pat,p%d@council.org.uk,administrator\n" % (n, n) for n in range(11))
    data = b"staff_id,name,email,role\n" + rows
    parsed = parse_bytes("staff", data, "staff.csv", TODAY, limits=Limits(rows=10))
    assert "more than 10 rows" in parsed.problems[0].message


def test_blank_cells_at_the_end_of_rows_do_not_count_as_columns():
    data = b"staff_id,name,email,role" + b"," * 400 + b"\nP1,Pat,pat@council.org.uk,qa_officer\n"
    assert parse_bytes("staff", data, "staff.csv", TODAY).ok


def test_only_the_first_problems_are_listed_with_a_count_of_the_rest(app, sign_in_as):
    app.config["IMPORT_MAX_PROBLEMS_LISTED"] = 50
    rows = b"".join(b"X%d,Y%d,01/10/2026,case\n" % (n, n) for n in range(400))
    data = b"supervisee_id,supervisor_id,session_date,type\n" + rows
    report = import_bytes("sessions", data, "sessions.csv", None, dry_run=True)
    assert len(report.problems) == 50 and report.more_problems == 750
    client = sign_in_as("administrator")
    client.get("/organisation/import")
    page = client.post(
        "/organisation/import",
        data={"kind": "sessions", "upload": (io.BytesIO(data), "sessions.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "The file has 800 problems" in page
    assert "There are 750 more problems after them, not listed" in page
    assert page.count('<tr class="govuk-table__row">') == 51  # the heading row and 50


MEASURE = textwrap.dedent(
    """
    import resource, sys
    from datetime import date
    from pathlib import Path
    from qa.org.parsing import parse_bytes

    def kilobytes(field):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith(field)).split()[1])

    data = Path(sys.argv[1]).read_bytes()
    try:  # Linux: start the peak (VmHWM) afresh from the memory in use now
        Path("/proc/self/clear_refs").write_text("5")
        before = kilobytes("VmRSS:")
        peak = lambda: kilobytes("VmHWM:")
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parse_bytes(sys.argv[2], data, sys.argv[3], date(2026, 11, 23))
    print((peak() - before) / 1024)
    """
)


@pytest.mark.parametrize(
    ("bomb", "name"),
    [
        (bombs.declared_dimensions_bomb, "staff.xlsx"),
        (bombs.far_cell_bomb, "staff.xlsx"),
        (bombs.zip_bomb, "staff.xlsx"),
        (bombs.wide_csv, "staff.csv"),
    ],
)
def test_no_hostile_file_grows_the_server_by_200_mb(tmp_path, bomb, name):
    """The peak memory of a fresh process reading the file, above what it used before."""
    path = tmp_path / name
    path.write_bytes(bomb())
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), "staff", name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    growth = float(result.stdout.strip())
    print(f"{bomb.__name__}: {path.stat().st_size:,} bytes, memory growth {growth:.1f} MB")
    assert growth < 200
