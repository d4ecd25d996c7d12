"""Pages for administrators: the scheduler, the outbox and retention."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from qa.access import may_manage_jobs, require
from qa.jobs import retention, service, settings
from qa.jobs.forms import ApplyRetentionForm, RunJobForm

bp = Blueprint("jobs", __name__)

# Jobs that change records beyond undoing are run from a page that first shows what they do.
CHECK_FIRST = {"monthly-retention": "jobs.retention_page"}
MESSAGE_STATUSES = {
    "queued": ("Waiting to send", "govuk-tag--blue"),
    "outbox": ("In the outbox", "govuk-tag--grey"),
    "sent": ("Sent", "govuk-tag--green"),
    "failed": ("Not sent yet", "govuk-tag--red"),
}
OUTCOME_TAGS = {
    "Succeeded": "govuk-tag--green",
    "Failed": "govuk-tag--red",
    "Skipped": "govuk-tag--grey",
    "Running": "govuk-tag--blue",
    "Did not finish": "govuk-tag--orange",
}


@bp.before_request
@login_required
def only_administrators() -> None:
    require(may_manage_jobs(current_user))


@bp.route("/scheduler")
def scheduler() -> str:
    return render_template(
        "jobs/scheduler.html",
        statuses=service.job_statuses(),
        runs=service.recent_runs(),
        outcome_label=service.outcome_label,
        outcome_tags=OUTCOME_TAGS,
        check_first=CHECK_FIRST,
        form=RunJobForm(),
    )


@bp.route("/scheduler/<job_id>/run", methods=["POST"])
def run_now(job_id: str) -> Response:
    try:
        job = service.get_job(job_id)
    except service.UnknownJob as exc:
        raise NotFound from exc
    if job.id in CHECK_FIRST:
        return redirect(url_for(CHECK_FIRST[job.id]))
    if RunJobForm().validate_on_submit():
        run = service.run_job(job.id, current_user)
        label = service.outcome_label(run)
        flash(
            f"{job.title}: {label.lower()}. {run.detail}",
            "success" if run.outcome == "ok" else "error",
        )
    return redirect(url_for("jobs.scheduler"))


@bp.route("/outbox")
def outbox() -> str:
    page = service.outbox_page(request.args.get("page", 1, type=int))
    return render_template(
        "jobs/outbox.html",
        page=page,
        statuses=MESSAGE_STATUSES,
        smtp_host=settings.text("SMTP_HOST"),
    )


@bp.route("/outbox/<int:message_id>")
def message(message_id: int) -> str:
    found = service.get_message(message_id)
    if found is None:
        raise NotFound
    return render_template("jobs/message.html", message=found, statuses=MESSAGE_STATUSES)


@bp.route("/retention", methods=["GET", "POST"])
def retention_page() -> str | Response | tuple[str, int]:
    report = retention.plan()
    form = ApplyRetentionForm()
    if form.validate_on_submit():
        if form.fingerprint.data != report.fingerprint:
            flash(
                "The records due for removal changed while you were reading the list, so "
                "nothing was changed. Check the list below and apply it again.",
                "error",
            )
        else:
            run = service.run_job("monthly-retention", current_user)
            if run.outcome == "ok":
                flash(f"The retention rules were applied: {run.detail}", "success")
            else:
                flash(f"The retention rules were not applied: {run.detail}", "error")
            return redirect(url_for("jobs.retention_page"))
    form.fingerprint.data = report.fingerprint
    return render_template("jobs/retention.html", report=report, form=form)
