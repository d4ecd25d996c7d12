"""A person's page says whether they work part time, and a supervision file's sessions show
how long each lasted, from the import's optional columns."""

from __future__ import annotations

import html
import re

from qa.extensions import db


def _text(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_a_persons_page_says_whether_they_work_part_time(sign_in_as, org):
    person = org.people["practitioner"]
    person.fte = 0.6
    db.session.commit()
    client = sign_in_as("qa_officer")
    page = _text(client.get(f"/organisation/people/{person.id}").get_data(as_text=True))
    assert "Working time Part time, 0.6 of full time" in page
    person.fte = None
    db.session.commit()
    page = _text(client.get(f"/organisation/people/{person.id}").get_data(as_text=True))
    assert "Working time Full time" in page


def test_a_files_sessions_show_how_long_each_lasted(sign_in_as, org):
    supervision_file = org.file_of("practitioner")
    sessions = sorted(supervision_file.sessions, key=lambda s: s.held_on)
    sessions[-1].length_minutes = 75
    db.session.commit()
    client = sign_in_as("qa_officer")
    page = _text(client.get(f"/organisation/files/{supervision_file.id}").get_data(as_text=True))
    assert "Signed by supervisee Length" in page
    assert "75 minutes" in page
