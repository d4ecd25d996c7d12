"""Saved policy versions: the defaults on first use, the current version, a new version."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from sqlalchemy import func, select

from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff
from qa.selections.models import SamplingPolicy
from sampling.policies import DEFAULT_POLICIES, Policy, policy_from_dict, policy_to_dict


class PolicyNotFound(LookupError):
    pass


def ensure_default_policies() -> None:
    """Save version 1 of each default policy that has never been saved."""
    known = set(db.session.scalars(select(SamplingPolicy.key).distinct()))
    missing = [policy for policy in DEFAULT_POLICIES if policy.key not in known]
    if not missing:
        return  # nothing to save: a commit here would expire everything the caller has loaded
    for policy in missing:
        db.session.add(
            SamplingPolicy(
                key=policy.key,
                version=policy.version,
                active=True,
                data=json.dumps(policy_to_dict(policy)),
                reason="The default policy",
                saved_at=now(),
            )
        )
    db.session.commit()


def current_policies() -> list[tuple[SamplingPolicy, Policy]]:
    ensure_default_policies()
    latest = (
        select(SamplingPolicy.key, func.max(SamplingPolicy.version).label("version"))
        .group_by(SamplingPolicy.key)
        .subquery()
    )
    rows = db.session.scalars(
        select(SamplingPolicy)
        .join(
            latest,
            (latest.c.key == SamplingPolicy.key) & (latest.c.version == SamplingPolicy.version),
        )
        .order_by(SamplingPolicy.key)
    )
    return [(row, policy_from_dict(row.values)) for row in rows]


def current_policy(key: str) -> tuple[SamplingPolicy, Policy]:
    """The latest version of one policy, read on its own: a batch of selections asks for it
    once per selection."""
    row = _latest(key)
    if row is None:
        ensure_default_policies()
        row = _latest(key)
    if row is None:
        raise PolicyNotFound(f"There is no policy called {key!r}")
    return row, policy_from_dict(row.values)


def _latest(key: str) -> SamplingPolicy | None:
    return db.session.scalar(
        select(SamplingPolicy)
        .where(SamplingPolicy.key == key)
        .order_by(SamplingPolicy.version.desc())
        .limit(1)
    )


def policy_at(key: str, version: int) -> Policy:
    """The version of a policy a selection was drawn under (PolicyNotFound if never saved)."""
    ensure_default_policies()
    row = db.session.scalar(
        select(SamplingPolicy).where(SamplingPolicy.key == key, SamplingPolicy.version == version)
    )
    if row is None:
        raise PolicyNotFound(f"There is no policy called {key!r} version {version}")
    return policy_from_dict(row.values)


def policy_versions(key: str) -> list[SamplingPolicy]:
    return list(
        db.session.scalars(
            select(SamplingPolicy)
            .where(SamplingPolicy.key == key)
            .order_by(SamplingPolicy.version.desc())
        )
    )


def save_new_version(
    key: str,
    changes: Mapping[str, object],
    reason: str,
    actor: Staff | None,
    *,
    commit: bool = True,
) -> Policy:
    """Save the changed policy as the next version; earlier runs keep the version they used.

    Raises sampling's RuleError, naming the field, if the changed policy is not valid, and
    ValueError without a reason; nothing is saved then.
    """
    if not reason.strip():
        raise ValueError("Enter why you are changing the policy")
    row, policy = current_policy(key)
    values = dict(changes)
    active = bool(values.pop("active", row.active))
    data = policy_to_dict(policy)
    data.update(values)
    data["key"] = key
    data["version"] = policy.version + 1
    new = policy_from_dict(data)
    _add(new, active, reason, actor)
    if commit:
        db.session.commit()
    return new


def create_policy(
    values: Mapping[str, object],
    reason: str,
    actor: Staff | None,
    *,
    key: str | None = None,
    commit: bool = True,
) -> Policy:
    """Save version 1 of a new policy, its key made from its title unless given.

    Raises RuleError naming the field for a policy that cannot work, and ValueError without a
    reason or for a key already used; nothing is saved then.
    """
    if not reason.strip():
        raise ValueError("Enter why you are making the policy")
    data = dict(values)
    active = bool(data.pop("active", True))
    data["key"] = key or _new_key(str(data.get("title") or ""))
    data["version"] = 1
    if key is not None and key in _known_keys():
        raise ValueError(f"There is already a policy called {key!r}")
    new = policy_from_dict(data)
    _add(new, active, reason, actor)
    if commit:
        db.session.commit()
    return new


def _known_keys() -> set[str]:
    ensure_default_policies()
    return set(db.session.scalars(select(SamplingPolicy.key).distinct()))


def _new_key(title: str) -> str:
    """A key for a new policy from its title: lower-case words joined by hyphens, numbered
    when another policy already has it."""
    base = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:50].strip("-") or "policy"
    known = _known_keys() | {"new"}  # /selections/policies/new makes a policy
    key, number = base, 2
    while key in known:
        key, number = f"{base}-{number}", number + 1
    return key


def _add(policy: Policy, active: bool, reason: str, actor: Staff | None) -> None:
    db.session.add(
        SamplingPolicy(
            key=policy.key,
            version=policy.version,
            active=active,
            data=json.dumps(policy_to_dict(policy)),
            reason=reason.strip(),
            saved_at=now(),
            saved_by_id=actor.id if actor is not None else None,
        )
    )
    record(
        actor,
        "policy_saved",
        "policy",
        None,
        f"{policy.title} version {policy.version}: {reason.strip()}",
    )
