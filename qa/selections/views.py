from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from qa.access import may_draw, may_manage_policies, may_reassign, may_replace, require, requires
from qa.audits import reassign as giving
from qa.audits.service import AuditError
from qa.clock import today
from qa.formatting import plural
from qa.ids import as_id
from qa.selections import listing, service
from qa.selections.forms import DrawForm, GiveForm, PolicyForm, ReplaceForm, VerifyForm
from qa.selections.names import in_words, names_for_run
from qa.selections.policies import (
    current_policies,
    current_policy,
    policy_versions,
    save_new_version,
)
from sampling.planning import RuleError
from sampling.policies import period_key, working_days_allowed

bp = Blueprint("selections", __name__, url_prefix="/selections")


@bp.route("/")
@login_required
def runs() -> str:
    wanted = {
        "policy": request.args.get("policy", "")[:64],
        "period": request.args.get("period", "")[:10],
    }
    found = listing.runs_page(
        current_user, wanted["policy"], wanted["period"], as_id(request.args.get("page")) or 1
    )
    searched: dict[str, Any] = {k: v for k, v in wanted.items() if v}
    return render_template(
        "selections/runs.html",
        found=found,
        wanted=wanted,
        page_url=lambda page: url_for("selections.runs", **searched, page=page),
        policies=service.drawable_policies(current_user),
        titles={row.key: policy.title for row, policy in current_policies()},
    )


def _run_or_404(run_id: int):  # type: ignore[no-untyped-def]
    run = service.get_run(current_user, run_id)
    if run is None:
        raise NotFound
    return run


@bp.route("/<int:run_id>", methods=["GET", "POST"])
@login_required
def run(run_id: int) -> str:
    found = _run_or_404(run_id)
    form = VerifyForm()
    verification = None
    if form.validate_on_submit():
        verification = service.verify_run(found, current_user)
    _, policy = current_policy(found.policy_key)
    audits = service.audits_of_run(found)
    return render_template(
        "selections/run.html",
        run=found,
        policy=policy,
        audits=audits,
        names=names_for_run(found),
        in_words=in_words,
        replaceable={a.id for a in audits if may_replace(current_user, a)},
        giveable={a.id for a in audits if may_reassign(current_user, a)},
        form=form,
        verification=verification,
    )


@bp.route("/draw/<policy_key>", methods=["GET", "POST"])
@login_required
def draw(policy_key: str) -> str | Response | tuple[str, int]:
    try:
        _, policy = current_policy(policy_key)
    except LookupError as exc:
        raise NotFound from exc
    require(may_draw(current_user, policy))
    form = DrawForm()
    if request.method == "GET":
        form.period.data = period_key(policy.cadence, today())
    plan = service.plan_sample(policy.key) if policy.population == "all_open_files" else None
    if form.validate_on_submit():
        try:
            made, created = service.draw_for(
                policy,
                (form.period.data or "").strip().upper(),
                current_user,
                seed=(form.seed.data or "").strip() or None,
            )
        except (service.SelectionError, ValueError) as exc:
            form.period.errors = [str(exc)]
        else:
            flash(
                "Files drawn" if created else "This selection had already been made: here it is",
                "success",
            )
            return redirect(url_for("selections.run", run_id=made.id))
    status = 400 if form.errors else 200
    return render_template("selections/draw.html", form=form, policy=policy, plan=plan), status


@bp.route("/audits/<int:audit_id>/replace", methods=["GET", "POST"])
@login_required
def replace(audit_id: int) -> str | Response | tuple[str, int]:
    audit = service.drawn_audit(current_user, audit_id)
    if audit is None:
        raise NotFound
    require(may_replace(current_user, audit))
    run_id = audit.run_id
    form = ReplaceForm()
    if form.validate_on_submit():
        try:
            replacement = service.replace_file(audit, form.reason.data or "", current_user)
        except service.SelectionError as exc:
            flash(str(exc), "error")
        else:
            flash(f"The file was replaced by reserve {replacement.file.reference}", "success")
        return redirect(url_for("selections.run", run_id=run_id))
    return render_template(
        "selections/replace.html", form=form, audit=audit
    ), 400 if form.errors else 200


@bp.route("/<int:run_id>/give", methods=["GET", "POST"])
@login_required
def give(run_id: int) -> str | Response | tuple[str, int]:
    found = _run_or_404(run_id)
    audits = giving.reassignable(current_user, service.audits_of_run(found))
    require(bool(audits))
    form = GiveForm()
    form.audits.choices = [
        (a.id, f"{a.file.supervisee.name}'s file ({a.file.reference})") for a in audits
    ]
    people = giving.possible_auditors(audits)
    form.auditor.choices = [(0, "Choose someone")] + [
        (p.id, f"{p.name}, {p.role_label.lower()}") for p in people
    ]
    one = as_id(request.args.get("audit"))
    if request.method == "GET" and one is not None:
        form.audits.data = [one]
    if form.validate_on_submit():
        chosen = [a for a in audits if a.id in (form.audits.data or [])]
        to = giving.person(form.auditor.data)
        try:
            if to is None:
                raise AuditError("Select who should make the audits")
            giving.reassign(current_user, chosen, to, form.reason.data or "")
        except AuditError as exc:
            form.auditor.errors = [str(exc)]
        else:
            flash(
                f"{to.name} has been given {plural(len(chosen), 'audit')} and e-mailed",
                "success",
            )
            return redirect(url_for("selections.run", run_id=run_id))
    return render_template(
        "selections/give.html", form=form, run=found
    ), 400 if form.errors else 200


@bp.route("/policies")
@login_required
@requires(may_manage_policies)
def policies() -> str:
    return render_template("selections/policies.html", policies=current_policies())


@bp.route("/policies/<key>", methods=["GET", "POST"])
@login_required
@requires(may_manage_policies)
def policy(key: str) -> str | Response | tuple[str, int]:
    try:
        row, found = current_policy(key)
    except LookupError as exc:
        raise NotFound from exc
    form = PolicyForm()
    if request.method == "GET":
        form.title.data = found.title
        form.description.data = found.description
        form.active.data = row.active
        form.leavers.data = found.exclusions.leavers
        form.supervisor_is_auditor.data = found.exclusions.supervisor_is_auditor
        form.opened_within_weeks.data = found.exclusions.opened_within_weeks
        form.audited_within_months.data = found.exclusions.audited_within_months
        form.size_rule.data = json.dumps(dict(found.size_rule))
        form.due_kind.data = str(found.due_rule["kind"])
        form.due_weeks.data = found.due_rule.get("weeks")
        form.due_working_days.data = working_days_allowed(found)
        form.sign_off_rule.data = found.sign_off_rule
    elif form.validate_on_submit():
        try:
            saved = save_new_version(key, _changes(form), form.reason.data or "", current_user)
        except (RuleError, ValueError) as exc:
            form.size_rule.errors = [str(exc)]
        else:
            flash(f"{saved.title}: version {saved.version} saved", "success")
            return redirect(url_for("selections.policies"))
    status = 400 if form.errors else 200
    return render_template(
        "selections/policy.html", form=form, policy=found, versions=policy_versions(key)
    ), status


def _changes(form: PolicyForm) -> dict[str, object]:
    try:
        size_rule = json.loads(form.size_rule.data or "")
    except json.JSONDecodeError as exc:
        raise ValueError(
            'Enter the sample size rule as settings in braces, like {"kind": "fixed", "n": 10}'
        ) from exc
    due: dict[str, object] = {
        "kind": form.due_kind.data,
        "working_days": form.due_working_days.data,
    }
    if form.due_kind.data == "weeks_after_start":
        if form.due_weeks.data is None:
            raise ValueError("Enter the number of weeks after the period starts")
        due["weeks"] = form.due_weeks.data
    return {
        "title": (form.title.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "active": bool(form.active.data),
        "exclusions": {
            "leavers": bool(form.leavers.data),
            "opened_within_weeks": form.opened_within_weeks.data,
            "audited_within_months": form.audited_within_months.data,
            "supervisor_is_auditor": bool(form.supervisor_is_auditor.data),
        },
        "size_rule": size_rule,
        "due_rule": due,
        "sign_off_rule": form.sign_off_rule.data,
    }
