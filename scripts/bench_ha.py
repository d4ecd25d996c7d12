"""`make bench-ha`: two app hosts behind HAProxy, and one of them dies during the load test.

Makes the database `qa_bench_ha` with the demo council, then starts on 127.0.0.1 what two
app hosts and their load balancer would run: on each "host" a gunicorn group (as `make
serve-prod`: 4 workers, production settings, one secret key for both so a session works on
either) and a scheduler process (`flask --app qa scheduler`), and HAProxy from the operating
system in front (health checks on /health every second; a request that could not reach a
server is sent to the other, and a GET that got no answer is tried again there, but a form
that reached a server is never posted twice). Host A's scheduler is started first so that it
leads. The load test's people (BENCH_LOAD_USERS, 200) then browse and work through the forms
for BENCH_LOAD_SECONDS (300) through HAProxy. A third of the way in, host A dies: its
gunicorn group and its scheduler get SIGKILL at once; BENCH_HA_DOWN_SECONDS (15) later both
start again.

Reports the requests and the failed ones, split into those in flight when host A died and
the others; the writes told done, those whose outcome the person could not know, and any
the database lost or holds twice (every write carries a token; see load_journeys); and how
long the scheduler's lead took to move to host B, read from PostgreSQL's locks. Then stops
everything and drops the database.

    .venv/bin/python scripts/bench_ha.py          # prints the rows of the table
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_load  # noqa: E402
import load_journeys  # noqa: E402
import load_people  # noqa: E402
import load_users  # noqa: E402
import scale_data  # noqa: E402
from sqlalchemy import Engine, create_engine  # noqa: E402

from qa.config import normalise_database_url  # noqa: E402
from qa.jobs.leader import holder  # noqa: E402

DATABASE = "qa_bench_ha"
HAPROXY = "/usr/sbin/haproxy"
Row = bench_load.Row

HAPROXY_CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    # A request that never reached a server is sent to the other one; one that reached a
    # server and got no answer is tried again only if it is a GET (see disable-l7-retry).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503 504
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    # A dead host refuses the check's connection at once; a busy one may answer slowly, and
    # is not taken out for that (its sync workers answer /health between pages).
    option httpchk GET /health
    http-check expect status 200
    timeout check 10s
    default-server inter 1s fall 2 rise 2
    server a 127.0.0.1:{a} check
    server b 127.0.0.1:{b} check
"""


@dataclass
class Host:
    """One app host: a gunicorn group and a scheduler, each in a process group of its own."""

    name: str
    port: int
    env: dict[str, str]
    folder: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, scheduler: bool = True) -> None:
        gunicorn = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            str(bench_load.WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "qa:create_app()",
        ]
        self.processes = [self._spawn(gunicorn, "gunicorn")]
        if scheduler:
            flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "qa", "scheduler"]
            self.processes.append(self._spawn(flask, "scheduler"))

    def _spawn(self, command: list[str], what: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{self.name}-{what}.log").open("a")
        return subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the whole group can be killed
        )

    @property
    def scheduler_pid(self) -> int | None:
        return self.processes[1].pid if len(self.processes) > 1 else None

    def kill(self) -> None:
        """SIGKILL to every process of the host at once, as when a machine dies."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):  # that group has already gone
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


@dataclass
class Chaos:
    """What happened to host A and to the scheduler's lead, with times on the load test's
    clock (time.perf_counter)."""

    killed_at: float = 0.0
    restarted_at: float = 0.0
    leader_before: str | None = None
    leader_after: str | None = None
    moved_after: float | None = None
    back_after: float | None = None
    a_led: bool = False


def haproxy_installed() -> bool:
    return Path(HAPROXY).exists() or shutil.which("haproxy") is not None


def leader_name(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return holder(conn)


def wait_for(check: Callable[[], bool], seconds: float, every: float = 0.2) -> float | None:
    """Seconds until check() is true, or None if it was not within `seconds`."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if check():
            return time.perf_counter() - started
        time.sleep(every)
    return None


def scheduler_of(host: Host) -> str:
    return f" {host.scheduler_pid}"


def upset(
    hosts: tuple[Host, Host], engine: Engine, chaos: Chaos, after: float, down: float
) -> None:
    """A third of the way in, kill host A (gunicorn group and its leading scheduler) and
    watch the lead move to host B; start host A again `down` seconds later."""
    a, b = hosts
    time.sleep(after)
    chaos.leader_before = leader_name(engine)
    chaos.a_led = (chaos.leader_before or "").endswith(scheduler_of(a))
    chaos.killed_at = time.perf_counter()
    a.kill()
    moved = wait_for(lambda: (leader_name(engine) or "").endswith(scheduler_of(b)), max(down, 30))
    chaos.moved_after = moved
    chaos.leader_after = leader_name(engine)
    time.sleep(max(0.0, down - (time.perf_counter() - chaos.killed_at)))
    a.start()
    chaos.restarted_at = time.perf_counter()
    chaos.back_after = wait_for(lambda: answers(a.port), 120)


def answers(port: int) -> bool:
    """Whether the host's gunicorn answers /health (as HAProxy's check asks it)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def measure(seconds: float, users_wanted: int, down: float) -> list[Row]:
    url = load_people.demo_database(DATABASE)
    engine = create_engine(normalise_database_url(url))
    try:
        people = load_people.accounts(normalise_database_url(url), users_wanted)
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            record, signed, ledger, chaos = _run(url, engine, people, folder, seconds, down)
            if os.environ.get("BENCH_VERBOSE"):
                for log in sorted(folder.glob("*.log")):
                    print(
                        f"--- {log.name}",
                        *log.read_text().splitlines()[-8:],
                        sep="\n",
                        file=sys.stderr,
                    )
        checks = bench_load.verify(url, ledger)
    finally:
        engine.dispose()
        scale_data.drop_database(DATABASE)
    if os.environ.get("BENCH_VERBOSE"):
        bench_load.by_page(record)
        bench_load.unsure(ledger)
    return rows(record, signed, checks, chaos, seconds)


def _run(
    url: str,
    engine: Engine,
    people: list[load_users.Account],
    folder: Path,
    seconds: float,
    down: float,
) -> tuple[load_users.Record, load_users.Record, load_journeys.Ledger, Chaos]:
    front, port_a, port_b = (bench_load.free_port() for _ in range(3))
    base = f"http://127.0.0.1:{front}"
    env = dict(
        load_people.clean_environment(),
        DATABASE_URL=url,
        QA_ENV_NAME="production",
        QA_SECRET_KEY=secrets.token_hex(32),
        QA_BASE_URL=base,
        QA_LEADER_POLL_SECONDS="1",
    )
    hosts = (Host("a", port_a, env, folder), Host("b", port_b, env, folder))
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=front, a=port_a, b=port_b))
    haproxy = None
    try:
        hosts[0].start()
        if wait_for(lambda: leader_name(engine) is not None, 60) is None:
            raise RuntimeError("host A's scheduler did not take the lead")
        hosts[1].start()
        with (folder / "haproxy.log").open("w") as log:
            haproxy = subprocess.Popen(
                [HAPROXY, "-f", str(config), "-db"], cwd=folder, stdout=log, stderr=log
            )
        for host in hosts:
            bench_load.wait_until_healthy(f"http://127.0.0.1:{host.port}", host.processes[0])
        bench_load.wait_until_healthy(base, haproxy)
        time.sleep(3)  # HAProxy's health checks see both servers up
        users = [load_users.VirtualUser(base, account) for account in people]
        signed = load_users.Record()
        load_users.sign_in_all(users, signed)
        chaos = Chaos()
        ledger = load_journeys.Ledger()
        worker = load_journeys.Worker(ledger, date.today())
        trouble = threading.Thread(
            target=upset, args=(hosts, engine, chaos, seconds / 3, down), daemon=True
        )
        trouble.start()
        record = load_users.run(users, seconds, think=bench_load.think(), act=worker)
        trouble.join()
        return record, signed, ledger, chaos
    finally:
        if haproxy is not None:
            haproxy.terminate()
            haproxy.wait(timeout=30)
        for host in hosts:
            host.stop()


def split_errors(record: load_users.Record, killed_at: float) -> tuple[int, int, int]:
    """(Requests in flight when the host died, how many of those failed, other failures). A
    request was in flight when it had started before the kill and had not yet ended."""
    in_flight = failed_in_flight = other = 0
    for hit in record.hits:
        flying = hit.started <= killed_at <= hit.started + hit.seconds
        in_flight += flying
        if not hit.ok:
            failed_in_flight += flying
            other += not flying
    return in_flight, failed_in_flight, other


def rows(
    record: load_users.Record,
    signed: load_users.Record,
    checks: list[load_journeys.Check],
    chaos: Chaos,
    seconds: float,
) -> list[Row]:
    label = f"Two hosts, {len(signed.sign_ins)} users × {seconds:.0f} s, host A killed"
    times = [hit.seconds for hit in record.hits]
    in_flight, failed_in_flight, other = split_errors(record, chaos.killed_at)
    other += signed.errors
    moved = chaos.moved_after
    lead_moved = chaos.a_led and moved is not None
    return [
        (
            f"{label}: p95 of {len(times):,} requests",
            load_users.percentile(times, 0.95),
            "p50",
            load_users.percentile(times, 0.5),
            "(reported)",
            "–",
        ),
        (
            f"{label}: failed requests in flight at the kill (count)",
            failed_in_flight,
            "requests in flight then (both hosts)",
            in_flight,
            "(reported)",
            "–",
        ),
        (
            f"{label}: other failed requests (count)",
            other,
            "sign-ins included",
            0.0,
            "0",
            bench_load.verdict(other == 0),
        ),
        *bench_load.write_rows(checks, label),
        (
            f"{label}: host A answering again after its restart (s)",
            round(chaos.back_after, 1) if chaos.back_after is not None else -1.0,
            f"restarted {chaos.restarted_at - chaos.killed_at:.0f} s after the kill",
            0.0,
            "(reported)",
            "–",
        ),
        (
            f"{label}: scheduler lead moved to host B (s)",
            round(moved, 1) if moved is not None else -1.0,
            f"{_who(chaos.leader_before)} (A) → {_who(chaos.leader_after)} (B)",
            0.0,
            "moves",
            bench_load.verdict(lead_moved),
        ),
    ]


def _who(name: str | None) -> str:
    """The process holding the lead, as "process 1234", or "nobody"."""
    return f"process {name.rsplit(' ', 1)[-1]}" if name else "nobody"


def main() -> None:
    if not haproxy_installed():
        sys.exit("HAProxy is not installed: `make haproxy` installs it (Debian's package)")
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
    users = int(os.environ.get("BENCH_LOAD_USERS", str(load_people.USERS)))
    down = float(os.environ.get("BENCH_HA_DOWN_SECONDS", "15"))
    print(f"Two app hosts, {date.today().isoformat()}, {users} users, {seconds:.0f} s")
    for row in measure(seconds, users, down):
        print(row)


if __name__ == "__main__":
    main()
