from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from audit_tools.schema import ANSWER_LABELS, Section, Tool, ToolError
from audit_tools.scoring import AnswerProblem, grade_label
from qa.access import (
    is_auditor,
    may_confirm_action,
    may_correct,
    may_edit_audit,
    may_manage_tools,
    may_raise_action,
    may_reply,
    may_sign_off,
    may_start_audit,
    may_use_reports,
    require,
    requires,
)
from qa.actions import service as actions
from qa.audits import listing, moderation, progress, record, service, workflow
from qa.audits.forms import SectionForm, SubmitForm, UploadToolForm, for_section
from qa.audits.models import Audit
from qa.audits.states import AuditState
from qa.audits.tools import get_tool, theme_titles, tool_versions, upload_tool
from qa.auth.forms import ConfirmForm
from qa.clock import today
from qa.events.service import events_for_audit, log
from qa.lists import page_number

bp = Blueprint("audits", __name__, url_prefix="/audits")


@bp.app_template_global()
def answer_label(value: str | None) -> str:
    return ANSWER_LABELS.get(value or "", "Not answered")


@bp.app_template_global("grade_label")
def _grade_label(value: str | None) -> str:
    return grade_label(value)


bp.app_template_global("shown_comment")(service.shown_comment)
bp.add_app_template_global(AuditState, "AuditState")


@bp.app_template_global()
def question_text(tool: Tool, key: str) -> str:
    try:
        return tool.question(key).text
    except KeyError:
        return key


@bp.route("/")
@login_required
def mine() -> str:
    return render_template(
        "audits/mine.html", audits=service.my_audits(current_user), today=today()
    )


@bp.route("/list")
@login_required
def listing_page() -> tuple[str, int]:
    wanted, problems = listing.read_filters(current_user, request.args)
    page = page_number(request.args.get("page"))
    found = None if problems else listing.audits_page(current_user, wanted, page)
    kept = wanted.args()
    return render_template(
        "audits/list.html",
        found=found,
        wanted=wanted,
        problems=problems,
        has_errors=bool(problems),
        may_download=may_use_reports(current_user),
        options=listing.options_for(current_user),
        stages=listing.STATE_CHOICES,
        sorts=listing.SORTS,
        args=request.args,
        page_url=lambda number: url_for("audits.listing_page", **kept, page=number),
        today=today(),
    ), 400 if problems else 200


@bp.route("/<int:audit_id>")
@login_required
def audit(audit_id: int) -> str:
    found = service.get_audit(current_user, audit_id)
    if moderation.blinds(current_user, found):
        raise Forbidden
    log(current_user, "audit_viewed", "audit", found.id)
    editable = may_edit_audit(current_user, found)
    tool = service.tool_for(found) if found.tool_version else get_tool(found.tool_id)
    statuses = progress.section_statuses(found, tool) if found.tool_version else []
    raised = actions.actions_of(found)
    return render_template(
        "audits/audit.html",
        audit=found,
        tool=tool,
        editable=editable,
        statuses=statuses,
        ready=bool(statuses) and all(s.complete for s in statuses),
        facts=service.facts_for(found),
        answers=service.answers_of(found),
        result=service.result_of(found) if found.tool_version else None,
        start_form=ConfirmForm(),
        is_auditor=found.auditor_id == current_user.id,
        today=today(),
        actions=raised,
        confirmable={a.id for a in raised if may_confirm_action(current_user, a)},
        replies=record.replies(found),
        events=events_for_audit(found.id),
        amendments=record.amendments(found),
        comparison=workflow.reaudit_comparison(found),
        may_start=may_start_audit(current_user, found),
        may_sign_off=may_sign_off(current_user, found),
        may_reply=may_reply(current_user, found),
        may_correct=may_correct(current_user, found),
        may_raise=may_raise_action(current_user, found),
    )


@bp.route("/<int:audit_id>/start", methods=["POST"])
@login_required
def start(audit_id: int) -> Response:
    found = service.get_audit(current_user, audit_id)
    require(may_edit_audit(current_user, found))
    if ConfirmForm().validate_on_submit():
        service.start(found, current_user)
    return redirect(url_for("audits.audit", audit_id=found.id))


@bp.route("/<int:audit_id>/sections/<section_key>", methods=["GET", "POST"])
@login_required
def section(audit_id: int, section_key: str) -> str | Response | tuple[str, int]:
    found = service.get_audit(current_user, audit_id)
    if not may_edit_audit(current_user, found):
        return _where_it_stands(found)
    if found.tool_version is None:  # not started: the audit page has the button that starts it
        return redirect(url_for("audits.audit", audit_id=found.id))
    tool = service.tool_for(found)
    try:
        current = tool.section(section_key)
    except KeyError as exc:
        raise NotFound from exc
    form = for_section(current)()
    saved = service.answers_of(found)
    status = 200
    if request.method == "GET":
        form.lock_version.data = str(found.lock_version)
        for question in current.questions:
            row = saved.get(question.key)
            getattr(form, f"answer_{question.key}").data = row.answer if row else None
            getattr(form, f"comment_{question.key}").data = row.comment if row else ""
    elif form.validate_on_submit():
        answers = {q.key: getattr(form, f"answer_{q.key}").data or "" for q in current.questions}
        comments = {q.key: getattr(form, f"comment_{q.key}").data or "" for q in current.questions}
        try:
            problems = service.save_section(
                found,
                current.key,
                answers,
                comments,
                int(form.lock_version.data or 0),
                current_user,
                complete=not form.later.data,
            )
        except service.Conflict:
            return _refused_save(found, tool, current, form, answers, comments)
        if not problems:
            if form.later.data:
                flash(
                    "Your answers have been saved. You can come back to this audit at any time.",
                    "success",
                )
                return redirect(url_for("audits.audit", audit_id=found.id))
            if request.args.get("return") == "check":
                return redirect(url_for("audits.check", audit_id=found.id))
            return redirect(_next_step(found, tool, current.key))
        for problem in problems:
            getattr(form, f"{problem.field}_{problem.question_key}").errors.append(problem.message)
        status = 400
    return render_template(
        "audits/section.html", audit=found, tool=tool, section=current, form=form, saved=saved
    ), status if not form.errors else 400


def _refused_save(
    audit: Audit,
    tool: Tool,
    section: Section,
    form: SectionForm,
    answers: dict[str, str],
    comments: dict[str, str],
) -> tuple[str, int]:
    """Someone else saved first: show the person's typing again, unsaved, with who saved, when
    and which answers now differ, so they can check and save again knowingly."""
    form.lock_version.data = str(audit.lock_version)
    return render_template(
        "audits/section.html",
        audit=audit,
        tool=tool,
        section=section,
        form=form,
        saved=service.answers_of(audit),
        last_save=progress.last_save(audit),
        differences=progress.differences(audit, section, answers, comments),
    ), 409


def _where_it_stands(audit: Audit) -> Response:
    """The auditor's old link (Back, a second tab) after the audit moved on: the audit as it
    is now, with a sentence, instead of a refusal. Anyone else is refused."""
    if not is_auditor(current_user, audit):
        raise Forbidden
    flash(record.where_it_stands(audit), "info")
    return redirect(url_for("audits.audit", audit_id=audit.id))


def _next_step(audit, tool, key: str) -> str:  # type: ignore[no-untyped-def]
    keys = [s.key for s in tool.sections]
    position = keys.index(key)
    if position + 1 < len(keys):
        return url_for("audits.section", audit_id=audit.id, section_key=keys[position + 1])
    return url_for("audits.check", audit_id=audit.id)


@bp.route("/<int:audit_id>/check", methods=["GET", "POST"])
@login_required
def check(audit_id: int) -> str | Response | tuple[str, int]:
    found = service.get_audit(current_user, audit_id)
    if not may_edit_audit(current_user, found):
        return _where_it_stands(found)
    if found.tool_version is None:
        return redirect(url_for("audits.audit", audit_id=found.id))
    tool = service.tool_for(found)
    asked = service.judgement_question(tool)
    form = SubmitForm()
    unanswered: list[AnswerProblem] = []
    refused, last_save = False, None  # someone else saved first: say who, keep the typing
    if request.method == "GET":
        form.lock_version.data = str(found.lock_version)
        form.judgement.data = found.auditor_judgement
        form.reason.data = found.judgement_reason
    elif form.validate_on_submit():
        try:
            problems = service.submit(
                found,
                None if asked else form.judgement.data or "",
                form.reason.data or "",
                int(form.lock_version.data or 0),
                current_user,
            )
        except service.Conflict:
            form.lock_version.data = str(found.lock_version)
            refused, last_save = True, progress.last_save(found)
        else:
            if not problems:
                return redirect(url_for("audits.submitted", audit_id=found.id))
            unanswered = [p for p in problems if p.question_key != "judgement"]
            for problem in problems:
                if problem.question_key == "judgement":
                    target = form.judgement if problem.field == "answer" else form.reason
                    target.errors.append(problem.message)
    page = render_template(
        "audits/check.html",
        audit=found,
        tool=tool,
        form=form,
        answers=service.answers_of(found),
        result=service.result_of(found),
        unanswered=unanswered,
        asked=asked,
        refused=refused,
        last_save=last_save,
    )
    if refused:
        return page, 409
    return page, 400 if form.errors or unanswered else 200


@bp.route("/<int:audit_id>/submitted")
@login_required
def submitted(audit_id: int) -> str:
    found = service.get_audit(current_user, audit_id)
    if moderation.blinds(current_user, found):
        raise Forbidden
    return render_template("audits/submitted.html", audit=found)


@bp.route("/tools")
@login_required
@requires(may_manage_tools)
def tools() -> str:
    return render_template("audits/tools.html", versions=tool_versions())


@bp.route("/tools/upload", methods=["GET", "POST"])
@login_required
@requires(may_manage_tools)
def upload() -> str | Response | tuple[str, int]:
    form = UploadToolForm()
    problems: tuple[str, ...] = ()
    if form.validate_on_submit():
        data = form.upload.data
        try:
            text = data.read().decode("utf-8-sig")
            tool = upload_tool(text, data.filename or "tool.yaml", current_user)
        except UnicodeDecodeError:
            problems = ("The file must be text saved as UTF-8",)
        except ToolError as exc:
            problems = exc.problems
        else:
            flash(f"{tool.title} version {tool.version} saved. New audits will use it.", "success")
            return redirect(url_for("audits.tools"))
    status = 400 if form.errors or problems else 200
    return render_template("audits/upload.html", form=form, problems=problems), status


@bp.route("/tools/<tool_id>/<int:version>")
@login_required
@requires(may_manage_tools)
def preview(tool_id: str, version: int) -> str:
    try:
        tool = get_tool(tool_id, version)
    except LookupError as exc:
        raise NotFound from exc
    return render_template("audits/preview.html", tool=tool, theme_titles=theme_titles())
