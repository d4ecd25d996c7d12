"""Policies as data: periods, due dates, JSON round trips, bad fields and exclusions."""

import dataclasses
import json
from datetime import date

import pytest

from sampling.policies import (
    DEFAULT_POLICIES,
    Exclusion,
    Exclusions,
    FileUnit,
    Period,
    RuleError,
    apply_exclusions,
    due_date,
    next_period,
    parse_period,
    period_bounds,
    period_key,
    policy_from_dict,
    policy_to_dict,
    previous_period,
)

POLICIES = {policy.key: policy for policy in DEFAULT_POLICIES}


@pytest.mark.parametrize(
    ("cadence", "day", "key"),
    [
        ("monthly", date(2026, 11, 3), "2026-11"),
        ("monthly", date(2026, 1, 31), "2026-01"),
        ("quarterly", date(2026, 11, 3), "2026-Q4"),
        ("quarterly", date(2026, 3, 31), "2026-Q1"),
        ("quarterly", date(2026, 4, 1), "2026-Q2"),
        ("six-monthly", date(2026, 11, 3), "2026-H2"),
        ("six-monthly", date(2026, 6, 30), "2026-H1"),
    ],
)
def test_period_key_names_the_period_containing_the_day(cadence, day, key):
    assert period_key(cadence, day) == key


def test_period_key_rejects_an_unknown_cadence():
    with pytest.raises(ValueError, match="Cadence 'weekly' is not one of"):
        period_key("weekly", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ],
)
def test_period_bounds_are_the_first_and_last_day_inclusive(key, first, last):
    assert period_bounds(key) == (first, last)


def test_parse_period_reads_each_kind_of_key_and_forgives_case_and_spaces():
    assert parse_period("2026-11") == Period("monthly", 2026, 11)
    assert parse_period(" 2026-q4 ") == Period("quarterly", 2026, 4)
    assert parse_period("2026-h2").key == "2026-H2"


@pytest.mark.parametrize(
    "key",
    ["2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-H3", "26-11", "2026/11", "", "0000-01"],
)
def test_parse_period_rejects_anything_else_with_a_message_saying_what_to_enter(key):
    with pytest.raises(ValueError, match="^Enter a period like 2026-11, 2026-Q4 or 2026-H2$"):
        parse_period(key)


@pytest.mark.parametrize(
    ("key", "previous", "following"),
    [
        ("2026-01", "2025-12", "2026-02"),
        ("2026-12", "2026-11", "2027-01"),
        ("2026-Q1", "2025-Q4", "2026-Q2"),
        ("2026-H1", "2025-H2", "2026-H2"),
        ("2026-H2", "2026-H1", "2027-H1"),
    ],
)
def test_previous_and_next_period_cross_year_ends(key, previous, following):
    assert previous_period(key) == previous
    assert next_period(key) == following


@pytest.mark.parametrize(
    ("policy_key", "period", "due"),
    [
        ("monthly-team-manager", "2026-11", date(2026, 11, 30)),
        ("quarterly-service-manager", "2026-Q4", date(2026, 12, 31)),
        ("six-monthly-random", "2026-H2", date(2026, 8, 12)),
        ("six-monthly-random", "2027-H1", date(2027, 2, 12)),
    ],
)
def test_due_date_is_end_of_period_or_six_weeks_after_the_start(policy_key, period, due):
    assert due_date(POLICIES[policy_key], period) == due


def test_due_date_refuses_a_period_of_another_cadence():
    with pytest.raises(ValueError, match="2026-Q4 is quarterly, not monthly"):
        due_date(POLICIES["monthly-team-manager"], "2026-Q4")


def test_default_policies_follow_the_coventry_cadences():
    assert list(POLICIES) == [
        "monthly-team-manager",
        "quarterly-service-manager",
        "six-monthly-random",
    ]
    assert {p.tool_id for p in DEFAULT_POLICIES} == {"supervision-file-audit"}
    six_monthly = POLICIES["six-monthly-random"]
    assert dict(six_monthly.size_rule) == {
        "kind": "attribute",
        "tolerable_rate": 0.05,
        "confidence": 0.95,
        "expected_deviations": 0,
    }
    assert six_monthly.auditor_rule == "independent_manager"
    assert POLICIES["monthly-team-manager"].selector_role == "service_manager"
    assert POLICIES["quarterly-service-manager"].selector_role == "head_of_service"
    assert all("Coventry policy, section 9." in p.description for p in DEFAULT_POLICIES)


@pytest.mark.parametrize("policy", DEFAULT_POLICIES, ids=lambda p: p.key)
def test_policy_round_trips_through_json(policy):
    data = json.loads(json.dumps(policy_to_dict(policy)))
    assert policy_from_dict(data) == policy
    assert policy_to_dict(policy_from_dict(data)) == data


def test_policy_rules_cannot_be_changed_after_it_is_made():
    policy = POLICIES["six-monthly-random"]
    with pytest.raises(TypeError):
        policy.size_rule["confidence"] = 0.5


def test_a_new_version_of_a_policy_is_a_copy_with_changed_fields():
    policy = POLICIES["monthly-team-manager"]
    newer = dataclasses.replace(policy, version=2, size_rule={"kind": "fixed", "n": 2})
    assert (newer.version, newer.size_rule["n"]) == (2, 2)
    assert policy.version == 1


def bad(**changes):
    data = policy_to_dict(POLICIES["six-monthly-random"])
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bad(cadence="weekly"), "field 'cadence' must be one of: monthly, quarterly, six-monthly"),
        (bad(selector_role="chief"), "field 'selector_role' must be one of"),
        (bad(population="everyone"), "field 'population' must be one of"),
        (bad(auditor_rule="anyone"), "field 'auditor_rule' must be one of"),
        (bad(key="Six Monthly"), "field 'key' must be lower-case letters"),
        (bad(version=0), "field 'version' must be a whole number"),
        (bad(version="1"), "field 'version' must be a whole number"),
        (bad(title=" "), "field 'title' must be some text"),
        (bad(tool_id=None), "field 'tool_id' must be some text"),
        (bad(size_rule={"kind": "fixed"}), "field 'size_rule': .*needs the setting 'n'"),
        (bad(size_rule=[1]), "field 'size_rule' must be a set of named settings"),
        (bad(due_rule={"kind": "soon"}), "field 'due_rule': Due rule kind 'soon'"),
        (bad(due_rule={"kind": "weeks_after_start"}), "field 'due_rule': .*'weeks'"),
        (bad(due_rule={"kind": "end_of_period", "weeks": 2}), "unknown setting 'weeks'"),
        (bad(exclusions={"leavers": "yes"}), "field 'exclusions': .*'leavers'"),
        (bad(exclusions={"opened_within_weeks": -1}), "'opened_within_weeks'"),
        (bad(exclusions={"holidays": True}), "'exclusions' has an unknown setting 'holidays'"),
        (bad(exclusions=None), "field 'exclusions' must be a set of named settings"),
        (bad(colour="blue"), "unknown field 'colour'"),
        ({k: v for k, v in bad().items() if k != "cadence"}, "missing the field 'cadence'"),
        ([], "must be a set of named fields"),
    ],
)
def test_policy_from_dict_names_the_bad_field(data, message):
    with pytest.raises(RuleError, match=message):
        policy_from_dict(data)


def test_policy_checks_its_fields_when_made_directly():
    with pytest.raises(RuleError, match="field 'cadence'"):
        dataclasses.replace(POLICIES["monthly-team-manager"], cadence="fortnightly")


def unit(file_id="f1", **changes):
    values = {
        "file_id": file_id,
        "supervisee_id": "worker",
        "supervisor_id": "tm",
        "service_area": "North",
        "team": "Team 1",
        "opened_on": date(2025, 1, 1),
        "supervisee_left_on": None,
        "last_audited_on": None,
        "line_above": ("tm", "sm", "hos"),
    }
    values.update(changes)
    return FileUnit(**values)


AS_OF = date(2026, 11, 1)


def test_apply_exclusions_keeps_ordinary_files_in_order():
    units = [unit("f2"), unit("f1")]
    assert apply_exclusions(units, Exclusions(), AS_OF, "qa") == (units, [])


def test_apply_exclusions_leaves_out_a_leaver_with_the_date_in_words():
    kept, left_out = apply_exclusions(
        [unit(supervisee_left_on=date(2026, 10, 3))], Exclusions(), AS_OF, None
    )
    assert kept == []
    assert left_out == [Exclusion("f1", "the supervisee left on 3 October 2026")]


def test_apply_exclusions_keeps_someone_who_has_not_left_yet():
    kept, _ = apply_exclusions(
        [unit(supervisee_left_on=date(2026, 12, 1))], Exclusions(), AS_OF, None
    )
    assert len(kept) == 1


def test_apply_exclusions_leaves_out_a_file_opened_within_the_weeks():
    recent, settled = (
        unit("f1", opened_on=date(2026, 10, 5)),
        unit("f2", opened_on=date(2026, 10, 4)),
    )
    kept, left_out = apply_exclusions([recent, settled], Exclusions(), AS_OF, None)
    assert kept == [settled]
    assert left_out[0].reason == (
        "the file was opened on 5 October 2026, less than 4 weeks before 1 November 2026"
    )


def test_apply_exclusions_leaves_out_a_file_audited_within_the_months():
    recent = unit("f1", last_audited_on=date(2026, 5, 2))
    old = unit("f2", last_audited_on=date(2026, 5, 1))
    kept, left_out = apply_exclusions([recent, old], Exclusions(), AS_OF, None)
    assert kept == [old]
    assert left_out[0].reason == (
        "the file was last audited on 2 May 2026, within 6 months of 1 November 2026"
    )


def test_apply_exclusions_leaves_out_files_the_auditor_supervises_or_is_supervised_on():
    units = [unit("f1", supervisor_id="sm"), unit("f2", supervisee_id="sm"), unit("f3")]
    kept, left_out = apply_exclusions(units, Exclusions(), AS_OF, "sm")
    assert [u.file_id for u in kept] == ["f3"]
    assert [e.reason for e in left_out] == [
        "the auditor is the supervisor on this file",
        "the auditor is the supervisee on this file",
    ]


def test_apply_exclusions_gives_every_reason_that_applies():
    both = unit(supervisee_left_on=date(2026, 10, 3), supervisor_id="sm")
    _, left_out = apply_exclusions([both], Exclusions(), AS_OF, "sm")
    assert left_out[0].reason == (
        "the supervisee left on 3 October 2026; the auditor is the supervisor on this file"
    )


def test_apply_exclusions_rules_can_be_turned_off():
    awkward = unit(
        supervisee_left_on=date(2026, 10, 3),
        opened_on=date(2026, 10, 30),
        last_audited_on=date(2026, 10, 1),
        supervisor_id="sm",
    )
    off = Exclusions(
        leavers=False, opened_within_weeks=0, audited_within_months=0, supervisor_is_auditor=False
    )
    assert apply_exclusions([awkward], off, AS_OF, "sm") == ([awkward], [])


def test_apply_exclusions_rejects_a_file_listed_twice():
    with pytest.raises(ValueError, match="File 'f1' appears more than once"):
        apply_exclusions([unit("f1"), unit("f1")], Exclusions(), AS_OF, None)


def test_exclusions_reject_negative_or_non_whole_settings():
    with pytest.raises(ValueError, match="'audited_within_months'"):
        Exclusions(audited_within_months=-1)
    with pytest.raises(ValueError, match="'opened_within_weeks'"):
        Exclusions(opened_within_weeks=1.5)


def test_policies_can_be_kept_in_a_set_by_key_and_version():
    assert len(set(DEFAULT_POLICIES) | set(DEFAULT_POLICIES)) == 3
