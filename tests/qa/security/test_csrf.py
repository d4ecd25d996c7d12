"""Every form refuses a post without its CSRF token, and nothing is written."""

from __future__ import annotations

import pytest

from tests.qa.security.test_matrix import RECORD_PARAMS, routes, table_counts, value_params
from tests.qa.security.world import build

# Who would be allowed to post to each form, so only the missing token stops the request.
POSTER = {
    "moderation.": "qa_officer",
    "review.sign_off": "head_of_service",
    "review.correct": "head_of_service",
    "review.reply": "practitioner",
    "actions.done": "team_manager",
    "selections.draw": "service_manager",
    "selections.run": "service_manager",
    "selections.replace": "service_manager",
    "audits.upload": "qa_officer",
    "selections.policy": "qa_officer",
    "audits.": "service_manager",
    "actions.": "service_manager",
    "reports.": "head_of_service",
}
# Values a real form would send, so a post that got through would change something.
FORM = {
    "decision": "sign_off",
    "grade_agreed": "yes",
    "early": "y",
    "comment": "A thorough audit",
    "reason": "The worker left",
    "description": "Record the child's views from the 12 November visit",
    "owner": "1",
    "due": ["18", "12", "2026"],
    "text": "I agree with the audit",
    "kind": "acknowledged",
    "judgement": "good",
    "period": "2026-11",
    "seed": "12345678901234567890",
    "share": "50",
    "grade": "good",
    "note": "Agreed at panel",
    "lock_version": "1",
    "title": "Changed",
    "size_rule": '{"kind": "fixed", "n": 10}',
    "period_kind": "half",
    "unit": "service",
}


def poster(endpoint: str) -> str:
    for prefix, key in POSTER.items():
        if endpoint == prefix or (prefix.endswith(".") and endpoint.startswith(prefix)):
            return key
    return "administrator"


def test_every_form_refuses_a_post_without_its_token_and_writes_nothing(app, org, sign_in_as):
    world = build(org)
    values = value_params()
    planned = []
    for route in routes(app):
        if "POST" not in route.methods:
            continue
        key = poster(route.endpoint)
        person = org.people[key]
        url = route.rule
        for name in route.arguments:
            if name in RECORD_PARAMS:
                records = world.of(RECORD_PARAMS[name])
                mine = [r for r in records if person.id in r.linked] or records
                value = mine[0].label if name == "job_id" else mine[0].id
            else:
                value = values.of(route.endpoint)[name][0]
            url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
        planned.append((key, url))
    clients = {key: sign_in_as(key) for key in {key for key, _ in planned}}
    before = table_counts()
    for key, url in planned:
        response = clients[key].post(url, data=dict(FORM), csrf=False)
        assert response.status_code == 400, f"{key} POST {url}: {response.status_code}"
        assert "nothing was saved" in response.get_data(as_text=True)
    assert table_counts() == before
    assert len(planned) >= 20


@pytest.mark.parametrize("path", ["/sign-in", "/sign-out"])
def test_sign_in_and_out_need_the_token_too(client, sign_in_as, path):
    signed_in = sign_in_as("practitioner")
    response = signed_in.post(
        path, data={"email": "practitioner@council.org.uk", "password": "x"}, csrf=False
    )
    assert response.status_code == 400
    assert signed_in.get("/").status_code == 200, "still signed in"


def test_a_token_from_another_session_is_refused(sign_in_as, org):
    one = sign_in_as("service_manager")
    other = sign_in_as("head_of_service")
    response = other.post(
        "/selections/draw/quarterly-service-manager",
        data={"period": "2026-Q4", "csrf_token": one.csrf_token},
    )
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
