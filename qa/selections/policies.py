"""Saved policy versions: the defaults on first use, the current version, a new version."""

from __future__ import annotations

import json

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
    for row, policy in current_policies():
        if row.key == key:
            return row, policy
    raise PolicyNotFound(f"There is no policy called {key!r}")


def policy_versions(key: str) -> list[SamplingPolicy]:
    return list(
        db.session.scalars(
            select(SamplingPolicy)
            .where(SamplingPolicy.key == key)
            .order_by(SamplingPolicy.version.desc())
        )
    )


def save_new_version(key: str, changes: dict[str, object], reason: str, actor: Staff) -> Policy:
    """Save the changed policy as the next version; earlier runs keep the version they used.

    Raises sampling's RuleError, naming the field, if the changed policy is not valid.
    """
    row, policy = current_policy(key)
    changes = dict(changes)
    active = bool(changes.pop("active", row.active))
    data = policy_to_dict(policy)
    data.update(changes)
    data["version"] = policy.version + 1
    new = policy_from_dict(data)
    db.session.add(
        SamplingPolicy(
            key=key,
            version=new.version,
            active=active,
            data=json.dumps(policy_to_dict(new)),
            reason=reason,
            saved_at=now(),
            saved_by_id=actor.id,
        )
    )
    record(actor, "policy_saved", "policy", None, f"{key} version {new.version}: {reason}")
    db.session.commit()
    return new
