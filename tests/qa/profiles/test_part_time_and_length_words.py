"""The Council profile page says how each profile treats part-time staff and the length of
a session, with the policy's words or its silence."""

from __future__ import annotations

import html
import re


def _text(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_profile_pages_show_the_part_time_and_session_length_rules(sign_in_as):
    client = sign_in_as("qa_officer")
    havering = _text(client.get("/profiles/havering").get_data(as_text=True))
    assert "Part-time staff Pro rata: the interval divided by their full-time equivalent" in (
        havering
    )
    assert "the equivalent of one month’s work for workers who work on a part time basis" in (
        havering
    )
    assert "Length of a session Not set by the policy: The policy gives an average" in havering
    coventry = _text(client.get("/profiles/coventry").get_data(as_text=True))
    assert "Length of a session At least 90 minutes" in coventry
    assert "Sessions should be between 1½ and 2 hours in duration" in coventry
    assert "Part-time staff Not set by the policy: The policy sets its frequency" in coventry
