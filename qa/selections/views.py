from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from audit_tools.profile_sampling import sampling_of
from qa.access import may_draw, may_manage_policies, may_reassign, may_replace, require, requires
from qa.audits import reassign as giving
from qa.audits.service import AuditError
from qa.clock import today
from qa.formatting import plural
from qa.ids import as_id
from qa.profiles.service import in_force
from qa.selections import editing, listing, service
from qa.selections.forms import DrawForm, GiveForm, PolicyForm, ReplaceForm, VerifyForm
from qa.selections.names import in_words, names_for_run
from qa.selections.policies import (
    create_policy,
    current_policies,
    current_policy,
    policy_at,
    policy_versions,
    save_new_version,
)
from sampling.policies import CADENCE_LABELS, WORKLOAD_POPULATIONS, Policy, period_key

bp = Blueprint("selections", __name__, url_prefix="/selections")


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"cadence_labels": CADENCE_LABELS}


_REVEAL_SCRIPT = re.compile(r' data-aria-controls="[^"]*"| govuk-radios__conditional--hidden')


@bp.app_template_filter("revealed_by_css")
def revealed_by_css(html: str) -> Markup:
    """GOV.UK radios whose conditional fields are shown by the `app-radios-reveal` style
    rather than GOV.UK Frontend's script, which would mark each radio aria-expanded."""
    return Markup(_REVEAL_SCRIPT.sub("", str(html)))  # noqa: S704 (the widget's own markup)


@bp.route("/")
@login_required
def runs() -> str:
    wanted = listing.read_filters(request.args)
    found = listing.runs_page(current_user, wanted, as_id(request.args.get("page")) or 1)
    return render_template(
        "selections/runs.html",
        found=found,
        wanted=wanted,
        page_url=lambda page: url_for("selections.runs", **wanted.args(), page=page),
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
    policy = policy_at(found.policy_key, found.policy_version)
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
    example = period_key(policy.cadence, today())
    form.period.description = (
        f"Today's date, {example}, for this one-off audit"
        if policy.drawn_by_hand
        else f"For example {example} for this {CADENCE_LABELS[policy.cadence].lower()} policy"
    )
    if request.method == "GET":
        form.period.data = example
    plan = (
        service.plan_sample(policy.key) if policy.population not in WORKLOAD_POPULATIONS else None
    )
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
    profile = in_force().profile
    return render_template(
        "selections/policies.html",
        policies=current_policies(),
        profile=profile,
        sampling=sampling_of(profile.name),
    )


@bp.route("/policies/new", methods=["GET", "POST"])
@login_required
@requires(may_manage_policies)
def new_policy() -> str | Response | tuple[str, int]:
    form = PolicyForm()
    editing.fill_choices(form)
    form.reason.label.text = "Why is this policy needed?"
    form.reason.description = "This is kept with the policy's first version"
    form.submit.label.text = "Save the new policy"
    if request.method == "GET":
        editing.fill_from_policy(form, editing.starting_point(), active=True)
        form.title.data = ""
        form.description.data = ""
        return render_template("selections/policy.html", form=form, policy=None, versions=[])
    return _save_or_preview(form, None)


@bp.route("/policies/<key>", methods=["GET", "POST"])
@login_required
@requires(may_manage_policies)
def policy(key: str) -> str | Response | tuple[str, int]:
    try:
        row, found = current_policy(key)
    except LookupError as exc:
        raise NotFound from exc
    form = PolicyForm()
    editing.fill_choices(form)
    if request.method == "GET":
        editing.fill_from_policy(form, found, row.active)
        return render_template(
            "selections/policy.html", form=form, policy=found, versions=policy_versions(key)
        )
    return _save_or_preview(form, (key, found))


def _save_or_preview(
    form: PolicyForm, saved: tuple[str, Policy] | None
) -> str | Response | tuple[str, int]:
    """Check the form; then preview the size it gives today, or save it as a new version (or
    a new policy), with every problem shown beside its field and nothing saved."""
    key, found = saved if saved is not None else (None, None)
    preview = None
    data: dict[str, object] | None = None
    if form.validate():
        try:
            data = editing.policy_data(form)
            candidate = editing.checked(data, key)
        except editing.FormErrors as exc:
            editing.show_errors(form, exc.errors)
        else:
            if form.preview.data:
                preview = editing.preview(candidate)
            elif not (form.reason.data or "").strip():
                form.reason.errors = [
                    "Enter why you are changing the policy"
                    if key
                    else "Enter why this policy is needed"
                ]
            else:
                new = _save(key, data, form.reason.data or "")
                flash(f"{new.title}: version {new.version} saved", "success")
                return redirect(url_for("selections.policies"))
    status = 400 if form.errors else 200
    return render_template(
        "selections/policy.html",
        form=form,
        policy=found,
        versions=policy_versions(key) if key else [],
        preview=preview,
    ), status


def _save(key: str | None, data: dict[str, object], reason: str) -> Policy:
    if key is None:
        return create_policy(data, reason, current_user)
    return save_new_version(key, data, reason, current_user)
