"""Spreadsheet exports of what the trends pages show, written by the one spreadsheet
writer (qa.reports.xlsx), so user text stays text.

Cells are typed: counts are whole numbers, rates are numbers formatted as percentages, dates
are dates. Each sheet has a frozen header row and a filter on its columns, so it can be
sorted and filtered in Excel or LibreOffice without retyping anything. The figures come from
the same service functions as the pages, so the access policy applies to them too.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from audit_tools.schema import GRADE_LABELS
from qa.org.models import Staff
from qa.reports.xlsx import Column, Sheet, Typed, workbook_bytes
from qa.trends.dashboard import Dashboard, dashboard
from qa.trends.filters import Filters
from qa.trends.self_evaluation import self_evaluation
from trend_maths.charts import RULE_WORDS


def _book(sheets: Sequence[Sheet], title: str) -> bytes:
    return workbook_bytes(sheets, title=title, author=current_app.config["COUNCIL_NAME"])


def export_xlsx(user: Staff, filters: Filters) -> bytes:
    """The dashboard as a spreadsheet, one sheet per table on the page."""
    return _book(dashboard_sheets(dashboard(user, filters)), "Quality trends")


def dashboard_sheets(board: Dashboard) -> list[Sheet]:
    return [
        _summary(board),
        _periods(board),
        Sheet(
            "Teams",
            [Column("Team"), *_rate_columns(), Column("Funnel plot")],
            [[t.label, t.k, t.n, t.rate, t.low, t.high, t.position] for t in board.teams],
        ),
        Sheet(
            "Sections",
            [Column("Section"), *_rate_columns()],
            [[s.title, s.k, s.n, s.rate, s.low, s.high] for s in board.sections],
        ),
        Sheet(
            "Questions",
            [Column("Key"), Column("Question"), Column("Section"), Column("Themes")]
            + _rate_columns(),
            [
                [
                    q.key,
                    q.text,
                    q.section,
                    _titles(q.themes, board),
                    q.k,
                    q.n,
                    q.rate,
                    q.low,
                    q.high,
                ]
                for q in board.questions
            ],
        ),
        Sheet(
            "Themes",
            [Column("Theme"), *_rate_columns(), Column("Trend"), Column("What the trend says")],
            [
                [t.label, t.k, t.n, t.rate, t.low, t.high, t.verdict, t.verdict_text]
                for t in board.themes
            ],
        ),
        Sheet(
            "Outcomes",
            [Column("Outcome"), Column("Audits", "integer")],
            [[GRADE_LABELS[grade], count] for grade, count in board.grades.items()],
        ),
        _agreement(board),
        Sheet(
            "Auditor drift",
            [
                Column("Auditor"),
                Column("Moderated audits", "integer"),
                Column("Mean difference in score", "percent"),
                Column("Lower 95%", "percent"),
                Column("Upper 95%", "percent"),
                Column("Reading"),
            ],
            [[a.auditor, a.n, a.mean, a.low, a.high, a.reading] for a in board.moderation.auditors],
        ),
        Sheet(
            "Selections",
            [
                Column("Period"),
                Column("Policy"),
                Column("Policy version", "integer"),
                Column("Selector"),
                Column("Made", "datetime"),
                Column("Seed"),
                Column("Frame hash (SHA-256)"),
                Column("Files in the frame", "integer"),
            ],
            [
                [
                    r.period_key,
                    r.policy_key,
                    r.policy_version,
                    r.selector_name or "The whole service",
                    r.ran_at,
                    r.seed,
                    r.frame_hash,
                    r.frame_size,
                ]
                for r in board.runs
            ],
        ),
    ]


def _titles(themes: Sequence[str], board: Dashboard) -> str:
    """A question's themes by the titles the council profile in force gives them."""
    titles = {theme.key: theme.label for theme in board.themes}
    return "; ".join(titles.get(theme, theme) for theme in themes)


def _rate_columns() -> list[Column]:
    return [
        Column("Meeting the standard", "integer"),
        Column("Applicable answers", "integer"),
        Column("Compliance", "percent"),
        Column("Lower 95%", "percent"),
        Column("Upper 95%", "percent"),
    ]


def _summary(board: Dashboard) -> Sheet:
    c = board.compliance
    estimate = board.estimate
    rows: list[list[object]] = [
        ["Part of the service", board.unit_label],
        ["From", Typed(board.filters.start, "date")],
        ["To", Typed(board.filters.end, "date")],
        ["Periods", board.period_word],
        ["Signed-off audits", Typed(board.audits, "integer")],
        ["Compliance", Typed(c.estimate, "percent")],
        ["Compliance, lower 95%", Typed(c.low, "percent")],
        ["Compliance, upper 95%", Typed(c.high, "percent")],
        ["Answers meeting the standard", Typed(c.k, "integer")],
        ["Applicable answers", Typed(c.n, "integer")],
        ["Compliance trend", board.compliance_chart.verdict_text],
        ["Score trend", board.score_chart.verdict_text],
        ["Actions raised", Typed(board.actions.opened, "integer")],
        ["Actions done", Typed(board.actions.closed, "integer")],
        ["Actions overdue", Typed(board.actions.overdue, "integer")],
        ["Audits moderated", Typed(board.moderation.n, "integer")],
        ["Share moderated", Typed(board.moderation.share, "percent")],
        ["Sample estimate", Typed(estimate.estimate if estimate else None, "percent")],
        ["Sample estimate, lower 95%", Typed(estimate.low if estimate else None, "percent")],
        ["Sample estimate, upper 95%", Typed(estimate.high if estimate else None, "percent")],
        ["About the sample estimate", board.estimate_text],
        ["How the audits were chosen", board.selection_text],
    ]
    return Sheet("Summary", [Column("Figure"), Column("Value")], rows)


def _periods(board: Dashboard) -> Sheet:
    rows = []
    for figures, p, s in zip(
        board.periods, board.compliance_chart.points, board.score_chart.points, strict=True
    ):
        rows.append(
            [
                figures.label,
                figures.first,
                figures.last,
                figures.audits,
                figures.k,
                figures.n,
                figures.compliance,
                p.lower if figures.n else None,
                p.upper if figures.n else None,
                _signal(p.special_cause, p.direction),
                figures.score,
                _signal(s.special_cause, s.direction),
            ]
        )
    return Sheet(
        "By period",
        [
            Column("Period"),
            Column("From", "date"),
            Column("To", "date"),
            Column("Signed-off audits", "integer"),
            Column("Meeting the standard", "integer"),
            Column("Applicable answers", "integer"),
            Column("Compliance", "percent"),
            Column("Lower process limit", "percent"),
            Column("Upper process limit", "percent"),
            Column("Compliance signal"),
            Column("Average score", "percent"),
            Column("Score signal"),
        ],
        rows,
    )


def _signal(rules: Sequence[str], direction: str) -> str:
    if not rules:
        return ""
    return f"{direction or 'special cause'}: {', '.join(RULE_WORDS[r] for r in rules)}"


def _agreement(board: Dashboard) -> Sheet:
    m = board.moderation
    columns = [
        Column("Question"),
        Column("Pairs of answers", "integer"),
        Column("Kappa (linear)", "decimal"),
        Column("Kappa (quadratic)", "decimal"),
        Column("Exact agreement", "percent"),
    ]
    rows: list[list[object]] = [
        [
            f"All questions on the {m.scale_label} scale",
            m.kappa_linear.n,
            m.kappa_linear.value,
            m.kappa_quadratic.value,
            m.kappa_linear.observed_agreement if m.kappa_linear.n else None,
        ]
    ]
    rows += [
        [q.text, q.n, q.linear.value, q.quadratic.value, q.linear.observed_agreement]
        for q in m.questions
    ]
    return Sheet("Agreement", columns, rows)


def export_self_evaluation_xlsx(user: Staff, filters: Filters) -> bytes:
    """The self-evaluation by theme as a spreadsheet."""
    entries = self_evaluation(user, filters)
    sheet = Sheet(
        "Self-evaluation",
        [
            Column("Theme"),
            Column("Meeting the standard", "integer"),
            Column("Applicable answers", "integer"),
            Column("Compliance", "percent"),
            Column("Lower 95%", "percent"),
            Column("Upper 95%", "percent"),
            Column("Trend"),
            Column("What we know"),
            Column("Audits", "integer"),
            Column("Share moderated", "percent"),
            Column("How we know"),
            Column("Open actions", "integer"),
            Column("Overdue actions", "integer"),
            Column("What we will do"),
        ],
        [
            [
                e.label,
                e.rate.k,
                e.rate.n,
                e.rate.estimate,
                e.rate.low,
                e.rate.high,
                e.verdict,
                e.know,
                e.audits,
                e.moderated_share,
                e.how,
                len(e.actions),
                sum(1 for a in e.actions if a.overdue),
                e.do,
            ]
            for e in entries
        ],
    )
    actions = Sheet(
        "Open actions",
        [
            Column("Theme"),
            Column("Action"),
            Column("Owner"),
            Column("Due", "date"),
            Column("Overdue"),
        ],
        [
            [e.label, a.description, a.owner, a.due_on, "Yes" if a.overdue else "No"]
            for e in entries
            for a in e.actions
        ],
    )
    return _book([sheet, actions], "Self-evaluation")
