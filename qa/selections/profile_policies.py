"""Putting a council profile's sampling policies in place when the profile is chosen.

Each policy the profile sets becomes a new version (or, for one never saved, version 1) of
that sampling policy, with the choice as its reason; a policy already as the profile says is
left alone. Selections already drawn keep the version they were drawn under, and policies the
profile does not name (an ad hoc audit a QA officer made) are not touched. A profile whose
council policy is silent on sampling changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit_tools.profile_sampling import ProfileSampling, sampling_of
from qa.org.models import Staff
from qa.selections.policies import create_policy, current_policies, save_new_version
from sampling.policies import policy_to_dict


@dataclass(frozen=True)
class PutInPlace:
    """What choosing a profile did to the sampling policies, in words."""

    sampling: ProfileSampling
    saved: tuple[str, ...]  # titles of the policies given a new version
    unchanged: tuple[str, ...]  # titles already as the profile says


def put_in_place(
    profile_name: str, chosen_by: str, reason: str, actor: Staff | None = None
) -> PutInPlace:
    """Save the profile's sampling policies as new versions in the caller's transaction (the
    caller commits with the choice of profile)."""
    sampling = sampling_of(profile_name)
    if sampling.silent:
        return PutInPlace(sampling, (), ())
    current = {row.key: (row, policy) for row, policy in current_policies()}
    why = f"The {profile_name.title()} council profile was chosen by {chosen_by}: {reason}"
    saved: list[str] = []
    unchanged: list[str] = []
    for wanted in sampling.policies:
        key = wanted.policy.key
        data = wanted.data
        if key in current:
            row, policy = current[key]
            now = policy_to_dict(policy)
            now.pop("key")
            now.pop("version")
            if now == data and row.active:
                unchanged.append(policy.title)
                continue
            save_new_version(key, {**data, "active": True}, why, actor, commit=False)
        else:
            create_policy({**data, "active": True}, why, actor, key=key, commit=False)
        saved.append(wanted.policy.title)
    return PutInPlace(sampling, tuple(saved), tuple(unchanged))
