"""The supervision file audit service: the Flask application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from qa import ids
from qa.config import check_safe, defaults, from_environment

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, templates and error pages."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("QA_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        static_folder="static",
        static_url_path="/assets",
    )
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment())
    else:
        # Settings given in code are a test's or a measuring script's, never a deployment's.
        app.config.update({"ENV_NAME": "testing", **test_config})
    check_safe(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _templates(app)
    ids.register(app)  # before any route is added: every <int:...> is a 64-bit id
    _extensions(app)
    _blueprints(app)
    return app


def _templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from qa import formatting

    formatting.register(app)


def _extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    import qa.models  # noqa: F401 (every table, for Alembic)
    from qa import security
    from qa.auth import oidc
    from qa.extensions import csrf, db, login_manager, migrate

    security.register(app)  # first: every response, error pages included, gets the headers
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)

    from qa import weblog
    from qa.auth import session as auth_session

    auth_session.register(app)
    oidc.register(app)
    weblog.register(app)


def _blueprints(app: Flask) -> None:
    from qa import errors
    from qa.actions.views import bp as actions_bp
    from qa.audits.moderation_views import bp as moderation_bp
    from qa.audits.review_views import bp as review_bp
    from qa.audits.views import bp as audits_bp
    from qa.auth.views import bp as auth_bp
    from qa.cases.views import bp as cases_bp
    from qa.cli import register as register_cli
    from qa.events.views import bp as events_bp
    from qa.jobs.scheduler import start_in_web_process
    from qa.jobs.views import bp as jobs_bp
    from qa.main import navigation
    from qa.main.views import bp as main_bp
    from qa.org.views import bp as org_bp
    from qa.printing.views import bp as printing_bp
    from qa.profiles.views import bp as profiles_bp
    from qa.reports.views import bp as reports_bp
    from qa.selections.views import bp as selections_bp
    from qa.tool_editor.views import bp as tool_editor_bp
    from qa.trends.views import bp as trends_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(org_bp)
    app.register_blueprint(selections_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(audits_bp)
    app.register_blueprint(tool_editor_bp)
    app.register_blueprint(printing_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(trends_bp)
    app.register_blueprint(cases_bp)
    navigation.register(app)
    errors.register(app)
    register_cli(app)
    start_in_web_process(app)
