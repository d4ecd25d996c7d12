"""The load test's writes: forms read and filled in as a browser would, and the ledger's
verdict on what the database holds (lost, held twice, or as the person was told)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import bench_ha  # noqa: E402
import load_forms  # noqa: E402
import load_journeys  # noqa: E402
from load_users import Hit, Record, Visit  # noqa: E402

PAGE = """
<form method="post" action="/sign-out"><input type="hidden" name="csrf_token" value="S"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrf_token" value="T1">
  <input type="radio" name="answer_q1" value="yes"><input type="radio" name="answer_q1"
   value="no" checked>
  <textarea name="comment_q1">
old &amp; kept</textarea>
  <select name="owner"><option value="0">Choose</option><option value="7" selected>Ann</option>
  </select>
  <input name="due" value=""><input name="due" value=""><input name="due" value="">
  <input type="checkbox" name="early" value="y">
  <button type="submit" name="save">Save</button><button name="later">Later</button>
</form>"""


def test_the_form_posting_back_to_the_page_is_found_not_the_sign_out_one():
    form = load_forms.find_form(PAGE)
    assert form is not None and form.action == ""
    assert load_forms.find_form(PAGE, "/sign-out").values == [("csrf_token", "S")]
    assert form.choices("answer_q1") == ["yes", "no"] and form.choices("owner") == ["0", "7"]


def test_a_filled_form_keeps_the_page_values_sends_one_button_and_every_date_box():
    form = load_forms.find_form(PAGE)
    sent = form.fill({"answer_q1": "yes", "due": ["1", "2", "2027"], "early": "y"}, "save")
    assert sent == [
        ("csrf_token", "T1"),
        ("answer_q1", "yes"),
        ("comment_q1", "old & kept"),
        ("owner", "7"),
        ("due", "1"),
        ("due", "2"),
        ("due", "2027"),
        ("early", "y"),
        ("save", ""),
    ]


def test_what_the_person_was_told_follows_the_answer():
    def seen(status):
        return Visit(status, "", "/", 0.1, 0.0)

    assert load_journeys.outcome(seen(200), moved_on=True) == "done"
    assert load_journeys.outcome(seen(200), moved_on=False) == "refused"
    assert load_journeys.outcome(seen(409), moved_on=False) == "refused"
    assert load_journeys.outcome(seen(502), moved_on=False) == "unknown"
    assert load_journeys.outcome(seen(0), moved_on=False) == "unknown"


def _ledger(*writes):
    ledger = load_journeys.Ledger()
    for kind, token, subject, told in writes:
        ledger.add(kind, token, subject, told)
    return ledger


def _by_kind(checks):
    return {c.kind: c for c in checks}


def test_a_write_told_done_must_be_stored_once_and_an_unknown_one_at_most_once():
    ledger = _ledger(
        ("reply", "lta", "1", "done"),
        ("reply", "ltb", "2", "done"),
        ("reply", "ltc", "3", "unknown"),
        ("reply", "ltd", "4", "unknown"),
        ("action", "lte", "5", "done"),
        ("action", "ltf", "5", "refused"),
    )
    stored = {"reply": {"lta": 1, "ltc": 1, "ltd": 2}, "action": {"lte": 1, "ltf": 1}}
    checks = _by_kind(load_journeys.check(ledger, stored, {}))
    assert (checks["reply"].done, checks["reply"].unknown) == (2, 2)
    assert checks["reply"].lost == 1  # ltb, told done, is not there
    assert checks["reply"].twice == 1  # ltd is there twice
    assert checks["action"].twice == 1  # ltf was refused, yet saved
    assert checks["sign-off"] == load_journeys.Check("sign-off", 0, 0, 0, 0, 0)


def test_a_section_holds_the_last_save_told_done_or_a_later_unknown_one():
    ledger = _ledger(
        ("section", "lt1", "9:q1", "done"),
        ("section", "lt2", "9:q1", "done"),
        ("section", "lt3", "9:q1", "unknown"),
        ("section", "lt4", "8:q1", "done"),
        ("section", "lt5", "7:q1", "unknown"),
    )
    standing = {"9:q1": "lt3", "8:q1": "lt4"}
    assert _by_kind(load_journeys.check(ledger, {}, standing))["section"].lost == 0
    standing = {"9:q1": "lt1", "8:q1": "lt4"}  # an older save stands: the last one was lost
    assert _by_kind(load_journeys.check(ledger, {}, standing))["section"].lost == 1


def test_failed_requests_are_split_into_those_in_flight_at_the_kill_and_the_others():
    record = Record()
    record.add(Hit("/", 502, 2.0, False, started=9.0))  # running when the host died at 10
    record.add(Hit("/", 0, 1.0, False, started=10.5))  # after
    record.add(Hit("/", 200, 5.0, True, started=8.0))  # in flight but answered
    assert bench_ha.split_errors(record, killed_at=10.0) == (2, 1, 1)


def test_a_refused_form_is_recorded_with_the_first_error_the_page_gave():
    page = (
        '<ul class="govuk-list govuk-error-summary__list">\n<li>\n'
        '<a href="#judgement">Raise at least one action before you submit</a></li></ul>'
    )
    assert load_journeys.said(Visit(400, page, "/", 0.1, 0.0)) == (
        "Raise at least one action before you submit"
    )
    assert load_journeys.said(Visit(502, "", "/", 0.1, 0.0)) == "status 502"
