"""Verify recomputes stored draws and notices a changed frame, seed or result."""

import dataclasses
from datetime import date

from sampling.policies import DrawRecord, FileUnit, monthly_team_manager, six_monthly_random
from sampling.selection import frame_hash
from sampling.verify import Verification, selection_frame_hash, verify

SEED = "31415926535897932384626"


def six_monthly():
    units = [
        FileUnit(
            file_id=f"{area}-{i:03d}",
            supervisee_id=f"worker-{area}-{i}",
            supervisor_id=f"tm-{area}",
            service_area=area,
            team=area,
            opened_on=date(2025, 1, 1),
            supervisee_left_on=None,
            last_audited_on=None,
            line_above=(f"tm-{area}", f"sm-{area}"),
        )
        for area, count in (("North", 340), ("South", 120))
        for i in range(count)
    ]
    return six_monthly_random(SEED, units, 59, ["sm-North", "sm-South", "qa-1"])


def test_verify_matches_a_fresh_selection_and_says_so_per_draw():
    selection = six_monthly()
    result = verify(SEED, selection.draws, selection_frame_hash(selection.draws))
    assert result.matches
    assert result.details == (
        "service area North: 44 files selected from 340, matches",
        "service area South: 15 files selected from 120, matches",
        "The frames match the frame hash recorded when the files were drawn.",
    )


def test_verify_fails_when_a_stored_frame_id_is_altered():
    selection = six_monthly()
    stored_hash = selection_frame_hash(selection.draws)
    north = selection.draws[0]
    altered = dataclasses.replace(north, frame=("North-999",) + north.frame[1:])
    result = verify(SEED, (altered,) + selection.draws[1:], stored_hash)
    assert not result.matches
    assert result.details[0].startswith(
        "service area North: 44 files selected from 340, does not match"
    )
    assert "do not match the frame hash" in result.details[-1]


def test_verify_fails_on_the_frame_hash_alone_when_frame_and_result_are_altered_together():
    selection = six_monthly()
    stored_hash = selection_frame_hash(selection.draws)
    north = selection.draws[0]
    dropped = north.reserves[-1]
    forged = DrawRecord(
        north.label,
        tuple(f for f in north.frame if f != dropped),
        north.k,
        north.selected,
        north.reserves[:-1],
    )
    result = verify(SEED, (forged,) + selection.draws[1:], stored_hash)
    assert not result.matches
    assert result.details[0].endswith("matches")


def test_verify_fails_when_the_seed_is_changed():
    selection = six_monthly()
    result = verify("27182818284590452353602", selection.draws)
    assert not result.matches
    assert all("does not match" in line for line in result.details)


def test_verify_fails_when_a_selected_file_is_swapped_for_a_reserve():
    record = six_monthly().draws[1]
    swapped = dataclasses.replace(
        record,
        selected=(record.reserves[0],) + record.selected[1:],
        reserves=(record.selected[0],) + record.reserves[1:],
    )
    result = verify(SEED, [swapped])
    assert not result.matches
    assert "re-running the draw selects" in result.details[0]


def test_verify_reports_when_only_the_reserves_differ():
    record = six_monthly().draws[1]
    reordered = dataclasses.replace(record, reserves=tuple(reversed(record.reserves)))
    assert verify(SEED, [reordered]).details == (
        "service area South: 15 files selected from 120, does not match: the reserves differ",
    )


def test_verify_reports_an_invalid_stored_draw_rather_than_crashing():
    broken = DrawRecord("file from sm-1", ("a", "a"), 1, ("a",), ("a",))
    result = verify(SEED, [broken])
    assert not result.matches
    assert "Each unit may appear only once" in result.details[0]


def test_verify_names_team_manager_draws_in_words():
    loads = {"tm-1": ["f1", "f2"], "tm-2": ["f3"]}
    selection = monthly_team_manager(SEED, loads, {}, "sm-1")
    chosen = selection.draws[0].selected[0]
    assert verify(SEED, selection.draws).details == (
        "team manager: 1 team manager selected from 2, matches",
        f"file from {chosen}: 1 file selected from {len(loads[chosen])}, matches",
    )


def test_verify_of_no_draws_says_there_is_nothing_to_check():
    assert verify(SEED, []) == Verification(True, ("There are no draws to check.",))


def test_selection_frame_hash_covers_every_frame_in_draw_order():
    first = DrawRecord("a", ("1", "2"), 1, ("2",), ("1",))
    second = DrawRecord("b", ("3",), 1, ("3",), ())
    assert selection_frame_hash([first, second]) == frame_hash(["1", "2", "3"])
    assert selection_frame_hash([second, first]) != selection_frame_hash([first, second])


def test_verify_answers_does_not_match_when_a_stored_id_holds_a_line_break():
    selection = six_monthly()
    stored_hash = selection_frame_hash(selection.draws)
    north = selection.draws[0]
    broken = dataclasses.replace(north, frame=("North\n000",) + north.frame[1:])
    result = verify(SEED, (broken,) + selection.draws[1:], stored_hash)
    assert not result.matches
    assert "do not match the frame hash" in result.details[-1]
