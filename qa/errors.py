"""Error pages in the service's style. No stack trace is ever shown."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from qa.access import Forbidden
from qa.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("There is a problem with your request", "Go back and try again."),
    403: (
        "You do not have permission to see this page",
        "If you think you should, ask your service's administrator.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("There is a problem with your request", "Go back and try again."),
    413: ("The file is too large", "Files must be smaller than 20MB."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been saved.",
    ),
}


def _page(status: int, detail: str | None = None) -> tuple[str, int]:
    title, advice = MESSAGES.get(status, MESSAGES[400])
    return render_template("errors/error.html", title=title, advice=detail or advice), status


def register(app: Flask) -> None:
    @app.errorhandler(Forbidden)
    def forbidden(_: Forbidden) -> tuple[str, int]:
        return _page(403)

    @app.errorhandler(CSRFError)
    def csrf_failed(_: CSRFError) -> tuple[str, int]:
        return _page(
            400,
            "The form had expired or came from another site, so nothing was saved. "
            "Go back, refresh the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        log.exception("Unhandled error", exc_info=error)
        return _page(500)
