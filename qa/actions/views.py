from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from qa.access import may_confirm_action, may_raise_action, may_use_reports, require
from qa.actions import listing, service
from qa.actions.forms import RaiseActionForm
from qa.audits import service as audits
from qa.audits.review_forms import DoneForm
from qa.auth.forms import ConfirmForm
from qa.clock import today
from qa.lists import page_number

bp = Blueprint("actions", __name__, url_prefix="/actions")


@bp.route("/")
@login_required
def index() -> tuple[str, int]:
    mine = service.my_actions(current_user)
    to_confirm = service.to_confirm(current_user)
    wanted, problems = listing.read_filters(current_user, request.args)
    page = page_number(request.args.get("page"))
    found = None if problems else listing.actions_page(current_user, wanted, page)
    kept = wanted.args()
    shown = found.items if found else []
    return render_template(
        "actions/index.html",
        mine=mine,
        to_confirm=to_confirm,
        found=found,
        wanted=wanted,
        problems=problems,
        has_errors=bool(problems),
        may_download=may_use_reports(current_user),
        options=listing.options_for(current_user),
        states=listing.STATE_CHOICES,
        sorts=listing.SORTS,
        args=request.args,
        page_url=lambda number: url_for("actions.index", **kept, page=number, _anchor="all"),
        readable=service.readable_audits(current_user, [*mine, *shown, *to_confirm]),
        today=today(),
    ), 400 if problems else 200


@bp.route("/new/<int:audit_id>", methods=["GET", "POST"])
@login_required
def new(audit_id: int) -> str | Response | tuple[str, int]:
    audit = audits.get_audit(current_user, audit_id)
    require(may_raise_action(current_user, audit))
    form = RaiseActionForm()
    if request.method == "GET":
        form.form_token.data = secrets.token_hex(16)
    form.owner.choices = [(0, "Choose a person")] + [
        (p.id, f"{p.name}, {p.role_label.lower()}") for p in service.owner_choices(audit)
    ]
    prompt = None
    valid = request.method == "POST" and form.validate()
    if form.due.raw_data is not None and len(form.due.raw_data) != 3:
        form.due.raw_data = None  # the three date boxes were not all sent
    if valid:
        try:
            outcome = service.raise_action(
                audit,
                current_user,
                form.description.data or "",
                form.owner.data or None,
                form.due.data,
                accept_vague=bool(form.accept_vague.data),
                form_token=form.form_token.data or None,
            )
        except service.ActionError as exc:
            target = (
                form.owner
                if "Select who" in str(exc)
                else form.due
                if "date" in str(exc)
                else form.description
            )
            target.errors = [*target.errors, str(exc)]
        else:
            if isinstance(outcome, service.Vagueness):
                prompt = outcome
            else:
                flash("The action has been saved and its owner told", "success")
                return redirect(url_for("audits.audit", audit_id=audit.id))
    status = 400 if form.errors else 200
    return render_template("actions/new.html", form=form, audit=audit, prompt=prompt), status


@bp.route("/<int:action_id>/done", methods=["GET", "POST"])
@login_required
def done(action_id: int) -> str | Response | tuple[str, int]:
    action = service.own_action(current_user, action_id)
    if action is None:
        raise NotFound
    form = DoneForm()
    if form.validate_on_submit():
        try:
            service.mark_done(action, current_user, form.note.data or "")
        except service.ActionError as exc:
            form.note.errors.append(str(exc))
        else:
            flash("The action is marked as done. Whoever raised it will confirm it.", "success")
            return redirect(url_for("actions.index"))
    return render_template(
        "actions/done.html", form=form, action=action
    ), 400 if form.errors else 200


@bp.route("/<int:raised_action_id>/confirm", methods=["GET", "POST"])
@login_required
def confirm(raised_action_id: int) -> str | Response:
    action = service.action_to_confirm(current_user, raised_action_id)
    if action is None:
        raise NotFound
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.confirm(action, current_user)
        except service.ActionError as exc:
            flash(str(exc), "error")
        else:
            flash("The action is confirmed as done and closed", "success")
        return redirect(url_for("actions.index"))
    return render_template(
        "actions/confirm.html",
        form=form,
        action=action,
        may_confirm=may_confirm_action(current_user, action),
        today=today(),
    )
