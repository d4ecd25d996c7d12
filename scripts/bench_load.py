"""`make bench`'s load test: 200 people at once against gunicorn and PostgreSQL, working.

Creates the database `qa_bench_load` on the local server, migrates it and loads the demo
council (`flask demo`), reopens some signed-off audits for correction (so auditors have work
for the whole run), starts gunicorn as `make serve-prod` does (4 workers on 127.0.0.1,
production settings) and signs in BENCH_LOAD_USERS people (200): everyone in the demo
council who can sign in, and practitioners a second time to make up the number. For
BENCH_LOAD_SECONDS (300) each browses the pages their navigation offers and does their work
through the real forms (scripts/load_journeys.py): auditors save sections and submit audits,
heads of service sign off and raise actions, supervisors and supervisees reply, owners mark
actions done. Each pauses BENCH_LOAD_THINK seconds ("5-15") between pages, as a person
reading them would. Reports the requests, the failed ones, p50/p95/p99 beside the same pages
fetched by one person alone, the p95 of the forms posted, the memory (RSS) of the gunicorn
master and workers after warming up and at the end, and the writes: how many were told done
and whether the database lost any or holds one twice. Then it stops gunicorn and drops the
database.

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

import load_journeys  # noqa: E402
import load_people  # noqa: E402
import load_users  # noqa: E402
import psycopg  # noqa: E402
import scale_data  # noqa: E402

from qa.config import normalise_database_url  # noqa: E402

DATABASE = "qa_bench_load"
WORKERS = 4  # as scripts/serve_prod.py
USERS = load_people.USERS
ALONE_REPEATS = 5
GROWTH = 0.10  # memory is "flat" when it grows by no more than this share
WARM_UP = 60.0  # seconds of load (at most a fifth of the run) before memory is first read
THINK = (5.0, 15.0)  # seconds a person spends on a page before the next (BENCH_LOAD_THINK)
Row = tuple[str, float, str, float, str, str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn as in production; yields its address and the master's process id."""
    port = free_port()
    env = dict(
        load_people.clean_environment(),
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


def cpu_seconds(master: int) -> float:
    """CPU time (user and system) of the gunicorn master and its workers so far, from /proc."""
    pids = [master] + [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent(int(entry.name)) == master
    ]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime
    return total / ticks


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


def measure(seconds: float, users_wanted: int = USERS) -> list[Row]:
    url = load_people.demo_database(DATABASE)
    try:
        people = load_people.accounts(normalise_database_url(url), users_wanted)
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "gunicorn.log"
            with gunicorn(url, log) as (base, master):
                users = [load_users.VirtualUser(base, account) for account in people]
                signed = load_users.Record()
                load_users.sign_in_all(users, signed)
                floor = alone(random.Random(1).sample(users, 12))  # noqa: S311
                samples = [(0.0, rss_mb(master))]
                cpu_before = cpu_seconds(master)
                stop = threading.Event()
                sampler = threading.Thread(target=_sample, args=(master, samples, stop))
                sampler.start()
                ledger = load_journeys.Ledger()
                worker = load_journeys.Worker(ledger, date.today())
                record = load_users.run(users, seconds, think=think(), act=worker)
                stop.set()
                sampler.join()
                end = rss_mb(master)
                cpu = cpu_seconds(master) - cpu_before
        checks = verify(url, ledger)
    finally:
        scale_data.drop_database(DATABASE)
    if os.environ.get("BENCH_VERBOSE"):
        by_page(record)
        unsure(ledger)
        print("  memory (s, MB):", *(f"{at:.0f} {mb:.0f}" for at, mb in samples), file=sys.stderr)
    start = warmed_up(samples, min(WARM_UP, seconds / 5))
    peak = max(mb for _, mb in samples)
    label = f"Load, {len(signed.sign_ins)} users × {seconds:.0f} s"
    return [
        *rows(record, signed, floor, (start, peak, end), seconds),
        cpu_row(label, cpu, len(record.hits), seconds),
        *write_rows(checks, label),
    ]


def cpu_row(label: str, cpu: float, requests: int, seconds: float) -> Row:
    """The app's CPU per request, whatever else the machine runs: what the load needs in
    cores is this times the requests per second."""
    per = cpu / max(1, requests)
    return (
        f"{label}: gunicorn CPU per request (ms)",
        round(per * 1000, 1),
        "cores the load needed",
        round(cpu / seconds, 2),
        "(reported)",
        "–",
    )


def think() -> tuple[float, float]:
    """The pause between one person's pages, from BENCH_LOAD_THINK ("5-15" seconds)."""
    low, _, high = os.environ.get("BENCH_LOAD_THINK", f"{THINK[0]:g}-{THINK[1]:g}").partition("-")
    return float(low), float(high or low)


def verify(url: str, ledger: load_journeys.Ledger) -> list[load_journeys.Check]:
    """The ledger against what the database holds once the servers have stopped."""
    with psycopg.connect(url) as conn:
        stored, standing = load_journeys.read_back(conn)
    return load_journeys.check(ledger, stored, standing)


def write_rows(checks: list[load_journeys.Check], label: str) -> list[Row]:
    """One row for the writes told done (by kind) and one for those lost or held twice."""
    done = sum(c.done for c in checks)
    kinds = ", ".join(f"{c.done} {c.kind}" for c in checks)
    unknown = sum(c.unknown for c in checks)
    refused = sum(c.refused for c in checks)
    wrong = sum(c.lost + c.twice for c in checks)
    return [
        (f"{label}: writes told done (count)", done, kinds, 0.0, "(reported)", "–"),
        (
            f"{label}: writes lost or applied twice (count)",
            wrong,
            f"{unknown} with no answer, {refused} refused",
            0.0,
            "0",
            verdict(wrong == 0),
        ),
    ]


def by_page(record: load_users.Record) -> None:
    """Each page's count, p50 and p95 under load, on standard error (BENCH_VERBOSE=1)."""
    pages: dict[str, list[float]] = {}
    for hit in record.hits:
        pages.setdefault(hit.page, []).append(hit.seconds)
    for page, times in sorted(pages.items()):
        p50, p95 = (load_users.percentile(times, q) for q in (0.5, 0.95))
        print(f"  {page:<32} {len(times):6} {p50:7.3f} {p95:7.3f}", file=sys.stderr)


def unsure(ledger: load_journeys.Ledger) -> None:
    """The writes refused or with no answer, on standard error (BENCH_VERBOSE=1)."""
    for write in ledger.writes:
        if write.outcome != "done":
            print(f"  {write.outcome}: {write.kind} {write.subject}: {write.said}", file=sys.stderr)


def _sample(master: int, samples: list[tuple[float, float]], stop: threading.Event) -> None:
    started = time.perf_counter()
    while not stop.wait(5):
        samples.append((time.perf_counter() - started, rss_mb(master)))


def warmed_up(samples: list[tuple[float, float]], after: float) -> float:
    """The memory once the load has run `after` seconds: by then each worker has loaded
    what the pages and forms use (the PDF library on its first sign-off, say).

    >>> warmed_up([(0.0, 900.0), (5.0, 950.0), (10.0, 1000.0), (15.0, 1001.0)], 10)
    1000.0
    """
    return next((mb for at, mb in samples if at >= after), samples[-1][1])


def rows(
    record: load_users.Record,
    signed: load_users.Record,
    alone_: tuple[list[float], int, int],
    memory: tuple[float, float, float],
    seconds: float,
) -> list[Row]:
    times = [hit.seconds for hit in record.hits]
    posts = [hit.seconds for hit in record.hits if hit.page.startswith("POST ")]
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
        (f"{label}: p95", p95, "one user alone: p95", f95, "< 0.3 s", verdict(p95 < 0.3)),
        (f"{label}: p99", p99, "one user alone: p99", f99, "(reported)", "–"),
        (
            f"{label}: p95 of {len(posts):,} forms posted",
            load_users.percentile(posts, 0.95),
            "one user alone, pages: p95",
            f95,
            "(reported)",
            "–",
        ),
        (
            f"{label}: requests per second",
            round(len(times) / seconds, 1),
            "",
            0.0,
            "(reported)",
            "–",
        ),
        (
            f"{label}: failed requests (count)",
            errors,
            f"of {total:,}, sign-ins included",
            0.0,
            "0",
            verdict(errors == 0),
        ),
        (
            f"{label}: gunicorn RSS at end (MB)",
            round(end, 1),
            f"after {min(WARM_UP, seconds / 5):.0f} s of load (peak {peak:.0f})",
            round(start, 1),
            f"≤ +{GROWTH:.0%}",
            verdict(flat),
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


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
    users = int(os.environ.get("BENCH_LOAD_USERS", str(USERS)))
    print(f"Load test, {date.today().isoformat()}, {users} users, {seconds:.0f} s")
    for row in measure(seconds, users):
        print(row)


if __name__ == "__main__":
    main()
