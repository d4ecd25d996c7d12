"""Which scheduler process leads, when each app host runs one.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own for
as long as it lives, and only the leader runs the jobs. When its process dies, even without
warning (kill -9, a host that goes down), the server drops that connection and the lock with
it, and the next follower to ask (every LEADER_POLL_SECONDS) takes the lead. The lock's
connection is named after its process ("qa scheduler <host> <pid>"), so `holder` can say who
leads. On SQLite there is one process, which always leads. The per-run job locks and the
unique keys in qa.jobs.service still stop a job's work being done twice if two ever overlap.
"""

from __future__ import annotations

import logging
import os
import socket

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from qa.jobs.service import lock_key

log = logging.getLogger(__name__)

LEADER_KEY = lock_key("scheduler-leader")
HOLDER_SQL = """
    SELECT activity.application_name
    FROM pg_locks AS held
    JOIN pg_stat_activity AS activity ON activity.pid = held.pid
    WHERE held.locktype = 'advisory' AND held.granted AND held.objsubid = 1
      AND held.classid = :high AND held.objid = :low
      AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def process_name() -> str:
    return f"qa scheduler {socket.gethostname()} {os.getpid()}"


def key_halves(key: int = LEADER_KEY) -> dict[str, int]:
    """The two 32-bit halves pg_locks shows a 64-bit advisory lock key as."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    return {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF}


class Leadership:
    """This process's claim to lead, held on one connection kept out of the pool."""

    def __init__(self, engine: Engine, name: str | None = None) -> None:
        self.engine = engine
        self.name = name or process_name()
        self._conn: Connection | None = None

    def hold(self) -> bool:
        """Whether this process leads now: its lock's connection is still alive, or it has
        just taken the lock because nobody else held it."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                log.warning("The scheduler lost its connection to the database and the lead")
                self.release()
        return self._take()

    def _take(self) -> bool:
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError:
            return False
        try:
            conn.execute(
                text("SELECT set_config('application_name', :name, false)"), {"name": self.name}
            )
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_KEY})
            if taken.scalar():
                self._conn = conn
                return True
        except DBAPIError as error:
            log.info("The scheduler could not ask for the lead this time: %s", error)
        conn.invalidate()  # a follower keeps no connection of its own between tries
        conn.close()
        return False

    def release(self) -> None:
        """Give up the lead: the connection is closed, not returned to the pool, so the lock
        cannot outlive it."""
        if self._conn is None:
            return
        try:
            self._conn.invalidate()
            self._conn.close()
        finally:
            self._conn = None


def holder(conn: Connection) -> str | None:
    """The name of the process that leads, or None when no scheduler holds the lead."""
    if conn.dialect.name != "postgresql":
        return None
    return conn.execute(text(HOLDER_SQL), key_halves()).scalar()
