"""The app on a bench database, with a test client signed in as its first quality assurance
officer (given a fresh password for the run), as the page benchmarks time it."""

from __future__ import annotations

import secrets
import sys
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.config import normalise_database_url  # noqa: E402


def officer_client(url: str, on: date, **settings: object) -> tuple[Any, Any]:
    """(app, client) for the database at `url` (libpq URL) with the clock at 09:00 on `on`;
    `settings` are added to the app's configuration (TRENDS_CACHE, say)."""
    from sqlalchemy import select

    from qa import create_app
    from qa.auth.passwords import hash_password
    from qa.extensions import db
    from qa.org.models import Staff

    password = secrets.token_urlsafe(16)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SECRET_KEY": secrets.token_hex(32),
            "WTF_CSRF_ENABLED": False,
            "REQUEST_LOGS": False,
            "FIXED_NOW": datetime.combine(on, clock(9, 0)),
            **settings,
        }
    )
    with app.app_context():
        officer = db.session.scalar(
            select(Staff).where(Staff.role == "qa_officer").order_by(Staff.id).limit(1)
        )
        assert officer is not None, "the bench database has no QA officer"
        officer.password_hash = hash_password(password)
        email = officer.email
        db.session.commit()
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": email, "password": password})
    assert signed_in.status_code == 302, f"sign-in failed: {signed_in.status_code}"
    return app, client
