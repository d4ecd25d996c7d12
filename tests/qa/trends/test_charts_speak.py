"""Trend charts that say something: the current month is not read as a complete one, and
with few audits a month the trends page groups months into quarters and says why."""

from __future__ import annotations

from datetime import date, datetime

from qa.audits.tools import get_tool
from qa.trends import service
from qa.trends.filters import Filters, unfinished
from qa.trends.period_choice import choose_period
from tests.qa.trends.test_service import signed_off

ANSWERS = {"views_wishes_feelings": "yes", "lived_experience": ("partly", "Touched on")}
YEAR = (date(2025, 12, 1), date(2026, 11, 30))
TODAY = date(2026, 11, 23)


def test_the_current_month_is_drawn_as_not_complete_and_earlier_months_are_not(org):
    get_tool("supervision-file-audit")
    signed_off(org, "practitioner", ANSWERS, datetime(2026, 10, 5, 10), score=0.8)
    signed_off(org, "practitioner", ANSWERS, datetime(2026, 11, 2, 10), score=0.4)
    filters = Filters("month", date(2026, 10, 1), date(2026, 11, 30))
    board = service.dashboard(org.people["qa_officer"], filters)
    for chart in (board.compliance_chart, board.score_chart):
        assert [p.partial for p in chart.points] == [False, True]
    assert "November 2026" not in board.compliance_svg or "not complete" in board.compliance_svg
    assert "not complete yet" in board.compliance_svg


def test_a_month_is_unfinished_until_its_last_day_has_passed():
    assert unfinished("2026-11", date(2026, 11, 30))
    assert not unfinished("2026-10", date(2026, 11, 1))
    assert unfinished("2026-Q4", TODAY)


def test_two_audits_a_month_are_shown_by_quarter_with_the_reason_in_words():
    counts = {f"2026-{m:02d}": 2 for m in range(1, 12)} | {"2025-12": 2}
    choice = choose_period(counts, *YEAR, TODAY)
    assert choice.kind == "quarter"
    assert "Shown by quarter, not by month: 22 audits were signed off in the 11 complete " in (
        choice.words
    )
    assert "about 2 a month" in choice.words and "quarters of about 6 audits each" in (choice.words)


def test_enough_audits_a_month_are_shown_by_month_without_comment():
    counts = {f"2026-{m:02d}": 6 for m in range(1, 12)}
    assert choose_period(counts, *YEAR, TODAY).kind == "month"


def test_the_current_month_does_not_count_towards_the_choice():
    counts = {"2026-10": 1, "2026-11": 40}
    assert choose_period(counts, date(2026, 10, 1), date(2026, 11, 30), TODAY).kind == "half"


def test_without_audits_the_trends_stay_monthly():
    assert choose_period({}, *YEAR, TODAY).kind == "month"


def test_the_trends_page_groups_sparse_months_into_quarters_unless_months_are_asked_for(
    sign_in_as, org
):
    get_tool("supervision-file-audit")
    for month in (6, 8, 10):
        signed_off(org, "practitioner", ANSWERS, datetime(2026, month, 3, 10), score=0.7)
    client = sign_in_as("qa_officer")
    page = client.get("/trends/").get_data(as_text=True)
    assert "Shown by half-year, not by month" in page
    assert "Compliance by half-year" in page
    assert "/trends/?period=month" in page.replace("&amp;", "&")
    asked = client.get("/trends/?period=month").get_data(as_text=True)
    assert "Shown by half-year" not in asked and "Compliance by month" in asked


def test_the_figures_table_says_the_current_month_is_not_read_for_signals(sign_in_as, org):
    get_tool("supervision-file-audit")
    signed_off(org, "practitioner", ANSWERS, datetime(2026, 10, 5, 10), score=0.8)
    signed_off(org, "practitioner", ANSWERS, datetime(2026, 11, 2, 10), score=0.4)
    page = sign_in_as("qa_officer").get("/trends/?period=month&start=2026-10&end=2026-11")
    assert "Not complete yet, so not read for signals" in page.get_data(as_text=True)


def test_a_questions_trend_groups_sparse_months_too(sign_in_as, org):
    get_tool("supervision-file-audit")
    for month in (6, 8, 10):
        signed_off(org, "practitioner", ANSWERS, datetime(2026, month, 3, 10), score=0.7)
    page = sign_in_as("qa_officer").get("/trends/questions/views_wishes_feelings")
    assert "Shown by half-year, not by month" in page.get_data(as_text=True)
