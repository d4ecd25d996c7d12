"""Selection runs in the app: made once, stored whole, verifiable, with reserves."""

from __future__ import annotations

import json
import multiprocessing
from datetime import date

import pytest
from sqlalchemy import event, func, select

from qa.audits.models import Audit
from qa.events.models import Event
from qa.extensions import db
from qa.selections import service
from qa.selections.frames import load_organisation
from qa.selections.models import SelectionRun
from qa.selections.policies import current_policy, save_new_version

SEED = "12345678901234567890"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_monthly_selection_picks_one_file_from_a_team_managers_workload(org):
    run, created = service.run_selection(
        "monthly-team-manager", "2026-11", org.people["service_manager"], None, seed=SEED
    )
    assert created
    audits = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all()
    assert len(audits) == 1
    audit = audits[0]
    assert audit.auditor_id == org.people["service_manager"].id
    # drawn on 23 November: ten working days, past the end of the month
    assert audit.due_on.isoformat() == "2026-12-07"
    supervisor = audit.file.supervisor.external_id
    assert supervisor in ("T-team_manager", "T-team_manager_n2")
    labels = [d["label"] for d in run.draw_list]
    assert labels == ["team manager", f"file from {supervisor}"]
    assert run.frame_hash and run.seed == SEED


def test_the_same_selection_twice_gives_one_run(org):
    sm = org.people["service_manager"]
    first, _ = service.run_selection("monthly-team-manager", "2026-11", sm, None)
    second, created = service.run_selection("monthly-team-manager", "2026-11", sm, None)
    assert not created and second.id == first.id
    assert _count(SelectionRun) == 1 and _count(Audit) == 1


def test_monthly_rotation_moves_to_the_other_team_manager_next_month(org):
    sm = org.people["service_manager"]
    chosen = []
    for month in ("2026-09", "2026-10"):
        run, _ = service.run_selection("monthly-team-manager", month, sm, None)
        chosen.append(run.draw_list[0]["selected"][0])
        run.ran_at = run.ran_at.replace(month=int(month[-2:]))
        db.session.commit()
    assert sorted(chosen) == ["T-team_manager", "T-team_manager_n2"]


def test_quarterly_selection_takes_one_file_per_service_manager(org):
    run, _ = service.run_selection(
        "quarterly-service-manager", "2026-Q4", org.people["head_of_service"], None
    )
    audits = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all()
    assert len(audits) == 1
    assert audits[0].file.supervisor.external_id == "T-service_manager"
    assert audits[0].due_on.isoformat() == "2026-12-31"


def test_six_monthly_sample_never_gives_a_file_to_its_own_line(org):
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    audits = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all()
    assert audits
    for audit in audits:
        supervisee = audit.file.supervisee
        line = set()
        manager = supervisee.line_manager
        while manager is not None:
            line.add(manager.id)
            manager = manager.line_manager
        assert audit.auditor_id not in line | {supervisee.id}
    assert "attribute" in run.sample_size_reasoning or "%" in run.sample_size_reasoning


def test_a_period_of_the_wrong_cadence_is_refused_with_an_example(org):
    with pytest.raises(service.SelectionError, match="2026-11"):
        service.run_selection(
            "monthly-team-manager", "2026-Q4", org.people["service_manager"], None
        )


def test_verify_says_matches_for_a_stored_run_and_does_not_match_when_altered(org):
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    assert service.verify_run(run).matches
    draws = run.draw_list
    draws[0]["frame"][0] = "F999999"
    run.draws = json.dumps(draws)
    db.session.commit()
    result = service.verify_run(run)
    assert not result.matches
    assert any("do not match" in line or "does not match" in line for line in result.details)
    assert _count(Event) >= 2


def test_replacing_a_file_takes_the_next_reserve_and_records_why(org):
    head = org.people["head_of_service"]
    run, _ = service.run_selection("quarterly-service-manager", "2026-Q4", head, None, seed=SEED)
    first = db.session.scalar(select(Audit).where(Audit.run_id == run.id))
    draw = next(d for d in run.draw_list if d["label"] == first.draw_label)
    assert len(draw["reserves"]) == 1
    replacement = service.replace_file(first, "The worker left on 3 November 2026", head)
    assert first.state == "cancelled" and "left" in first.cancel_reason
    assert replacement.file.reference == draw["reserves"][0]
    assert replacement.replaces_id == first.id and replacement.auditor_id == head.id
    with pytest.raises(service.SelectionError, match="no reserves left"):
        service.replace_file(replacement, "This worker left too", head)
    assert replacement.state == "cancelled"


def test_replacing_without_a_reason_is_refused(org):
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    audit = db.session.scalar(select(Audit).where(Audit.run_id == run.id))
    with pytest.raises(service.SelectionError, match="Enter why"):
        service.replace_file(audit, "  ", None)


def test_a_changed_policy_is_a_new_version_and_old_runs_keep_theirs(org):
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None)
    save_new_version(
        "six-monthly-random",
        {"size_rule": {"kind": "fixed", "n": 2}},
        "Smaller pilot",
        org.people["qa_officer"],
    )
    _, policy = current_policy("six-monthly-random")
    assert policy.version == 2 and dict(policy.size_rule) == {"kind": "fixed", "n": 2}
    assert run.policy_version == 1


def test_service_manager_draws_this_months_file_on_the_web(sign_in_as, org):
    client = sign_in_as("service_manager")
    page = client.get("/selections/draw/monthly-team-manager")
    assert 'value="2026-11"' in page.get_data(as_text=True)
    response = client.post(
        "/selections/draw/monthly-team-manager", data={"period": "2026-11", "seed": ""}
    )
    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Files drawn" in body and "Frame hash" in body and "consistent_sampler" in body
    verified = client.post(response.headers["Location"], data={}).get_data(as_text=True)
    assert "This selection matches" in verified


def test_the_draw_form_explains_a_bad_period_and_a_bad_seed(sign_in_as):
    client = sign_in_as("service_manager")
    client.get("/selections/draw/monthly-team-manager")
    body = client.post(
        "/selections/draw/monthly-team-manager", data={"period": "November", "seed": "12"}
    ).get_data(as_text=True)
    assert "Enter a period like 2026-11, 2026-Q4 or 2026-H2" in body
    assert "Enter a seed of at least 20 digits" in body
    assert _count(SelectionRun) == 0


def test_qa_officer_sees_the_sample_size_and_why_before_drawing(sign_in_as):
    body = (
        sign_in_as("qa_officer").get("/selections/draw/six-monthly-random").get_data(as_text=True)
    )
    assert "How many files" in body and "confident" in body


def test_only_the_policys_selector_role_may_draw(sign_in_as):
    assert (
        sign_in_as("team_manager").get("/selections/draw/monthly-team-manager").status_code == 403
    )
    assert (
        sign_in_as("service_manager").get("/selections/draw/six-monthly-random").status_code == 403
    )


def test_another_service_managers_run_is_not_found(sign_in_as, org):
    run, _ = service.run_selection(
        "monthly-team-manager", "2026-11", org.people["service_manager_south"], None
    )
    assert sign_in_as("service_manager").get(f"/selections/{run.id}").status_code == 404
    assert sign_in_as("qa_officer").get(f"/selections/{run.id}").status_code == 200


def test_qa_officer_saves_a_policy_as_a_new_version_on_the_web(sign_in_as):
    client = sign_in_as("qa_officer")
    client.get("/selections/policies/six-monthly-random")
    data = {
        "title": "Six-monthly random sample",
        "description": "",
        "active": "y",
        "cadence": "six-monthly",
        "selector_role": "qa_officer",
        "population": "all_open_files",
        "case_holding": "any",
        "auditor_rule": "independent_manager",
        "tool_id": "supervision-file-audit",
        "leavers": "y",
        "supervisor_is_auditor": "y",
        "opened_within_weeks": "4",
        "audited_within_months": "6",
        "size_kind": "fixed",
        "size_n": "3",
        "due_kind": "weeks_after_start",
        "due_weeks": "6",
        "due_working_days": "15",
        "sign_off_rule": "quality_assurance",
        "reason": "Pilot",
    }
    assert client.post("/selections/policies/six-monthly-random", data=data).status_code == 302
    _, saved = current_policy("six-monthly-random")
    assert saved.sign_off_rule == "quality_assurance" and saved.due_rule["working_days"] == 15
    run, _ = service.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    audits = service.audits_of_run(run)
    assert {a.sign_off_rule for a in audits} == {"quality_assurance"}
    assert {a.due_on.isoformat() for a in audits} == {"2026-12-14"}  # 15 working days
    bad = dict(data, size_kind="proportion", proportion_margin="guess")
    body = client.post("/selections/policies/six-monthly-random", data=bad).get_data(as_text=True)
    assert "margin of error must be a percentage" in body and "Error:" in body


def test_select_and_verify_commands(app, org):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["select", "--policy", "monthly-team-manager", "--period", "2026-11"])
    assert made.exit_code == 0, made.output
    assert made.output.count("made") == 2  # one per service manager
    again = runner.invoke(
        args=["select", "--policy", "monthly-team-manager", "--period", "2026-11"]
    )
    assert again.output.count("already made") == 2
    run_id = db.session.scalar(select(SelectionRun.id))
    verified = runner.invoke(args=["verify", str(run_id)])
    assert verified.exit_code == 0 and "Matches." in verified.output


def test_sample_size_command_prints_the_size_and_the_reasoning(app, org):
    result = app.test_cli_runner().invoke(
        args=[
            "sample-size",
            "--kind",
            "attribute",
            "--tolerable-rate",
            "0.05",
            "--confidence",
            "0.95",
            "--population",
            "100000",
        ]
    )
    assert result.exit_code == 0
    assert "Sample size: 59 of 100000" in result.output


def _race(url: str, barrier, results) -> None:  # runs in a child process
    from qa import create_app
    from qa.org.models import Staff

    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x"})
        with app.app_context():
            sm = db.session.scalar(select(Staff).where(Staff.external_id == "T-service_manager"))
            barrier.wait()
            run, created = service.run_selection("monthly-team-manager", "2026-11", sm, None)
            results.put((run.id, created))
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put(("error", repr(exc)))


@pytest.mark.postgres
def test_two_processes_racing_make_exactly_one_run(app, org):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("The race is tested on PostgreSQL")
    from qa.selections.policies import ensure_default_policies

    ensure_default_policies()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [context.Process(target=_race, args=(url, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = [results.get(timeout=5) for _ in workers]
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert len({run_id for run_id, _ in outcomes}) == 1
    assert sorted(created for _, created in outcomes) == [False, True]
    assert _count(SelectionRun) == 1 and _count(Audit) == 1


def test_a_batchs_selectors_are_read_once_not_after_every_selection(app, org):
    _, policy = current_policy("monthly-team-manager")
    db.session.expunge_all()  # as the scheduler's job starts: nobody read yet
    selectors = service.selectors_for(policy, date(2026, 11, 23))
    people = load_organisation()
    statements: list[str] = []

    def note(conn, cursor, statement, *args):  # noqa: ARG001
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for selector in selectors:
            service.run_selection("monthly-team-manager", "2026-11", selector, None, org=people)
            assert selector is not None and selector.name
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(selectors) == 2
    assert not [s for s in statements if "FROM staff" in s and "WHERE staff.id =" in s]
