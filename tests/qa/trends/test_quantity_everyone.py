"""The quantity page covers everyone in post with a line manager, heads of service
included, whether or not a supervision file was ever opened for them."""

from __future__ import annotations

from datetime import date

from qa.extensions import db
from qa.trends import service as trends
from tests.qa.profiles.test_profiles import NOVEMBER


def _names(org) -> tuple[set[str], set[str]]:
    """(everyone counted, those overdue) on the QA officer's quantity page on 23 November."""
    result = trends.quantity(org.people["qa_officer"], date(2026, 11, 23), NOVEMBER)
    return {row.name for row in result.overdue}, {row.label for row in result.by_team}


def test_a_head_of_service_with_a_line_manager_and_no_file_is_counted_as_overdue(app, org):
    head = org.people["head_of_service"]
    head.line_manager = org.people["head_south"]
    db.session.commit()
    assert head.file is None
    overdue, _ = _names(org)
    assert head.name in overdue
    result = trends.quantity(org.people["qa_officer"], date(2026, 11, 23), NOVEMBER)
    row = next(row for row in result.overdue if row.name == head.name)
    assert (row.last_session, row.interval_days) == (None, 42)  # Coventry 5.1, since 2020


def test_someone_with_no_line_manager_and_no_file_is_not_counted(app, org):
    overdue, _ = _names(org)
    assert org.people["head_south"].name not in overdue
    assert org.people["qa_officer"].name not in overdue


def test_the_page_says_who_it_counts(sign_in_as):
    body = sign_in_as("qa_officer").get("/trends/quantity").get_data(as_text=True)
    assert "each member of staff with a line manager or a supervision file" in body
