"""Browser tests: the app served on 127.0.0.1 by werkzeug in a thread, driven by Playwright
in Debian's headless Chromium, with axe-core checking every page.

Each test gets its own SQLite database (a copy of one migrated with Alembic at the start) and
its own server. A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.serving import make_server

from qa import create_app
from qa.extensions import db
from qa.org.models import Staff
from tests.browser.pages import AXE_DIR, Checker, TitleBook
from tests.factories import Org, make_org

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
NOW = datetime(2026, 11, 23, 10, 0)
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    """Keep each phase's report on the test, so the page fixture knows it failed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "Browser tests need Debian's Chromium at /usr/bin/chromium "
            "(apt-get install chromium chromium-driver; `make test` installs it)"
        )
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def titles() -> TitleBook:
    """Every page title the journeys met, by route, to check they are unique."""
    return TitleBook()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated with Alembic, copied for each test."""
    path = tmp_path_factory.mktemp("browser-db") / "migrated.sqlite"
    os.environ.setdefault("QA_INSTANCE_PATH", str(path.parent))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return path


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str


class Live:
    """The running service: its address, its app (for building data) and its people."""

    def __init__(self, app: Flask, url: str, people: dict[str, Person]) -> None:
        self.app, self.url, self.people = app, url, people

    def has_route(self, path: str) -> bool:
        adapter = self.app.url_map.bind("127.0.0.1")
        try:
            adapter.match(path, method="GET")
        except Exception:  # noqa: BLE001 (NotFound or a redirect: not a page here)
            return False
        return True

    def build(self, make: Callable[[Org], Any]) -> Any:
        """Make records for the journey inside the app, as the services would."""
        with self.app.app_context():
            org = Org(people={k: db.session.get(Staff, p.id) for k, p in self.people.items()})
            return make(org)


@pytest.fixture
def live(
    migrated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Live]:
    """The service on 127.0.0.1; parametrize indirectly with a dict to change settings."""
    database = tmp_path / "service.sqlite"
    shutil.copy(migrated, database)
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "browser-test-secret-key",
            "FIXED_NOW": NOW,
            "REPORT_WAIT_SECONDS": 60,
            **getattr(request, "param", {}),
        }
    )
    app.instance_path = str(tmp_path)
    with app.app_context():
        people = {k: Person(p.id, p.email, p.name) for k, p in make_org().people.items()}
    # axe-core is served from the same origin, so the page's own security policy allows it.
    served = SharedDataMiddleware(app, {"/__axe__": str(AXE_DIR)})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}", people)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def page(
    browser: Any, live: Live, titles: TitleBook, request: pytest.FixtureRequest
) -> Iterator[Checker]:
    context = browser.new_context(base_url=live.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    checker = Checker(tab, live, titles)
    try:
        yield checker
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()
