"""Reading and filling in a page's forms as a browser would, for the load test's writes.

A form is read from the page's HTML (its action, hidden fields such as the CSRF token, the
radios, checkboxes, text boxes and selects with their current values, and its buttons), then
filled in by name: whatever is not filled in is sent as the page had it, and only the button
pressed is sent with the form.

>>> page = '''<form method="post" action="/audits/7/sections/a" novalidate>
... <input type="hidden" name="csrf_token" value="T1">
... <input type="radio" name="answer_q1" value="yes"> <input type="radio" name="answer_q1"
... value="no" checked> <textarea name="comment_q1">old</textarea>
... <button type="submit" name="save">Save</button> <button name="later">Later</button>
... </form>'''
>>> form = find_form(page, "/sections/")
>>> form.choices("answer_q1")
['yes', 'no']
>>> form.fill({"comment_q1": "new"}, button="save")
[('csrf_token', 'T1'), ('answer_q1', 'no'), ('comment_q1', 'new'), ('save', '')]
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str = "get"
    values: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)

    def choices(self, name: str) -> list[str]:
        """The values a radio group or a select offers, in page order."""
        return self.radios.get(name) or self.options.get(name, [])

    def fill(
        self, given: Mapping[str, str | Sequence[str]], button: str | None = None
    ) -> list[tuple[str, str]]:
        """The pairs to post: the page's own values with `given` put in their place (or
        added; a list gives a field that is several boxes of one name, like a date), and
        `button` as the one pressed."""
        sent: list[tuple[str, str]] = []
        seen = set()
        for name, value in self.values:
            if name not in given:
                sent.append((name, value))
            elif name not in seen:
                sent += _pairs(name, given[name])
            seen.add(name)
        for name, wanted in given.items():
            if name not in seen:
                sent += _pairs(name, wanted)
        if button is not None:
            sent.append((button, self.buttons.get(button, "")))
        return sent


def _pairs(name: str, value: str | Sequence[str]) -> list[tuple[str, str]]:
    return [(name, value)] if isinstance(value, str) else [(name, part) for part in value]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(html.unescape(found.get("action", "")), found.get("method", "get"))
            self.forms.append(self._form)
            return
        form, name = self._form, found.get("name", "")
        if form is not None and tag == "option" and self._select is not None:
            form.options[self._select].append(found.get("value", ""))
            if "selected" in found:
                form.values.append((self._select, found.get("value", "")))
            return
        if form is None or not name:
            return
        if tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select = name
            form.options[name] = []
        elif tag == "button" and found.get("type", "submit") == "submit":
            form.buttons[name] = found.get("value", "")
        elif tag == "input":
            self._input(form, name, found)

    def _input(self, form: Form, name: str, found: dict[str, str]) -> None:
        kind = found.get("type", "text")
        value = found.get("value", "")
        if kind == "submit":
            form.buttons[name] = value
        elif kind == "radio":
            form.radios.setdefault(name, []).append(value)
            if "checked" in found:
                form.values.append((name, value))
        elif kind == "checkbox":
            if "checked" in found:
                form.values.append((name, value or "y"))
        elif kind != "file":
            form.values.append((name, value))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.values.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms(page: str) -> list[Form]:
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.forms


def find_form(page: str, action_part: str = "") -> Form | None:
    """The first form on the page that posts to an address containing `action_part`, or
    with no `action_part`, the first that posts back to the page itself."""
    for form in forms(page):
        if form.method.lower() != "post":
            continue
        if (action_part in form.action) if action_part else not form.action:
            return form
    return None
