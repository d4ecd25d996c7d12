"""The suggested answers about the supervision agreement, where a council profile allows a
time to make it once a file opens."""

from __future__ import annotations

from datetime import date

import pytest

from audit_tools.agreement import assess_agreement


@pytest.mark.parametrize(
    ("on", "words"),
    [
        (
            date(2026, 3, 29),
            " yet: the council profile allows 4 weeks from the file's opening, until 29 March 2026",
        ),
        (
            date(2026, 3, 30),
            ": the council profile allows 4 weeks from the file's opening, "
            "so it was due by 29 March 2026",
        ),
    ],
)
def test_a_missing_agreement_says_whether_the_time_allowed_has_run_out(on, words):
    answers = assess_agreement(None, on, opened_on=date(2026, 3, 1), made_within_weeks=4)
    assert answers["agreement_on_file"] == ("no", "No supervision agreement is on file" + words)


def test_without_a_time_allowed_a_missing_agreement_is_simply_missing():
    answers = assess_agreement(None, date(2026, 3, 30), opened_on=date(2026, 3, 1))
    assert answers["agreement_on_file"] == ("no", "No supervision agreement is on file")
