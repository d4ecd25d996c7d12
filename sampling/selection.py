"""Selection: which files, drawn so that anyone can check the draw for years.

The draw is R. L. Rivest's *consistent sampling* without replacement
(https://github.com/ron-rivest/consistent_sampler), the method election audits use, because
its only source of randomness is a published seed and its arithmetic is SHA-256 on text, so
it does not drift between library releases the way numpy's generators may (NEP 19).

Each unit gets a *ticket*, a decimal fraction in (0, 1) kept as text:

- ``sha256_hex(x)`` is the hex SHA-256 of the UTF-8 text ``x``;
- ``sha256_uniform(x)`` is ``"0."`` followed by the decimal digits of that hash as an
  integer (at least 64 digits, zero-padded), in *reverse* order, so the unbiased low-order
  digits come first;
- ``ticket(seed, unit_id) = sha256_uniform(sha256_hex(seed) + unit_id)``, which is Rivest's
  ``first_fraction(id, seed)``, the only ticket a unit gets when sampling without replacement.

The units in increasing ticket order are the sample; those after the first ``k`` are the
reserves, used in order when a selected file has to be replaced. The order of two units never
depends on what else is in the frame, so strata can be drawn separately and merged.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ALGORITHM = "consistent_sampler (SHA-256 tickets, without replacement)"
ALGORITHM_VERSION = "1"

MIN_SEED_DIGITS = 20


@dataclass(frozen=True)
class Draw:
    """The units chosen, in ticket order, and the rest of the frame as reserves in order."""

    selected: tuple[str, ...]
    reserves: tuple[str, ...]


def sha256_hex(x: str) -> str:
    """Return the 64-character hex SHA-256 of the UTF-8 encoding of ``x``."""
    return hashlib.sha256(x.encode("utf-8")).hexdigest()


def sha256_uniform(x: str) -> str:
    """Return the SHA-256 of ``x`` as a decimal fraction in (0, 1), as text.

    The hash, read as an integer, is written in decimal (zero-padded to 64 digits) and its
    digits reversed, exactly as in Rivest's ``sha256_uniform``; text keeps every digit.
    """
    digits = format(int(sha256_hex(x), 16), "064d")
    return "0." + digits[::-1]


def ticket(seed: str, unit_id: str) -> str:
    """Return the unit's ticket for this seed: its place in the draw (smaller is earlier)."""
    return sha256_uniform(sha256_hex(seed) + unit_id)


def new_seed(digits: int = 24) -> str:
    """Return a fresh seed of ``digits`` random decimal digits from the ``secrets`` module.

    At least 20 digits (about 66 bits) are required so that nobody can search for a seed
    that gives a chosen sample.
    """
    _check_count(digits, "The number of seed digits")
    if digits < MIN_SEED_DIGITS:
        raise ValueError(f"A seed needs at least {MIN_SEED_DIGITS} digits, not {digits}")
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def frame_hash(unit_ids: Sequence[str]) -> str:
    """Return the hex SHA-256 of the ids joined by newlines, in the order given.

    The app stores each frame sorted, so the hash of a stored frame does not depend on the
    order the rows came out of the database. Ids may not contain a newline, which would make
    two different frames hash alike.
    """
    for unit_id in unit_ids:
        if "\n" in unit_id:
            raise ValueError(f"Unit id {unit_id!r} contains a line break")
    return sha256_hex("\n".join(unit_ids))


def order_by_ticket(seed: str, ids: Iterable[str]) -> list[str]:
    """Return the ids in increasing ticket order (ties, never seen in practice, by id).

    Tickets are compared as text, which orders "0.ddd" fractions as numbers; Rivest's heap
    of (ticket, id) tuples orders them the same way.
    """
    _check_seed(seed)
    unit_ids = list(ids)
    _check_unique(unit_ids)
    hashed_seed = sha256_hex(seed)
    return sorted(unit_ids, key=lambda unit_id: (sha256_uniform(hashed_seed + unit_id), unit_id))


def draw(seed: str, unit_ids: Sequence[str], k: int) -> Draw:
    """Select the ``k`` units with the smallest tickets; the rest are reserves in order.

    A ``k`` larger than the frame selects every unit.
    """
    _check_count(k, "The sample size")
    ordered = order_by_ticket(seed, unit_ids)
    return Draw(selected=tuple(ordered[:k]), reserves=tuple(ordered[k:]))


def weighted_draw(seed: str, weights: Mapping[str, float], k: int) -> Draw:
    """Select ``k`` units with chance growing with their weight (Efraimidis-Spirakis).

    Each unit's ticket, read as a number u, gets the key ``u ** (1 / w)`` and the largest keys
    are taken first. The key is computed as ``log(u) / w``, which orders units identically
    but does not underflow to zero for small weights.
    """
    _check_seed(seed)
    _check_count(k, "The sample size")
    for unit_id, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"The weight of {unit_id!r} must be a number")
        if not (math.isfinite(weight) and weight > 0):
            raise ValueError(f"The weight of {unit_id!r} must be more than 0, not {weight}")
    hashed_seed = sha256_hex(seed)
    tickets = {unit_id: sha256_uniform(hashed_seed + unit_id) for unit_id in weights}

    def key(unit_id: str) -> tuple[float, str, str]:
        log_key = math.log(float(tickets[unit_id])) / weights[unit_id]
        return (-log_key, tickets[unit_id], unit_id)

    ordered = sorted(weights, key=key)
    return Draw(selected=tuple(ordered[:k]), reserves=tuple(ordered[k:]))


def stratified_draw(
    seed: str, strata: Mapping[str, Sequence[str]], allocation: Mapping[str, int]
) -> dict[str, Draw]:
    """Draw each stratum separately with the same seed, taking its allocated number.

    Consistency makes this the same as drawing from the whole frame and keeping the first
    units of each stratum. A unit may be in only one stratum.
    """
    missing = sorted(set(strata) - set(allocation))
    if missing:
        raise ValueError(f"No sample size was given for stratum {missing[0]!r}")
    unknown = sorted(set(allocation) - set(strata))
    if unknown:
        raise ValueError(f"A sample size was given for unknown stratum {unknown[0]!r}")
    seen: dict[str, str] = {}
    for name, unit_ids in strata.items():
        for unit_id in unit_ids:
            if unit_id in seen and seen[unit_id] != name:
                raise ValueError(
                    f"Unit {unit_id!r} is in both stratum {seen[unit_id]!r} and {name!r}"
                )
            seen[unit_id] = name
    return {name: draw(seed, unit_ids, allocation[name]) for name, unit_ids in strata.items()}


def _check_seed(seed: str) -> None:
    if not isinstance(seed, str) or not seed.strip():
        raise ValueError("The seed must be some text, such as a string of digits")


def _check_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} cannot be negative, not {value}")


def _check_unique(unit_ids: Sequence[str]) -> None:
    for unit_id in unit_ids:
        if not isinstance(unit_id, str):
            raise ValueError(f"Unit ids must be text, not {unit_id!r}")
    duplicates = sorted(unit_id for unit_id, count in Counter(unit_ids).items() if count > 1)
    if duplicates:
        shown = ", ".join(repr(unit_id) for unit_id in duplicates[:5])
        raise ValueError(f"Each unit may appear only once in a frame; repeated: {shown}")
