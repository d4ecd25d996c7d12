"""What every trend figure starts from: the unit the person may see, the tool's versions, the
standard, and the periods in range."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from sqlalchemy import select

from audit_tools.schema import Tool, load_tool_text
from qa.audits.models import AuditToolVersion
from qa.audits.tools import ensure_default_tools, theme_titles
from qa.extensions import db
from qa.org.models import Staff
from qa.trends.filters import Filters, Unit, periods_between, resolve_unit
from qa.trends.rollups import Catalogue, catalogue_of
from qa.trends.scope import Scope, Standard, standard_of


@dataclass(frozen=True)
class Context:
    """The figures' frame: filters as applied (the unit replaced by the one the person may
    see), the query scope, the tool's versions as a catalogue, the standard, the periods."""

    filters: Filters
    unit: Unit
    scope: Scope
    catalogue: Catalogue
    standard: Standard
    periods: list[str]

    def narrowed(self, start: date, end: date) -> Context:
        """The same context for other dates (say, one period and the one before it)."""
        filters = replace(self.filters, start=start, end=end)
        scope = replace(self.scope, start=start, end=end)
        periods = periods_between(filters.period_kind, start, end)
        return replace(self, filters=filters, scope=scope, periods=periods)


def tool_versions(tool_id: str) -> list[Tool]:
    """Every stored version of the tool, newest first (the shipped ones stored on first use)."""
    query = (
        select(AuditToolVersion)
        .where(AuditToolVersion.tool_id == tool_id)
        .order_by(AuditToolVersion.version.desc())
    )
    rows = list(db.session.scalars(query))
    if not rows:
        ensure_default_tools()
        rows = list(db.session.scalars(query))
    return [_parsed(row.source, f"{row.tool_id} version {row.version}") for row in rows]


@lru_cache(maxsize=64)
def _parsed(source: str, name: str) -> Tool:
    """A stored tool version, read once per process (a version never changes once stored)."""
    return load_tool_text(source, name)


def context_for(user: Staff, filters: Filters) -> Context:
    """The context for these filters as this person may see them (Forbidden if they may not
    see trends at all)."""
    unit = resolve_unit(user, filters)
    applied = replace(filters, area_id=unit.area_id, team_id=unit.team_id)
    if unit.team_id is not None:
        applied = replace(applied, area_id=None)
    tools = tool_versions(filters.tool_id)
    scope = Scope(user, unit, filters.tool_id, filters.start, filters.end)
    return Context(
        applied,
        unit,
        scope,
        catalogue_of(tools, theme_titles()),
        standard_of(tools),
        periods_between(filters.period_kind, filters.start, filters.end),
    )
