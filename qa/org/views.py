from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from qa.access import may_browse_organisation, may_import, requires
from qa.lists import page_number
from qa.org import listing, service, uploads
from qa.org.forms import ConfirmImportForm, ImportForm
from qa.org.importing import KIND_LABELS, import_bytes
from qa.org.parsing import COLUMNS
from qa.org.sampling_record import sampling_record

bp = Blueprint("org", __name__, url_prefix="/organisation")


@bp.route("/")
@login_required
@requires(may_browse_organisation)
def areas() -> str:
    return render_template("org/areas.html", areas=service.list_areas(current_user))


@bp.route("/people")
@login_required
@requires(may_browse_organisation)
def people() -> tuple[str, int]:
    wanted, problems = listing.read_filters(current_user, request.args)
    page = page_number(request.args.get("page"))
    found = None if problems else listing.staff_page(current_user, wanted, page)
    kept = wanted.args()
    return render_template(
        "org/people.html",
        found=found,
        wanted=wanted,
        problems=problems,
        has_errors=bool(problems),
        options=listing.options_for(current_user),
        roles=listing.ROLE_CHOICES,
        statuses=listing.STATUS_CHOICES,
        sorts=listing.SORTS,
        args=request.args,
        page_url=lambda number: url_for("org.people", **kept, page=number),
    ), 400 if problems else 200


@bp.route("/areas/<int:area_id>")
@login_required
def area(area_id: int) -> str:
    found = service.get_area(current_user, area_id)
    return render_template(
        "org/area.html",
        area=found,
        teams=service.visible_teams(current_user, found),
        managers=service.area_managers(current_user, found),
    )


@bp.route("/teams/<int:team_id>")
@login_required
def team(team_id: int) -> str:
    found = service.get_team(current_user, team_id)
    return render_template(
        "org/team.html", team=found, members=service.team_members(current_user, found)
    )


@bp.route("/people/<int:staff_id>")
@login_required
def person(staff_id: int) -> str:
    found = service.get_person(current_user, staff_id)
    return render_template("org/person.html", person=found)


@bp.route("/files/<int:file_id>")
@login_required
def supervision_file(file_id: int) -> str:
    found = service.get_file(current_user, file_id)
    return render_template(
        "org/file.html",
        file=found,
        sessions=service.recent_sessions(found),
        sampling=sampling_record(current_user, found),
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
@requires(may_import)
def import_start() -> str | tuple[str, int]:
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.upload.data
        data = upload.read()
        report = import_bytes(
            form.kind.data, data, upload.filename or "upload", current_user, dry_run=True
        )
        confirm = ConfirmImportForm(kind=form.kind.data)
        if report.ok:
            confirm.token.data = uploads.keep(data, upload.filename or "upload.csv")
        return render_template(
            "org/import_preview.html", report=report, confirm=confirm, kinds=KIND_LABELS
        )
    status = 400 if form.errors else 200
    return render_template("org/import.html", form=form, columns=COLUMNS), status


@bp.route("/import/confirm", methods=["POST"])
@login_required
@requires(may_import)
def import_confirm() -> str | Response | tuple[str, int]:
    form = ConfirmImportForm()
    token = form.token.data or ""
    if form.validate_on_submit() and form.cancel.data:
        uploads.discard(token)
        flash("The import was cancelled and the uploaded file deleted. Nothing has changed.")
        return redirect(url_for("org.import_start"))
    stored = uploads.fetch(token) if form.validate_on_submit() else None
    if stored is None or form.kind.data not in KIND_LABELS:
        flash("The checked file has expired. Upload it again.", "error")
        return redirect(url_for("org.import_start"))
    data, filename = stored
    uploads.discard(token)  # used once, whatever the outcome
    report = import_bytes(form.kind.data, data, filename, current_user, dry_run=False)
    if not report.ok:
        return render_template(
            "org/import_preview.html", report=report, confirm=None, kinds=KIND_LABELS
        ), 400
    flash(
        f"{KIND_LABELS[report.kind]} imported: {report.created} added, "
        f"{report.updated} changed, {report.unchanged} unchanged",
        "success",
    )
    return redirect(url_for("org.import_start"))
