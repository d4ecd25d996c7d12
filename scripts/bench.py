"""`make bench`: the project's speed figures, each beside its floor measured in the same run.

Prints one table. Medians of several repeats; the floor is the least work that could give
the same answer (for the draw, hashing every ticket once).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main() -> None:
    rows = [bench_draw(), bench_month(), bench_import()]
    extra = Path(__file__).with_name("bench_reports.py")
    if extra.exists():
        import runpy

        rows += runpy.run_path(str(extra))["rows"]()
    print(f"{'measure':<48} {'seconds':>9}  {'floor':<28} {'seconds':>9}  {'target':<16} result")
    for name, taken, floor_name, floor, target, verdict in rows:
        floor_text = f"{floor:9.3f}" if floor else "        –"
        print(f"{name:<48} {taken:9.3f}  {floor_name:<28} {floor_text}  {target:<16} {verdict}")


if __name__ == "__main__":
    main()
