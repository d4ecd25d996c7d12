"""Record ids in addresses are checked against the id columns' range: a number too big for
the database is "Page not found" on every route and in the query arguments that carry ids,
on SQLite and PostgreSQL alike (before, the database's overflow answered 500)."""

from __future__ import annotations

import re

import pytest

from qa.ids import LARGEST_ID, as_id

HUGE = "99999999999999999999999"
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _addresses(app, value):
    for rule in app.url_map.iter_rules():
        if "int" not in [converter for converter, _ in PARAMETER.findall(rule.rule)]:
            continue
        if "GET" not in (rule.methods or ()):
            continue
        yield PARAMETER.sub(lambda m: value if m.group(1) == "int" else "x", rule.rule)


def test_ids_are_whole_numbers_that_fit_the_id_columns():
    assert as_id(str(LARGEST_ID)) == LARGEST_ID
    assert as_id(str(LARGEST_ID + 1)) is None
    assert as_id(HUGE) is None
    assert as_id("12a") is None and as_id("") is None and as_id("٣") is None
    assert as_id("9" * 5000) is None


@pytest.mark.parametrize("who", ["administrator", "qa_officer"])
def test_an_id_too_big_for_the_database_is_not_found_on_every_route(app, sign_in_as, who):
    client = sign_in_as(who)
    addresses = list(_addresses(app, HUGE))
    assert len(addresses) > 10
    for address in addresses:
        assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("number", [LARGEST_ID, LARGEST_ID + 1, 2**63 - 1, 2**63])
def test_ids_at_and_past_each_databases_limit_are_simply_not_found(sign_in_as, number):
    client = sign_in_as("qa_officer")
    assert client.get(f"/audits/{number}").status_code == 404
    assert client.get(f"/reports/audits/1.pdf?version={number}").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        f"/reports/audits/1.pdf?version={HUGE}",
        f"/events/?audit={HUGE}",
    ],
)
def test_an_id_too_big_in_the_query_is_not_found(sign_in_as, address):
    client = sign_in_as("qa_officer")
    assert client.get(address).status_code == 404


def test_a_team_too_big_in_the_trends_filter_is_ignored(sign_in_as):
    client = sign_in_as("qa_officer")
    assert client.get(f"/trends/?unit=team-{HUGE}").status_code == 200
