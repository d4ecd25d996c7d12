"""The three cadences: rotation, one file per manager, stratified sample and fair auditors."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.planning import allocate
from sampling.policies import (
    DrawRecord,
    FileUnit,
    assign_auditors,
    monthly_team_manager,
    next_reserve,
    period_bounds,
    quarterly_service_manager,
    six_monthly_random,
)
from sampling.selection import draw, order_by_ticket, ticket

SEED = "80415926535897932384"


def workloads(managers: int, files_each: int = 6) -> dict[str, list[str]]:
    return {f"tm-{m}": [f"tm-{m}-file-{f}" for f in range(files_each)] for m in range(managers)}


def test_monthly_selection_is_two_labelled_draws_audited_by_the_service_manager():
    selection = monthly_team_manager(SEED, workloads(4), {}, "sm-1")
    manager, file_draw = selection.draws
    assert manager.label == "team manager"
    assert manager.frame == ("tm-0", "tm-1", "tm-2", "tm-3")
    assert manager.k == 1
    chosen = manager.selected[0]
    assert file_draw.label == f"file from {chosen}"
    assert file_draw.frame == tuple(sorted(workloads(4)[chosen]))
    assert file_draw.selected + file_draw.reserves == tuple(
        order_by_ticket(SEED, workloads(4)[chosen])
    )
    assert selection.assignments == ((file_draw.selected[0], "sm-1"),)
    assert any("section 9.3" in note for note in selection.notes)


def test_monthly_rotation_prefers_team_managers_never_sampled():
    last = {"tm-0": date(2026, 10, 1), "tm-1": None, "tm-2": date(2026, 9, 1)}
    selection = monthly_team_manager(SEED, workloads(3), last, "sm-1")
    assert selection.draws[0].frame == ("tm-1",)


def test_monthly_rotation_then_prefers_the_least_recently_sampled_and_draws_between_ties():
    last = {"tm-0": date(2026, 10, 1), "tm-1": date(2026, 9, 1), "tm-2": date(2026, 9, 1)}
    selection = monthly_team_manager(SEED, workloads(3), last, "sm-1")
    assert selection.draws[0].frame == ("tm-1", "tm-2")
    assert selection.draws[0].selected == draw(SEED, ["tm-1", "tm-2"], 1).selected


def test_monthly_rotation_covers_every_team_manager_before_any_repeats():
    last_sampled: dict[str, date | None] = {}
    chosen = []
    for month in range(1, 13):
        first_day, _ = period_bounds(f"2026-{month:02d}")
        selection = monthly_team_manager(f"{SEED}{month}", workloads(5), last_sampled, "sm-1")
        manager = selection.draws[0].selected[0]
        chosen.append(manager)
        last_sampled[manager] = first_day
    assert sorted(chosen[:5]) == sorted(workloads(5))
    assert sorted(chosen[5:10]) == sorted(workloads(5))
    for month, manager in enumerate(chosen):
        assert manager not in chosen[max(0, month - 4) : month]


def test_monthly_rotation_skips_a_team_manager_with_no_eligible_files():
    loads = workloads(3)
    loads["tm-1"] = []
    selection = monthly_team_manager(SEED, loads, {}, "sm-1")
    assert selection.draws[0].frame == ("tm-0", "tm-2")
    assert "tm-1 has no eligible files this month, so was not considered." in selection.notes


def test_monthly_selection_with_no_eligible_files_selects_nothing_and_says_so():
    selection = monthly_team_manager(SEED, {"tm-0": []}, {}, "sm-1")
    assert selection.draws == ()
    assert selection.assignments == ()
    assert selection.notes[-1] == (
        "No team manager has an eligible file this month, so no file was selected."
    )


def test_quarterly_selection_takes_one_file_per_service_manager_for_the_head_of_service():
    loads = {"sm-b": ["b1", "b2", "b3"], "sm-a": ["a1", "a2"], "sm-c": []}
    selection = quarterly_service_manager(SEED, loads, "hos-1")
    assert [record.label for record in selection.draws] == ["file from sm-a", "file from sm-b"]
    for record, manager in zip(selection.draws, ["sm-a", "sm-b"], strict=True):
        assert record.k == 1
        assert record.selected == draw(SEED, loads[manager], 1).selected
        assert len(record.reserves) == len(loads[manager]) - 1
    assert [auditor for _, auditor in selection.assignments] == ["hos-1", "hos-1"]
    assert "sm-c has no eligible files this quarter, so none was selected." in selection.notes


def test_quarterly_selection_rejects_a_file_in_two_workloads():
    with pytest.raises(ValueError, match="'x' is in the workload of both sm-a and sm-b"):
        quarterly_service_manager(SEED, {"sm-a": ["x"], "sm-b": ["x"]}, "hos-1")


@pytest.mark.parametrize("selector", ["", "  "])
def test_cadences_need_the_selector_to_be_identified(selector):
    with pytest.raises(ValueError, match="must be identified"):
        quarterly_service_manager(SEED, {"sm-a": ["x"]}, selector)
    with pytest.raises(ValueError, match="must be identified"):
        monthly_team_manager(SEED, {"tm-a": ["x"]}, {}, selector)


def service(areas: dict[str, int]) -> list[FileUnit]:
    """Files in each area, supervised in two lines per area: team managers under one manager."""
    units = []
    for area, count in areas.items():
        for i in range(count):
            line = i % 2
            units.append(
                FileUnit(
                    file_id=f"{area}-{i:03d}",
                    supervisee_id=f"{area}-worker-{i}",
                    supervisor_id=f"{area}-tm-{line}",
                    service_area=area,
                    team=f"{area} team {line}",
                    opened_on=date(2025, 1, 1),
                    supervisee_left_on=None,
                    last_audited_on=None,
                    line_above=(f"{area}-tm-{line}", f"{area}-sm", "hos"),
                )
            )
    return units


AUDITORS = ["North-tm-0", "North-tm-1", "South-tm-0", "South-tm-1", "East-sm", "North-sm"]


def test_six_monthly_sample_is_one_draw_per_service_area_with_allocated_sizes():
    units = service({"North": 120, "South": 60, "East": 20})
    selection = six_monthly_random(SEED, units, 20, AUDITORS)
    assert [record.label for record in selection.draws] == [
        "service area East",
        "service area North",
        "service area South",
    ]
    sizes = {record.label.removeprefix("service area "): record.k for record in selection.draws}
    assert sizes == allocate(20, {"North": 120, "South": 60, "East": 20})
    assert sum(len(record.selected) for record in selection.draws) == 20
    assert "Service area North: 12 of 120 files." in selection.notes


def test_six_monthly_auditors_never_audit_their_own_line():
    units = service({"North": 80, "South": 50, "East": 10})
    by_id = {u.file_id: u for u in units}
    selection = six_monthly_random(SEED, units, 40, AUDITORS)
    assert len(selection.assignments) == 40
    for file_id, auditor in selection.assignments:
        unit = by_id[file_id]
        assert auditor not in {unit.supervisor_id, unit.supervisee_id, *unit.line_above}


def test_six_monthly_auditors_are_balanced_and_assigned_in_ticket_order():
    units = service({"North": 80, "South": 50})
    auditors = ["East-sm", "West-sm", "QA-1", "QA-2"]
    selection = six_monthly_random(SEED, units, 30, auditors)
    counts = Counter(auditor for _, auditor in selection.assignments)
    assert max(counts.values()) - min(counts.values()) <= 1
    files = [file_id for file_id, _ in selection.assignments]
    assert files == order_by_ticket(SEED, files)


def test_six_monthly_ties_between_auditors_are_settled_by_ticket():
    (only,) = service({"North": 1})
    assignments, _ = assign_auditors(SEED, [only], ["QA-1", "QA-2", "QA-3"])
    expected = min(["QA-1", "QA-2", "QA-3"], key=lambda a: ticket(SEED, f"{a}:{only.file_id}"))
    assert assignments == ((only.file_id, expected),)


def test_six_monthly_file_with_no_eligible_auditor_is_left_unassigned_with_a_note():
    units = service({"North": 6})
    selection = six_monthly_random(SEED, units, 6, ["North-tm-0", "North-sm"])
    assigned = {file_id for file_id, _ in selection.assignments}
    assert all(auditor for _, auditor in selection.assignments)
    unassigned = [u.file_id for u in units if u.file_id not in assigned]
    assert unassigned
    for file_id in unassigned:
        assert any(f"No auditor could be given file {file_id}" in note for note in selection.notes)


def test_six_monthly_sample_larger_than_the_files_selects_them_all():
    units = service({"North": 3, "South": 2})
    selection = six_monthly_random(SEED, units, 59, AUDITORS)
    assert sorted(f for record in selection.draws for f in record.selected) == sorted(
        u.file_id for u in units
    )
    assert "every file is selected" in selection.notes[0]


def test_six_monthly_sample_is_the_same_every_time_for_the_same_seed():
    units = service({"North": 30, "South": 30})
    assert six_monthly_random(SEED, units, 10, AUDITORS) == six_monthly_random(
        SEED, list(reversed(units)), 10, AUDITORS
    )


def test_six_monthly_rejects_a_repeated_file_or_auditor():
    units = service({"North": 2})
    with pytest.raises(ValueError, match="appears more than once"):
        six_monthly_random(SEED, units + units[:1], 1, AUDITORS)
    with pytest.raises(ValueError, match="'QA-1' is listed more than once"):
        six_monthly_random(SEED, units, 1, ["QA-1", "QA-1"])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.text(alphabet="0123456789", min_size=20, max_size=24),
    areas=st.dictionaries(
        st.sampled_from(["North", "South", "East", "West"]),
        st.integers(min_value=1, max_value=25),
        min_size=1,
    ),
    size=st.integers(min_value=0, max_value=60),
    auditors=st.lists(st.sampled_from(AUDITORS + ["QA-1", "South-sm"]), unique=True),
)
def test_no_auditor_ever_audits_a_file_in_their_own_line(seed, areas, size, auditors):
    units = service(areas)
    by_id = {u.file_id: u for u in units}
    selection = six_monthly_random(seed, units, size, auditors)
    selected = [f for record in selection.draws for f in record.selected]
    assert len(selected) == min(size, len(units))
    for file_id, auditor in selection.assignments:
        unit = by_id[file_id]
        assert auditor in auditors
        assert auditor not in {unit.supervisor_id, unit.supervisee_id, *unit.line_above}
    noted = sum("No auditor could be given file" in note for note in selection.notes)
    assert len(selection.assignments) + noted == len(selected)


def test_next_reserve_skips_unavailable_files_in_ticket_order():
    record = DrawRecord("file from tm-1", ("a", "b", "c", "d"), 1, ("c",), ("a", "d", "b"))
    assert next_reserve(record, {"c"}) == "a"
    assert next_reserve(record, {"c", "a"}) == "d"
    assert next_reserve(record, {"a", "b", "c", "d"}) is None
