"""Verify: re-run stored draws from their seed and frozen frames and say whether they match.

Anyone can do the same with Rivest's public consistent_sampler: for each draw, the sample is
the first ``k`` ids of ``sampler(frame, seed, output="id")`` and the reserves are the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sampling import selection
from sampling.cadences import TEAM_MANAGER_DRAW, DrawRecord


@dataclass(frozen=True)
class Verification:
    """Whether every draw matched, with one plain-English line per draw (and the frame hash)."""

    matches: bool
    details: tuple[str, ...]


def selection_frame_hash(draws: Sequence[DrawRecord]) -> str:
    """The frame hash of a whole selection: every draw's frame ids, in draw order, one hash.

    That is ``frame_hash`` of the ids of the first draw's frame, then the second's, and so
    on, joined by newlines. The app stores it when the selection is made.
    """
    return selection.frame_hash([unit_id for record in draws for unit_id in record.frame])


def verify(seed: str, draws: Sequence[DrawRecord], frame_hash: str | None = None) -> Verification:
    """Recompute each draw from its frame and size with the seed and compare with the record.

    When ``frame_hash`` is given, the stored frames must also hash to it, so a frame altered
    after the selection was made is reported as not matching.
    """
    details: list[str] = []
    matches = True
    for record in draws:
        line, ok = _check_draw(seed, record)
        details.append(line)
        matches = matches and ok
    if frame_hash is not None:
        if _frame_hash_or_none(draws) == frame_hash.strip().lower():
            details.append("The frames match the frame hash recorded when the files were drawn.")
        else:
            matches = False
            details.append(
                "The frames do not match the frame hash recorded when the files were drawn, "
                "so the stored frames have changed since."
            )
    if not draws:
        details.insert(0, "There are no draws to check.")
    return Verification(matches, tuple(details))


def _frame_hash_or_none(draws: Sequence[DrawRecord]) -> str | None:
    """The selection's frame hash, or None when an id cannot be hashed (it holds a line
    break), so that such a frame is reported as not matching rather than failing."""
    try:
        return selection_frame_hash(draws)
    except ValueError:
        return None


def _check_draw(seed: str, record: DrawRecord) -> tuple[str, bool]:
    noun = "team manager" if record.kind == TEAM_MANAGER_DRAW else "file"
    chosen = f"{_count(len(record.selected), noun)} selected from {len(record.frame)}"
    try:
        again = selection.draw(seed, record.frame, record.k)
    except ValueError as error:
        return f"{record.label}: {chosen}, does not match: {error}", False
    if again.selected == record.selected and again.reserves == record.reserves:
        return f"{record.label}: {chosen}, matches", True
    if again.selected == record.selected:
        return f"{record.label}: {chosen}, does not match: the reserves differ", False
    return (
        f"{record.label}: {chosen}, does not match: re-running the draw selects "
        f"{', '.join(again.selected) or 'nothing'}",
        False,
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
