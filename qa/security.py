"""Security headers: a content security policy without inline script, and the rest.

Flask-Talisman sets the headers. The policy allows scripts and styles from this service
only; the one inline script in GOV.UK Frontend's page template (it marks the page as
"JavaScript enabled") runs because it carries a nonce made afresh for each request, given
to templates as `cspNonce` (base.html). Charts are inline SVG elements without scripts or
style attributes, so the policy leaves them alone.

HSTS is sent only on a request that arrived over TLS. Behind a reverse proxy that ends TLS
(QA_BEHIND_PROXY=1), ProxyFix trusts one proxy's X-Forwarded-For, -Proto and -Host, so the
app knows the request was secure and builds its own addresses (such as the single sign-on
return address) correctly.
"""

from __future__ import annotations

from flask import Flask, has_request_context, render_template, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    """Add the headers to every response. Call before other extensions, so the nonce is made
    before anything (such as the CSRF check) can stop a request and render an error page."""
    if app.config["BEHIND_PROXY"]:
        # Flask's documented way to add WSGI middleware; mypy forbids assigning to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    # One Talisman per app: it keeps its settings on itself.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        frame_options="DENY",
        strict_transport_security=False,  # sent below, and only over TLS
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="strict-origin-when-cross-origin",
        # The app's own cookie settings stand (QA_SESSION_COOKIE_SECURE=1 behind HTTPS).
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(_refuse_null_characters)
    app.after_request(_transport_and_caching)


def csp_nonce() -> str:
    """This request's script nonce ("" outside a request, such as a PDF made by a job)."""
    return getattr(request, "csp_nonce", "") if has_request_context() else ""


def _refuse_null_characters() -> tuple[str, int] | None:
    """A null character in a form, an address or a file name cannot be stored (PostgreSQL
    refuses it), so refuse the request before anything reads it, with a page that says so."""
    names = [f.filename or "" for _, f in request.files.items(multi=True)]
    fields = [v for _, v in (*request.args.items(multi=True), *request.form.items(multi=True))]
    values = [*fields, *names]
    if not any("\x00" in value for value in values):
        return None
    return render_template(
        "errors/error.html",
        title="There is a problem with what you entered",
        advice="What you entered contains a null character, which cannot be saved. Nothing "
        "was saved: go back, remove it and try again.",
    ), 400


def _transport_and_caching(response: Response) -> Response:
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    # Pages and downloads hold personal data: keep them out of shared and browser caches.
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
