"""Slowing down password guessing without locking anyone out.

After a few failed sign-ins in a row for one email address, or from one client address,
each further attempt must wait twice as long as the one before, up to a longest wait (a
minute for an email address, five minutes for a client address: see the SIGN_IN_ settings).
Nobody is ever locked out, so someone who fails on purpose can hold a real person up by a
minute at most. Email addresses are counted whether or not anyone has them, so the waits
say nothing about which addresses exist. Counts are forgotten an hour after the last failure,
and a successful sign-in clears the counts for its email address and client address.

The counts live in the database, so every web worker on every host sees the same ones, and
all timing comes from `qa.clock`, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from qa.auth.models import SignInThrottle
from qa.extensions import db


@dataclass(frozen=True)
class Counter:
    """One thing failures are counted against, with its free failures and longest wait."""

    key: str
    free: int
    longest: timedelta


def counters(email: str, address: str | None) -> list[Counter]:
    """The email address's counter and the client address's (both kept only as hashes)."""
    config = current_app.config
    return [
        Counter(
            _key("email", email.strip().lower()),
            config["SIGN_IN_FREE_FAILURES_ACCOUNT"],
            config["SIGN_IN_LONGEST_WAIT_ACCOUNT"],
        ),
        Counter(
            _key("address", address or "unknown"),
            config["SIGN_IN_FREE_FAILURES_ADDRESS"],
            config["SIGN_IN_LONGEST_WAIT_ADDRESS"],
        ),
    ]


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def wait_after(failures: int, free: int, longest: timedelta) -> timedelta:
    """How long the next attempt must wait after `failures` in a row: nothing while some
    are still free, then 1 second, 2, 4 and so on, never more than `longest`."""
    if failures < free:
        return timedelta(0)
    return min(longest, timedelta(seconds=2 ** min(failures - free, 30)))


def wait_needed(found: list[Counter], moment: datetime) -> timedelta:
    """How much longer the next attempt must wait (zero when it may go ahead)."""
    keys = {counter.key: counter for counter in found}
    forget = current_app.config["SIGN_IN_FORGET_FAILURES_AFTER"]
    longest = timedelta(0)
    for row in db.session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_(keys))):
        if moment - row.last_failed_at > forget:
            continue
        counter = keys[row.key]
        allowed_at = row.last_failed_at + wait_after(row.failures, counter.free, counter.longest)
        longest = max(longest, allowed_at - moment)
    return longest


def failed(found: list[Counter], moment: datetime) -> None:
    """Count a failure against each counter (one statement each, safe between workers);
    the caller commits."""
    forget_before = moment - current_app.config["SIGN_IN_FORGET_FAILURES_AFTER"]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for counter in found:
        statement = insert(SignInThrottle).values(
            key=counter.key, failures=1, last_failed_at=moment
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[SignInThrottle.key],
                set_={
                    "failures": case(
                        (SignInThrottle.last_failed_at < forget_before, 1),
                        else_=SignInThrottle.failures + 1,
                    ),
                    "last_failed_at": moment,
                },
            )
        )
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.last_failed_at < forget_before))


def succeeded(found: list[Counter]) -> None:
    """Clear the counters after a successful sign-in; the caller commits."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_([c.key for c in found])))
