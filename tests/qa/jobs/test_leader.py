"""One scheduler leads: the lead is a session advisory lock on PostgreSQL, it names its
process, and another process takes it over when the leader's connection goes."""

from __future__ import annotations

import threading

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from qa.extensions import db
from qa.jobs import scheduler as scheduler_module
from qa.jobs.leader import Leadership, holder, key_halves


def _on_postgres(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("The lead is shared between processes on PostgreSQL only")


def test_the_lock_key_is_shown_by_postgres_as_two_unsigned_halves():
    assert key_halves(-1) == {"high": 0xFFFFFFFF, "low": 0xFFFFFFFF}
    assert key_halves(5 << 32 | 7) == {"high": 5, "low": 7}


def test_only_one_scheduler_leads_and_it_is_named_until_it_goes(app):
    _on_postgres(app)
    first = Leadership(db.engine, "qa scheduler host-a 101")
    second = Leadership(db.engine, "qa scheduler host-b 202")
    try:
        assert first.hold() and not second.hold()
        assert first.hold(), "the leader keeps the lead while its connection lives"
        with db.engine.connect() as conn:
            assert holder(conn) == "qa scheduler host-a 101"
        first.release()  # as when its process dies: the server drops the connection
        assert second.hold()
        with db.engine.connect() as conn:
            assert holder(conn) == "qa scheduler host-b 202"
    finally:
        first.release()
        second.release()


def test_a_leader_whose_connection_was_cut_asks_again(app):
    _on_postgres(app)
    leader = Leadership(db.engine, "qa scheduler host-a 101")
    try:
        assert leader.hold()
        leader._conn.invalidate()  # the database restarted under it
        assert leader.hold()
        with db.engine.connect() as conn:
            assert holder(conn) == "qa scheduler host-a 101"
    finally:
        leader.release()


def test_on_sqlite_the_one_scheduler_always_leads(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite runs one process")
    assert Leadership(db.engine).hold()
    with db.engine.connect() as conn:
        assert holder(conn) is None


def test_a_waiting_scheduler_runs_no_jobs_while_another_leads(app, monkeypatch):
    _on_postgres(app)
    started = []
    monkeypatch.setattr(BackgroundScheduler, "start", lambda self: started.append(self))
    other = Leadership(db.engine, "qa scheduler host-b 202")
    stop = threading.Event()
    stop.set()  # one turn of the loop
    try:
        assert other.hold()
        scheduler_module.run_blocking(app, stop)
        assert started == []
        other.release()
        scheduler_module.run_blocking(app, stop)
        assert len(started) == 1
    finally:
        other.release()
