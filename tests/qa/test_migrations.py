"""The migrations: from nothing to the newest schema and back, on SQLite and PostgreSQL, and
the newest schema is exactly what the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from qa import create_app
from qa.extensions import db
from tests import throwaway_db

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database with no tables, of each kind the suite runs on."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = throwaway_db.create()
    if not url:
        pytest.skip("no PostgreSQL server answered")
    try:
        yield url
    finally:
        throwaway_db.drop(url)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_and_upgrade_again(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        created = _tables(empty_database)
        assert {"audit", "audit_answer", "staff", "data_generation"} <= created
        assert created - {"alembic_version"} == set(db.metadata.tables)
        downgrade(revision="base")
        assert _tables(empty_database) <= {"alembic_version"}
        upgrade()
        assert _tables(empty_database) == created
        db.engine.dispose()


def test_the_migrated_schema_is_what_the_models_describe(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []
