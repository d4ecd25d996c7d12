"""Security headers on every response: a content security policy without inline script,
framing refused, no sniffing, a careful referrer, HSTS only over TLS, no caching."""

from __future__ import annotations

import re
from pathlib import Path

from flask import url_for

from qa import create_app

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
NONCE = re.compile(r"<script nonce=\"([^\"]+)\">")


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    found = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        found[name] = value
    return found


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/sign-in")
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self' 'nonce-")
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_the_one_inline_script_carries_this_requests_nonce(client):
    first = client.get("/sign-in")
    second = client.get("/sign-in")
    nonces = []
    for response in (first, second):
        found = NONCE.findall(response.get_data(as_text=True))
        assert len(found) == 1, "the GOV.UK template's script should carry the nonce"
        assert f"'nonce-{found[0]}'" in directives(response)["script-src"]
        nonces.append(found[0])
    assert nonces[0] != nonces[1], "a nonce must be new for each request"
    assert len(nonces[0]) >= 32


def test_error_pages_get_the_headers_and_the_nonce_too(client, org):
    for response in (
        client.get("/no-such-page"),
        client.post("/sign-in", data={"email": "a", "password": "b"}, csrf=False),
    ):
        assert response.status_code in (404, 400)
        assert response.headers["X-Frame-Options"] == "DENY"
        found = NONCE.findall(response.get_data(as_text=True))
        assert found and f"'nonce-{found[0]}'" in directives(response)["script-src"]


def test_framing_sniffing_and_referrers_are_refused(client):
    response = client.get("/sign-in")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "browsing-topics=()" in response.headers["Permissions-Policy"]


def test_pages_are_not_cached_but_assets_may_be(client):
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
    asset = client.get("/assets/application.css")
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("Cache-Control", "")
    assert asset.headers["X-Content-Type-Options"] == "nosniff"


def test_assets_and_the_health_check_set_no_cookie_even_when_signed_in(sign_in_as):
    client = sign_in_as("practitioner")
    for path in ("/assets/application.css", "/health"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
    assert "Set-Cookie" in client.get("/").headers  # a page renews the idle time-out


def test_hsts_only_over_tls(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = client.get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_forwarded_https_header_counts_only_behind_a_proxy(app):
    spoofed = {"X-Forwarded-Proto": "https"}
    assert (
        "Strict-Transport-Security"
        not in app.test_client().get("/sign-in", headers=spoofed).headers
    )
    proxied = create_app({**_settings(app), "BEHIND_PROXY": True})
    response = proxied.test_client().get(
        "/sign-in", headers={**spoofed, "X-Forwarded-Host": "audit.council.example"}
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_http_is_not_redirected_unless_asked_and_cookies_keep_the_apps_settings(app):
    assert app.test_client().get("/sign-in").status_code == 200
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    forced = create_app({**_settings(app), "FORCE_HTTPS": True})
    response = forced.test_client().get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://")
    assert app.test_client().get("/sign-in").status_code == 200, "each app keeps its settings"


def test_the_external_address_follows_the_proxy_only_when_configured(app):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "audit.council.example"}
    settings = {**_settings(app), "SERVER_NAME": None}
    for behind, expected in (
        (False, "http://localhost/"),
        (True, "https://audit.council.example/"),
    ):
        made = create_app({**settings, "BEHIND_PROXY": behind})

        @made.get("/where")
        def where() -> str:
            return url_for("main.home", _external=True)

        body = made.test_client().get("/where", headers=headers).get_data(as_text=True)
        assert body == expected


def test_templates_have_no_inline_script_styles_or_handlers():
    """The policy forbids them, so a template that adds one would break in the browser."""
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parent.name == "pdf":  # PDF layouts go to WeasyPrint, never to a browser
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=", r"<style", r"\son[a-z]+="):
            for match in re.finditer(pattern, text):
                problems.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}")
        if "javascript:" in text:
            problems.append(f"{path.relative_to(TEMPLATES)}: a javascript: address")
    assert not problems, problems


def test_downloads_keep_their_type_and_bytes(app):
    """Headers are added to PDFs and spreadsheets without touching what they contain."""
    made = create_app(_settings(app))
    content = b"%PDF-1.7 test bytes\x00\xff"

    @made.get("/download.pdf")
    def download():  # type: ignore[no-untyped-def]
        from flask import Response

        response = Response(content, mimetype="application/pdf")
        response.headers["Content-Disposition"] = 'attachment; filename="a.pdf"'
        response.headers["Cache-Control"] = "private, no-store"
        return response

    response = made.test_client().get("/download.pdf")
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _settings(app) -> dict[str, object]:
    return {
        key: app.config[key]
        for key in ("SQLALCHEMY_DATABASE_URI", "TESTING", "SECRET_KEY", "FIXED_NOW", "SERVER_NAME")
    }


def test_a_real_spreadsheet_download_keeps_its_type_and_gets_the_headers(app, sign_in_as):
    response = sign_in_as("head_of_service").get("/reports/actions.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.data[:2] == b"PK"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
