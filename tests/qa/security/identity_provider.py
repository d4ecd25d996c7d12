"""A stand-in OpenID Connect identity provider on 127.0.0.1, shaped like Microsoft Entra ID.

It serves discovery, the signing keys, an authorize endpoint that sends the browser straight
back with a code (as if the person had signed in), and a token endpoint that checks the
client secret, the redirect address and the PKCE verifier and issues an RS256-signed ID token.
`claims` says who signs in next; `key` can be swapped to sign with a key nobody published.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "supervision-file-audit"
CLIENT_SECRET = "stand-in-secret"  # noqa: S105 (a test value)


class IdentityProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "stand-in-1", "use": "sig"})
        self.published = self.key
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/v2.0/.well-known/openid-configuration"

    def __enter__(self) -> IdentityProvider:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": f"{self.url}/v2.0",
            "authorization_endpoint": f"{self.url}/oauth2/v2.0/authorize",
            "token_endpoint": f"{self.url}/oauth2/v2.0/token",
            "jwks_uri": f"{self.url}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Where the browser goes next: back to the service with a code and the state."""
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["scope"] == "openid email profile"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "claims": dict(self.claims)}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        basic = base64.b64decode(authorization.removeprefix("Basic ")).decode()
        if basic != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        moment = int(time.time())
        claims = {
            "iss": f"{self.url}/v2.0",
            "aud": CLIENT_ID,
            "sub": "stand-in-subject",
            "iat": moment,
            "nbf": moment,
            "exp": moment + 600,
            "nonce": grant["nonce"],
            **grant["claims"],
        }
        header = {"alg": "RS256", "kid": self.key.kid}
        id_token = jwt.encode(header, claims, self.key)
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": id_token,
        }


def _handler(provider: IdentityProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            address = urlsplit(self.path)
            if address.path == "/v2.0/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif address.path == "/discovery/v2.0/keys":
                self._json(200, {"keys": [provider.published.as_dict(private=False)]})
            elif address.path == "/oauth2/v2.0/authorize":
                query = {k: v[0] for k, v in parse_qs(address.query).items()}
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/oauth2/v2.0/token":
                self._json(404, {"error": "not_found"})
                return
            status, body = provider.token(form, self.headers.get("Authorization", ""))
            self._json(status, body)

    return Handler
