"""The period quality report: asked for on the Reports page, made in the background, kept,
and only for the part of the service the person may see."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pypdf.generic import NameObject
from sqlalchemy import select

from qa.cases.service import case_discussions
from qa.events.models import Event
from qa.extensions import db
from qa.reports import period_jobs
from qa.reports.models import PeriodReport
from tests.qa.cases.test_case_discussions_page import caseloads  # noqa: F401 (a fixture)
from tests.qa.reports.helpers import (
    WELLBEING_SECRET,
    drawn_audit,
    figure_alts,
    history,
    pdf_reader,
    pdf_text,
    signed_off,
)


@pytest.fixture
def quarter_of_audits(org):
    """A year of signed-off audits in both areas, and one drawn by a selection this month."""
    run, audit = drawn_audit(org)
    signed_off(org, audit=audit)
    history(org, months=12, per_month=2)
    return run


def ask(client, org, period="2026-Q4", kind="quarter", unit=None):
    client.get("/reports/")
    unit = unit or f"area-{org.areas['North'].id}"
    return client.post("/reports/", data={"period_kind": kind, "period": period, "unit": unit})


def made_report(client, org, **kwargs) -> tuple[PeriodReport, bytes]:
    response = ask(client, org, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    report = db.session.scalar(select(PeriodReport).order_by(PeriodReport.id.desc()))
    period_jobs.wait_for(report.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report is ready" in page, page[:3000]
    pdf = client.get(f"/reports/period/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    return db.session.get(PeriodReport, report.id), pdf.data


def test_a_head_of_service_makes_the_quarterly_report_with_rates_charts_and_method(
    sign_in_as, org, quarter_of_audits
):
    run = quarter_of_audits
    report, content = made_report(sign_in_as("head_of_service"), org)
    text = " ".join(pdf_text(content).split())
    for expected in (
        "Demo City Council",
        "Supervision quality report",
        "North service area",
        "October to December 2026",
        "Contents",
        "1. Summary",
        "2. Compliance over time",
        "4. Teams compared",
        "6. Themes and evidence",
        "7. Quantity of supervision",
        "9. Moderation agreement",
        "10. Method statement",
        "of answers met the standard (95% range",
        "No significant change",
        "Page 1 of",
        "Wilson score interval",
        "Making Data Count",
        "weighted kappa",
        "stratified estimator",
        "the answers of one audit tend to go together",
        "consistent_sampler",
        "Monthly team manager audit, version 1",
        "Matches",
    ):
        assert expected in text, expected
    joined = "".join(text.split())
    assert run.seed in joined and run.frame_hash in joined
    assert "South Safeguarding" not in text


def test_the_report_is_a_tagged_pdf_with_a_title_language_and_fixed_dates(
    sign_in_as, org, quarter_of_audits
):
    report, content = made_report(sign_in_as("head_of_service"), org)
    reader = pdf_reader(content)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and NameObject("/StructTreeRoot") in root
    assert reader.metadata.title == (
        "Supervision quality report: North service area, October to December 2026"
    )
    assert reader.metadata["/CreationDate"].startswith("D:20261123100000")
    assert len(reader.pages) >= 10
    assert "Page 3 of" in reader.pages[2].extract_text()
    assert "October to December 2026" in reader.pages[2].extract_text()  # running header
    assert figure_alts(reader) == [
        "Compliance by quarter, North service area",
        "Average overall score by quarter, North service area",
        "Audit outcomes, North service area",
        "Compliance by team, North service area",
        "Staff supervised within their required interval by month, North service area",
    ]


def test_the_report_quotes_evidence_but_never_a_wellbeing_comment(
    sign_in_as, org, quarter_of_audits
):
    _, content = made_report(sign_in_as("head_of_service"), org)
    text = pdf_text(content)
    assert "missing from the record" in text  # evidence under the weakest questions
    assert WELLBEING_SECRET not in text and "bereavement" not in text


def test_the_report_is_kept_and_downloading_it_is_logged(sign_in_as, org, monkeypatch):
    from qa.reports import period_report

    monkeypatch.setattr(period_report, "make_period_pdf", lambda *args: b"%PDF-1.7 report")
    head = sign_in_as("head_of_service")
    report, content = made_report(head, org, period="2026-11", kind="month")
    assert content == b"%PDF-1.7 report"
    assert head.get(f"/reports/period/{report.id}.pdf").data == content
    assert report.document.kind == "period-report" and report.document.subject_id == report.id
    exported = db.session.scalars(select(Event).where(Event.action == "exported")).all()
    assert [e.subject_type for e in exported] == ["period_report", "period_report"]
    assert exported[0].detail == "period report PDF, North service area, 2026-11"
    page = head.get("/reports/").get_data(as_text=True)
    assert "Reports you made recently" in page
    assert f'href="/reports/period/{report.id}">Ready<span' in page


def test_a_service_manager_cannot_report_on_another_area(sign_in_as, org):
    manager = sign_in_as("service_manager")
    page = ask(manager, org, unit=f"area-{org.areas['South'].id}")
    assert page.status_code == 400
    assert "Select a part of the service you can report on" in page.get_data(as_text=True)
    assert db.session.scalar(select(PeriodReport)) is None
    choices = manager.get("/reports/").get_data(as_text=True)
    assert "North service area" in choices and "South service area" not in choices


def test_nobody_else_can_open_someone_elses_report(sign_in_as, org):
    report = PeriodReport(
        period_kind="quarter",
        period_key="2026-Q4",
        area_id=org.areas["North"].id,
        unit_label="North service area",
        tool_id="supervision-file-audit",
        status="making",
        requested_by_id=org.people["head_of_service"].id,
        requested_at=datetime(2026, 11, 23, 9, 59),
    )
    db.session.add(report)
    db.session.commit()
    for who in ("head_south", "service_manager", "qa_officer"):
        client = sign_in_as(who)
        assert client.get(f"/reports/period/{report.id}").status_code == 404
        assert client.get(f"/reports/period/{report.id}.pdf").status_code == 404


def test_a_report_still_being_made_says_so_with_a_way_to_check_again(sign_in_as, org):
    report = PeriodReport(
        period_kind="month",
        period_key="2026-11",
        area_id=org.areas["North"].id,
        unit_label="North service area",
        tool_id="supervision-file-audit",
        status="making",
        requested_by_id=org.people["head_of_service"].id,
        requested_at=datetime(2026, 11, 23, 9, 59),
    )
    db.session.add(report)
    db.session.commit()
    head = sign_in_as("head_of_service")
    page = head.get(f"/reports/period/{report.id}").get_data(as_text=True)
    assert "Your report is being made" in page
    assert "Check whether your report is ready" in page
    assert 'http-equiv="refresh"' not in page
    assert head.get(f"/reports/period/{report.id}.pdf").status_code == 404


def test_a_report_that_could_not_be_made_says_so_and_can_be_tried_again(
    sign_in_as, org, monkeypatch
):
    from qa.reports import period_report

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(period_report, "make_period_pdf", broken)
    head = sign_in_as("head_of_service")
    response = ask(head, org, period="2026-11", kind="month")
    report = db.session.scalar(select(PeriodReport))
    period_jobs.wait_for(report.id)
    page = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report could not be made" in page and "Try again" in page
    assert db.session.get(PeriodReport, report.id).document_id is None


def test_the_period_must_be_of_the_kind_chosen(sign_in_as, org):
    head = sign_in_as("head_of_service")
    page = ask(head, org, period="2026-Q4", kind="month").get_data(as_text=True)
    assert "Enter a month like 2026-11" in page
    page = ask(head, org, period="last quarter", kind="quarter").get_data(as_text=True)
    assert "Enter a period like 2026-11, 2026-Q4 or 2026-H2" in page
    assert db.session.scalar(select(PeriodReport)) is None


def test_reports_are_in_the_navigation_for_the_people_who_use_them(sign_in_as, org):
    for who in ("head_of_service", "service_manager", "qa_officer"):
        home = sign_in_as(who).get("/").get_data(as_text=True)
        assert 'href="/reports/"' in home, who
    assert 'href="/reports/"' not in sign_in_as("practitioner").get("/").get_data(as_text=True)


def test_the_report_says_how_often_each_case_is_discussed(
    sign_in_as,
    org,
    quarter_of_audits,
    caseloads,  # noqa: F811 (Leicester's rules and a few cases in each area)
):
    page = case_discussions(org.people["head_of_service"], date(2026, 11, 23))
    assert page.total.n
    report, content = made_report(sign_in_as("head_of_service"), org)
    text = " ".join(pdf_text(content).split())
    assert "How often each case is discussed" in text
    assert f"{page.total.k} of {page.total.n} open cases the policy sets an interval for" in text
    assert "Open cases discussed within their interval, month by month" in text
