"""Create or drop a throwaway PostgreSQL database for the test suite.

`create` prints a URL when a server answers on 127.0.0.1:5432 (user postgres), or nothing.
`drop URL` removes it again.
"""

from __future__ import annotations

import secrets
import sys

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _connect():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)


def create() -> str:
    try:
        conn = _connect()
    except Exception:  # noqa: BLE001 (no server: the suite runs on SQLite only)
        return ""
    name = f"qa_test_{secrets.token_hex(4)}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    if not name.startswith("qa_test_"):
        raise SystemExit(f"Refusing to drop {name}: not a throwaway test database")
    with _connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"]:
        print(create())
    elif sys.argv[1:2] == ["drop"] and len(sys.argv) == 3:
        drop(sys.argv[2])
    else:
        raise SystemExit("usage: throwaway_db.py create | drop URL")
