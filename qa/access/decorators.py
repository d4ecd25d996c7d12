"""How a view declares what it needs: `@requires(may_x)` or one `require(...)` at the top."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask_login import current_user

from qa.org.models import Staff

P = ParamSpec("P")
R = TypeVar("R")


class Forbidden(Exception):
    """The signed-in person may not see or do this."""


def require(allowed: bool) -> None:
    """Raise Forbidden unless the check passed; the error page explains."""
    if not allowed:
        raise Forbidden


def requires(capability: Callable[[Staff], bool]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the view unless the signed-in person has the capability.

    Put it under `@login_required`, so someone signed out is sent to sign in first.
    """

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            require(capability(current_user))
            return view(*args, **kwargs)

        checked.required_capability = capability  # type: ignore[attr-defined]
        return checked

    return decorate
