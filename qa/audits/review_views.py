"""Pages after submission: sign-off queue, sign-off or return, replies, corrections."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.access import (
    has_sign_off_queue,
    may_correct,
    may_reply,
    may_sign_off,
    require,
    requires,
    sign_off_refusal,
)
from qa.access.blind import blind_audit_ids, blinds
from qa.audits import record, service, workflow
from qa.audits.models import Audit
from qa.audits.review_forms import CorrectionForm, ReplyForm, SignOffForm
from qa.audits.states import StateChanged, TransitionError
from qa.clock import today
from qa.formatting import long_date

bp = Blueprint("review", __name__, url_prefix="/audits")
bp.add_app_template_global(record.grade_story, "grade_story")
bp.add_app_template_global(record.sign_off_words, "sign_off_words")


@bp.route("/sign-off")
@login_required
@requires(has_sign_off_queue)
def queue() -> str:
    return render_template(
        "audits/queue.html",
        audits=service.sign_off_queue(current_user),
        blind=blind_audit_ids(current_user),
        today=today(),
    )


@bp.route("/<int:audit_id>/sign-off", methods=["GET", "POST"])
@login_required
def sign_off(audit_id: int) -> str | Response | tuple[str, int]:
    audit = service.get_audit(current_user, audit_id)
    if blinds(current_user, audit):
        flash(
            "You are moderating this audit blind: you can sign it off once you have submitted "
            "your moderation scores",
            "info",
        )
        return redirect(url_for("moderation.index"))
    if not may_sign_off(current_user, audit):
        require(sign_off_refusal(current_user, audit) is None)  # the head, but too late
        flash(record.where_it_stands(audit), "info")
        return redirect(url_for("audits.audit", audit_id=audit.id))
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "return":
                workflow.return_audit(audit, current_user, form.comment.data or "")
                flash("The audit has been returned to the auditor", "success")
            else:
                flash(_signed(audit, form), "success")
            return redirect(url_for("audits.audit", audit_id=audit.id))
        except StateChanged:
            audit = service.get_audit(current_user, audit_id)
            flash(record.where_it_stands(audit), "info")
            return redirect(url_for("audits.audit", audit_id=audit.id))
        except workflow.RepliesOutstanding as exc:
            form.early.errors = [str(exc)]
        except (service.AuditError, TransitionError) as exc:
            form.comment.errors = [str(exc)]
    tool = service.tool_for(audit)
    return render_template(
        "audits/sign_off.html",
        audit=audit,
        tool=tool,
        form=form,
        answers=service.answers_of(audit),
        result=service.result_of(audit),
        replies=record.replies(audit),
        waiting=workflow.replies_outstanding(audit),
        is_auditor=False,
        facts=service.facts_for(audit),
    ), 400 if form.errors else 200


def _signed(audit: Audit, form: SignOffForm) -> str:
    """Sign the audit off as the form says; the sentence that tells the signer it is done."""
    differs = form.grade_agreed.data == "no"
    reaudit = workflow.sign_off(
        audit,
        current_user,
        form.comment.data or "",
        early=bool(form.early.data),
        agreed_grade=(form.agreed_grade.data or "") if differs else None,
        agreed_reason=(form.agreed_grade_reason.data or "") if differs else "",
    )
    message = "The audit is signed off"
    if reaudit is not None:
        message += f"; a re-audit is due by {long_date(reaudit.due_on)}"
    return message


@bp.route("/<int:audit_id>/reply", methods=["GET", "POST"])
@login_required
def reply(audit_id: int) -> str | Response | tuple[str, int]:
    audit = service.get_audit(current_user, audit_id)
    require(may_reply(current_user, audit))
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            workflow.reply(audit, current_user, form.kind.data or "", form.text.data or "")
        except service.AuditError as exc:
            form.text.errors.append(str(exc))
        else:
            flash("Your reply has been recorded with the audit", "success")
            return redirect(url_for("audits.audit", audit_id=audit.id))
    return render_template("audits/reply.html", audit=audit, form=form), 400 if form.errors else 200


@bp.route("/<int:audit_id>/correct", methods=["GET", "POST"])
@login_required
def correct(audit_id: int) -> str | Response | tuple[str, int]:
    audit = service.get_audit(current_user, audit_id)
    require(may_correct(current_user, audit))
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            workflow.start_correction(audit, current_user, form.reason.data or "")
        except (service.AuditError, TransitionError) as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(
                f"Version {audit.version_no} started. The signed-off version is kept and can "
                "still be read. The auditor makes the correction and submits it again.",
                "success",
            )
            return redirect(url_for("audits.audit", audit_id=audit.id))
    return render_template(
        "audits/correct.html", audit=audit, form=form
    ), 400 if form.errors else 200
