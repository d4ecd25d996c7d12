"""The action states: raised (open), marked done by its owner, then confirmed done by
whoever raised it or the head of service of the file's area. Only a confirmed action is
closed: an owner cannot close their own action alone."""

from __future__ import annotations

from enum import StrEnum


class ActionState(StrEnum):
    """Where an action is; the value is what the database holds."""

    OPEN = "open"
    DONE = "done"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[ActionState, str] = {
    ActionState.OPEN: "Open",
    ActionState.DONE: "Done, waiting for confirmation",
    ActionState.CONFIRMED: "Confirmed done",
}
