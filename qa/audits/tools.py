"""Audit tool versions in the database: the shipped defaults, uploads, and lookup.

A tool version is stored as the text it was read from, so the exact definition an audit
used can always be shown again, even after newer versions are uploaded.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from sqlalchemy import func, select

from audit_tools.schema import Tool, ToolError, default_tools, load_tool_text, tool_to_dict
from qa.audits.models import AuditToolVersion
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff


@lru_cache(maxsize=64)
def _parse(source: str, name: str) -> Tool:
    return load_tool_text(source, name)


@lru_cache(maxsize=1)
def _shipped() -> tuple[Tool, ...]:
    """The tools shipped with the service, read from their files once."""
    return default_tools()


def ensure_default_tools() -> None:
    """Store version 1 of each shipped tool that has never been stored."""
    known = set(db.session.scalars(select(AuditToolVersion.tool_id).distinct()))
    added = False
    for tool in _shipped():
        if tool.id not in known:
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
    """Check and store a new tool version; raise ToolError listing every problem."""
    tool = load_tool_text(text, filename)
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
