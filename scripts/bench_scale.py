"""`make bench`'s million-row part: the app on PostgreSQL with a large council's data.

Creates the database `qa_bench_scale`, migrates it and loads the scale data
(scripts/scale_data.py: 100,000 files, 2.7 million sessions, 1,000,008 answers), then times

- a month of selections in the app: every one of the 200 service managers makes their
  monthly selection through `qa.selections.service.run_selection` (one transaction each,
  as the scheduler's daily job does, with the organisation read once), beside the bare
  ticketing loop over the same file and team manager ids;
- the trends page against its one SQL aggregate (scripts/bench_trends.py);
- the quantity page, first view, against one count of the same sessions by file
  (scripts/bench_quantity.py);
- the audit answers spreadsheet of every answer, in its own process for its peak memory,
  beside reading its rows alone (scripts/bench_spreadsheet.py).

Then it drops the database.
"""

from __future__ import annotations

import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_quantity  # noqa: E402
import bench_spreadsheet  # noqa: E402
import bench_trends  # noqa: E402
import scale_data  # noqa: E402

from qa.config import normalise_database_url  # noqa: E402
from sampling.selection import ticket  # noqa: E402

DATABASE = "qa_bench_scale"
POLICY = "monthly-team-manager"
REPEATS = 3
Row = tuple[str, float, str, float, str, str]


def month_in_app(url: str, as_of: date) -> Row:
    """All service managers' monthly selections, three times over (each time on a clean
    slate), beside hashing every ticket of the same frames once."""
    from sqlalchemy import select

    from qa import create_app
    from qa.extensions import db
    from qa.selections.frames import load_organisation
    from qa.selections.models import SelectionRun
    from qa.selections.policies import current_policy
    from qa.selections.service import run_selection, selectors_for
    from sampling.policies import period_key

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SECRET_KEY": secrets.token_hex(32),
            "REQUEST_LOGS": False,
            "FIXED_NOW": datetime.combine(as_of, clock(6, 0)),
        }
    )
    period = period_key("monthly", as_of)
    times: list[float] = []
    with app.app_context():
        _, policy = current_policy(POLICY)
        for _ in range(REPEATS):
            _clear()
            started = time.perf_counter()
            org = load_organisation()
            managers = selectors_for(policy, as_of)
            made = 0
            for manager in managers:
                seed = f"{scale_data.SEED}{manager.id:06d}"
                _, created = run_selection(POLICY, period, manager, None, seed=seed, org=org)
                made += created
            times.append(time.perf_counter() - started)
            assert made == len(managers), f"{made} of {len(managers)} selections made"
        runs = list(
            db.session.scalars(select(SelectionRun).where(SelectionRun.period_key == period))
        )
        work = [
            (run.seed, ident) for run in runs for draw in run.draw_list for ident in draw["frame"]
        ]
        _clear()
    floor = statistics.median(
        _seconds(lambda: [ticket(seed, ident) for seed, ident in work]) for _ in range(REPEATS)
    )
    taken = statistics.median(times)
    return (
        f"A month of selections in the app, {len(runs)} SMs (PG)",
        taken,
        f"bare ticketing loop, {len(work):,} ids",
        floor,
        "< 2 s",
        "met" if taken < 2 else "MISSED",
    )


def _clear() -> None:
    """Take away this benchmark's selections (the scale data has no runs of its own)."""
    from sqlalchemy import delete

    from qa.audits.models import Audit
    from qa.events.models import Event
    from qa.extensions import db
    from qa.selections.models import SelectionRun

    db.session.execute(delete(Audit).where(Audit.run_id.is_not(None)))
    db.session.execute(delete(Event).where(Event.action == "selection_made"))
    db.session.execute(delete(SelectionRun))
    db.session.commit()


def show(found: list[Row]) -> None:
    """Each figure on standard error as soon as it is measured: the last rows take minutes."""
    for name, taken, floor_name, floor, target, verdict in found:
        print(
            f"  {name}: {taken:.3f} ({floor_name} {floor:.3f}; {target}: {verdict})",
            file=sys.stderr,
            flush=True,
        )


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def rows(as_of: date | None = None) -> tuple[list[Row], float]:
    """The scale rows, and how long loading the data took."""
    as_of = as_of or scale_data.london_today()
    try:
        url, loaded = scale_data.prepare(DATABASE, as_of=as_of)
        found = [month_in_app(url, as_of)]
        found += bench_trends.rows(url, as_of)
        found += bench_quantity.rows(url, as_of)
        show(found)
        found.append(bench_spreadsheet.row(url, as_of))
        show(found[-1:])
    finally:
        scale_data.drop_database(DATABASE)
    return found, loaded.seconds


def main() -> None:
    found, seconds = rows()
    print(f"Scale data loaded in {seconds:.1f} s")
    for row in found:
        print(row)


if __name__ == "__main__":
    main()
