"""Fixtures: the app on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set),
a client that checks every page it fetches, and signed-in clients per role."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from qa import create_app
from qa.extensions import db
from qa.trends import cache as trends_cache
from tests.factories import Org, make_org
from tests.pagecheck import check_page

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
TODAY = date(2026, 11, 23)
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fast unit tests of the pure libraries first; browser tests last."""

    def rank(item: pytest.Item) -> int:
        path = str(item.path)
        if "/tests/browser/" in path:
            return 2
        if any(f"/tests/{pure}/" in path for pure in ("sampling", "audit_tools", "trend_maths")):
            return 0
        return 1

    items.sort(key=rank)


_prepared: dict[str, str] = {}


def _worker_database() -> str:
    """Parallel workers (pytest -n) each test on a throwaway PostgreSQL database of their
    own, on the server TEST_DATABASE_URL names, dropped when the worker ends."""
    import atexit

    from tests import throwaway_db

    url = throwaway_db.create()
    if not url:
        raise RuntimeError("TEST_DATABASE_URL is set but no PostgreSQL server answered")
    atexit.register(throwaway_db.drop, url)
    return url


def _database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate each backend's database once per run, with Alembic, as production does."""
    if backend not in _prepared:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        elif os.environ.get("PYTEST_XDIST_WORKER"):
            url = _worker_database()
        else:
            from qa.config import normalise_database_url

            url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
        _prepared[backend] = url
    return _prepared[backend]


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    url = _database_url(request.param, tmp_path_factory)
    instance = tmp_path_factory.mktemp("instance")
    os.environ["QA_INSTANCE_PATH"] = str(instance)
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "FIXED_NOW": datetime(2026, 11, 23, 10, 0),
            "SERVER_NAME": "localhost",
        }
    )
    application.instance_path = str(instance)
    with application.app_context():
        _empty_tables()
        yield application
        db.session.remove()
        _empty_tables()
    os.environ.pop("QA_INSTANCE_PATH", None)


def _empty_tables() -> None:
    """Every table emptied, except the data generation: it only ever goes up, so figures kept
    by `qa.trends.cache` in an earlier test can never be taken for this test's."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "data_generation":
            db.session.execute(table.delete())
    db.session.commit()
    trends_cache.forget()


class CheckingClient(FlaskClient):
    """Checks every HTML page it fetches, and posts forms with the page's CSRF token."""

    csrf_token: str | None = None

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:  # type: ignore[override]
        # Each request runs in an empty context, so it gets its own app context, `g` and
        # database session, as in production, not the test's.
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        if response.mimetype == "text/html" and response.status_code != 302:
            html = response.get_data(as_text=True)
            check_page(html, str(args[0] if args else kwargs.get("path")))
            if match := CSRF.search(html):
                self.csrf_token = match.group(1) or match.group(2)
        return response

    def post(self, *args: Any, csrf: bool = True, **kwargs: Any) -> TestResponse:  # type: ignore[override]
        data = kwargs.get("data")
        if csrf and isinstance(data, dict) and "csrf_token" not in data:
            if self.csrf_token is None:
                self.get("/sign-in")
            data["csrf_token"] = self.csrf_token
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = CheckingClient
    return app.test_client()


@pytest.fixture
def org(app: Flask) -> Org:
    return make_org()


@pytest.fixture
def sign_in_as(app: Flask, org: Org) -> Any:
    """sign_in_as("team_manager") -> a client signed in as that person (or a named one)."""

    def sign_in(who: str) -> CheckingClient:
        person = org.people[who]
        app.test_client_class = CheckingClient
        client = app.test_client()
        response = client.post("/sign-in", data={"email": person.email, "password": org.password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        client.get("/")  # a page after sign-in carries the new session's CSRF token
        return client  # type: ignore[return-value]

    return sign_in
