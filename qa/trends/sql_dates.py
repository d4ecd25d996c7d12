"""Date arithmetic in SQL that gives the same days on SQLite and PostgreSQL as Python does.

The quantity figures judge every person in the database, so they need `date + n days`,
"the same day n calendar months later" (`add_months` in audit_tools/working_days.py: 31
August plus 6 months is 28 or 29 February), the days between two dates, and a date's place
among the month ends of a year of figures (`month_ends_before`). PostgreSQL has dates;
SQLite keeps ISO text and reaches the same answers through its date functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class add_days(FunctionElement[date]):  # noqa: N801 (an SQL function, named like one)
    """`day + days` (days an integer expression)."""

    type = Date()
    inherit_cache = True


class add_months(FunctionElement[date]):  # noqa: N801
    """The same day `months` calendar months later, or the last day of that month where it
    is shorter."""

    type = Date()
    inherit_cache = True


class days_between(FunctionElement[int]):  # noqa: N801
    """`later - earlier` in whole days."""

    type = Integer()
    inherit_cache = True


class ceiling(FunctionElement[int]):  # noqa: N801
    """The smallest whole number not below a positive number (SQLite may lack `ceil`)."""

    type = Integer()
    inherit_cache = True


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(add_days)
def _add_days(element: add_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _args(element, compiler, **kw)
    return f"CAST(({day}) + CAST({days} AS INTEGER) AS DATE)"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element: add_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _args(element, compiler, **kw)
    return f"date(julianday({day}) + ({days}))"


@compiles(add_months)
def _add_months(element: add_months, compiler: SQLCompiler, **kw: Any) -> str:
    day, months = _args(element, compiler, **kw)
    # PostgreSQL keeps the day, or takes the month's last day where it is shorter.
    return f"CAST(({day}) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element: add_months, compiler: SQLCompiler, **kw: Any) -> str:
    day, months = _args(element, compiler, **kw)
    # SQLite rolls 31 January + 1 month over into March: take the earlier of that and the
    # target month's last day (ISO dates order as text).
    return (
        f"min(date({day}, printf('%+d months', {months})), "
        f"date({day}, 'start of month', printf('%+d months', ({months}) + 1), '-1 day'))"
    )


@compiles(days_between)
def _days_between(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"(({later}) - ({earlier}))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"CAST(round(julianday({later}) - julianday({earlier})) AS INTEGER)"


@compiles(ceiling)
def _ceiling(element: ceiling, compiler: SQLCompiler, **kw: Any) -> str:
    (number,) = _args(element, compiler, **kw)
    return f"CAST(ceil({number}) AS INTEGER)"


@compiles(ceiling, "sqlite")
def _ceiling_sqlite(element: ceiling, compiler: SQLCompiler, **kw: Any) -> str:
    (number,) = _args(element, compiler, **kw)
    return f"(CAST({number} AS INTEGER) + (({number}) > CAST({number} AS INTEGER)))"


class _counted_ends(FunctionElement[int]):  # noqa: N801
    """How many of the dates after the first argument (in order) fall before it."""

    type = Integer()
    inherit_cache = True


@compiles(_counted_ends)
def _counted_ends_pg(element: _counted_ends, compiler: SQLCompiler, **kw: Any) -> str:
    day, *ends = _args(element, compiler, **kw)
    # width_bucket counts the bounds on or before the day: each bound is a month end's next day.
    bounds = ", ".join(f"CAST({end} AS DATE) + 1" for end in ends)
    return f"width_bucket({day}, ARRAY[{bounds}]::date[])"


@compiles(_counted_ends, "sqlite")
def _counted_ends_sqlite(element: _counted_ends, compiler: SQLCompiler, **kw: Any) -> str:
    day, *ends = list(element.clauses)
    ladder = case(
        (day.is_(None), None),
        *((day <= end, n) for n, end in enumerate(ends)),
        else_=len(ends),
    )
    return compiler.process(ladder, **kw)


def month_ends_before(day: ColumnElement[date], month_ends: list[date]) -> ColumnElement[int]:
    """How many of `month_ends` (in order) fall before `day`: the position among them of
    the first month end on or after it; their number for a day after the last one, NULL for
    no day."""
    return _counted_ends(day, *(literal(end, Date) for end in month_ends))
