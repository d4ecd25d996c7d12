"""The data generation: one number that goes up whenever a commit changes what the figures
are made from, so that figures worked out once can be reused until it moves.

Every committed transaction that wrote to a table other than the bookkeeping ones below
(the event log, the outbox, job runs, stored documents and reports) adds one to the number,
as its last statement before COMMIT. The writes are noticed on the ORM session: objects
added, changed or deleted at a flush, and insert, update and delete statements run through
it (the organisation import's bulk upserts). A staff member's sign-in bookkeeping (password,
session version, signed-in sessions, failed attempts) changes no figure and does not count.

On PostgreSQL the update takes the row's lock at the very end of the transaction, after
every other write, so writers queue for the commit only, and cannot deadlock on it: the
holder waits for nothing else. A reader takes the number before it reads the data (see
`qa.trends.cache`), so figures are never filed under a newer number than they saw.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer, event, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from qa.extensions import Model, db

ROW = 1
CHANGED = "qa.data_changed"
BOOKKEEPING = frozenset(
    {
        "data_generation",
        "event",
        "job_run",
        "outbox_message",
        "period_report",
        "sign_in_session",
        "sign_in_throttle",
        "stored_document",
    }
)
SIGN_IN_COLUMNS = frozenset({"password_hash", "session_version"})


class DataGeneration(Model):
    """The single row holding the data generation."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def current() -> int:
    """The generation as this transaction sees it (0 before the first counted commit)."""
    return int(db.session.scalar(select(DataGeneration.value).where(DataGeneration.id == ROW)) or 0)


def _table(obj: Any) -> str | None:
    table = getattr(obj, "__table__", None)
    return getattr(table, "name", None)


def _counts(obj: Any, *, changed: bool) -> bool:
    """Whether a write to this object can change a figure."""
    name = _table(obj)
    if name is None or name in BOOKKEEPING:
        return False
    if changed and name == "staff":
        state = inspect(obj)
        touched = {attr.key for attr in state.attrs if attr.history.has_changes()}
        return bool(touched - SIGN_IN_COLUMNS)
    return True


@event.listens_for(Session, "before_flush")
def _notice_objects(session: Session, *_event_args: Any) -> None:
    if session.info.get(CHANGED):
        return
    if any(_counts(obj, changed=False) for obj in (*session.new, *session.deleted)) or any(
        _counts(obj, changed=True) for obj in session.dirty
    ):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _notice_statements(state: Any) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name not in BOOKKEEPING:
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_on(session: Session) -> None:
    """Add one to the generation as the last write of a transaction that changed data.

    The flag is cleared only here: a rolled-back transaction leaves it set, and the session's
    next commit moves the generation on for nothing, which is harmless."""
    session.flush()
    if not session.info.pop(CHANGED, False):
        return
    moved = session.execute(
        update(DataGeneration)
        .where(DataGeneration.id == ROW)
        .values(value=DataGeneration.value + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 1) == 0:
        session.add(DataGeneration(id=ROW, value=1))
        session.flush()
