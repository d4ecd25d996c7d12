from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from qa.clock import today
from qa.main.figures import figures_for
from qa.main.service import cited_section, home_for

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home() -> str:
    return render_template(
        "main/home.html",
        home=home_for(current_user),
        figures=figures_for(current_user),
        today=today(),
    )


@bp.route("/council-policies/<policy>/<section>")
@login_required
def policy_section(policy: str, section: str) -> str:
    found = cited_section(policy, section)
    if found is None:
        abort(404)
    return render_template("main/policy_section.html", section=found)


@bp.route("/accessibility")
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.route("/health")
def health() -> tuple[dict[str, str], int]:
    from qa.main.service import database_ok

    ok = database_ok()
    return {"status": "ok" if ok else "database unavailable"}, 200 if ok else 503
