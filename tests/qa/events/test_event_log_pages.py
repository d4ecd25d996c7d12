"""The event log at scale: 50 events a page, newest first, the search kept from page to page."""

from __future__ import annotations

import re

from qa.events.service import record
from qa.extensions import db


def many_events(org, count: int, action: str = "file_viewed") -> None:
    for n in range(count):
        record(org.people["qa_officer"], action, "file", n + 1, f"Event number {n + 1}")
    db.session.commit()


def rows(page: str) -> int:
    body = page.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def test_the_event_log_shows_fifty_events_a_page_with_links_between_pages(org, sign_in_as):
    many_events(org, 120)
    client = sign_in_as("qa_officer")
    first = client.get("/events/").get_data(as_text=True)
    assert rows(first) == 50
    assert "Event number 120" in first and "Event number 70" not in first
    assert re.search(r"Events 1 to 50 of 12\d, newest first", first)
    assert 'href="/events/?page=2"' in first
    last = client.get("/events/?page=3").get_data(as_text=True)
    assert "Event number 1<" in last and "Event number 51<" not in last
    assert 'href="/events/?page=2"' in last and "?page=4" not in last


def test_the_search_is_kept_on_every_page(org, sign_in_as):
    many_events(org, 60, "report_downloaded")
    many_events(org, 10)
    page = sign_in_as("administrator").get("/events/?action=report_downloaded")
    text = page.get_data(as_text=True)
    assert re.search(r"Events 1 to 50 of 60, newest first", text)
    assert 'href="/events/?action=report_downloaded&amp;page=2"' in text


def test_a_page_past_the_end_shows_the_last_page(org, sign_in_as):
    many_events(org, 55)
    text = sign_in_as("qa_officer").get("/events/?page=99").get_data(as_text=True)
    assert "Event number 1<" in text
    assert sign_in_as("qa_officer").get("/events/?page=x").status_code == 200
