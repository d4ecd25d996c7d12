"""Virtual users for the load test (what a locustfile would hold), on the standard library.

Each virtual user signs in once through the real sign-in page (reading the CSRF token from
it), keeps its session cookie, then browses the pages its own navigation offers (home, my
audits, organisation, a supervision file, selections, trends), pausing between pages as a
person would. Sign-in is timed apart from browsing: it uses scrypt on purpose, so it is slow
by design and happens once per person, not once per page.

`make bench` runs this through scripts/bench_load.py. To point it at a running server:

    .venv/bin/python scripts/load_users.py --url http://127.0.0.1:8000 --users users.json \\
        --seconds 60

where users.json is a list of {"email", "password", "pages": ["/", "/audits/", ...]}.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TIMEOUT = 30


@dataclass(frozen=True)
class Work:
    """What a person has to do in the demo council, found before the run: the audits they
    audit, reply to or may raise actions on, and whether they sign off or own actions."""

    audits: tuple[int, ...] = ()
    replies: tuple[int, ...] = ()
    raise_on: tuple[int, ...] = ()
    signs_off: bool = False
    owns_actions: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.audits or self.replies or self.raise_on or self.signs_off or self.owns_actions
        )


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    pages: tuple[str, ...]
    work: Work = Work()


@dataclass(frozen=True)
class Visit:
    """A page as the browser got it: status (0 when no answer came), body, the path it landed
    on after redirects, and how long it took."""

    status: int
    body: str
    landed: str
    seconds: float
    started: float


@dataclass(frozen=True)
class Hit:
    """One request: which page, its status (0 when no answer came), how long it took and
    when it started (time.perf_counter)."""

    page: str
    status: int
    seconds: float
    ok: bool
    started: float = 0.0


@dataclass
class Record:
    """Every request of a run; safe to add to from many threads."""

    hits: list[Hit] = field(default_factory=list)
    sign_ins: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, hit: Hit, *, sign_in: bool = False) -> None:
        with self.lock:
            (self.sign_ins if sign_in else self.hits).append(hit)

    @property
    def errors(self) -> int:
        return sum(1 for hit in self.hits + self.sign_ins if not hit.ok)


class VirtualUser:
    """One person in a browser: a cookie jar, a sign-in, then pages."""

    def __init__(self, base_url: str, account: Account) -> None:
        self.base = base_url.rstrip("/")
        self.account = account
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> Hit:
        return self._open(path, None)

    def visit(self, path: str, pairs: list[tuple[str, str]] | None = None) -> Visit:
        """Fetch a page, or post a form to it when `pairs` are given (following redirects)."""
        data = None if pairs is None else urllib.parse.urlencode(pairs).encode()
        started = time.perf_counter()
        result = self._fetch(path, data)
        seconds = time.perf_counter() - started
        if result is None:
            return Visit(0, "", "", seconds, started)
        return Visit(result[0], result[1], result[2], seconds, started)

    def sign_in(self) -> Hit:
        """Read the CSRF token from the sign-in page, post the form, land on the home page."""
        started = time.perf_counter()
        page = self._fetch("/sign-in", None)
        found = CSRF.search(page[1]) if page else None
        if found is None:
            return Hit(
                "sign in", page[0] if page else 0, time.perf_counter() - started, False, started
            )
        form = urllib.parse.urlencode(
            {
                "csrf_token": found.group(1),
                "email": self.account.email,
                "password": self.account.password,
            }
        ).encode()
        hit = self._open("/sign-in", form, expect="/")
        return Hit("sign in", hit.status, time.perf_counter() - started, hit.ok, started)

    def _open(self, path: str, data: bytes | None, expect: str | None = None) -> Hit:
        started = time.perf_counter()
        result = self._fetch(path, data)
        seconds = time.perf_counter() - started
        if result is None:
            return Hit(path, 0, seconds, False, started)
        status, _, landed = result
        # A page that sends the person back to the sign-in page has failed, whatever its status.
        ok = status == 200 and landed == (expect or path)
        return Hit(path, status, seconds, ok, started)

    def _fetch(self, path: str, data: bytes | None) -> tuple[int, str, str] | None:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (http only)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, body, urllib.parse.urlsplit(response.geturl()).path
        except urllib.error.HTTPError as exc:
            exc.read()
            return exc.code, "", path
        except (OSError, urllib.error.URLError):
            return None


def page_label(path: str) -> str:
    """The page a path is, with ids taken out: /organisation/files/12 -> /organisation/files/N."""
    return re.sub(r"/[0-9]+", "/N", path)


Act = Callable[[VirtualUser, random.Random, Record], bool]


def browse(
    user: VirtualUser,
    until: float,
    record: Record,
    rng: random.Random,
    think: tuple[float, float],
    act: Act | None = None,
) -> None:
    """Pages in random order from the person's own set, with a pause between each. Each kind
    of page is as likely as any other; a supervision file is one of those in the person's
    view. With `act`, each turn may instead be a piece of work through the forms (`act`
    says whether it did one)."""
    kinds: dict[str, list[str]] = {}
    for path in user.account.pages:
        kinds.setdefault(page_label(path), []).append(path)
    choices = list(kinds.values())
    time.sleep(rng.uniform(0, think[1]))  # people do not all click at the same moment
    while time.perf_counter() < until:
        if act is not None and act(user, rng, record):
            time.sleep(rng.uniform(*think))
            continue
        path = rng.choice(rng.choice(choices))
        hit = user.get(path)
        record.add(Hit(page_label(path), hit.status, hit.seconds, hit.ok, hit.started))
        time.sleep(rng.uniform(*think))


def sign_in_all(users: Sequence[VirtualUser], record: Record) -> None:
    """Everyone signs in once, a few at a time, as at the start of a working day."""
    threads = []
    for user in users:

        def one(person: VirtualUser = user) -> None:
            record.add(person.sign_in(), sign_in=True)

        threads.append(threading.Thread(target=one))
    for batch in range(0, len(threads), 10):
        for thread in threads[batch : batch + 10]:
            thread.start()
        for thread in threads[batch : batch + 10]:
            thread.join()


def run(
    users: Sequence[VirtualUser],
    seconds: float,
    *,
    seed: int = 2026,
    think: tuple[float, float] = (1.0, 3.0),
    act: Act | None = None,
) -> Record:
    """Browse (and work, with `act`) with every (signed-in) user at once for `seconds`."""
    record = Record()
    until = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=browse,
            args=(user, until, record, random.Random(seed + n), think, act),  # noqa: S311
        )
        for n, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return record


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=Path, required=True, help="a JSON list of accounts")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    accounts = [
        Account(a["email"], a["password"], tuple(a["pages"]))
        for a in json.loads(args.users.read_text())
    ]
    users = [VirtualUser(args.url, account) for account in accounts]
    signed = Record()
    sign_in_all(users, signed)
    record = run(users, args.seconds)
    times = [hit.seconds for hit in record.hits]
    print(
        f"{len(record.hits)} requests, {record.errors + signed.errors} errors; "
        f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} "
        f"ms, p99 {percentile(times, 0.99) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
