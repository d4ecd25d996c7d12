"""Record ids in addresses are checked as 64-bit integers: a number too big for the database
is "Page not found" on every route and in the query arguments that carry ids, on SQLite and
PostgreSQL alike (before, the database's overflow answered 500)."""

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


def test_ids_are_whole_numbers_that_fit_64_bits():
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


def test_the_largest_id_is_simply_not_found(app, sign_in_as):
    client = sign_in_as("qa_officer")
    assert client.get(f"/audits/{LARGEST_ID}").status_code == 404


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
