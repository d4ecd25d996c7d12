"""The quantity page on 100,000 files, beside one grouped count of the same sessions.

On the scale database (scripts/scale_data.py: 100,000 supervision files, 2.7 million
sessions), a quality assurance officer signs in through the Flask test client and opens
the quantity page for the whole service as people first see it after a change: the reuse
of worked-out figures is off (TRENDS_CACHE = False), so every request judges everyone at
12 month ends again. The floor is the least any such page must do: one GROUP BY counting
the formal sessions held up to the day, file by file, for the files the page counts (the
same people: in post during the year, with a line manager or an open file), timed on its
own through psycopg.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_client import officer_client  # noqa: E402
from bench_trends import p95, timed  # noqa: E402

from sampling.periods import months_before  # noqa: E402

REQUESTS = 10
Row = tuple[str, float, str, float, str, str]

COUNT_BY_FILE = """
SELECT supervision_session.file_id, count(*) FROM supervision_session
WHERE supervision_session.kind = ANY(%(formal)s) AND supervision_session.held_on <= %(on)s
  AND supervision_session.file_id IN (
    SELECT supervision_file.id FROM supervision_file
    JOIN staff ON staff.id = supervision_file.supervisee_id
    WHERE (staff.start_date IS NULL OR staff.start_date <= %(on)s)
      AND (staff.leaving_date IS NULL OR staff.leaving_date > %(first)s)
      AND (staff.line_manager_id IS NOT NULL OR (supervision_file.opened_on <= %(on)s
           AND (supervision_file.closed_on IS NULL OR supervision_file.closed_on > %(first)s))))
GROUP BY supervision_session.file_id
"""


def signed_in_client(url: str, on: date) -> tuple[Any, list[str]]:
    """A test client signed in as a QA officer, every request working the figures out
    afresh; and the session kinds the page counts."""
    from qa.profiles.service import frequency_rules_on

    app, client = officer_client(url, on, TRENDS_CACHE=False)
    with app.app_context():
        formal = list(frequency_rules_on(on).formal_kinds)
    return client, formal


def rows(url: str, on: date) -> list[Row]:
    """The quantity rows of the table, on the filled scale database at `url` (libpq URL).
    The page and the count take turns, so that whatever else the machine is doing weighs
    on both alike."""
    client, formal = signed_in_client(url, on)
    params = {"formal": formal, "on": on, "first": months_before(on, 12)}

    def page() -> None:
        response = client.get("/trends/quantity")
        assert response.status_code == 200, f"/trends/quantity: {response.status_code}"

    with psycopg.connect(url) as conn:
        page()  # the first request also compiles the templates
        sessions = sum(count for _, count in conn.execute(COUNT_BY_FILE, params).fetchall())
        pages: list[float] = []
        floor: list[float] = []
        started = time.perf_counter()
        while len(pages) < REQUESTS and (len(pages) < 5 or time.perf_counter() - started < 120):
            pages += timed(page, 1, 0)
            floor += timed(lambda: conn.execute(COUNT_BY_FILE, params).fetchall(), 1, 0)
    taken, least = statistics.median(pages), statistics.median(floor)
    label = f"Quantity page, first view, {sessions:,} sessions"
    return [
        (
            f"{label}: p50 of {len(pages)}",
            taken,
            "count by file alone: p50",
            least,
            "< 1 s, ≤ 2×",
            "met" if taken < 1 and taken <= 2 * least else "MISSED",
        ),
        (
            f"{label}: p95 of {len(pages)}",
            p95(pages),
            "count by file alone: p95",
            p95(floor),
            "(reported)",
            "–",
        ),
    ]


def main() -> None:
    """Time the page on an already filled database: bench_quantity.py DATABASE [YYYY-MM-DD]."""
    import scale_data

    database = sys.argv[1] if len(sys.argv) > 1 else "qa_scale"
    on = date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else scale_data.london_today()
    for row in rows(f"{scale_data.SERVER}/{database}", on):
        print(row)


if __name__ == "__main__":
    main()
