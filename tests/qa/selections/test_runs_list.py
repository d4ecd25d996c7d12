"""The selections list at scale: 50 a page, filtered by policy and period."""

from __future__ import annotations

from qa.selections import service


def monthly_runs(org, months: int) -> None:
    sm = org.people["service_manager"]
    for n in range(months):
        year, month = divmod(2026 * 12 + 10 - n, 12)
        service.run_selection("monthly-team-manager", f"{year}-{month + 1:02d}", sm, None)


def test_the_selections_list_shows_fifty_a_page_with_links_between_pages(org, sign_in_as):
    monthly_runs(org, 55)
    client = sign_in_as("qa_officer")
    first = client.get("/selections/").get_data(as_text=True)
    assert first.count('href="/selections/') - first.count('href="/selections/draw') >= 50
    assert "Selections 1 to 50 of 55, most recent first" in first
    assert 'href="/selections/?page=2"' in first
    second = client.get("/selections/?page=2").get_data(as_text=True)
    assert "Selections 51 to 55 of 55" in second


def test_the_selections_list_filters_by_policy_and_period_and_keeps_them(org, sign_in_as):
    monthly_runs(org, 55)
    service.run_selection("six-monthly-random", "2026-H2", None, None)
    client = sign_in_as("qa_officer")
    text = client.get("/selections/?period=2025").get_data(as_text=True)
    assert "Selections 1 to 12 of 12" in text
    text = client.get("/selections/?policy=six-monthly-random").get_data(as_text=True)
    assert "Selections 1 to 1 of 1" in text
    text = client.get("/selections/?policy=monthly-team-manager").get_data(as_text=True)
    assert 'href="/selections/?policy=monthly-team-manager&amp;page=2"' in text
    empty = client.get("/selections/?period=1999").get_data(as_text=True)
    assert "No selections match" in empty
