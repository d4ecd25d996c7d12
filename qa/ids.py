"""Record ids in addresses: whole numbers that fit the database's id columns.

A number too big for the column is no record at all, so it answers "Page not found" like
any other id that does not exist, rather than reaching the database, which cannot compare
it (SQLite overflows past 64 bits; PostgreSQL refuses a value past its column's type). The
id columns are `Integer`, 32 bits on PostgreSQL, so that is the largest id either database
can hold for every record.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map

LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: digits only, from 0 to LARGEST_ID."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None) -> None:  # noqa: A002 (werkzeug's argument name)
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=LARGEST_ID)


def register(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter


def as_id(text: str | None) -> int | None:
    """The id written in `text`, or None when it is not one (blank, not digits, too big)."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def refuse_impossible_ids(args: Mapping[str, str], *names: str) -> None:
    """Answer "Page not found" when one of these query arguments is a whole number too big
    to be any record's id (other text is left for the page to explain or ignore)."""
    for name in names:
        text = args.get(name, "").strip()
        if text.isascii() and text.isdigit() and as_id(text) is None:
            raise NotFound
