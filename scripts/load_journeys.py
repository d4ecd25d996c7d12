"""The load test's work through the real forms, and the ledger that proves none was lost.

Each piece of work reads its form from the page (the CSRF token and all), fills it in as a
person would and posts it: an auditor starts an audit, saves a section or submits it; a head
of service signs off an audit from their queue or raises an action; a supervisor or
supervisee replies to an audit; an action's owner marks it done. Every text written carries
a token of its own ("note lt3f9a..."), and the ledger keeps each post with what the person
was told: done (the page moved on), refused (the app answered with the form again, so
nothing was saved) or unknown (no answer came, or an error page, as when a server dies
mid-request). `check` then reads the database: each token told done is there exactly once,
each unknown one at most once, and for a section, which later saves overwrite, the text
standing is the last one told done or a later unknown one.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

import load_forms
from load_users import Hit, Record, VirtualUser, Visit, page_label

TOKEN = re.compile(r"note (lt[0-9a-f]{12})")
READY = re.compile(r">\s*Ready\s*<")
GOOD_ANSWERS = ("yes", "good", "outstanding")
KINDS = ("section", "submit", "sign-off", "reply", "action", "done")
# A form is answered when it is saved (200 after the redirect) or shown again with what
# stops it being saved (400) or who saved first (409): all three are the app working.
ANSWERED = (200, 400, 409)
NEEDS_ACTION = "Raise at least one action before you submit"


@dataclass(frozen=True)
class Write:
    kind: str
    token: str
    subject: str
    outcome: str  # "done", "refused" or "unknown"
    order: int
    said: str = ""  # when not done: the page's first error, or the status


@dataclass
class Ledger:
    """Every post of the run and what its person was told; safe to add to from many
    threads."""

    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, token: str, subject: str, outcome: str, said: str = "") -> None:
        with self.lock:
            self.writes.append(Write(kind, token, subject, outcome, len(self.writes), said))

    def count(self, kind: str, outcome: str) -> int:
        return sum(1 for w in self.writes if w.kind == kind and w.outcome == outcome)


def new_token() -> str:
    return "lt" + secrets.token_hex(6)


ERROR = re.compile(r"govuk-error-summary__list.*?<a[^>]*>\s*(.*?)\s*</a>", re.S)


def said(seen: Visit) -> str:
    """What the page said when a post was not done: its first error, or its status."""
    found = ERROR.search(seen.body)
    return found.group(1) if found else f"status {seen.status}"


def outcome(visit_: object, moved_on: bool) -> str:
    """What the person was told: done when the page moved on, refused when the app answered
    with the form again (nothing saved), unknown when no answer or an error page came."""
    status = getattr(visit_, "status", 0)
    if status == 0 or status >= 500:
        return "unknown"
    return "done" if status == 200 and moved_on else "refused"


# Of the turns of a person who has that kind of work, the share spent on it. Auditors work on
# their audits often; heads of service look at their sign-off queue now and then and raise an
# action; a reply is rare (each person replies once to an audit). With 200 people pausing
# 5-15 s, 300 s give about 180 visits to an audit, 10 looks at each head's queue and 10
# replies: more sign-offs and replies (each keeps a PDF) than a county makes in a morning.
SHARES = {"audit": 0.25, "sign_off": 0.1, "raise_action": 0.07, "reply": 0.003, "mark_done": 0.02}


class Worker:
    """Chooses and does one piece of work for a person, recording each request and post."""

    def __init__(self, ledger: Ledger, today: date, shares: Mapping[str, float] = SHARES) -> None:
        self.ledger = ledger
        self.today = today
        self.shares = shares
        self.replied: dict[str, set[int]] = {}

    def __call__(self, user: VirtualUser, rng: Random, record: Record) -> bool:
        """Do one piece of the person's work this turn, or nothing (then they browse)."""
        work = user.account.work
        offered = {
            "audit": bool(work.audits),
            "sign_off": work.signs_off,
            "raise_action": bool(work.raise_on),
            "reply": bool(work.replies),
            "mark_done": work.owns_actions,
        }
        for kind, has in offered.items():
            if has and rng.random() < self.shares[kind]:
                getattr(self, kind)(user, rng, record)
                return True
        return False

    def _get(self, user: VirtualUser, path: str, record: Record) -> Visit:
        seen = user.visit(path)
        ok = seen.status == 200 and seen.landed == path
        record.add(Hit(page_label(path), seen.status, seen.seconds, ok, seen.started))
        return seen

    def _post(
        self,
        user: VirtualUser,
        path: str,
        pairs: list[tuple[str, str]],
        record: Record,
        moved_to: str | None,
    ) -> tuple[Visit, bool]:
        seen = user.visit(path, pairs)
        moved = seen.landed != path if moved_to is None else seen.landed == moved_to
        ok = seen.status in ANSWERED
        record.add(Hit("POST " + page_label(path), seen.status, seen.seconds, ok, seen.started))
        return seen, moved

    def audit(self, user: VirtualUser, rng: Random, record: Record) -> None:
        """Open one of the person's audits: start it, submit it when every section is
        complete, or else save one of its sections."""
        audit_id = rng.choice(user.account.work.audits)
        page = self._get(user, f"/audits/{audit_id}", record)
        start = load_forms.find_form(page.body, f"/audits/{audit_id}/start")
        if start is not None:
            self._post(user, start.action, start.fill({}), record, f"/audits/{audit_id}")
            return
        if READY.search(page.body):
            self._submit(user, audit_id, rng, record)
            return
        sections = sorted(set(re.findall(rf"/audits/{audit_id}/sections/([\w-]+)", page.body)))
        if sections:
            self._save_section(user, audit_id, rng.choice(sections), record)

    def _save_section(self, user: VirtualUser, audit_id: int, key: str, record: Record) -> None:
        path = f"/audits/{audit_id}/sections/{key}"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        if form is None:
            return  # no longer editable (submitted meanwhile): the page said where it stands
        token = new_token()
        given: dict[str, str] = {}
        questions = [name for name in form.radios if name.startswith("answer_")]
        if not questions:
            return
        for name in form.radios:
            if name.startswith("answer_"):
                given[name] = _best(form.choices(name))
                given["comment_" + name.removeprefix("answer_")] = f"Seen on the file, note {token}"
        seen, moved = self._post(user, path, form.fill(given, "save"), record, None)
        first = questions[0].removeprefix("answer_")  # every comment of the save has the token
        self.ledger.add("section", token, f"{audit_id}:{first}", outcome(seen, moved), said(seen))

    def _submit(self, user: VirtualUser, audit_id: int, rng: Random, record: Record) -> None:
        """Check the answers and submit; if the file needs an action first (below good),
        raise one as the auditor and submit again."""
        if self._try_submit(user, audit_id, record) == NEEDS_ACTION:
            self._raise(user, audit_id, rng, record)
            self._try_submit(user, audit_id, record)

    def _try_submit(self, user: VirtualUser, audit_id: int, record: Record) -> str | None:
        path = f"/audits/{audit_id}/check"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        if form is None:
            return None
        token = new_token()
        given = {"reason": f"The file shows this, note {token}"}
        if "judgement" in form.radios:
            given["judgement"] = _best(form.choices("judgement"))
        seen, moved = self._post(
            user, path, form.fill(given, "submit"), record, f"/audits/{audit_id}/submitted"
        )
        self.ledger.add("submit", token, str(audit_id), outcome(seen, moved), said(seen))
        return NEEDS_ACTION if NEEDS_ACTION in seen.body else None

    def sign_off(self, user: VirtualUser, rng: Random, record: Record) -> None:
        queue = self._get(user, "/audits/sign-off", record)
        waiting = sorted(set(re.findall(r"/audits/(\d+)/sign-off", queue.body)))
        if not waiting:
            return
        audit_id = rng.choice(waiting)
        path = f"/audits/{audit_id}/sign-off"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        if form is None:
            return
        token = new_token()
        given = {
            "decision": "sign_off",
            "grade_agreed": "yes",
            "early": "y",
            "comment": f"Agreed, note {token}",
        }
        seen, moved = self._post(
            user, path, form.fill(given, "submit"), record, f"/audits/{audit_id}"
        )
        self.ledger.add("sign-off", token, str(audit_id), outcome(seen, moved), said(seen))

    def reply(self, user: VirtualUser, rng: Random, record: Record) -> None:
        """Reply to one audit (each person replies once to an audit, so each is used once)."""
        replied = self.replied.setdefault(user.account.email, set())
        left = [a for a in user.account.work.replies if a not in replied]
        if not left:
            return
        audit_id = rng.choice(left)
        replied.add(audit_id)
        path = f"/audits/{audit_id}/reply"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        if form is None:
            return
        token = new_token()
        given = {"kind": "responded", "text": f"I have read the audit, note {token}"}
        seen, moved = self._post(
            user, path, form.fill(given, "submit"), record, f"/audits/{audit_id}"
        )
        self.ledger.add("reply", token, str(audit_id), outcome(seen, moved), said(seen))

    def raise_action(self, user: VirtualUser, rng: Random, record: Record) -> None:
        self._raise(user, rng.choice(user.account.work.raise_on), rng, record)

    def _raise(self, user: VirtualUser, audit_id: int, rng: Random, record: Record) -> None:
        path = f"/actions/new/{audit_id}"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        owners = [o for o in (form.choices("owner") if form else []) if o not in ("", "0")]
        if form is None or not owners:
            return
        token = new_token()
        due = self.today + timedelta(days=28)
        given: dict[str, str | list[str]] = {
            "description": "Book a supervision session with the practitioner within two weeks "
            f"and record the agreed plan on the file, note {token}",
            "owner": rng.choice(owners),
            "due": [str(due.day), str(due.month), str(due.year)],
        }
        seen, moved = self._post(
            user, path, form.fill(given, "submit"), record, f"/audits/{audit_id}"
        )
        if seen.status == 200 and not moved:  # asked whether a vague action is meant
            again = load_forms.find_form(seen.body)
            if again is not None:
                pairs = again.fill({**given, "accept_vague": "y"}, "submit")
                seen, moved = self._post(user, path, pairs, record, f"/audits/{audit_id}")
        self.ledger.add("action", token, str(audit_id), outcome(seen, moved), said(seen))

    def mark_done(self, user: VirtualUser, rng: Random, record: Record) -> None:
        listing = self._get(user, "/actions/", record)
        open_ = sorted(set(re.findall(r"/actions/(\d+)/done", listing.body)))
        if not open_:
            return
        action_id = rng.choice(open_)
        path = f"/actions/{action_id}/done"
        page = self._get(user, path, record)
        form = load_forms.find_form(page.body) if page.landed == path else None
        if form is None:
            return
        token = new_token()
        given = {"note": f"Done and recorded on the file, note {token}"}
        seen, moved = self._post(user, path, form.fill(given, "submit"), record, "/actions/")
        self.ledger.add("done", token, str(action_id), outcome(seen, moved), said(seen))


def _best(choices: list[str]) -> str:
    """The answer that meets the standard, so the audit needs no action before it is sent."""
    return next((c for c in GOOD_ANSWERS if c in choices), choices[0] if choices else "")


@dataclass(frozen=True)
class Check:
    """For each kind of write: how many were told done, unknown and refused, and how many
    of them the database has lost or holds twice."""

    kind: str
    done: int
    unknown: int
    refused: int
    lost: int
    twice: int


def check(
    ledger: Ledger, stored: Mapping[str, Mapping[str, int]], sections: Mapping[str, str]
) -> list[Check]:
    """Compare the ledger with the tokens found in the database.

    `stored[kind][token]` is how many rows carry the token; `sections["audit:question"]` is
    the token standing in the comment of a section's first question. A token told done must
    be stored once, an unknown one at most once, a refused one never (counted as lost if
    missing, twice if more).
    """
    found = []
    for kind in KINDS:
        writes = [w for w in ledger.writes if w.kind == kind]
        counts = {
            o: sum(1 for w in writes if w.outcome == o) for o in ("done", "unknown", "refused")
        }
        if kind == "section":
            lost, twice = _sections_lost(writes, sections), 0
        else:
            rows = stored.get(kind, {})
            lost = sum(1 for w in writes if w.outcome == "done" and rows.get(w.token, 0) == 0)
            twice = sum(1 for w in writes if rows.get(w.token, 0) > 1)
            twice += sum(1 for w in writes if w.outcome == "refused" and rows.get(w.token, 0))
        found.append(Check(kind, counts["done"], counts["unknown"], counts["refused"], lost, twice))
    return found


def _sections_lost(writes: Iterable[Write], standing: Mapping[str, str]) -> int:
    """Sections whose standing text is neither the last save told done nor a later unknown
    one (a later save overwrites an earlier one, so only the last can be checked)."""
    by_subject: dict[str, list[Write]] = {}
    for w in writes:
        by_subject.setdefault(w.subject, []).append(w)
    lost = 0
    for subject, saves in by_subject.items():
        saves.sort(key=lambda w: w.order)
        done = [n for n, w in enumerate(saves) if w.outcome == "done"]
        if not done:
            continue
        allowed = {saves[done[-1]].token} | {
            w.token for w in saves[done[-1] + 1 :] if w.outcome == "unknown"
        }
        lost += standing.get(subject) not in allowed
    return lost


STORED = {
    "submit": "SELECT judgement_reason FROM audit",
    "sign-off": "SELECT detail FROM event WHERE action = 'audit_signed_off'",
    "reply": "SELECT text FROM audit_reply",
    "action": "SELECT description FROM action",
    "done": "SELECT done_note FROM action",
}


def read_back(conn: Any) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """The tokens the database holds, for `check`: (rows per token for each kind, the token
    standing in each answered question's comment). `conn` is a psycopg connection."""
    stored: dict[str, dict[str, int]] = {}
    for kind, query in STORED.items():
        counts = stored.setdefault(kind, {})
        for (text,) in conn.execute(query):
            for token in TOKEN.findall(text or ""):
                counts[token] = counts.get(token, 0) + 1
    standing = {}
    for audit_id, key, comment in conn.execute(
        "SELECT audit_id, question_key, comment FROM audit_answer WHERE comment LIKE '%note lt%'"
    ):
        found = TOKEN.search(comment)
        if found:
            standing[f"{audit_id}:{key}"] = found.group(1)
    return stored, standing
