"""The audit answers spreadsheet on the scale database, timed with its peak memory.

Run as its own process (`python scripts/bench_spreadsheet.py URL`), so that the peak memory
it prints (the process's maximum resident set, from getrusage) is the export's and not the
rest of the benchmark's. A quality assurance officer signs in through the Flask test client
and downloads /reports/audit-answers.xlsx; the body is read as it streams and counted, never
held whole. Prints one line of JSON: seconds, the process's CPU seconds in them (its threads
included: on a busy machine the seconds grow, the CPU seconds hardly), peak megabytes before
and after, rows, bytes.

The floor `floor(url)` reads the same rows from the same server-side cursor and does nothing
with them: what any export must spend reading the answers.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_client import officer_client  # noqa: E402

PAGE = "/reports/audit-answers.xlsx"
Row = tuple[str, float, str, float, str, str]


def peak_mb() -> float:
    """This process's peak resident memory. On Linux the kernel's high-water mark of this
    program alone (VmHWM): getrusage's maximum carries over the peak of the process that
    started it (the rest of `make bench`, holding a 100,000-file council at the time)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def measure(url: str, as_of: date) -> dict[str, float]:
    """Download the spreadsheet once; its time, the peak memory and its size."""
    from sqlalchemy import func, select

    from qa.audits.models import AuditAnswer
    from qa.extensions import db

    app, client = officer_client(url, as_of)
    with app.app_context():
        answers = int(db.session.scalar(select(func.count(AuditAnswer.id))) or 0)
    before = peak_mb()
    cpu = cpu_seconds()
    started = time.perf_counter()
    response = client.get(PAGE, buffered=False)
    assert response.status_code == 200, f"{PAGE}: {response.status_code}"
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "peak_mb_before": before,
        "peak_mb": peak_mb(),
        "answers": answers,
        "bytes": size,
    }


def floor(url: str) -> float:
    """Seconds to read the spreadsheet's rows from a server-side cursor, doing nothing else."""
    import psycopg

    query = (
        "SELECT a.id, a.file_id, a.state, a.signed_off_at, a.tool_id, a.tool_version, s.name, "
        "t.name, r.name, m.name, x.question_key, x.answer, x.comment FROM audit a "
        "JOIN supervision_file f ON f.id = a.file_id JOIN staff s ON s.id = f.supervisee_id "
        "LEFT JOIN team t ON t.id = s.team_id LEFT JOIN service_area r ON r.id = s.service_area_id "
        "LEFT JOIN staff m ON m.id = a.auditor_id LEFT JOIN audit_answer x ON x.audit_id = a.id "
        "WHERE a.tool_version IS NOT NULL ORDER BY a.id"
    )
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor(name="floor") as cursor:
        cursor.itersize = 5000
        cursor.execute(query)
        read = sum(1 for _ in cursor)
    seconds = time.perf_counter() - started
    if not read:
        raise SystemExit("The floor read no rows: the bench database has no audit answers")
    return seconds


def row(url: str, as_of: date) -> Row:
    """The table's row: the export in its own process, beside reading its rows alone."""
    done = subprocess.run(
        [sys.executable, __file__, url, as_of.isoformat()],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    seconds, peak = found["seconds"], found["peak_mb"]
    return (
        f"Audit answers spreadsheet, {int(found['answers']):,} answers "
        f"(peak {peak:.0f} MB, {found['bytes'] / 1e6:.0f} MB file, "
        f"{found['cpu_seconds']:.1f} s of CPU)",
        seconds,
        "reading its rows alone",
        floor(url),
        "< 20 s, < 300 MB",
        "met" if seconds < 20 and peak < 300 else "MISSED",
    )


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], date.fromisoformat(sys.argv[2]))))
