"""The trends pages: the dashboard, themes, one question, quantity, the self-evaluation, and
their spreadsheets. Each view reads the filters, calls one service function, renders."""

from __future__ import annotations

import io
from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from qa.access import (
    may_manage_policies,
    may_see_themes,
    may_see_trends,
    may_use_reports,
    requires,
)
from qa.clock import today
from qa.events.service import log
from qa.trends import recalculations, service
from qa.trends.cache import reuse
from qa.trends.details import UnknownQuestion
from qa.trends.filters import (
    MOST_MONTHS,
    PERIOD_KIND_LABELS,
    Filters,
    month_choices,
    period_long_label,
    unit_choices,
)
from qa.trends.forms import ChangeForm
from qa.trends.period_choice import PeriodChoice, default_period
from sampling.periods import months_before
from trend_maths.charts import RULE_WORDS, dispersion_words
from trend_maths.statistics import Kappa, SpcPoint

bp = Blueprint("trends", __name__, url_prefix="/trends")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_filter("period_name")
def period_name(key: str) -> str:
    return period_long_label(key)


bp.add_app_template_global(dispersion_words, "dispersion_words")


@bp.app_template_global()
def spc_signal(point: SpcPoint) -> str:
    """What an SPC point's special causes say, in words ("" for common cause)."""
    if point.partial and point.value is not None:
        return "Not complete yet, so not read for signals"
    if not point.special_cause or point.value is None:
        return ""
    rules = ", ".join(RULE_WORDS[rule] for rule in point.special_cause)
    return f"{(point.direction or 'special cause').capitalize()}: {rules}"


@bp.app_template_global()
def kappa_text(kappa: Kappa) -> str:
    if kappa.value is None:
        if not kappa.n:
            return "No pairs"
        return f"Undefined: {kappa.undefined_because.split(', so ')[0]}"
    if kappa.low is None or kappa.high is None:
        return f"{kappa.value:.2f}"
    return f"{kappa.value:.2f} ({kappa.low:.2f} to {kappa.high:.2f})"


@bp.app_template_global()
def score_difference(mean: float | None) -> str:
    """An auditor's mean difference from the moderators, in percentage points of score."""
    if mean is None:
        return "–"
    return f"{mean * 100:+.1f} points"


@bp.app_template_global()
def change_points(difference: float) -> str:
    return f"{difference * 100:+.0f} points"


def _filters(kind: str = "month") -> Filters:
    """The filters asked for, with periods of `kind` unless the address names them."""
    filters = service.filters_from_args(current_user, request.args)
    if "period" not in request.args:
        filters = replace(filters, period_kind=kind)
    return filters


def _chosen_filters() -> tuple[Filters, PeriodChoice]:
    """The filters asked for; unless the address names the period, the one that gives
    enough audits a point (`qa.trends.period_choice`), with why in words."""
    filters = service.filters_from_args(current_user, request.args)
    if "period" in request.args:
        return filters, PeriodChoice(filters.period_kind, "")
    choice = default_period(current_user, filters, today())
    return replace(filters, period_kind=choice.kind), choice


def _form(filters: Filters) -> dict[str, object]:
    """What the filter form offers: period kinds, months and the units the person may see."""
    latest = max(today(), filters.end)
    months = month_choices(latest, min(filters.start, months_before(latest, MOST_MONTHS - 1)))
    return {
        "kinds": list(PERIOD_KIND_LABELS.items()),
        "months": months,
        "start": f"{filters.start:%Y-%m}",
        "end": f"{filters.end:%Y-%m}",
        "units": unit_choices(current_user),
        "unit": filters.unit_value,
        "args": filters.query_args(),
    }


@bp.route("/")
@login_required
@requires(may_see_trends)
def index() -> str:
    filters, choice = _chosen_filters()
    board, content = reuse(
        "dashboard",
        current_user,
        (filters, choice),
        lambda: _dashboard_content(filters, choice),
    )
    return render_template("trends/dashboard.html", board=board, content=content)


def _dashboard_content(filters: Filters, choice: PeriodChoice) -> tuple[service.Dashboard, Markup]:
    """The dashboard, and the page's content rendered from it. Rendering is most of a page's
    work on a large council (a table row and a choice of unit for each team), and depends
    on nothing the cache does not tell apart, so the content is kept with the figures."""
    board = service.dashboard(current_user, filters)
    content = render_template(
        "trends/_dashboard_content.html",
        board=board,
        form=_form(filters),
        may_see_themes=may_see_themes(current_user),
        may_record_changes=may_manage_policies(current_user),
        period_choice=choice,
        month_args={**filters.query_args(), "period": "month"},
    )
    return board, Markup(content)  # noqa: S704 (an autoescaped template's output)


@bp.route("/export.xlsx")
@login_required
@requires(may_see_trends)
def export() -> Response:
    filters, _ = _chosen_filters()
    data = service.export_xlsx(current_user, filters)
    return _spreadsheet(data, "quality-trends", filters)


@bp.route("/themes")
@login_required
@requires(may_see_themes)
def themes() -> str:
    filters = _filters(kind="quarter")  # a month of one area is too few answers to rank
    return render_template(
        "trends/themes.html",
        page=reuse(
            "themes", current_user, filters, lambda: service.themes_page(current_user, filters)
        ),
        form=_form(filters),
    )


@bp.route("/questions/<key>")
@login_required
@requires(may_see_trends)
def question(key: str) -> str:
    filters, choice = _chosen_filters()
    try:
        detail = reuse(
            "question",
            current_user,
            (key, filters),
            lambda: service.question_detail(current_user, key, filters),
        )
    except UnknownQuestion as exc:
        raise NotFound from exc
    return render_template(
        "trends/question.html",
        detail=detail,
        form=_form(filters),
        period_choice=choice,
        month_args={**filters.query_args(), "period": "month"},
    )


@bp.route("/changes", methods=["GET", "POST"])
@login_required
@requires(may_manage_policies)
def changes() -> str | Response | tuple[str, int]:
    form = ChangeForm()
    form.team.choices = recalculations.team_choices()
    if form.validate_on_submit() and form.starts_on.data is not None:
        team = int(form.team.data) if form.team.data else None
        try:
            recalculations.record_change(
                current_user, form.starts_on.data, form.reason.data or "", team
            )
        except recalculations.RecalculationError as error:
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            flash("The change is recorded. The charts draw new limits from it.", "success")
            return redirect(url_for("trends.changes"))
    page = render_template(
        "trends/changes.html",
        form=form,
        changes=recalculations.recorded_changes(current_user),
    )
    return (page, 400) if form.errors else page


@bp.route("/quantity")
@login_required
@requires(may_see_trends)
def quantity() -> str:
    filters = _filters()
    return render_template(
        "trends/quantity.html",
        page=reuse(
            "quantity",
            current_user,
            filters,
            lambda: service.quantity(current_user, today(), filters),
        ),
        form=_form(filters),
        may_download=may_use_reports(current_user),
    )


@bp.route("/self-evaluation")
@login_required
@requires(may_see_themes)
def self_evaluation() -> str:
    filters = _filters()
    return render_template(
        "trends/self_evaluation.html",
        entries=service.self_evaluation(current_user, filters),
        filters=filters,
        unit_label=service.unit_label(current_user, filters),
        form=_form(filters),
    )


@bp.route("/self-evaluation.xlsx")
@login_required
@requires(may_see_themes)
def self_evaluation_export() -> Response:
    filters = _filters()
    data = service.export_self_evaluation_xlsx(current_user, filters)
    return _spreadsheet(data, "self-evaluation", filters)


def _spreadsheet(data: bytes, name: str, filters: Filters) -> Response:
    """Send a spreadsheet, noting in the event log who took it away and what it covered."""
    args = filters.query_args()
    log(current_user, "trends_exported", "trends", None, f"{name}: {args}")
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{name}-{filters.start:%Y-%m-%d}-to-{filters.end:%Y-%m-%d}.xlsx",
    )
