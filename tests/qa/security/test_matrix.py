"""Every role against every route: nobody reaches a record they may not see by changing an
id in the address, and no request ends in a server error.

The routes come from the app's own URL map, so a new page is checked the day it is added.
Each id in an address is replaced by ids of records the signed-in person must not reach
(another area's, or their own area's that their role does not show them); those requests
must be refused (403, 404, 405, or back to sign-in) and must write nothing. Pages and
spreadsheets without ids must never show another area's people. A route whose address takes
something this test does not know how to fill fails `test_every_route_parameter_is_known`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa.audits.tools import get_tool
from qa.extensions import db
from qa.reports.xlsx import XLSX_MIMETYPE
from qa.selections.policies import current_policies
from tests.qa.security.world import PRACTITIONERS, SERVICE_WIDE, Record, World, build

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SKIPPED = {"static", "main.accessibility", "main.health"}
SKIPPED_BLUEPRINTS = {"auth"}  # signing in and out: tested in tests/qa/auth and test_sso
RECORD_PARAMS = {
    "audit_id": "audit",
    "action_id": "action",
    "raised_action_id": "raised_action",
    "moderation_id": "moderation",
    "area_id": "area",
    "team_id": "team",
    "staff_id": "staff",
    "file_id": "file",
    "run_id": "run",
    "message_id": "message",
    "job_id": "job",
    "report_id": "report",
}
AREA_WIDE = ("head_of_service", "service_manager")
SHARED_STATES = ("submitted", "returned", "signed_off")
MANAGERS = ("head_of_service", "service_manager", "team_manager")
# Pages only some roles may open, whatever the records (endpoint, or blueprint prefix).
ONLY = {
    "events.index": set(SERVICE_WIDE),
    "org.import_start": {"administrator"},
    "org.import_confirm": {"administrator"},
    "org.areas": set(SERVICE_WIDE) | set(MANAGERS),
    "org.people": set(SERVICE_WIDE) | set(MANAGERS),
    "reports.staff": set(SERVICE_WIDE) | set(MANAGERS),  # the staff list's spreadsheet
    "reports.moderation": {"qa_officer"},
    "reports.event_log": set(SERVICE_WIDE),
    "jobs.": {"administrator"},
    "audits.tools": {"qa_officer"},
    "audits.upload": {"qa_officer"},
    "audits.preview": {"qa_officer"},
    "tool_editor.": {"qa_officer"},
    "printing.blank_tool": {"qa_officer"},
    "selections.policies": {"qa_officer"},
    "selections.policy": {"qa_officer"},
    "selections.new_policy": {"qa_officer"},
    "profiles.": {"qa_officer"},
    "moderation.": {"qa_officer"},
    "review.queue": {"head_of_service", "qa_officer"},
    "cases.": {"qa_officer", *MANAGERS, *PRACTITIONERS},
}
FILTERED = ("trends.", "cases.")  # pages whose figures take a `unit` filter
AUDITS_PER_VIEWER = 6
OTHERS_PER_VIEWER = 2


@dataclass(frozen=True)
class Values:
    """Address parts that are not records: the values a person could reach."""

    common: dict[str, list[object]]
    by_endpoint: dict[str, dict[str, list[object]]]
    selector_roles: dict[str, str]  # policy key -> the role that draws it

    def of(self, endpoint: str) -> dict[str, list[object]]:
        return {**self.common, **self.by_endpoint.get(endpoint, {})}


def value_params() -> Values:
    policies = {policy.key: policy.selector_role for _, policy in current_policies()}
    tool = get_tool("supervision-file-audit")
    common: dict[str, list[object]] = {
        "section_key": [tool.sections[0].key],
        "policy_key": list(policies),
        "key": list(policies),
        "tool_id": [tool.id],
        "version": [tool.version],
        "policy": ["coventry"],
        "section": ["9.3"],
        "section_no": [1],
        "question_no": [1],
    }
    question = {"key": [tool.sections[0].questions[0].key]}
    profile = {"name": ["coventry"]}
    by_endpoint = {
        "trends.question": question,
        "profiles.show": profile,
        "profiles.change": profile,
        "profiles.export": profile,
    }
    return Values(common, by_endpoint, policies)


def hidden(world: World, key: str, record: Record) -> bool:
    """Whether `key` must not reach `record`: the access policy (qa/access.py) in words,
    kept to the clear cases."""
    person = world.org.people[key]
    role = person.role
    if record.kind == "moderation":  # a moderation is its moderator's alone
        return role != "qa_officer" or person.id not in record.linked
    if record.kind in ("message", "job"):
        return role != "administrator"
    if record.kind == "report":  # a period report is its requester's alone
        return person.id not in record.linked
    if record.kind == "action":  # only the owner marks an action done
        return person.id not in record.linked
    if record.kind == "raised_action":  # whoever raised it, or the area's head, confirms it
        return person.id not in record.linked and not (
            role == "head_of_service" and record.area == world.area_of(key)
        )
    if record.kind == "run":
        return role not in SERVICE_WIDE and person.id not in record.linked
    if role in SERVICE_WIDE or person.id in record.linked:
        return False
    if record.area != world.area_of(key):  # another area, or service-wide staff
        return True
    team = person.team.name if person.team else None
    if record.kind == "area":
        return role in PRACTITIONERS
    if record.kind == "team":
        return role in PRACTITIONERS or (role == "team_manager" and record.team != team)
    if record.kind in ("staff", "file"):
        if role in AREA_WIDE:
            return False
        return role in PRACTITIONERS or record.team != team
    if record.kind == "audit":
        if role in AREA_WIDE:
            return False
        if record.state not in SHARED_STATES:
            return True
        if person.id in record.file_people:
            return False
        return role in PRACTITIONERS or record.team != team
    raise AssertionError(f"no rule for {record.kind}")


def sample(records: list[Record], most: int) -> list[Record]:
    """A spread of records: one of each state first (audits), then the rest in order."""
    seen: set[tuple[str | None, str]] = set()
    first, rest = [], []
    for record in records:
        group = (record.area, record.state)
        (rest if group in seen else first).append(record)
        seen.add(group)
    return (first + rest)[:most]


@dataclass
class Route:
    rule: str
    endpoint: str
    methods: frozenset[str]
    arguments: tuple[str, ...]

    @property
    def record_params(self) -> list[str]:
        return [a for a in self.arguments if a in RECORD_PARAMS]

    def allowed(self, role: str, combo: dict[str, object], values: Values) -> bool | None:
        """Whether the role may open this page at all; None when only the records decide."""
        if self.endpoint == "selections.draw":
            return role == values.selector_roles[str(combo["policy_key"])]
        for name, roles in ONLY.items():
            if self.endpoint == name or (name.endswith(".") and self.endpoint.startswith(name)):
                return role in roles
        return None


def routes(app) -> list[Route]:
    found = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if rule.endpoint in SKIPPED or blueprint in SKIPPED_BLUEPRINTS:
            continue
        methods = frozenset((rule.methods or set()) & {"GET", "POST"})
        found.append(Route(rule.rule, rule.endpoint, methods, tuple(sorted(rule.arguments))))
    return sorted(found, key=lambda r: r.rule)


def unknown_params(route: Route, values: Values) -> list[str]:
    known = set(RECORD_PARAMS) | set(values.of(route.endpoint))
    return [name for name in route.arguments if name not in known]


def test_every_route_parameter_is_known(app):
    values = value_params()
    unknown = sorted(
        f"{route.rule} ({name})" for route in routes(app) for name in unknown_params(route, values)
    )
    assert not unknown, (
        "Routes take address parts the access matrix cannot fill: add them to RECORD_PARAMS "
        f"or value_params() in {__file__}: {unknown}"
    )


def spreadsheet_text(content: bytes) -> str:
    """Every cell of a downloaded spreadsheet, for the same check as a page's words."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = (c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    return " ".join(str(c) for c in cells if c is not None)


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    location = urlsplit(response.headers.get("Location", ""))
    return response.status_code == 302 and location.path == "/sign-in"


SIGN_IN_BOOKKEEPING = frozenset({"sign_in_throttle", "sign_in_session"})
"""Written on purpose by refused sign-ins (failures are counted), so not counted here."""


def table_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in SIGN_IN_BOOKKEEPING
    }


class Matrix:
    """Runs the requests for one signed-in person and notes every failure."""

    def __init__(self, world: World, values: Values, key: str, client, problems: list[str]):
        self.world, self.values, self.key = world, values, key
        self.client, self.problems = client, problems
        self.role = world.org.people[key].role
        self.requests = 0

    def request(self, method: str, url: str, expect_refusal: bool, why: str) -> None:
        self.requests += 1
        if method == "GET":
            response = self.client.get(url)
        else:
            response = self.client.post(url, data={})
        where = f"{self.key} {method} {url}"
        if response.status_code >= 500:
            self.problems.append(f"{where}: server error {response.status_code}")
        elif expect_refusal and not refused(response):
            self.problems.append(
                f"{where}: expected a refusal ({why}), got {response.status_code} "
                f"{response.headers.get('Location', '')}"
            )
        if response.status_code != 200:
            return
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
        elif response.mimetype == XLSX_MIMETYPE:
            body = spreadsheet_text(response.data)
        else:
            return
        leaked = [name for name in self.world.names_outside(self.key) if name in body]
        if leaked:
            self.problems.append(f"{where}: shows another area's people {leaked}")

    def methods(self, route: Route, expect_refusal: bool) -> list[str]:
        """GET where the route has it; POST (with a valid CSRF token) where a refusal is
        expected, so a refused person's form never reaches the form's own checks."""
        chosen = ["GET"] if "GET" in route.methods else []
        if "POST" in route.methods and expect_refusal:
            chosen.append("POST")
        return chosen

    def open_pages(self, route: Route) -> None:
        """A route with no records in its address: each value, as this role. Figures pages
        also get another area's and team's ids in their `unit` filter."""
        values = self.values.of(route.endpoint)
        combos: list[dict[str, object]] = [{}]
        for name in route.arguments:
            combos = [{**c, name: v} for c in combos for v in values[name]]
        queries = [""]
        if route.endpoint.startswith(FILTERED) and "GET" in route.methods:
            queries += [f"?unit={unit}" for unit in self.world.units_outside(self.key)]
        for combo in combos:
            allowed = route.allowed(self.role, combo, self.values)
            expect = allowed is False
            url = _url(route.rule, combo)
            for method in self.methods(route, expect):
                for query in queries if method == "GET" else [""]:
                    why = f"{self.role} may not open {route.endpoint}"
                    self.request(method, url + query, expect, why)

    def records(self, route: Route) -> None:
        """A route with records in its address: records this person must not reach."""
        values = self.values.of(route.endpoint)
        name = route.record_params[0]
        kind = RECORD_PARAMS[name]
        candidates = [r for r in self.world.of(kind) if hidden(self.world, self.key, r)]
        most = AUDITS_PER_VIEWER if kind == "audit" else OTHERS_PER_VIEWER
        for record in sample(candidates, most):
            combo: dict[str, object] = {n: values[n][0] for n in route.arguments if n in values}
            for other in route.record_params:
                combo[other] = _address_value(record) if other == name else 1
            url = _url(route.rule, combo)
            for method in self.methods(route, True):
                self.request(method, url, True, f"{kind} {record.label or record.id} is hidden")


def _address_value(record: Record) -> object:
    return record.label if record.kind == "job" else record.id


def _url(rule: str, values: dict[str, object]) -> str:
    url = rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value))
        for converter in ("int", "string", "path", "any"):
            url = url.replace(f"<{converter}:{name}>", str(value))
    return url


def test_no_role_reaches_another_areas_records_or_a_server_error(app, org, sign_in_as):
    world = build(org)
    values = value_params()
    all_routes = [r for r in routes(app) if not unknown_params(r, values)]
    problems: list[str] = []
    viewers = {key: sign_in_as(key) for key in org.people}
    checked = 0
    for key, client in viewers.items():
        matrix = Matrix(world, values, key, client, problems)
        for route in all_routes:
            if not route.record_params:
                matrix.open_pages(route)
        checked += matrix.requests
    before = table_counts()
    for key, client in viewers.items():
        matrix = Matrix(world, values, key, client, problems)
        for route in all_routes:
            if route.record_params:
                matrix.records(route)
        checked += matrix.requests
    db.session.expire_all()
    after = table_counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert not problems, f"{len(problems)} of {checked} requests went wrong:\n" + "\n".join(
        problems[:80]
    )
    assert not changed, f"refused requests wrote to the database: {changed}"
    assert checked > 1000
