"""The Case discussions page as a spreadsheet: every open case, and the shares within their
interval by worker, team, area and month, written by the one spreadsheet writer."""

from __future__ import annotations

from flask import current_app

from qa.cases.service import CaseDiscussions, Share
from qa.reports.xlsx import Column, Sheet, workbook_bytes
from sampling.periods import period_bounds

CASE_COLUMNS = (
    Column("Case reference", "text", 16),
    Column("Worker"),
    Column("Team"),
    Column("Service area"),
    Column("Status"),
    Column("Allocated to the worker on", "date"),
    Column("Last discussion", "date"),
    Column("Interval required"),
    Column("Next discussion due by", "date"),
    Column("Within the interval"),
    Column("Days overdue", "integer"),
)
SHARE_COLUMNS = (
    Column("Cases judged", "integer"),
    Column("Within their interval", "integer"),
    Column("Share within", "percent"),
)


def _within(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not set by the policy"}[value]


def _shares(title: str, first: str, shares: list[Share], total: Share) -> Sheet:
    rows = [[s.label, s.n, s.k, s.rate] for s in [*shares, total]]
    return Sheet(title, (Column(first), *SHARE_COLUMNS), rows)


def case_discussions_xlsx(page: CaseDiscussions) -> bytes:
    cases = [
        [
            line.reference,
            line.worker,
            line.team,
            line.area,
            line.status,
            line.allocated_on,
            line.last_discussion,
            line.interval_words,
            line.due,
            _within(line.within),
            line.days_over if line.within is False else None,
        ]
        for line in page.cases
    ]
    months = [[min(period_bounds(m.period)[1], page.on), m.n, m.k, m.rate] for m in page.over_time]
    return workbook_bytes(
        [
            Sheet("Open cases", CASE_COLUMNS, cases),
            _shares("By worker", "Worker", page.by_worker, page.total),
            _shares("By team", "Team", page.by_team, page.total),
            _shares("By area", "Service area", page.by_area, page.total),
            Sheet("Month by month", (Column("Month end", "date"), *SHARE_COLUMNS), months),
        ],
        title=f"Case discussions, {page.unit_label}",
        author=current_app.config["COUNCIL_NAME"],
    )
