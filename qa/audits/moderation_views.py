"""Moderation pages for QA officers: choose, score blind, compare, agree."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from wtforms import SubmitField

from qa.access import may_moderate, requires
from qa.audits import listing, moderation, service
from qa.audits.forms import for_section
from qa.audits.models import Moderation
from qa.audits.review_forms import AgreeForm, DrawShareForm
from qa.auth.forms import ConfirmForm
from qa.ids import as_id
from qa.lists import page_number

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.route("/", methods=["GET", "POST"])
@login_required
@requires(may_moderate)
def index() -> str | Response | tuple[str, int]:
    form = DrawShareForm()
    if form.validate_on_submit():
        try:
            seed, made = moderation.draw_share(current_user, (form.share.data or 0) / 100)
        except service.AuditError as exc:
            form.share.errors.append(str(exc))
        else:
            flash(f"{len(made)} audits drawn for moderation with seed {seed}", "success")
            return redirect(url_for("moderation.index"))
    wanted, problems = listing.read_filters(current_user, request.args)
    page = page_number(request.args.get("page"))
    found = None if problems else moderation.candidates_page(current_user, wanted, page)
    kept = wanted.args()
    return render_template(
        "moderation/index.html",
        mine=moderation.for_moderator(current_user),
        found=found,
        wanted=wanted,
        problems=problems,
        has_errors=bool(problems),
        options=listing.options_for(current_user),
        stages=moderation.STAGE_CHOICES,
        sorts=listing.SORTS,
        args=request.args,
        page_url=lambda number: url_for(
            "moderation.index", **kept, page=number, _anchor="candidates"
        ),
        form=form,
        choose_form=ConfirmForm(),
    ), 400 if form.errors or problems else 200


@bp.route("/choose", methods=["POST"])
@login_required
@requires(may_moderate)
def choose_many() -> Response:
    if ConfirmForm().validate_on_submit():
        chosen = [as_id(value) for value in request.form.getlist("audit")]
        try:
            made = moderation.choose_many([c for c in chosen if c is not None], current_user)
        except service.AuditError as exc:
            flash(str(exc), "error")
        else:
            if len(made) == 1:
                return redirect(url_for("moderation.score", moderation_id=made[0].id))
            flash(
                f"{len(made)} audits chosen for moderation. Score each from Your moderations.",
                "success",
            )
    return redirect(url_for("moderation.index"))


@bp.route("/choose/<int:audit_id>", methods=["POST"])
@login_required
@requires(may_moderate)
def choose(audit_id: int) -> Response:
    audit = moderation.audit_to_moderate(audit_id)
    if audit is None:
        raise NotFound
    if ConfirmForm().validate_on_submit():
        try:
            found = moderation.choose(audit, current_user)
        except service.AuditError as exc:
            flash(str(exc), "error")
            return redirect(url_for("moderation.index"))
        return redirect(url_for("moderation.score", moderation_id=found.id))
    return redirect(url_for("moderation.index"))


def _mine(moderation_id: int) -> Moderation:
    found = moderation.moderation_of_user(current_user, moderation_id)
    if found is None:
        raise NotFound
    return found


class _ScoreForm(FlaskForm):
    submit = SubmitField("Submit my scores", widget=GovSubmitInput())


@bp.route("/<int:moderation_id>", methods=["GET", "POST"])
@login_required
@requires(may_moderate)
def score(moderation_id: int) -> str | Response | tuple[str, int]:
    found = _mine(moderation_id)
    if found.state != "scoring":
        return redirect(url_for("moderation.compare", moderation_id=found.id))
    tool = service.tool_for(found.audit)
    fields: dict[str, object] = {}
    for section in tool.sections:
        fields.update(
            {
                k: v
                for k, v in vars(for_section(section)).items()
                if k.startswith(("answer_", "comment_"))
            }
        )
    form = type("ModerationForm", (_ScoreForm,), fields)()
    if request.method == "POST" and form.validate():
        answers = {q.key: getattr(form, f"answer_{q.key}").data or "" for _, q in tool.questions()}
        comments = {
            q.key: getattr(form, f"comment_{q.key}").data or "" for _, q in tool.questions()
        }
        problems = moderation.submit_scores(found, current_user, answers, comments)
        if not problems:
            return redirect(url_for("moderation.compare", moderation_id=found.id))
        for problem in problems:
            getattr(form, f"{problem.field}_{problem.question_key}").errors.append(problem.message)
    return render_template(
        "moderation/score.html",
        moderation=found,
        tool=tool,
        form=form,
        facts=service.facts_for(found.audit),
        audit=found.audit,
    ), 400 if form.errors else 200


@bp.route("/<int:moderation_id>/compare", methods=["GET", "POST"])
@login_required
@requires(may_moderate)
def compare(moderation_id: int) -> str | Response | tuple[str, int]:
    found = _mine(moderation_id)
    if found.state == "scoring":
        return redirect(url_for("moderation.score", moderation_id=found.id))
    form = AgreeForm()
    if form.validate_on_submit():
        try:
            moderation.agree(found, current_user, form.grade.data or "", form.note.data or "")
        except service.AuditError as exc:
            form.note.errors.append(str(exc))
        else:
            flash("The agreed result has been recorded", "success")
            return redirect(url_for("moderation.compare", moderation_id=found.id))
    tool = service.tool_for(found.audit)
    return render_template(
        "moderation/compare.html",
        moderation=found,
        tool=tool,
        rows=moderation.side_by_side(found, tool),
        form=form,
    ), 400 if form.errors else 200
