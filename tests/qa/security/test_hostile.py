"""Hostile input: random bytes and text at the imports and forms.

Whatever arrives: no server error, no partial write (the row counts are unchanged after a
rejected input), and every error message says what is wrong with which part.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.audits import service
from qa.audits.models import Audit
from qa.audits.tools import ensure_default_tools
from qa.extensions import db
from qa.org.importing import KINDS, import_bytes
from qa.org.parsing import COLUMNS
from qa.selections.policies import current_policies
from tests.qa.security.test_matrix import table_counts
from tests.qa.security.world import CREATED, complete

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SOME = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUMMARY = re.compile(r'govuk-error-summary__list">(.*?)</ul>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")
# Text people type, and worse: control characters, right-to-left marks, markup, very long.
TYPED = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "<script>alert(1)</script>",
        "'; DROP TABLE audit; --",
        "\x00",
        "\u202e\u0000\ufeff",
        "A" * 5000,
        "{{ 7 * 7 }}",
        "../../etc/passwd",
    ]
)


@pytest.fixture(autouse=True)
def saved_defaults(app):
    """The default policies and tools are saved on first use; save them before counting."""
    current_policies()
    ensure_default_tools()


@pytest.fixture
def signed_in(sign_in_as):
    """One signed-in client per person for the whole test, not one per example."""
    clients = {}

    def get(key: str):
        if key not in clients:
            clients[key] = sign_in_as(key)
        return clients[key]

    return get


def errors_on(body: str) -> list[str]:
    """The messages in the page's error summary."""
    found = SUMMARY.search(body)
    if not found:
        return []
    return [unescape(TAG.sub("", item)).strip() for item in ITEM.findall(found.group(1))]


def check_rejection(response, before, names: tuple[str, ...]) -> None:
    """A rejected form: no server error, nothing written, each error names a part."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code == 302:
        return
    assert table_counts() == before, "a rejected form wrote to the database"
    body = response.get_data(as_text=True)
    if "contains a null character" in body:  # refused before any form reads it
        assert response.status_code == 400
        return
    messages = errors_on(body)
    if response.status_code == 400:
        assert messages, "a rejected form should say what is wrong"
    for message in messages:
        assert any(name in message.lower() for name in names), (message, names)


def _problems_named(report) -> None:
    for problem in report.problems:
        text = str(problem)
        assert problem.message.strip(), text
        if problem.row is not None:
            assert text.startswith(f"Row {problem.row}"), text
        assert len(text) > 12, text


@FEW
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=2000), xlsx=st.booleans())
def test_random_bytes_are_refused_whole_by_the_import(app, org, kind, data, xlsx):
    before = table_counts()
    report = import_bytes(kind, data, "upload.xlsx" if xlsx else "upload.csv", None, dry_run=False)
    if not report.ok:
        assert table_counts() == before
        _problems_named(report)


def _csv(kind: str, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS[kind])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@SOME
@given(
    kind=st.sampled_from(KINDS),
    cells=st.lists(st.lists(TYPED, min_size=1, max_size=12), min_size=1, max_size=6),
)
def test_random_cells_under_real_headings_never_half_import(app, org, kind, cells):
    before = table_counts()
    report = import_bytes(kind, _csv(kind, cells), "cells.csv", None, dry_run=False)
    if not report.ok:
        assert table_counts() == before
        _problems_named(report)


@FEW
@given(data=st.binary(max_size=1500), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", ""]))
def test_the_import_page_answers_any_upload_without_an_error(app, org, signed_in, data, name):
    admin = signed_in("administrator")
    before = table_counts()
    response = admin.post(
        "/organisation/import",
        data={"kind": "staff", "upload": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400), response.status_code
    assert table_counts() == before  # the page only checks; confirming is a second step


@SOME
@given(email=TYPED, password=TYPED)
def test_sign_in_answers_any_text_with_a_named_problem(client, org, email, password):
    before = table_counts()
    response = client.post("/sign-in", data={"email": email, "password": password})
    check_rejection(response, before, ("email", "password", "attempts"))


@SOME
@given(period=TYPED | st.sampled_from(["2026-13", "0000-01", "2026-Q5", "2026-H3"]), seed=TYPED)
def test_drawing_answers_any_period_and_seed(app, org, signed_in, period, seed):
    manager = signed_in("service_manager")
    before = table_counts()
    response = manager.post(
        "/selections/draw/monthly-team-manager", data={"period": period, "seed": seed}
    )
    check_rejection(response, before, ("period", "seed", "monthly"))


@pytest.fixture
def submitted(app, org) -> Audit:
    who = org.people["service_manager"]
    audit = Audit(
        file_id=org.file_of("practitioner").id,
        auditor_id=who.id,
        tool_id="supervision-file-audit",
        due_on=date(2026, 11, 30),
        state="selected",
        created_at=CREATED,
    )
    db.session.add(audit)
    db.session.commit()
    service.start(audit, who)
    complete(audit, who)
    return audit


@SOME
@given(
    description=TYPED,
    day=TYPED | st.integers(-5, 40).map(str),
    month=TYPED | st.integers(-1, 14).map(str),
    year=TYPED | st.integers(0, 10000).map(str),
    owner=st.sampled_from(["", "0", "-1", "x", "99999"]) | st.integers(1, 20).map(str),
)
def test_actions_answer_any_description_and_date(
    app, org, signed_in, submitted, description, day, month, year, owner
):
    manager = signed_in("service_manager")
    before = table_counts()
    response = manager.post(
        f"/actions/new/{submitted.id}",
        data={"description": description, "owner": owner, "due": [day, month, year]},
    )
    check_rejection(response, before, ("action", "date", "due", "who", "done", "description"))


@SOME
@given(kind=st.sampled_from(["acknowledged", "responded", "", "other"]) | TYPED, text=TYPED)
def test_replies_answer_any_text(app, org, signed_in, submitted, kind, text):
    practitioner = signed_in("practitioner")
    before = table_counts()
    response = practitioner.post(f"/audits/{submitted.id}/reply", data={"kind": kind, "text": text})
    check_rejection(response, before, ("reply", "respon", "acknowledge"))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats() | TYPED,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TYPED, inner, max_size=4),
    max_leaves=8,
)


@SOME
@given(
    kind=st.sampled_from(["fixed", "fraction", "proportion", "attribute", "percent", ""]) | TYPED,
    numbers=st.lists(
        st.sampled_from(["", "0", "-1", "100", "1e400", "nan", "3.5", "10%", "1,000"]) | TYPED,
        min_size=10,
        max_size=10,
    ),
)
def test_policy_size_rules_answer_any_typing(app, org, signed_in, kind, numbers):
    officer = signed_in("qa_officer")
    before = table_counts()
    fields = (
        "size_n",
        "size_percent",
        "size_minimum",
        "size_maximum",
        "proportion_margin",
        "proportion_confidence",
        "proportion_expected",
        "attribute_tolerable",
        "attribute_confidence",
        "attribute_expected",
    )
    response = officer.post(
        "/selections/policies/six-monthly-random",
        data={
            "title": "Six-monthly random sample",
            "description": "Across the service",
            "active": "y",
            "cadence": "six-monthly",
            "selector_role": "qa_officer",
            "population": "all_open_files",
            "case_holding": "any",
            "auditor_rule": "independent_manager",
            "tool_id": "supervision-file-audit",
            "leavers": "y",
            "supervisor_is_auditor": "y",
            "opened_within_weeks": "6",
            "audited_within_months": "6",
            "size_kind": kind,
            **dict(zip(fields, numbers, strict=True)),
            "due_kind": "end_of_period",
            "due_working_days": "10",
            "sign_off_rule": "area_head_of_service",
            "reason": "Trying a new size rule",
        },
    )
    if response.status_code == 302:  # a rule that makes sense is saved as a new version
        return
    check_rejection(
        response,
        before,
        ("number", "percentage", "files", "select how", "margin", "confidence", "enter", "choice"),
    )


def test_a_null_character_is_refused_with_a_page_that_says_so(client, org, signed_in):
    officer = signed_in("qa_officer")
    before = table_counts()
    for response in (
        client.post("/sign-in", data={"email": "a\x00@council.org.uk", "password": "x"}),
        officer.get("/events/?person=%00"),
    ):
        assert response.status_code == 400
        assert "contains a null character" in response.get_data(as_text=True)
    assert table_counts() == before
