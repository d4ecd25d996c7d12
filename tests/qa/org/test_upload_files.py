"""Uploaded import files hold staff records: they are readable by the service's own user
only, and deleted once confirmed, cancelled or left unconfirmed for an hour."""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

from sqlalchemy import select

from qa.extensions import db
from qa.jobs.service import run_job
from qa.org.models import Staff
from tests.qa.org.test_import import STAFF


def _folder(app) -> Path:
    return Path(app.instance_path) / "imports"


def _preview(client, data=STAFF):
    client.get("/organisation/import")
    body = client.post(
        "/organisation/import",
        data={"kind": "staff", "upload": (io.BytesIO(data), "staff.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    return body.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_a_kept_file_is_readable_by_the_service_alone(app, sign_in_as):
    _preview(sign_in_as("administrator"))
    (kept,) = _folder(app).iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(_folder(app).stat().st_mode) == 0o700


def test_confirming_deletes_the_file(app, sign_in_as):
    client = sign_in_as("administrator")
    token = _preview(client)
    client.post("/organisation/import/confirm", data={"token": token, "kind": "staff"})
    assert list(_folder(app).iterdir()) == []


def test_cancelling_deletes_the_file_and_changes_nothing(app, sign_in_as):
    client = sign_in_as("administrator")
    token = _preview(client)
    response = client.post(
        "/organisation/import/confirm",
        data={"token": token, "kind": "staff", "cancel": "Cancel and delete the file"},
    )
    assert response.status_code == 302
    assert list(_folder(app).iterdir()) == []
    assert db.session.scalar(select(Staff).where(Staff.external_id == "P1")) is None
    page = client.get("/organisation/import").get_data(as_text=True)
    assert "The import was cancelled and the uploaded file deleted" in page


def test_a_file_left_unconfirmed_for_an_hour_is_refused_and_deleted(app, sign_in_as):
    client = sign_in_as("administrator")
    token = _preview(client)
    (kept,) = _folder(app).iterdir()
    hour_ago = time.time() - 61 * 60
    os.utime(kept, (hour_ago, hour_ago))
    run = run_job("hourly-import-files")
    assert run.outcome == "ok" and run.detail == "Unconfirmed import files deleted: 1"
    assert not kept.exists()
    response = client.post("/organisation/import/confirm", data={"token": token, "kind": "staff"})
    assert response.status_code == 302
    assert db.session.scalar(select(Staff).where(Staff.external_id == "P1")) is None


def test_a_file_past_its_hour_cannot_be_confirmed_even_before_the_job_runs(app, sign_in_as):
    client = sign_in_as("administrator")
    token = _preview(client)
    (kept,) = _folder(app).iterdir()
    hour_ago = time.time() - 61 * 60
    os.utime(kept, (hour_ago, hour_ago))
    client.post("/organisation/import/confirm", data={"token": token, "kind": "staff"})
    assert db.session.scalar(select(Staff).where(Staff.external_id == "P1")) is None
    assert not kept.exists()
