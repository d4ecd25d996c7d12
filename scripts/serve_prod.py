"""`make serve-prod`: the production set-up on one machine, with the local PostgreSQL.

Creates the database `qa_production` if needed, keeps a secret key in instance/secret_key,
applies the migrations, loads the demo council into an empty database, then runs one
scheduler process and gunicorn on http://127.0.0.1:8000 until interrupted.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SERVER = os.environ.get("QA_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")
NAME = "qa_production"


def main() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (NAME,)).fetchone():
            conn.execute(f'CREATE DATABASE "{NAME}"')
    key_file = ROOT / "instance" / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    env = dict(
        os.environ,
        DATABASE_URL=f"{SERVER}/{NAME}",
        QA_ENV_NAME="production",
        QA_SECRET_KEY=key_file.read_text().strip(),
        QA_BASE_URL=os.environ.get("QA_BASE_URL", "http://127.0.0.1:8000"),
    )
    flask = [str(BIN / "flask"), "--app", "qa"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True)
    subprocess.run([*flask, "demo", "--if-empty"], env=env, check=True)
    scheduler = subprocess.Popen([*flask, "scheduler"], env=env)
    try:
        subprocess.run(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "4",
                "--bind",
                "127.0.0.1:8000",
                "qa:create_app()",
            ],
            env=env,
            check=False,
        )
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
