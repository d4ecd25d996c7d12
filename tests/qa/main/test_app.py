from __future__ import annotations

import pytest

from qa import create_app
from qa.config import ConfigurationError
from qa.jobs.notify import link_to

BASE = "https://supervision-audit.example.gov.uk"
STRONG_KEY = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c2b4d6f8e0a1c3e5b7d9f1a3c5e7b9d0f"


def test_production_refuses_to_start_with_the_default_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production"})


@pytest.mark.parametrize("environment", ["Production", "prod", "staging", "live", ""])
def test_any_environment_but_development_or_testing_refuses_the_public_key(
    tmp_path, monkeypatch, environment
):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="development key, which is public"):
        create_app({"ENV_NAME": environment})


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("x", "1 bytes long"),
        ("a-long-random-production-key", "too short"),
        ("x" * 64, "too few characters"),
        ("abab" * 16, "too few characters"),
        ("", "not set"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, monkeypatch, key, problem):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match=problem):
        create_app({"ENV_NAME": "production", "SECRET_KEY": key})


def test_an_unset_environment_counts_as_production_and_says_how_to_make_a_key(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("QA_ENV_NAME", raising=False)
    monkeypatch.delenv("QA_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    message = str(refused.value)
    assert "counts as production" in message
    assert "secrets.token_hex(32)" in message and "QA_SECRET_KEY" in message


def test_production_starts_with_its_own_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY, "BASE_URL": BASE})
    assert app.config["SECRET_KEY"] == STRONG_KEY


def test_production_refuses_to_start_without_the_address_e_mails_link_to(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="QA_BASE_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY})


@pytest.mark.parametrize(
    ("settings", "address"),
    [
        ({"BASE_URL": BASE + "/"}, BASE),
        (
            {"SERVER_NAME": "audit.council.gov.uk", "PREFERRED_URL_SCHEME": "https"},
            "https://audit.council.gov.uk",
        ),
        (
            {"SERVER_NAME": "intranet:8443", "PREFERRED_URL_SCHEME": "http"},
            "http://intranet:8443",
        ),
        (
            {"SERVER_NAME": "intranet", "APPLICATION_ROOT": "/audit/"},
            "http://intranet/audit",
        ),
    ],
)
def test_e_mails_link_to_the_address_the_service_runs_on(tmp_path, monkeypatch, settings, address):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": STRONG_KEY, **settings})
    with app.app_context():
        assert link_to("/audits/7") == address + "/audits/7"


def test_development_links_point_at_make_runs_address_only_when_nothing_is_set(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"ENV_NAME": "development"})
    with app.app_context():
        assert link_to("/actions/") == "http://127.0.0.1:5000/actions/"


def test_development_and_testing_may_use_the_public_key(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QA_ENV_NAME", "development")
    assert create_app().config["ENV_NAME"] == "development"
    assert create_app({}).config["ENV_NAME"] == "testing"


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QA_ENV_NAME", "development")
    monkeypatch.setenv("QA_COUNCIL_NAME", "Example City Council")
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.internal/qa")
    app = create_app()
    assert app.config["COUNCIL_NAME"] == "Example City Council"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.internal/qa"


def test_instance_config_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QA_ENV_NAME", "development")
    (tmp_path / "config.py").write_text('COUNCIL_NAME = "Instance Council"\n')
    assert create_app().config["COUNCIL_NAME"] == "Instance Council"


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_accessibility_statement_is_public(client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert "Accessibility statement" in response.get_data(as_text=True)


def test_unknown_page_shows_the_service_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_calm_page_and_no_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_health_endpoint_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize(
    "role",
    [
        "practitioner",
        "team_manager",
        "service_manager",
        "head_of_service",
        "qa_officer",
        "administrator",
    ],
)
def test_every_role_has_a_home_page_that_says_what_to_do(sign_in_as, role):
    response = sign_in_as(role).get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What you need to do" in body
    assert "GDS Transport" not in body


def test_pages_carry_the_council_name_and_no_crown(sign_in_as):
    body = sign_in_as("team_manager").get("/").get_data(as_text=True)
    assert "Demo City Council" in body
    assert "govuk-header__logotype" not in body
    assert "Crown copyright" not in body


def test_names_in_table_links_are_escaped_once_not_twice(sign_in_as, org):
    from qa.extensions import db

    person = org.people["practitioner"]
    person.name = "Pat <O'Neil> & Co"
    db.session.commit()
    body = (
        sign_in_as("team_manager")
        .get(f"/organisation/teams/{org.teams['N1'].id}")
        .get_data(as_text=True)
    )
    assert '<a class="govuk-link" href="/organisation/people/' in body
    assert "Pat &lt;O&#39;Neil&gt; &amp; Co" in body
    assert "&lt;a class" not in body


def test_only_the_current_pages_tab_is_marked_in_the_navigation(sign_in_as):
    body = sign_in_as("qa_officer").get("/trends/themes").get_data(as_text=True)
    assert body.count("govuk-service-navigation__item--active") == 1
    active = body.split("govuk-service-navigation__item--active")[1][:300]
    assert "Themes" in active
