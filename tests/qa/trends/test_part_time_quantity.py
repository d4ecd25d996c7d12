"""The quantity figures read each person's full-time equivalent from the staff file: under
Havering's profile a part-time worker's monthly session is due after the same amount of
their work (001_20b868241c344233.txt, 5); under Coventry's, silent on it, after six weeks."""

from __future__ import annotations

import json
from datetime import datetime

from qa.extensions import db
from qa.profiles import service as profiles


def _practitioner(app, day: str) -> dict[str, object]:
    result = app.test_cli_runner().invoke(args=["quantity", "--as-of", day, "--json"])
    assert result.exit_code == 0, result.output
    found = {person["staff_id"]: person for person in json.loads(result.output)}
    return found["T-practitioner"]


def test_a_part_time_workers_interval_is_pro_rata_only_where_the_profile_says(app, org):
    org.people["practitioner"].fte = 0.5
    db.session.commit()
    coventry = _practitioner(app, "2026-12-10")
    assert coventry["last_formal_session"] == "2026-10-27"
    assert (coventry["interval_days"], coventry["within_rule"]) == (42, False)  # by 8 December
    app.config["FIXED_NOW"] = datetime(2026, 9, 1, 9, 0)
    profiles.use_profile("havering", "Jo Head", "Havering's policy")
    havering = _practitioner(app, "2026-12-10")
    assert (havering["interval_days"], havering["within_rule"]) == (62, True)  # 31 / 0.5
    assert _practitioner(app, "2026-12-29")["within_rule"] is False  # due by 28 December
    org.people["practitioner"].fte = None  # full time
    db.session.commit()
    full_time = _practitioner(app, "2026-12-10")
    assert (full_time["interval_days"], full_time["within_rule"]) == (31, False)
