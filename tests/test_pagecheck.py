"""The page check every test client runs: internal ids in a page's words fail it."""

from __future__ import annotations

import pytest

from tests.pagecheck import check_page

PAGE = "<html><head><title>Audit</title></head><body><h1>Audit</h1>{}</body></html>"


@pytest.mark.parametrize(
    "words",
    [
        "S0002, the service manager, audits the file",
        "Drawn for T-practitioner",
        "monthly-team-manager (version 1)",
        "Source: 000_3a84f6082ffc4311.txt, 2.2",
        "See 003_2701f8fa2326f2b4 section 9.3",
    ],
)
def test_a_page_showing_an_internal_id_fails_the_check(words: str) -> None:
    with pytest.raises(AssertionError, match="internal ids"):
        check_page(PAGE.format(f"<p>{words}</p>"), "/somewhere")


@pytest.mark.parametrize(
    "body",
    [
        "<p>Sam Patel, service manager, audits the file</p>",
        "<p>Coventry supervision policy (2015), section 9.3</p>",
        '<a href="/policies/monthly-team-manager">Monthly audit</a>',
        '<input type="hidden" name="staff" value="S0002">',
        '<script>var id = "S0002";</script>',
        "<p>The S1 team, 2026, 9.3 and A-Z</p>",
    ],
)
def test_ids_in_links_attributes_and_scripts_pass_the_check(body: str) -> None:
    assert check_page(PAGE.format(body), "/somewhere") == "Audit"
