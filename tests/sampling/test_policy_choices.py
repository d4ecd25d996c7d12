"""The cadences, populations and sizes a policy may choose, in the pure library."""

from __future__ import annotations

from datetime import date

import pytest

from sampling.cadences import monthly_team_manager, quarterly_service_manager
from sampling.periods import next_period, parse_period, period_bounds, period_key
from sampling.policies import DEFAULT_POLICIES, RuleError, policy_from_dict, policy_to_dict
from sampling.verify import selection_frame_hash, verify

SEED = "12345678901234567890"


def test_a_year_and_a_single_day_are_periods():
    assert period_key("annual", date(2026, 11, 23)) == "2026"
    assert period_bounds("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert period_key("ad-hoc", date(2026, 11, 23)) == "2026-11-23"
    assert period_bounds("2026-11-23") == (date(2026, 11, 23), date(2026, 11, 23))
    assert (
        parse_period("2026-11-23").cadence == "ad-hoc" and next_period("2026-12-31") == "2027-01-01"
    )
    with pytest.raises(ValueError, match="Enter a period like"):
        parse_period("2026-02-30")


def test_the_monthly_draw_takes_the_policys_number_of_files_from_the_chosen_workload():
    workloads = {"tm-a": [f"F{i:06d}" for i in range(1, 7)], "tm-b": ["F000010", "F000011"]}
    selection = monthly_team_manager(SEED, workloads, {}, "sm-1", {"tm-a": 3, "tm-b": 3})
    chosen = selection.draws[0].selected[0]
    expected = min(3, len(workloads[chosen]))
    assert len(selection.assignments) == expected == len(selection.draws[1].selected)
    assert {auditor for _, auditor in selection.assignments} == {"sm-1"}
    assert verify(SEED, selection.draws, selection_frame_hash(selection.draws)).matches


def test_the_quarterly_draw_takes_the_policys_number_from_each_workload():
    workloads = {"sm-a": ["F000001", "F000002", "F000003"], "sm-b": ["F000004"]}
    selection = quarterly_service_manager(SEED, workloads, "hos-1", {"sm-a": 2, "sm-b": 2})
    assert [len(d.selected) for d in selection.draws] == [2, 1]
    assert len(selection.assignments) == 3


def _six_monthly(**changes: object) -> dict[str, object]:
    data = policy_to_dict(DEFAULT_POLICIES[2])
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"population": "team_manager_workloads"}, "drawn by each service manager or each head"),
        ({"population": "service_manager_workloads"}, "drawn by each head of service"),
        ({"population": "chosen_files"}, "Choose at least one file"),
        ({"scope": {"files": [3]}}, "Only a policy that audits a chosen list"),
        ({"scope": {"roles": "practitioner"}}, "must be a list of names"),
        ({"scope": {"case_holding": "yes"}}, "must be true or false"),
        ({"scope": {"colour": ["red"]}}, "unknown setting 'colour'"),
        ({"cadence": "weekly"}, "'cadence' must be one of"),
    ],
)
def test_choices_that_cannot_work_together_are_refused_by_name(changes, message):
    with pytest.raises(RuleError, match=message):
        policy_from_dict(_six_monthly(**changes))


def test_a_chosen_list_and_a_narrowed_population_are_kept_in_the_saved_data():
    policy = policy_from_dict(
        _six_monthly(
            cadence="ad-hoc",
            population="chosen_files",
            scope={"files": [5, 3, 3], "roles": ["practitioner"], "case_holding": True},
        )
    )
    assert policy.drawn_by_hand
    saved = policy_to_dict(policy)["scope"]
    assert saved == {"files": [3, 5], "roles": ["practitioner"], "case_holding": True}
    assert policy_from_dict(policy_to_dict(policy)) == policy


def test_versions_saved_before_policies_had_a_scope_still_read():
    data = policy_to_dict(DEFAULT_POLICIES[0])
    del data["scope"]
    assert dict(policy_from_dict(data).scope) == {}
