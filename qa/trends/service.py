"""Quality trends and themes: the figures behind the trends pages, the PDF report and the
spreadsheet exports.

This module is the one to import from; the work is done in the modules named below.
Each function takes the signed-in person and the `Filters` asked for, and returns a frozen
result ready for a template, a PDF or a spreadsheet. The person's part of the service comes
from the one access policy (`qa.access`), so a service manager's figures are their own
area's whatever the filters say. Counts are grouped in the database; rates, intervals, SPC
charts and funnel plots come from `trend_maths.statistics` and the charts from
`trend_maths.charts`.
"""

from __future__ import annotations

from qa.trends.agreement import AuditorDrift, ModerationSummary, QuestionKappa
from qa.trends.dashboard import ActionCounts, Dashboard, PeriodFigures, TeamRate, dashboard
from qa.trends.details import Change, QuestionDetail, Themes, question_detail, themes_page
from qa.trends.export import export_self_evaluation_xlsx, export_xlsx
from qa.trends.filters import Filters, Unit, default_filters, filters_from_args, unit_label
from qa.trends.quantity import Overdue, PeriodQuantity, Quantity, TeamQuantity, quantity
from qa.trends.rollups import QuestionRate, Rate, SectionRate, ThemeSummary
from qa.trends.self_evaluation import ActionLine, SelfEvaluation, self_evaluation

__all__ = [
    "ActionCounts",
    "ActionLine",
    "AuditorDrift",
    "Change",
    "Dashboard",
    "Filters",
    "ModerationSummary",
    "Overdue",
    "PeriodFigures",
    "PeriodQuantity",
    "Quantity",
    "QuestionDetail",
    "QuestionKappa",
    "QuestionRate",
    "Rate",
    "SectionRate",
    "SelfEvaluation",
    "TeamQuantity",
    "TeamRate",
    "ThemeSummary",
    "Themes",
    "Unit",
    "dashboard",
    "default_filters",
    "export_self_evaluation_xlsx",
    "export_xlsx",
    "filters_from_args",
    "question_detail",
    "quantity",
    "self_evaluation",
    "themes_page",
    "unit_label",
]
