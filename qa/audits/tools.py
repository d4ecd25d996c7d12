"""Audit tool versions in the database: the shipped defaults, uploads, and lookup; and the
council themes the tools are filed under.

A tool version is stored as the text it was read from, so the exact definition an audit
used can always be shown again, even after newer versions are uploaded. The themes come from
the council profile in force: `themes_in_force()` is the one place the rest of the service
(uploads, the tool editor, trends, reports) asks which themes a tool may use, and
`theme_titles()` the one place it asks what a theme is called.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from sqlalchemy import func, select

from audit_tools.schema import (
    Tool,
    ToolError,
    default_tools,
    load_tool_text,
    parse_tool,
    tool_to_dict,
)
from audit_tools.vocabulary import ThemeVocabulary
from qa.audits.models import AuditToolVersion
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff
from qa.profiles.service import in_force, shipped_profiles


@lru_cache(maxsize=64)
def _parse(source: str, name: str) -> Tool:
    return load_tool_text(source, name)


@lru_cache(maxsize=1)
def _shipped() -> tuple[Tool, ...]:
    """The tools shipped with the service, read from their files once."""
    return default_tools()


def ensure_default_tools() -> None:
    """Store each shipped tool's version when it is newer than every stored version of that
    tool (so a new release of a tool is used by audits started from then on, and audits
    already started keep the version they used)."""
    stored = dict(
        db.session.execute(
            select(AuditToolVersion.tool_id, func.max(AuditToolVersion.version)).group_by(
                AuditToolVersion.tool_id
            )
        ).all()
    )
    added = False
    for tool in _shipped():
        if tool.version > stored.get(tool.id, 0):
            db.session.add(
                AuditToolVersion(
                    tool_id=tool.id,
                    version=tool.version,
                    title=tool.title,
                    source=yaml.safe_dump(tool_to_dict(tool), sort_keys=False, allow_unicode=True),
                    uploaded_at=now(),
                )
            )
            added = True
    if added:
        db.session.commit()


def themes_in_force() -> ThemeVocabulary:
    """The themes of the council profile in force: the only themes a new or changed tool
    may use, in the profile's order, each with its title and description."""
    profile = in_force().profile
    return profile.vocabulary(f"the council profile in force ({profile.policy})")


def theme_titles() -> dict[str, str]:
    """Theme key -> the title people read: the profile in force's first, then, for a theme
    only older audits use, its title in the shipped profile that has it, so an old audit's
    themes keep their names when another profile is put in force."""
    titles = {theme.key: theme.title for theme in themes_in_force().themes}
    for profile in shipped_profiles():
        for theme in profile.themes:
            titles.setdefault(theme.key, theme.title)
    return titles


def theme_title(key: str, titles: dict[str, str] | None = None) -> str:
    """The title of one theme (see `theme_titles`); a key no profile has reads as words."""
    found = (titles if titles is not None else theme_titles()).get(key)
    return found or key.replace("_", " ").capitalize()


def check_themes_in_force(tool: Tool) -> None:
    """Raise ToolError, naming each question, if the tool uses a theme the council profile
    in force does not have (for a policy pointed at a tool, say)."""
    parse_tool(tool_to_dict(tool), f"{tool.id} version {tool.version}", themes_in_force())


def get_tool(tool_id: str, version: int | None = None) -> Tool:
    """A tool version (the latest when no version is given)."""
    ensure_default_tools()
    query = select(AuditToolVersion).where(AuditToolVersion.tool_id == tool_id)
    if version is None:
        query = query.order_by(AuditToolVersion.version.desc()).limit(1)
    else:
        query = query.where(AuditToolVersion.version == version)
    row = db.session.scalar(query)
    if row is None:
        raise LookupError(f"There is no audit tool {tool_id!r} version {version}")
    return _parse(row.source, f"{row.tool_id} version {row.version}")


def tool_versions() -> list[AuditToolVersion]:
    ensure_default_tools()
    return list(
        db.session.scalars(
            select(AuditToolVersion).order_by(
                AuditToolVersion.tool_id, AuditToolVersion.version.desc()
            )
        )
    )


def upload_tool(text: str, filename: str, actor: Staff) -> Tool:
    """Check and store a new tool version; raise ToolError listing every problem, including
    each theme the council profile in force does not have."""
    tool = load_tool_text(text, filename, themes_in_force())
    latest = db.session.scalar(
        select(func.max(AuditToolVersion.version)).where(AuditToolVersion.tool_id == tool.id)
    )
    if latest is not None and tool.version <= latest:
        raise ToolError(
            (
                f"{filename}: version {tool.version} of {tool.id} is not newer than the saved "
                f"version {latest}; set version to {latest + 1}",
            )
        )
    db.session.add(
        AuditToolVersion(
            tool_id=tool.id,
            version=tool.version,
            title=tool.title,
            source=text,
            uploaded_at=now(),
            uploaded_by_id=actor.id,
        )
    )
    record(actor, "tool_uploaded", "audit_tool", None, f"{tool.id} version {tool.version}")
    db.session.commit()
    return tool
