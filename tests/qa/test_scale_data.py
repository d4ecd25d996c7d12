"""The county made by scripts/scale_data.py: a proper line-management tree in plausible
proportions, and the same rows from the same seed and date (checked on the organisation
alone, which takes a fraction of a second; the loading is timed by `make bench`)."""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import scale_data  # noqa: E402

AS_OF = date(2026, 11, 23)
COUNTY = scale_data.PROFILES["county"]


def county() -> scale_data.Org:
    return scale_data.build_org(random.Random(scale_data.SEED), COUNTY, AS_OF)


def test_the_county_has_ten_thousand_staff_in_one_line_management_tree():
    org = county()
    people = {p.id: p for p in org.people}
    roles = Counter(p.role for p in org.people)
    above = {
        "practitioner": "team_manager",
        "senior_practitioner": "team_manager",
        "team_manager": "service_manager",
        "service_manager": "head_of_service",
    }
    assert len(org.people) == 10_000
    assert (roles["head_of_service"], roles["service_manager"], roles["team_manager"]) == (
        20,
        120,
        960,
    )
    assert roles["practitioner"] + roles["senior_practitioner"] == 8_887
    for person in org.people:
        if person.role in above:
            manager = people[person.manager]
            assert manager.role == above[person.role]
            assert manager.area == person.area
        if person.role in ("practitioner", "senior_practitioner"):
            assert person.team == people[person.manager].team
    assert len(org.files) == 10_000 - 20 - COUNTY.qa_officers - 1


def test_the_county_has_a_name_for_each_area_and_team():
    areas = [scale_data.area_name(a, COUNTY) for a in range(1, COUNTY.areas + 1)]
    teams = [scale_data.team_name(t, COUNTY) for t in range(1, COUNTY.teams + 1)]
    assert len(set(areas)) == COUNTY.areas
    assert len(set(teams)) == COUNTY.teams
    assert "Child Protection South" in areas


def test_the_same_seed_and_date_make_the_same_county():
    first, second = county(), county()
    assert list(scale_data.staff_rows(first)) == list(scale_data.staff_rows(second))
    assert first.files == second.files


def test_the_audits_are_of_the_shipped_tool_version_their_answers_follow():
    tool = next(t for t in scale_data.default_tools() if t.id == scale_data.TOOL_ID)
    scale = replace(COUNTY, answers=3 * len(list(tool.questions())))
    tables = scale_data.AuditTables()
    rng = random.Random(scale_data.SEED)
    lines = list(scale_data.answer_lines(rng, county(), scale, AS_OF, tool, tables))
    assert len(lines) == scale.answers and len(tables.audits) == 3
    assert {row[5:7] for row in tables.audits} == {(tool.id, tool.version)}
