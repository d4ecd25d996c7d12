"""Part-time staff and the length of a session, as each council's profile says: Havering
pro-rates a part-time worker's interval (001_20b868241c344233.txt, 5); Coventry (5.1) and
Haringey (5.1) set a length of an hour and a half; the others are silent and say so."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import pytest
import yaml

from audit_tools.frequency import (
    SessionFacts,
    StaffFacts,
    assess_sessions,
    due_after,
    interval_reason,
)
from audit_tools.profile import ProfileError, load_profile, parse_profile

START = date(2026, 1, 5)


def _staff(fte: float | None, asye: date | None = None) -> StaffFacts:
    return StaffFacts(True, True, asye, date(2020, 1, 1), None, "practitioner", fte)


def test_havering_divides_a_part_time_workers_interval_by_their_full_time_equivalent():
    rules = load_profile("havering").frequency_rules()
    assert due_after(rules, _staff(None), START) == date(2026, 2, 5)  # one calendar month
    assert due_after(rules, _staff(1.0), START) == date(2026, 2, 5)
    assert due_after(rules, _staff(0.5), START) == START + timedelta(days=62)  # 31 / 0.5
    assert due_after(rules, _staff(0.6), START) == START + timedelta(days=52)  # 31 / 0.6, up
    reason = interval_reason(rules, _staff(0.5), START)
    assert reason.startswith("Every 62 days:")
    assert "every month of their work, as they work 0.5 of full time" in reason


def test_havering_does_not_stretch_the_asye_stages_for_part_time_staff():
    rules = load_profile("havering").frequency_rules()
    newly_qualified = _staff(0.5, asye=START)
    assert due_after(rules, newly_qualified, START) == START + timedelta(days=7)


@pytest.mark.parametrize("name", ["coventry", "leicester", "blackpool", "haringey"])
def test_a_policy_silent_on_part_time_holds_part_time_staff_to_the_same_interval(name):
    profile = load_profile(name)
    assert profile.part_time.silent and profile.part_time.note
    rules = profile.frequency_rules()
    assert due_after(rules, _staff(0.5), START) == due_after(rules, _staff(None), START)


def test_the_profiles_say_which_policies_set_a_length_for_a_session():
    lengths = {name: load_profile(name).session_length for name in ("coventry", "haringey")}
    assert {name: rule.amount for name, rule in lengths.items()} == {
        "coventry": 90,
        "haringey": 90,
    }
    assert lengths["coventry"].citation.source == "003_2701f8fa2326f2b4.txt, 5.1"
    assert lengths["haringey"].citation.source == "004_fde0c66ff807e5b0.txt, 5.1"
    for name in ("havering", "blackpool", "leicester"):
        rule = load_profile(name).session_length
        assert rule.silent and rule.note, name


def _sessions(*lengths: int | None) -> list[SessionFacts]:
    return [
        SessionFacts(START + timedelta(days=28 * i), None, None, None, "case", minutes)
        for i, minutes in enumerate(lengths)
    ]


def test_the_frequency_evidence_counts_sessions_shorter_than_the_policy_length():
    rules = load_profile("coventry").frequency_rules()
    sessions = _sessions(90, 45, None, 120, 89)
    end = START + timedelta(days=28 * 4 + 10)
    found = assess_sessions(rules, _staff(None), sessions, START, end)
    assert found.reasons["frequency"].endswith(
        "; 2 of the 4 sessions with a recorded length were shorter than the 90 minutes the "
        "policy sets"
    )
    assert found.suggested["frequency"] == "yes"  # how often, not how long
    full = assess_sessions(rules, _staff(None), _sessions(90, 90, None, 120, 95), START, end)
    assert "0 of the 4 sessions with a recorded length were shorter" in full.reasons["frequency"]


def test_no_length_is_checked_where_the_policy_sets_none_or_none_was_recorded():
    end = START + timedelta(days=28 * 4 + 10)
    havering = load_profile("havering").frequency_rules()
    found = assess_sessions(havering, _staff(None), _sessions(30, 30, 30), START, end)
    assert "minutes" not in found.reasons["frequency"]
    coventry = load_profile("coventry").frequency_rules()
    found = assess_sessions(coventry, _staff(None), _sessions(None, None), START, end)
    assert "minutes" not in found.reasons["frequency"]


def _data(**changes: object) -> dict[str, object]:
    """Havering's shipped profile with fields replaced (None: removed)."""
    entry = resources.files("audit_tools").joinpath("profiles", "havering.yaml")
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"part_time": None}, "‘part_time’ is missing"),
        ({"part_time": {"pro_rata": False}}, "give `pro_rata: true`, or `silent: true`"),
        ({"part_time": {"silent": True}}, "a silent rule has a ‘note’ and no ‘pro_rata’"),
        ({"session_length": None}, "‘session_length’ is missing"),
        ({"session_length": {"minutes": 0, "source": "x"}}, "session_length"),
    ],
)
def test_a_profile_that_does_not_say_how_it_treats_part_time_or_length_is_refused(changes, problem):
    with pytest.raises(ProfileError) as refused:
        parse_profile(_data(**changes), "havering.yaml")
    assert problem in str(refused.value)
