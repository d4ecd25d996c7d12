"""Request logs: one JSON line per request with the route pattern, never personal data."""

from __future__ import annotations

import json
import logging

from qa.weblog import log


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))


def test_a_request_is_logged_by_its_route_pattern_without_names_or_queries(app, sign_in_as, org):
    app.config["REQUEST_LOGS"] = True
    client = sign_in_as("qa_officer")
    lines = Lines()
    log.addHandler(lines)
    try:
        audit_page = "/trends/questions/views_wishes_feelings?period=month&unit=service"
        client.get(audit_page)
        client.get("/assets/application.css")
    finally:
        log.removeHandler(lines)
    page, asset = lines.lines
    assert page == {
        "method": "GET",
        "route": "/trends/questions/<key>",
        "status": 200,
        "ms": page["ms"],
        "user": org.people["qa_officer"].id,
    }
    assert asset["route"] == "/assets/<path:filename>" and asset["user"] is None
    text = json.dumps(lines.lines)
    assert org.people["qa_officer"].email not in text and "unit=service" not in text
