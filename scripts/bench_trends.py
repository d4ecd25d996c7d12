"""The trends page on millions of answers, beside the one SQL aggregate it cannot do without.

On a scale database (scripts/scale_data.py), a quality assurance officer signs in through
the Flask test client and opens the trends dashboard for the whole service over every month
the data covers, as far back as the page allows (qa.trends.filters.MOST_MONTHS): all three
years of the council, so all its 1,000,008 answers; all ten of the county's years, so all its
5,000,006 answers (scripts/bench_county.py). The floor is the single GROUP BY that any such
page needs: answers meeting the standard, and answers that count, by month, for the same tool
and dates, timed on its own through psycopg.

The page reads the per-audit summary written at sign-off (qa/trends/summary.py), which the
scale data fills after loading; the floor still reads every answer, as a page without the
summary would have to.

The page is timed twice. As people see it: the figures, and the page's content rendered from
them, are worked out once and reused until a commit changes the data (qa/trends/cache.py),
so repeated views between two sign-offs are the common case. And the first view after a
change, with the reuse switched off (TRENDS_CACHE = False), so every request reads the
million answers again.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_client import officer_client  # noqa: E402

from audit_tools.schema import SCALES, default_tools  # noqa: E402
from audit_tools.scoring import meets_standard  # noqa: E402

TOOL_ID = "supervision-file-audit"
REQUESTS = 20
MOST_SECONDS = 240  # a page far off its target need not be timed 20 times to show it
Row = tuple[str, float, str, float, str, str]

AGGREGATE = """
SELECT date_trunc('month', audit.signed_off_at) AS month,
       sum(CASE WHEN audit_answer.answer = ANY(%(meeting)s) THEN 1 ELSE 0 END) AS k,
       sum(CASE WHEN audit_answer.answer = ANY(%(counted)s) THEN 1 ELSE 0 END) AS n
FROM audit_answer JOIN audit ON audit.id = audit_answer.audit_id
WHERE audit.tool_id = %(tool)s AND audit.state = 'signed_off'
  AND audit.signed_off_at >= %(start)s AND audit.signed_off_at < %(end)s
GROUP BY 1
"""
COUNT = """
SELECT count(*) FROM audit_answer JOIN audit ON audit.id = audit_answer.audit_id
WHERE audit.tool_id = %(tool)s AND audit.state = 'signed_off'
  AND audit.signed_off_at >= %(start)s AND audit.signed_off_at < %(end)s
"""


def answer_sets() -> tuple[list[str], list[str]]:
    """The answer values that meet the tool's standard, and those that count in a rate."""
    tool = next(t for t in default_tools() if t.id == TOOL_ID)
    meeting: set[str] = set()
    counted: set[str] = set()
    for _, question in tool.questions():
        for answer in SCALES[question.scale].answers:
            counted.add(answer)
            if meets_standard(tool, question, answer):
                meeting.add(answer)
    return sorted(meeting), sorted(counted)


def months(as_of: date, years: int = 3) -> tuple[date, date]:
    """The first day of the month `years` before `as_of`, or of the earliest month the page
    shows with it (a longer range falls back to the default), and the last day of its month."""
    from qa.trends.filters import MOST_MONTHS

    earliest = as_of.year * 12 + as_of.month - 1 - min(12 * years, MOST_MONTHS - 1)
    first = date(earliest // 12, earliest % 12 + 1, 1)
    following = date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def timed(work: Callable[[], object], count: int, budget: float) -> list[float]:
    """Seconds for each of `count` runs of `work` (fewer, at least five, past `budget`)."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < count and (len(times) < 5 or time.perf_counter() - started < budget):
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def aggregate_times(url: str, first: date, last: date) -> tuple[list[float], int]:
    meeting, counted = answer_sets()
    params = {
        "meeting": meeting,
        "counted": counted,
        "tool": TOOL_ID,
        "start": datetime.combine(first, clock()),
        "end": datetime.combine(date.fromordinal(last.toordinal() + 1), clock()),
    }
    with psycopg.connect(url) as conn:
        conn.execute(AGGREGATE, params).fetchall()  # once to warm the cache, as the page is
        answers = conn.execute(COUNT, params).fetchone()
        times = timed(lambda: conn.execute(AGGREGATE, params).fetchall(), REQUESTS, MOST_SECONDS)
    return times, int(answers[0]) if answers else 0


def page_times(url: str, as_of: date, first: date, last: date, *, reuse: bool) -> list[float]:
    """Times of the dashboard through the test client, signed in as a QA officer; with
    `reuse` off, every request works the figures out afresh."""
    _, client = officer_client(url, as_of, TRENDS_CACHE=reuse)
    page = f"/trends/?period=month&start={first:%Y-%m}&end={last:%Y-%m}&unit=service"

    def fetch() -> None:
        response = client.get(page)
        assert response.status_code == 200, f"{page}: {response.status_code}"

    fetch()  # the first request also reads the audit tool and compiles the templates
    return timed(fetch, REQUESTS, MOST_SECONDS)


def rows(url: str, as_of: date, years: int = 3) -> list[Row]:
    """The trends rows of the table, on the filled scale database at `url` (libpq URL) whose
    data covers `years` to `as_of`."""
    try:
        import qa.trends.service  # noqa: F401
    except ImportError:
        return [("Trends page (qa/trends/service.py not there yet)", 0.0, "", 0.0, "", "–")]
    first, last = months(as_of, years)
    floor, answers = aggregate_times(url, first, last)
    fresh = page_times(url, as_of, first, last, reuse=False)
    page = page_times(url, as_of, first, last, reuse=True)
    label = f"Trends, {answers:,} answers"
    return [
        (
            f"{label}, after a change: p50 of {len(fresh)}",
            statistics.median(fresh),
            "the GROUP BY alone: p50",
            statistics.median(floor),
            "(reported)",
            "–",
        ),
        (
            f"{label}, after a change: p95 of {len(fresh)}",
            p95(fresh),
            "the GROUP BY alone: p95",
            p95(floor),
            "≤ 2×",
            "met" if p95(fresh) <= 2 * p95(floor) else "MISSED",
        ),
        (
            f"{label}: p50 of {len(page)}",
            statistics.median(page),
            "the GROUP BY alone: p50",
            statistics.median(floor),
            "(reported)",
            "–",
        ),
        (
            f"{label}: p95 of {len(page)}",
            p95(page),
            "the GROUP BY alone: p95",
            p95(floor),
            "< 0.25 s, ≤ 2×",
            "met" if p95(page) < 0.25 and p95(page) <= 2 * p95(floor) else "MISSED",
        ),
    ]
