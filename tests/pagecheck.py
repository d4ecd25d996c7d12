"""Checks every HTML page a test fetches: a title, one h1, unique ids, forms with CSRF, and
no internal ids in the words a person reads."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Ids a reader cannot use: staff ids (S0002 in imports, T-practitioner in the tests' council),
# the keys of the shipped policies, and the hashed file names of the source policies.
INTERNAL_IDS = re.compile(
    r"\bS\d{4,}\b"
    r"|\bT-[a-z][a-z0-9_]*\b"
    r"|\b(?:monthly-team-manager|quarterly-service-manager|six-monthly-random)\b"
    r"|\b\d{3}_[0-9a-f]{16}(?:\.txt)?\b"
)
_HIDDEN = ("script", "style", "template")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.in_title = False
        self.h1 = 0
        self.ids: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.csrf_in_form: list[bool] = []
        self.labels_for: list[str] = []
        self.text: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag in _HIDDEN:
            self.hidden += 1
        if tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "form":
            self.forms.append(found)
            self.csrf_in_form.append(False)
        elif tag == "input" and found.get("name") == "csrf_token" and self.csrf_in_form:
            self.csrf_in_form[-1] = True
        elif tag == "label" and found.get("for"):
            self.labels_for.append(found["for"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if not self.hidden:
            self.text.append(data)


def internal_ids(html: str) -> list[str]:
    """The internal ids in a page's visible text, each with a little of the text around it."""
    page = _Collector()
    page.feed(html)
    text = " ".join(" ".join(page.text).split())
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in INTERNAL_IDS.finditer(text)]


def check_page(html: str, url: str) -> str:
    """Raise AssertionError describing what is wrong with the page; return its title."""
    page = _Collector()
    page.feed(html)
    title = " ".join(page.title.split())
    assert title, f"{url}: the page has no title"
    assert page.h1 == 1, f"{url}: the page has {page.h1} h1 headings, not one"
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert not duplicates, f"{url}: duplicate ids {duplicates}"
    for form, has_csrf in zip(page.forms, page.csrf_in_form, strict=True):
        if (form.get("method") or "get").lower() == "post":
            assert has_csrf, f"{url}: a POST form has no CSRF token ({form})"
    missing = sorted(set(page.labels_for) - set(page.ids))
    assert not missing, f"{url}: labels point at ids that are not on the page: {missing}"
    shown = internal_ids(html)
    assert not shown, f"{url}: internal ids in the page's words: {shown}"
    return title
