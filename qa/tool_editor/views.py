"""The tool editor's pages: start from a version, change the details, sections and
questions, preview what an auditor will see, and save a new version with a reason.

Only people who may manage tools (QA officers) reach any of these pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from audit_tools.policy_sources import plain_citations
from audit_tools.schema import GRADE_LABELS, SCALES
from qa.access import may_manage_tools, require
from qa.audits.forms import for_section
from qa.auth.forms import ConfirmForm
from qa.tool_editor import service
from qa.tool_editor.forms import QuestionForm, SaveForm, SectionForm, details_form
from qa.tool_editor.models import ToolDraft
from qa.tool_editor.service import Data, EditorError

bp = Blueprint("tool_editor", __name__, url_prefix="/audits/tools")
Page = str | BaseResponse | tuple[str, int]


@bp.before_request
@login_required
def only_those_who_manage_tools() -> None:
    require(may_manage_tools(current_user))


def _draft(tool_id: str) -> ToolDraft:
    draft = service.draft_of(current_user, tool_id)
    if draft is None:
        raise NotFound
    return draft


def _overview(tool_id: str, anchor: str = "") -> BaseResponse:
    return redirect(url_for("tool_editor.draft", tool_id=tool_id, _anchor=anchor or None))


@bp.route("/<tool_id>/<int:version>/edit", methods=["POST"])
def start(tool_id: str, version: int) -> BaseResponse:
    if ConfirmForm().validate_on_submit():
        try:
            service.start_draft(current_user, tool_id, version)
        except LookupError as exc:
            raise NotFound from exc
    return _overview(tool_id)


@bp.route("/<tool_id>/<int:version>/download")
def download(tool_id: str, version: int) -> Response:
    try:
        text = service.version_text(tool_id, version)
    except LookupError as exc:
        raise NotFound from exc
    name = f"{tool_id}-version-{version}.yaml"
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/<tool_id>/draft")
def draft(tool_id: str) -> str:
    found = _draft(tool_id)
    data = service.data_of(found)
    checked = service.check(data)
    return render_template(
        "tool_editor/draft.html",
        draft=found,
        data=data,
        problems=checked.problems,
        grade_labels=GRADE_LABELS,
        scales=SCALES,
        theme_words=dict(service.themes_in_force()),
    )


@bp.route("/<tool_id>/draft/details", methods=["GET", "POST"])
def details(tool_id: str) -> Page:
    found = _draft(tool_id)
    data = service.data_of(found)
    bands: list[Data] = data["grade_bands"]
    form_class = details_form([band["grade"] for band in bands])
    values = {f"band_{band['grade']}": round(band["minimum"] * 100, 4) for band in bands}
    form = form_class(data={"title": data["title"], "description": data["description"], **values})
    if request.method == "POST":
        form = form_class()
    if form.validate_on_submit():
        data["title"] = form.title.data.strip()
        data["description"] = service.citations_as_files((form.description.data or "").strip())
        for band in bands[:-1]:
            band["minimum"] = float(form[f"band_{band['grade']}"].data) / 100
        problems = [p for p in service.check(data).problems if "grade band" in p.lower()]
        if not problems:
            service.store(found, data)
            return _overview(tool_id)
        form.form_errors.extend(problems)
    status = 400 if form.errors or form.form_errors else 200
    grades = [(band["grade"], GRADE_LABELS.get(band["grade"], band["grade"])) for band in bands]
    return render_template(
        "tool_editor/details.html", draft=found, form=form, grades=grades
    ), status


def _positions(count: int) -> list[tuple[int, str]]:
    return [(n, f"{n} of {count}") for n in range(1, count + 1)]


@bp.route("/<tool_id>/draft/sections/new", methods=["GET", "POST"])
@bp.route("/<tool_id>/draft/sections/<int:section_no>", methods=["GET", "POST"])
def section(tool_id: str, section_no: int | None = None) -> Page:
    found = _draft(tool_id)
    data = service.data_of(found)
    sections: list[Data] = data["sections"]
    adding = section_no is None
    try:
        current = {"questions": []} if adding else service.section_at(data, section_no or 0)
    except EditorError as exc:
        raise NotFound from exc
    form = SectionForm(
        data={
            "title": current.get("title", ""),
            "description": plain_citations(current.get("description", "")),
            "weight": current.get("weight", 1),
            "position": len(sections) + 1 if adding else section_no,
        }
    )
    if request.method == "POST":
        form = SectionForm()
    form.position.choices = _positions(len(sections) + (1 if adding else 0))
    if form.validate_on_submit():
        current.update(
            title=form.title.data.strip(),
            description=service.citations_as_files((form.description.data or "").strip()),
            weight=float(form.weight.data),
        )
        if adding:
            current["key"] = service.new_key(current["title"], service.keys_in(data))
            sections.append(current)
            section_no = len(sections)
        service.move(sections, section_no or 0, form.position.data)
        service.store(found, data)
        number = form.position.data
        if adding:
            flash("Section added. Now add its first question.", "success")
            return redirect(url_for("tool_editor.question", tool_id=tool_id, section_no=number))
        return _overview(tool_id, f"section-{number}")
    status = 400 if form.errors else 200
    return render_template(
        "tool_editor/section.html",
        draft=found,
        form=form,
        section_no=section_no,
        questions=len(current["questions"]),
    ), status


@bp.route("/<tool_id>/draft/sections/<int:section_no>/remove", methods=["POST"])
def remove_section(tool_id: str, section_no: int) -> BaseResponse:
    found = _draft(tool_id)
    data = service.data_of(found)
    if ConfirmForm().validate_on_submit():
        try:
            service.section_at(data, section_no)
        except EditorError as exc:
            raise NotFound from exc
        removed = data["sections"].pop(section_no - 1)
        service.store(found, data)
        flash(f"Section ‘{removed['title']}’ and its questions removed.", "success")
    return _overview(tool_id)


@bp.route("/<tool_id>/draft/sections/<int:section_no>/questions/new", methods=["GET", "POST"])
@bp.route(
    "/<tool_id>/draft/sections/<int:section_no>/questions/<int:question_no>",
    methods=["GET", "POST"],
)
def question(tool_id: str, section_no: int, question_no: int | None = None) -> Page:
    found = _draft(tool_id)
    data = service.data_of(found)
    adding = question_no is None
    try:
        holder = service.section_at(data, section_no)
        current: Data = (
            {"scale": "yes_partly_no", "weight": 1.0, "comment_required_below": 1.0}
            if adding
            else service.question_at(data, section_no, question_no or 0)
        )
    except EditorError as exc:
        raise NotFound from exc
    questions: list[Data] = holder["questions"]
    count = len(questions) + (1 if adding else 0)
    values: dict[str, Any] = service.question_values(current)
    values["position"] = count if adding else question_no
    form = QuestionForm(data=values)
    if request.method == "POST":
        form = QuestionForm()
    form.themes.choices = service.themes_in_force()
    form.position.choices = _positions(count)
    if request.method == "POST":
        valid = form.validate_on_submit()
        sources, problems = service.read_sources(form.sources.data or "")
        if form.sources.data and problems:
            form.sources.errors = [". ".join(problem.rstrip(".") for problem in problems)]
        if valid and not problems:
            service.apply_question(data, current, form.data, sources)
            if adding:
                current["key"] = service.new_key(current["text"], service.keys_in(data))
                questions.append(current)
                question_no = len(questions)
            service.move(questions, question_no or 0, form.position.data)
            service.store(found, data)
            flash(f"Question saved in section {section_no}.", "success")
            return _overview(tool_id, f"section-{section_no}")
    status = 400 if form.errors else 200
    return render_template(
        "tool_editor/question.html",
        draft=found,
        form=form,
        section_no=section_no,
        section_title=holder.get("title", ""),
        question_no=question_no,
    ), status


@bp.route(
    "/<tool_id>/draft/sections/<int:section_no>/questions/<int:question_no>/remove",
    methods=["POST"],
)
def remove_question(tool_id: str, section_no: int, question_no: int) -> BaseResponse:
    found = _draft(tool_id)
    data = service.data_of(found)
    if ConfirmForm().validate_on_submit():
        try:
            service.question_at(data, section_no, question_no)
        except EditorError as exc:
            raise NotFound from exc
        removed = data["sections"][section_no - 1]["questions"].pop(question_no - 1)
        service.store(found, data)
        flash(f"Question ‘{removed['text']}’ removed.", "success")
    return _overview(tool_id, f"section-{section_no}")


@bp.route("/<tool_id>/draft/preview")
def preview(tool_id: str) -> str:
    found = _draft(tool_id)
    checked = service.check(service.data_of(found))
    forms = {}
    if checked.tool is not None:
        for current in checked.tool.sections:
            forms[current.key] = for_section(current)(formdata=None, meta={"csrf": False})
    return render_template(
        "tool_editor/preview.html",
        draft=found,
        tool=checked.tool,
        problems=checked.problems,
        forms=forms,
    )


@bp.route("/<tool_id>/draft/save", methods=["GET", "POST"])
def save(tool_id: str) -> Page:
    found = _draft(tool_id)
    checked = service.check(service.data_of(found))
    form = SaveForm()
    if checked.tool is not None and form.validate_on_submit():
        try:
            tool = service.save_version(found, form.reason.data.strip(), current_user)
        except EditorError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(f"{tool.title} version {tool.version} saved. New audits will use it.", "success")
            return redirect(url_for("audits.preview", tool_id=tool.id, version=tool.version))
    refused = request.method == "POST" and bool(checked.problems)
    status = 400 if form.errors or form.form_errors or refused else 200
    return render_template(
        "tool_editor/save.html",
        draft=found,
        form=form,
        problems=checked.problems,
        next_version=service.latest_version(tool_id) + 1,
    ), status


@bp.route("/<tool_id>/draft/discard", methods=["POST"])
def discard(tool_id: str) -> BaseResponse:
    found = _draft(tool_id)
    if ConfirmForm().validate_on_submit():
        service.discard(found)
        flash("Your changes were discarded. No new version was saved.", "success")
    return redirect(url_for("audits.tools"))


@bp.app_template_global()
def tool_draft_of(tool_id: str) -> ToolDraft | None:
    """The signed-in person's unsaved changes to a tool, for the tool pages to offer."""
    if not current_user.is_authenticated or not may_manage_tools(current_user):
        return None
    return service.draft_of(current_user, tool_id)
