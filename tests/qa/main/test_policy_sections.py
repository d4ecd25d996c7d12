"""A policy citation on a page opens the cited section of the council's policy."""

from __future__ import annotations

import pytest

from qa.formatting import cited


def test_a_signed_in_person_reads_the_cited_section_of_the_policy(sign_in_as) -> None:
    response = sign_in_as("practitioner").get("/council-policies/coventry/9.3")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Coventry supervision policy (2015), section 9.3" in page
    assert "Each month service managers will select a supervision file" in page
    assert "Supervision of service managers" not in page


def test_someone_signed_out_is_sent_to_sign_in(client) -> None:
    response = client.get("/council-policies/coventry/9.3")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "address",
    [
        "/council-policies/coventry/99.9",
        "/council-policies/somewhere/9.3",
        "/council-policies/003_2701f8fa2326f2b4.txt/9.3",
    ],
)
def test_a_section_or_policy_that_is_not_there_is_not_found(sign_in_as, address) -> None:
    assert sign_in_as("qa_officer").get(address).status_code == 404


def test_guidance_names_the_policy_by_its_title_and_links_to_the_section(app) -> None:
    with app.test_request_context():
        words = str(cited("“Each month…” (003_2701f8fa2326f2b4.txt, 9.3) & more"))
    assert words == (
        '“Each month…” (<a class="govuk-link" href="/council-policies/coventry/9.3">'
        "Coventry supervision policy (2015), section 9.3</a>) &amp; more"
    )


def test_the_audit_tool_preview_cites_policies_by_title(sign_in_as) -> None:
    page = sign_in_as("qa_officer").get("/audits/tools/supervision-file-audit/2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/council-policies/coventry/' in text
    assert ".txt" not in text
