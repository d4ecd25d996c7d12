"""After sign-in the service returns to the page asked for, but never to another site."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "/%5Cevil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_sends_a_person_to_another_site(client, org, target):
    response = client.post(
        f"/sign-in?next={quote(target, safe='')}",
        data={"email": "practitioner@council.org.uk", "password": org.password},
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert "evil" not in location.netloc and not location.path.startswith(("//", "/\\"))
    assert "\\" not in response.headers["Location"] and "\t" not in response.headers["Location"]


def test_sign_in_returns_to_the_page_asked_for(client, org):
    response = client.post(
        "/sign-in?next=/actions/%3Fshow%3Dall",
        data={"email": "practitioner@council.org.uk", "password": org.password},
    )
    assert response.headers["Location"].endswith("/actions/?show=all")
