"""The links in the service navigation, by what the person may do."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for

from qa.access import can_browse_organisation, can_import, sees_everything
from qa.jobs.permissions import can_manage_jobs
from qa.org.models import Staff
from qa.reports.permissions import can_use_reports
from qa.trends.filters import can_see_themes, can_see_trends

AUDITOR_ROLES = frozenset({"team_manager", "service_manager", "head_of_service", "qa_officer"})
SELECTION_ROLES = frozenset({"service_manager", "head_of_service", "qa_officer", "administrator"})


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


def navigation_for(user: Staff) -> list[NavItem]:
    items = [NavItem(url_for("main.home"), "Home")]
    if can_browse_organisation(user):
        items.append(NavItem(url_for("org.areas"), "Organisation"))
    elif user.file is not None:
        items.append(NavItem(url_for("org.supervision_file", file_id=user.file.id), "My file"))
    if user.role in AUDITOR_ROLES:
        items.append(NavItem(url_for("audits.mine"), "My audits"))
    if user.role == "head_of_service":
        items.append(NavItem(url_for("review.queue"), "Sign off"))
    if user.role == "qa_officer":
        items.append(NavItem(url_for("moderation.index"), "Moderation"))
    items.append(NavItem(url_for("actions.index"), "Actions"))
    if user.role in SELECTION_ROLES:
        items.append(NavItem(url_for("selections.runs"), "Selections"))
    if can_see_trends(user):
        items.append(NavItem(url_for("trends.index"), "Trends"))
        if can_see_themes(user):
            items.append(NavItem(url_for("trends.themes"), "Themes"))
        items.append(NavItem(url_for("trends.quantity"), "Quantity"))
    if can_use_reports(user):
        items.append(NavItem(url_for("reports.index"), "Reports"))
    if sees_everything(user):
        items.append(NavItem(url_for("selections.policies"), "Policies"))
        items.append(NavItem(url_for("audits.tools"), "Audit tools"))
        items.append(NavItem(url_for("events.index"), "Event log"))
    if can_import(user):
        items.append(NavItem(url_for("org.import_start"), "Import"))
    if can_manage_jobs(user):
        items.append(NavItem(url_for("jobs.scheduler"), "Scheduler"))
        items.append(NavItem(url_for("jobs.outbox"), "Outbox"))
    return items


def register(app: Flask) -> None:
    app.add_template_global(navigation_for, "navigation_for")
