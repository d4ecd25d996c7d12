"""Structured request logs (one JSON line per request) with no personal data.

Only the method, the URL rule (not the filled-in path), the status, the time taken and the
signed-in person's internal id are logged: never names, emails, answers or query strings.
"""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

log = logging.getLogger("qa.requests")


def register(app: Flask) -> None:
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def started() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def finished(response: Response) -> Response:
        if app.config.get("REQUEST_LOGS", not app.testing):
            rule = request.url_rule.rule if request.url_rule else "(no route)"
            log.info(
                json.dumps(
                    {
                        "method": request.method,
                        "route": rule,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - g.get("request_started", 0)) * 1000, 1),
                        "user": _user_number(),
                    }
                )
            )
        return response


def _user_number() -> int | None:
    """The signed-in person's internal number; assets and the health check do not look."""
    from qa.auth.session import SESSIONLESS

    if request.endpoint in SESSIONLESS or not current_user.is_authenticated:
        return None
    return int(current_user.id)
