"""`make bench`'s load test: 50 people at once against gunicorn and PostgreSQL.

Creates the database `qa_bench_load` on the local server, migrates it and loads the demo
council (`flask demo`), starts gunicorn as `make serve-prod` does (4 workers on 127.0.0.1,
production settings), signs 50 demo people in once each (a mix of roles like a council's:
practitioners, team managers, service managers, heads of service, the QA officer and the
administrator), then lets them browse for BENCH_LOAD_SECONDS (300 by default), each pausing
1 to 3 seconds between pages (busier than real people). Reports the requests, the failed
ones, p50/p95/p99 beside the same pages fetched by one person alone, and the memory (RSS) of
the gunicorn master and workers after warming up and at the end. Then it stops gunicorn and
drops the database.

    .venv/bin/python scripts/bench_load.py          # prints the rows of the table
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import load_users  # noqa: E402
import scale_data  # noqa: E402

from qa.config import normalise_database_url  # noqa: E402

DATABASE = "qa_bench_load"
WORKERS = 4  # as scripts/serve_prod.py
PASSWORD = "demo-supervision-2026"  # noqa: S105 (the demo council's published password)
# 50 people, in about the proportions of a council's staff who use the service.
MIX = (
    ("qa_officer", 1),
    ("administrator", 1),
    ("head_of_service", 3),
    ("service_manager", 6),
    ("team_manager", 12),
    ("senior_practitioner", 7),
    ("practitioner", 20),
)
BROWSED = ("/", "/audits/", "/organisation/", "/selections/", "/trends/")
ALONE_REPEATS = 5
GROWTH = 0.10  # memory is "flat" when it grows by no more than this share
Row = tuple[str, float, str, float, str, str]


def accounts(url: str) -> list[load_users.Account]:
    """The people who take part and the pages each one's navigation offers them.

    Asks the app itself (its navigation and its access policy), so nobody is sent to a page
    they may not see: a practitioner browses their own file, a manager files in their view.
    """
    from sqlalchemy import select

    from qa import create_app
    from qa.access import file_scope
    from qa.extensions import db
    from qa.main.navigation import navigation_for
    from qa.org.models import Staff, SupervisionFile

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secrets.token_hex(16),
            "REQUEST_LOGS": False,
        }
    )
    found = []
    with app.app_context(), app.test_request_context():
        for role, count in MIX:
            people = db.session.scalars(
                select(Staff)
                .where(
                    Staff.role == role,
                    Staff.leaving_date.is_(None),
                    Staff.password_hash.is_not(None),
                )
                .order_by(Staff.id)
                .limit(count)
            )
            for person in people:
                shown = {item.href for item in navigation_for(person)}
                pages = [page for page in BROWSED if page in shown]
                files = db.session.scalars(
                    select(SupervisionFile.id)
                    .join(Staff, Staff.id == SupervisionFile.supervisee_id)
                    .where(file_scope(person))
                    .order_by(SupervisionFile.id)
                    .limit(10)
                )
                pages += [f"/organisation/files/{file_id}" for file_id in files]
                found.append(load_users.Account(person.email, PASSWORD, tuple(pages)))
    return found


def clean_environment() -> dict[str, str]:
    """This shell's environment without the app's own settings (QA_...), so a setting meant
    for another installation (say QA_FORCE_HTTPS) cannot change what is measured."""
    return {key: value for key, value in os.environ.items() if not key.startswith("QA_")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn as in production; yields its address and the master's process id."""
    port = free_port()
    env = dict(
        clean_environment(),
        DATABASE_URL=url,
        QA_ENV_NAME="production",
        QA_SECRET_KEY=secrets.token_hex(32),
        QA_BASE_URL=f"http://127.0.0.1:{port}",
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "qa:create_app()",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, server)
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=60)


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}) before answering")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /health in time")


def rss_mb(master: int) -> float:
    """Resident memory of the gunicorn master and its workers, in MB (from /proc)."""
    pids = [master] + [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent(int(entry.name)) == master
    ]
    return sum(_rss_kb(pid) for pid in pids) / 1024


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def alone(users: list[load_users.VirtualUser]) -> tuple[list[float], int, int]:
    """The floor: one person at a time, each kind of page they browse a few times, with no
    one else on (it also warms every worker up before the memory is first read). Returns the
    times, how many requests were made and how many failed."""
    seconds = []
    made = failed = 0
    for timing in (False, True):  # the first round only warms up (templates, caches)
        for user in users:
            kinds: dict[str, str] = {}
            for path in user.account.pages:
                kinds.setdefault(load_users.page_label(path), path)
            for path in kinds.values():
                for _ in range(ALONE_REPEATS):
                    hit = user.get(path)
                    made += 1
                    failed += not hit.ok
                    if timing and hit.ok:
                        seconds.append(hit.seconds)
    return seconds, made, failed


def measure(seconds: float) -> list[Row]:
    url = scale_data.create_database(DATABASE, replace=True)
    try:
        scale_data.migrate(url)
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "flask"), "--app", "qa", "demo"],
            env=dict(clean_environment(), DATABASE_URL=url, QA_ENV_NAME="development"),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        people = accounts(normalise_database_url(url))
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "gunicorn.log"
            with gunicorn(url, log) as (base, master):
                users = [load_users.VirtualUser(base, account) for account in people]
                signed = load_users.Record()
                load_users.sign_in_all(users, signed)
                floor = alone(random.Random(1).sample(users, 12))  # noqa: S311
                start = rss_mb(master)
                peak = [start]
                stop = threading.Event()
                sampler = threading.Thread(target=_sample, args=(master, peak, stop))
                sampler.start()
                record = load_users.run(users, seconds)
                stop.set()
                sampler.join()
                end = rss_mb(master)
    finally:
        scale_data.drop_database(DATABASE)
    if os.environ.get("BENCH_VERBOSE"):
        by_page(record)
    return rows(record, signed, floor, (start, max(peak), end), seconds)


def by_page(record: load_users.Record) -> None:
    """Each page's count, p50 and p95 under load, on standard error (BENCH_VERBOSE=1)."""
    pages: dict[str, list[float]] = {}
    for hit in record.hits:
        pages.setdefault(hit.page, []).append(hit.seconds)
    for page, times in sorted(pages.items()):
        p50, p95 = (load_users.percentile(times, q) for q in (0.5, 0.95))
        print(f"  {page:<32} {len(times):6} {p50:7.3f} {p95:7.3f}", file=sys.stderr)


def _sample(master: int, peak: list[float], stop: threading.Event) -> None:
    while not stop.wait(5):
        peak.append(rss_mb(master))


def rows(
    record: load_users.Record,
    signed: load_users.Record,
    alone_: tuple[list[float], int, int],
    memory: tuple[float, float, float],
    seconds: float,
) -> list[Row]:
    times = [hit.seconds for hit in record.hits]
    p50, p95, p99 = (load_users.percentile(times, q) for q in (0.5, 0.95, 0.99))
    floor, made_alone, failed_alone = alone_
    f50, f95, f99 = (load_users.percentile(floor, q) for q in (0.5, 0.95, 0.99))
    errors = record.errors + signed.errors + failed_alone
    total = len(record.hits) + len(signed.sign_ins) + made_alone
    start, peak, end = memory
    flat = end <= start * (1 + GROWTH)
    label = f"Load, {len(signed.sign_ins)} users × {seconds:.0f} s"
    return [
        (
            f"{label}: p50 of {len(times):,} pages",
            p50,
            "one user alone: p50",
            f50,
            "(reported)",
            "–",
        ),
        (f"{label}: p95", p95, "one user alone: p95", f95, "< 0.3 s", _verdict(p95 < 0.3)),
        (f"{label}: p99", p99, "one user alone: p99", f99, "(reported)", "–"),
        (
            f"{label}: failed requests (count)",
            errors,
            f"of {total:,}, sign-ins included",
            0.0,
            "0",
            _verdict(errors == 0),
        ),
        (
            f"{label}: gunicorn RSS at end (MB)",
            round(end, 1),
            f"after warm-up (peak {peak:.0f})",
            round(start, 1),
            f"≤ +{GROWTH:.0%}",
            _verdict(flat),
        ),
        (
            f"{label}: sign-in p50 (scrypt, once each)",
            load_users.percentile([h.seconds for h in signed.sign_ins], 0.5),
            "",
            0.0,
            "(reported)",
            "–",
        ),
    ]


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
    print(f"Load test, {date.today().isoformat()}, {seconds:.0f} s")
    for row in measure(seconds):
        print(row)


if __name__ == "__main__":
    main()
