"""`BENCH_COUNTY=1 make bench`'s county part: the trends page on the county's answers.

Creates the database `qa_bench_county`, migrates it and loads the county
(scripts/scale_data.py --county: 10,000 staff, ten years of sessions and audits, 5,000,006
answers), times the trends page after a change and on a repeat view, each beside the single
SQL aggregate over the same answers (scripts/bench_trends.py; the page is opened over all
ten years), then drops the database. Making and loading
the county takes a few minutes, the trends rows a few more.

    .venv/bin/python scripts/bench_county.py        # alone, as BENCH_COUNTY=1 make bench does
    .venv/bin/python scripts/bench_county.py --database qa_county --as-of 2026-11-23
        # times a county already loaded (scale_data.py --county) with that "as of" date,
        # and leaves it in place
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_scale  # noqa: E402
import bench_trends  # noqa: E402
import scale_data  # noqa: E402

DATABASE = "qa_bench_county"
COUNTY = scale_data.PROFILES["county"]
Row = tuple[str, float, str, float, str, str]


def measure(url: str, as_of: date) -> list[Row]:
    """The trends rows on the county loaded at `url` with data to `as_of`."""
    found = [
        (f"County: {name}", taken, floor_name, floor, target, verdict)
        for name, taken, floor_name, floor, target, verdict in bench_trends.rows(
            url, as_of, COUNTY.years
        )
    ]
    bench_scale.show(found)
    return found


def rows(as_of: date | None = None) -> tuple[list[Row], float]:
    """The county's rows, and how long making and loading its data took."""
    as_of = as_of or scale_data.london_today()
    try:
        url, loaded = scale_data.prepare(DATABASE, as_of=as_of, scale=COUNTY)
        found = measure(url, as_of)
    finally:
        scale_data.drop_database(DATABASE)
    return found, loaded.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a county already loaded, timed and left in place")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    as_of = args.as_of or scale_data.london_today()
    if args.database:
        found = measure(f"{scale_data.SERVER}/{args.database}", as_of)
    else:
        found, seconds = rows(as_of)
        print(f"The county was made and loaded with COPY in {seconds:.1f} s")
    for row in found:
        print(row)


if __name__ == "__main__":
    main()
