"""`make bench`: the project's speed figures, each beside its floor measured in the same run.

Prints one table. Medians of several repeats; the floor is the least work that could give
the same answer (for the draw, hashing every ticket once). A row whose result is "–" is
reported without a target of its own (a p50 beside the p95 that has one, say).

With a PostgreSQL server on 127.0.0.1:5432 (user postgres; QA_POSTGRES_SERVER to change it)
it also creates, fills and drops its own databases for the million-row figures
(scripts/bench_scale.py) and the load test (scripts/bench_load.py). Without one it prints
the rows it can and says which were skipped and why.

    BENCH_SKIP_SCALE=1      skip the million-row parts (a quick run)
    BENCH_COUNTY=1          also the trends page on the county's 5,000,006 answers
                            (scripts/bench_county.py: about 10 minutes more)
    BENCH_LOAD_SECONDS=60   a shorter load test (300 by default)
    BENCH_LOAD_USERS=50     fewer people in the load test (200 by default)

Two app hosts behind HAProxy, one killed during the load test, are `make bench-ha`
(scripts/bench_ha.py, about 9 minutes).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sampling.policies import FileUnit, monthly_team_manager, six_monthly_random  # noqa: E402
from sampling.selection import ticket  # noqa: E402

SEED = "31415926535897932384626"
Row = tuple[str, float, str, float, str, str]


def median_time(work: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_draw() -> Row:
    units = [
        FileUnit(
            file_id=f"F{i:06d}",
            supervisee_id=f"S{i:06d}",
            supervisor_id=f"M{i // 20:05d}",
            service_area=f"Area {i % 6}",
            team=f"Team {i // 400}",
            opened_on=date(2020, 1, 1),
            supervisee_left_on=None,
            last_audited_on=None,
            line_above=(f"M{i // 20:05d}", f"H{i // 2000:04d}"),
        )
        for i in range(100_000)
    ]
    ids = [u.file_id for u in units]
    auditors = [f"A{i:04d}" for i in range(300)]
    draw = median_time(lambda: six_monthly_random(SEED, units, 59, auditors), 3)
    floor = median_time(lambda: [ticket(SEED, i) for i in ids], 3)
    return (
        "Six-monthly draw, 100,000 files",
        draw,
        "bare ticketing loop",
        floor,
        "≤ 3× and < 1 s",
        _verdict(draw <= 3 * floor and draw < 1.0),
    )


def bench_month() -> Row:
    managers = []
    for m in range(200):
        workloads = {f"T{m:03d}{t}": [f"F{m:03d}{t}{f:02d}" for f in range(20)] for t in range(5)}
        managers.append((f"SM{m:03d}", workloads))
    every_id = [i for _, w in managers for ids in w.values() for i in ids] + [
        t for _, w in managers for t in w
    ]

    def month() -> None:
        for selector, workloads in managers:
            monthly_team_manager(SEED, workloads, {}, selector)

    taken = median_time(month)
    floor = median_time(lambda: [ticket(SEED, i) for i in every_id])
    return (
        "A month of selections, 200 service managers",
        taken,
        "bare ticketing loop",
        floor,
        "≤ 3× and < 2 s",
        _verdict(taken <= 3 * floor and taken < 2.0),
    )


def bench_import() -> Row:
    import csv

    from qa import create_app
    from qa.extensions import db
    from qa.org.importing import import_bytes
    from qa.org.parsing import parse_bytes, read_table

    folder = tempfile.mkdtemp()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "TESTING": True}
    )
    staff = io.StringIO()
    writer = csv.writer(staff)
    writer.writerow(
        ["staff_id", "name", "email", "role", "team", "service_area", "line_manager_id"]
    )
    writer.writerow(
        ["M0", "Manager Zero", "m0@council.org.uk", "team_manager", "Team A", "Area", ""]
    )
    for i in range(1, 1001):
        writer.writerow(
            [f"P{i}", f"Person {i}", f"p{i}@council.org.uk", "practitioner", "Team A", "Area", "M0"]
        )
    sessions = io.StringIO()
    writer = csv.writer(sessions)
    writer.writerow(["supervisee_id", "supervisor_id", "session_date", "type", "recorded_date"])
    first = date(2023, 1, 2)
    for n in range(100_000):
        held = first + timedelta(days=n // 1000)
        writer.writerow([f"P{n % 1000 + 1}", "M0", held.isoformat(), "case", held.isoformat()])
    data = sessions.getvalue().encode()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        import_bytes(
            "staff",
            staff.getvalue().encode(),
            "staff.csv",
            None,
            dry_run=False,
            today=date(2026, 11, 23),
        )
        floor = median_time(
            lambda: parse_bytes(
                "sessions",
                data,
                "s.csv",
                date(2026, 11, 23),
                known_staff={f"P{i}" for i in range(1, 1001)} | {"M0"},
            ),
            1,
        )
        start = time.perf_counter()
        report = import_bytes(
            "sessions", data, "sessions.csv", None, dry_run=False, today=date(2026, 11, 23)
        )
        taken = time.perf_counter() - start
        assert report.ok and report.created == 100_000, report.problems[:3]
        db.session.remove()
    del read_table
    return (
        "Import of 100,000 session rows (SQLite)",
        taken,
        "parsing and checking alone",
        floor,
        "< 10 s",
        _verdict(taken < 10),
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def progress(message: str) -> None:
    """What the bench is doing, on standard error, so a long unattended run shows life."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def postgres_rows(skipped: list[str], notes: list[str]) -> tuple[list[Row], list[Row]]:
    """The rows that need the local PostgreSQL: (the million-row ones, the load test)."""
    import bench_county
    import bench_load
    import bench_scale
    import scale_data

    if not scale_data.server_answers():
        skipped.append(
            "the in-app month of selections, the trends page and the load test: no "
            f"PostgreSQL server answered at {scale_data.SERVER}"
        )
        return [], []
    scale: list[Row] = []
    if os.environ.get("BENCH_SKIP_SCALE") == "1":
        skipped.append(
            "the in-app month of selections and the trends page (million-row parts): "
            "BENCH_SKIP_SCALE=1"
        )
    else:
        progress("scale data, the in-app month of selections and the trends page")
        scale, seconds = bench_scale.rows()
        notes.append(f"The scale data was made and loaded with COPY in {seconds:.0f} s.")
    if os.environ.get("BENCH_COUNTY") == "1":
        progress("the county's data (5,000,006 answers) and its trends page")
        county, seconds = bench_county.rows()
        scale += county
        notes.append(f"The county's data was made and loaded with COPY in {seconds:.0f} s.")
    else:
        skipped.append(
            "the trends page on the county's 5,000,006 answers (about 10 minutes more): "
            "BENCH_COUNTY=1 make bench, or scripts/bench_county.py alone"
        )
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
    users = int(os.environ.get("BENCH_LOAD_USERS", str(bench_load.USERS)))
    progress(f"the load test: the demo council, gunicorn, {users} people for {seconds:.0f} s")
    load = bench_load.measure(seconds, users)
    skipped.append(
        "two app hosts behind HAProxy with one killed during the load test (about 9 "
        "minutes more): make bench-ha"
    )
    return scale, load


def report_rows(skipped: list[str]) -> list[Row]:
    """The other engineer's report figures (scripts/bench_reports.py), if it is there."""
    extra = Path(__file__).with_name("bench_reports.py")
    if not extra.exists():
        skipped.append("one audit PDF and one period report: scripts/bench_reports.py is not there")
        return []
    import runpy

    progress("one audit PDF and one period report")
    return list(runpy.run_path(str(extra))["rows"]())


def main() -> int:
    started = time.perf_counter()
    skipped: list[str] = []
    notes: list[str] = []
    failed = False
    # First, while this process is small: the report rows include its peak memory.
    reports: list[Row] = []
    scale: list[Row] = []
    load: list[Row] = []
    try:
        reports = report_rows(skipped)
    except Exception as exc:  # noqa: BLE001 (one part failing must not hide the others)
        failed = True
        skipped.append(f"the reports: they failed ({exc!r})")
    try:
        scale, load = postgres_rows(skipped, notes)
    except Exception as exc:  # noqa: BLE001
        failed = True
        skipped.append(f"the PostgreSQL parts: they failed ({exc!r})")
    progress("the draw, the pure month of selections and the import")
    rows = [bench_draw(), bench_month(), *scale, *reports, bench_import(), *load]
    print(f"make bench, {date.today():%-d %B %Y}: medians of repeats unless a row says otherwise;")
    print("values are seconds unless the measure names its unit; – : reported, no target.")
    print(f"{'measure':<58} {'value':>9}  {'floor':<34} {'value':>9}  {'target':<16} result")
    for name, taken, floor_name, floor, target, verdict in rows:
        floor_text = _number(floor, blank=True)
        print(f"{name:<58} {_number(taken)}  {floor_name:<34} {floor_text}  {target:<16} {verdict}")
    for note in notes:
        print(note)
    for reason in skipped:
        print(f"Skipped {reason}.")
    print(f"The whole run took {(time.perf_counter() - started) / 60:.1f} minutes.")
    return 1 if failed else 0


def _number(value: float, *, blank: bool = False) -> str:
    if blank and not value:
        return "        –"
    if isinstance(value, int):
        return f"{value:9,d}"
    return f"{value:9.3f}"


if __name__ == "__main__":
    sys.exit(main())
