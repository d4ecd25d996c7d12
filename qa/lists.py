"""Long lists a page at a time, and the filters in their addresses.

Every list page (selections, the event log, audits, moderation, actions, staff) shows
PER_PAGE rows, says which of how many match, and keeps its filters from page to page and in
the links of the figures that lead to it. A filter value a person cannot have meant (a
period that is no period, an area they cannot see) is a `Problem` with words they can act
on, never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, select

from qa.extensions import db
from qa.ids import as_id
from sampling.periods import period_bounds

PER_PAGE = 50
T = TypeVar("T")
PERIOD_HINT = "a year (2026), a half (2026-H2), a quarter (2026-Q4) or a month (2026-11)"
YES = "yes"


class ListFilters:
    """What a list is narrowed to, for a frozen dataclass of filters whose fields all have
    defaults: the address's query that asks for it, and whether anything is narrowed."""

    def args(self) -> dict[str, Any]:
        """The filters as an address's query, leaving out what is blank or the default."""
        defaults = type(self)()
        found: dict[str, Any] = {}
        for item in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, item.name)
            if value in (None, "", False) or value == getattr(defaults, item.name):
                continue
            found[item.name] = YES if value is True else str(value)
        return found

    @property
    def narrowed(self) -> bool:
        return bool({k for k in self.args() if k != "sort"})


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of the rows that match, and where it falls among them."""

    items: list[T]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        """The number of the page's first row among all that match (from 1)."""
        return (self.page - 1) * PER_PAGE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * PER_PAGE + len(self.items)


def count_of(query: Select[Any]) -> int:
    """How many rows `query` gives."""
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def page_of(query: Select[Any], order: Sequence[Any], page: int) -> Page[Any]:
    """The `page`th PER_PAGE rows of `query` in `order`; a page past the end is the last."""
    total = count_of(query)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(query.order_by(*order).offset((page - 1) * PER_PAGE).limit(PER_PAGE))
    return Page(list(rows), page, pages, total)


def pairs(query: Select[*tuple[Any, ...]]) -> dict[Any, str]:
    """The rows of a two-column query (an id and its name), as a mapping, in order."""
    return {key: words for key, words in db.session.execute(query)}


def page_number(text: str | None) -> int:
    """The page asked for in the address; anything that is not a page number is the first."""
    return as_id(text) or 1


def kept(args: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    """The filters to carry from page to page: those named, when not blank."""
    return {name: args[name].strip() for name in names if args.get(name, "").strip()}


@dataclass(frozen=True)
class Problem:
    """A filter that could not be used: which box, and what to do about it."""

    field: str
    message: str


@dataclass(frozen=True)
class Period:
    """A year, half, quarter or month, as typed in a filter, with its first and last day."""

    key: str
    first: date
    last: date

    def covers(self, column: Any) -> ColumnElement[bool]:
        """Whether a date or date-and-time column falls within the period."""
        if column.type.python_type is datetime:
            start = datetime.combine(self.first, time.min)
            end = datetime.combine(self.last + timedelta(days=1), time.min)
            return and_(column >= start, column < end)
        return and_(column >= self.first, column <= self.last)


def read_period(text: str) -> Period | Problem:
    """A period key ("2026", "2026-H2", "2026-Q4", "2026-11"), or the problem with it."""
    key = text.strip().upper()
    try:
        if key.isdigit() and len(key) == 4 and int(key) > 0:
            return Period(key, date(int(key), 1, 1), date(int(key), 12, 31))
        first, last = period_bounds(key)
    except ValueError:
        return Problem("period", f"Enter the period as {PERIOD_HINT}")
    return Period(key, first, last)


def read_choice(name: str, text: str, choices: Mapping[str, str], what: str) -> str | Problem:
    """One of `choices` (by its value), blank for any, or the problem with it."""
    value = text.strip()
    if not value or value in choices:
        return value
    return Problem(name, f"Choose {what} from the list")


def read_id(name: str, text: str, allowed: Mapping[int, str], what: str) -> int | None | Problem:
    """The id of one of `allowed`, None when blank, or the problem with it: an id the person
    cannot see reads the same as one that does not exist."""
    value = text.strip()
    if not value:
        return None
    number = as_id(value)
    if number is None or number not in allowed:
        return Problem(name, f"Choose {what} from the list")
    return number


def read_yes(name: str, text: str, what: str) -> bool | Problem:
    """A tick box: "yes", or blank for no."""
    value = text.strip().lower()
    if value in ("", YES):
        return value == YES
    return Problem(name, f"Tick {what} or leave it blank")


def read_search(text: str, longest: int = 100) -> str | Problem:
    value = " ".join(text.split())
    if len(value) > longest:
        return Problem("q", f"Enter a name of {longest} characters or fewer")
    return value


def like(text: str) -> str:
    """A search for text anywhere in a name, whatever the case, taking % and _ literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
