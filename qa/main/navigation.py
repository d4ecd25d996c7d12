"""The links in the service navigation, by what the person may do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, url_for

from qa.access import (
    has_audits_to_do,
    has_sign_off_queue,
    may_browse_organisation,
    may_import,
    may_manage_jobs,
    may_manage_policies,
    may_manage_profiles,
    may_manage_tools,
    may_moderate,
    may_read_event_log,
    may_see_case_discussions,
    may_see_selections,
    may_see_themes,
    may_see_trends,
    may_use_reports,
)
from qa.org.models import Staff


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


# (who gets the link, the page, its words), in the order the links appear.
LINKS: tuple[tuple[Callable[[Staff], bool], str, str], ...] = (
    (has_audits_to_do, "audits.mine", "My audits"),
    (may_see_trends, "audits.listing_page", "Audits"),
    (has_sign_off_queue, "review.queue", "Sign off"),
    (may_moderate, "moderation.index", "Moderation"),
    (lambda _user: True, "actions.index", "Actions"),
    (may_see_selections, "selections.runs", "Selections"),
    (may_see_trends, "trends.index", "Trends"),
    (may_see_themes, "trends.themes", "Themes"),
    (may_see_trends, "trends.quantity", "Quantity"),
    (may_see_case_discussions, "cases.discussions", "Case discussions"),
    (may_use_reports, "reports.index", "Reports"),
    (may_manage_policies, "selections.policies", "Policies"),
    (may_manage_profiles, "profiles.index", "Council profile"),
    (may_manage_tools, "audits.tools", "Audit tools"),
    (may_read_event_log, "events.index", "Event log"),
    (may_import, "org.import_start", "Import"),
    (may_manage_jobs, "jobs.scheduler", "Scheduler"),
    (may_manage_jobs, "jobs.outbox", "Outbox"),
)


def navigation_for(user: Staff) -> list[NavItem]:
    items = [NavItem(url_for("main.home"), "Home")]
    if may_browse_organisation(user):
        items.append(NavItem(url_for("org.areas"), "Organisation"))
    elif user.file is not None:
        items.append(NavItem(url_for("org.supervision_file", file_id=user.file.id), "My file"))
    items += [NavItem(url_for(page), text) for allowed, page, text in LINKS if allowed(user)]
    return items


def register(app: Flask) -> None:
    app.add_template_global(navigation_for, "navigation_for")
