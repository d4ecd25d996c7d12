"""Two years of audit history for the demo council, so the trends have something to show.

After `qa.demo.organisation.load`, `load_history` makes every selection the policies would
have made over the last 24 months through the real selection service (with an explicit seed
for each and the clock set to the first of each month), so the method statements are real.
It then fills in the audits as believable auditors would: seeded answers per question and
team, with one team good and steady, one that clearly improves, one that clearly gets
worse and one with a month that stands out (see `qa.demo.answers`), short evidence
comments (for sensitive questions only that wellbeing was discussed), scores from the audit
tool, sign-off by the area's head of service, some actions and about one audit in seven
moderated. The current month's audits are left not started, so there is something to do.

It is demo data, so states and dates are written directly in bulk rather than through the
workflow, which keeps `flask --app qa demo` quick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import insert, select

from audit_tools.schema import Tool
from qa.access.scopes import QA_SIGNS
from qa.audits.models import Audit, AuditAnswer
from qa.audits.states import AuditState
from qa.audits.tools import get_tool
from qa.demo.answers import (
    Audited,
    add_actions,
    answer_rows,
    first_staff,
    mark_bad_month,
    moderate,
)
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile
from qa.roles import Role
from qa.selections.frames import load_organisation
from qa.selections.models import SelectionRun
from qa.selections.policies import ensure_default_policies
from qa.selections.service import run_selection
from qa.trends import summary
from sampling.periods import months_before, period_bounds, period_key, previous_period

SEED = 20261102
TOOL_ID = "supervision-file-audit"
POLICIES = (
    ("monthly-team-manager", "monthly", Role.SERVICE_MANAGER),
    ("quarterly-service-manager", "quarterly", Role.HEAD_OF_SERVICE),
    ("six-monthly-random", "six-monthly", Role.QA_OFFICER),
)
_MISSING = object()


@dataclass(frozen=True)
class History:
    """What was added: selection runs, audits signed off, left to do, moderated, actions."""

    runs: int
    signed_off: int
    to_do: int
    moderated: int
    actions: int


def load_history(today: date, seed: int = SEED, *, months: int = 24) -> History:
    """Add `months` months of selections and signed-off audits ending `today` (see above).

    Deterministic: the same organisation, today and seed give the same history.
    """
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    app = current_app
    saved = app.config.get("FIXED_NOW", _MISSING)
    session = db.session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False  # each selection commits; the organisation stays loaded
    try:
        runs = _select(today, months, rng)
    finally:
        session.expire_on_commit = expiring
        if saved is _MISSING:
            app.config.pop("FIXED_NOW", None)
        else:
            app.config["FIXED_NOW"] = saved
    tool = get_tool(TOOL_ID)
    history = _complete(tool, today, months, runs, rng)
    qa = first_staff(Staff.role == Role.QA_OFFICER)
    record(qa, "demo_history_loaded", "selection_run", None, f"{len(runs)} selections, seed {seed}")
    db.session.commit()
    return history


def _select(today: date, months: int, rng: random.Random) -> list[SelectionRun]:
    """Every selection the policies would have made, month by month, through the service."""
    ensure_default_policies()
    qa = first_staff(Staff.role == Role.QA_OFFICER)
    current_half = period_key("six-monthly", today)
    halves = {previous_period(current_half), previous_period(previous_period(current_half))}
    start = months_before(today.replace(day=1), months)
    runs: list[SelectionRun] = []
    for step in range(months + 1):
        month = months_before(start, -step)
        current_app.config["FIXED_NOW"] = datetime.combine(month, time(6, 0))
        for policy, cadence, role in POLICIES:
            key = period_key(cadence, month)
            if period_bounds(key)[0] != month and step != 0:
                continue
            if cadence == "six-monthly" and key not in halves:
                continue
            organisation = load_organisation()
            selectors: list[Staff | None] = [None]
            if role != Role.QA_OFFICER:
                selectors = list(
                    db.session.scalars(
                        select(Staff)
                        .where(Staff.role == role)
                        .where((Staff.leaving_date.is_(None)) | (Staff.leaving_date > month))
                        .order_by(Staff.external_id)
                    )
                )
            for selector in selectors:
                seed = "".join(str(rng.randrange(10)) for _ in range(24))
                run, _ = run_selection(
                    policy,
                    key,
                    selector,
                    qa if selector is None else None,
                    seed=seed,
                    org=organisation,
                )
                runs.append(run)
    return runs


def _complete(
    tool: Tool, today: date, months: int, runs: list[SelectionRun], rng: random.Random
) -> History:
    """Answer, score and sign off every audit from a finished period; leave the rest."""
    current = {cadence: period_key(cadence, today) for _, cadence, _ in POLICIES}
    cadence_of = {policy: cadence for policy, cadence, _ in POLICIES}
    start = months_before(today.replace(day=1), months)
    span = max((today - start).days, 1)
    heads = _heads()
    done: list[Audited] = []
    to_do = 0
    for run in runs:
        finished = run.period_key != current[cadence_of[run.policy_key]]
        audits = db.session.scalars(select(Audit).where(Audit.run_id == run.id).order_by(Audit.id))
        for audit in audits:
            if audit.state != AuditState.SELECTED:
                continue  # filled in by an earlier load
            if not finished:
                to_do += 1
                continue
            if audit.auditor_id is None:
                audit.state = AuditState.CANCELLED
                audit.cancel_reason = "No auditor from another line of management was available"
                continue
            item = _audited(audit, start, span)
            _sign_off(item, run, tool, today, heads, rng)
            done.append(item)
    db.session.flush()
    mark_bad_month(done)
    answers = [answer_rows(item, tool, rng) for item in done]
    rows = [row for batch in answers for row in batch]
    if rows:
        db.session.execute(insert(AuditAnswer), rows)
        summary.refresh(db.session.connection(), [item.audit.id for item in done])
    actions = add_actions(done, today, rng)
    moderated = moderate(done, answers, tool, today, rng)
    return History(len(runs), len(done), to_do, moderated, actions)


QA_SIGNERS = -1  # the key under which `_heads` lists the quality assurance officers


def _heads() -> dict[int | None, list[int]]:
    """Head of service ids by service area; quality assurance officers under QA_SIGNERS, for
    the audits their policy's sign-off rule gives them."""
    found: dict[int | None, list[int]] = {QA_SIGNERS: []}
    for head in db.session.scalars(
        select(Staff).where(Staff.role == Role.HEAD_OF_SERVICE).order_by(Staff.id)
    ):
        found.setdefault(head.service_area_id, []).append(head.id)
    found[QA_SIGNERS] = list(
        db.session.scalars(select(Staff.id).where(Staff.role == Role.QA_OFFICER).order_by(Staff.id))
    )
    return found


def _audited(audit: Audit, start: date, span: int) -> Audited:
    supervision_file = db.session.get(SupervisionFile, audit.file_id)
    assert supervision_file is not None
    person = supervision_file.supervisee
    return Audited(
        audit=audit,
        team=person.team.name if person.team else "",
        asye=person.asye_start is not None,
        supervisor_id=supervision_file.supervisor_id,
        area_id=person.service_area_id,
        progress=min(1.0, max(0.0, (audit.created_at.date() - start).days / span)),
    )


def _sign_off(
    item: Audited,
    run: SelectionRun,
    tool: Tool,
    today: date,
    heads: dict[int | None, list[int]],
    rng: random.Random,
) -> None:
    """Dates within the period (before today), the head of the area as signatory."""
    audit = item.audit
    first, last = period_bounds(run.period_key)
    last = min(last, audit.due_on, today - timedelta(days=1))
    began = first + timedelta(days=rng.randint(2, max(2, min(20, (last - first).days // 2))))
    submitted = min(last, began + timedelta(days=rng.randint(2, 8)))
    signed = min(last, submitted + timedelta(days=rng.randint(0, 5)))
    audit.state = AuditState.SIGNED_OFF
    audit.tool_version = tool.version
    audit.started_at = datetime.combine(began, time(9, 30))
    audit.submitted_at = datetime.combine(submitted, time(15, 0))
    audit.signed_off_at = datetime.combine(signed, time(16, 30))
    audit.window_end = began
    audit.window_start = months_before(began, 6)
    audit.reply_due = submitted + timedelta(days=14)
    if audit.sign_off_rule == QA_SIGNS:
        signers = heads[QA_SIGNERS]
    else:
        signers = [h for h in heads.get(item.area_id, []) if h != audit.auditor_id]
    audit.signed_off_by_id = signers[0] if signers else None
    audit.sign_off_comment = "Agreed."
