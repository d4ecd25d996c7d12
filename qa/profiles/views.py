"""The council profile pages: the profiles, one profile's rules and versions, choosing one,
changing one (a new version) and a version's YAML."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as BaseResponse

from audit_tools.profile import ProfileError
from qa.access import may_manage_profiles, requires
from qa.clock import today
from qa.formatting import long_date
from qa.profiles import service
from qa.profiles.document import (
    GENERAL_RULES,
    Change,
    Problems,
    apply_form,
    form_values,
    session_kinds,
)
from qa.profiles.forms import UseProfileForm
from qa.roles import ROLE_LABELS

bp = Blueprint("profiles", __name__, url_prefix="/profiles")


@bp.route("/")
@login_required
@requires(may_manage_profiles)
def index() -> str:
    return render_template("profiles/index.html", page=service.profiles_page())


@bp.route("/<name>", methods=["GET", "POST"])
@login_required
@requires(may_manage_profiles)
def show(name: str) -> str | BaseResponse:
    try:
        page = service.profile_page(name)
    except ProfileError as problem:
        raise NotFound from problem
    form = UseProfileForm()
    if form.validate_on_submit():
        try:
            choice = service.use_profile(name, current_user.name, form.reason.data or "")
        except ValueError as problem:
            form.reason.errors = [str(problem)]
        else:
            flash(
                f"{page.profile.policy} is in force from now (version {choice.version})", "success"
            )
            return redirect(url_for("profiles.index"))
    return render_template("profiles/show.html", page=page, form=form)


def _form_data() -> dict[str, object]:
    """The posted fields, a list where a field may be ticked more than once."""
    found: dict[str, object] = {}
    for key in request.form:
        values = request.form.getlist(key)
        many = key.endswith("-roles") or key == "formal_kinds"
        found[key] = values if many else values[-1]
    return found


def _day(form: dict[str, object], problems: Problems) -> date | None:
    parts = [str(form.get(f"from-{part}", "")).strip() for part in ("day", "month", "year")]
    if not all(parts):
        problems.add("from-day", "Enter the day the change is in force from, like 1 4 2027")
        return None
    try:
        day = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        problems.add("from-day", "The day the change is in force from must be a real date")
        return None
    if day <= today():
        problems.add(
            "from-day",
            f"The day the change is in force from must be after today ({long_date(today())}): "
            "today and the days before keep the rules they are judged by",
        )
        return None
    return day


@bp.route("/<name>/change", methods=["GET", "POST"])
@login_required
@requires(may_manage_profiles)
def change(name: str) -> str | BaseResponse:
    """Change a profile's numbers and who they apply to, saved as a new version."""
    try:
        profile = service.latest_profile(name)
        data = dict(service.document_data(name, profile.version))
    except ProfileError as problem:
        raise NotFound from problem
    problems = Problems()
    tomorrow = today() + timedelta(days=1)
    values: dict[str, object] = {
        **form_values(data),
        "from-day": str(tomorrow.day),
        "from-month": str(tomorrow.month),
        "from-year": str(tomorrow.year),
        "reason": "",
    }
    if request.method == "POST":
        posted = _form_data()
        values = {**values, **posted}
        for key in list(values):
            if key.endswith("-roles") or key == "formal_kinds":
                values[key] = posted.get(key, [])
        reason = str(posted.get("reason", "")).strip()
        day = _day(posted, problems)
        if not reason:
            problems.add("reason", "Enter why the profile changes")
        elif len(reason) > 2000:
            problems.add("reason", "The reason must be 2000 characters or fewer")
        version = service.next_version(name)
        change = Change(version, current_user.name, day or tomorrow, reason)
        changed, found = apply_form(data, posted, change)
        problems.found += found.found
        if not problems:
            try:
                saved = service.save_version(
                    name, changed, day or tomorrow, current_user.name, reason, current_user
                )
            except (ProfileError, ValueError) as problem:
                details = problem.problems if isinstance(problem, ProfileError) else [str(problem)]
                for detail in details:
                    problems.add("reason", detail)
            else:
                flash(
                    f"{profile.policy} version {saved.version} is saved. It is in force from "
                    f"{long_date(saved.in_force_from)}.",
                    "success",
                )
                return redirect(url_for("profiles.show", name=name))
    return render_template(
        "profiles/change.html",
        profile=profile,
        data=data,
        values=values,
        problems=problems,
        error=lambda field_id: {"text": problems.of(field_id)} if problems.of(field_id) else None,
        roles=list(ROLE_LABELS.items()),
        kinds=session_kinds(data),
        general=GENERAL_RULES,
        stages=max(
            (int(key[4:].split("-")[0]) + 1 for key in values if key.startswith("asye")),
            default=0,
        )
        + 1,
    )


@bp.route("/<name>/versions/<int:version>.yaml")
@login_required
@requires(may_manage_profiles)
def export(name: str, version: int) -> Response:
    """A version of the profile as YAML, to keep or to read outside the service."""
    try:
        document = service.document_of(name, version)
    except ProfileError as problem:
        raise NotFound from problem
    return Response(
        document,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}-version-{version}.yaml"'},
    )
