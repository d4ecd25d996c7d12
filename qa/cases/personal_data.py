"""Refusing a child's name, address or date of birth in a case file.

A case file needs only a case reference; anything that identifies the child stays in the
council's case-recording system. A heading that looks like a name, an address or a date of
birth is refused with a sentence saying why, before any row is read. Pure: no Flask.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[a-z]+")

_NAME = frozenset(
    "name names forename forenames surname surnames firstname lastname fullname givenname "
    "familyname middlename nickname initials".split()
)
_ADDRESS = frozenset(
    "address addresses postcode postcodes street road town city county house flat "
    "residence addr".split()
)
_BIRTH = frozenset("dob birth birthday born birthdate".split())
_PAIRS = {
    ("first", "name"),
    ("last", "name"),
    ("given", "name"),
    ("family", "name"),
    ("post", "code"),
    ("date", "birth"),
}


def refused_column(heading: str) -> str | None:
    """Why a case file cannot have this column, or None if it may (when it is known)."""
    words = _WORDS.findall(heading.lower().replace("d.o.b", "dob"))
    joined = set(words) | {a + b for a, b in zip(words, words[1:], strict=False)}
    pairs = set(zip(words, words[1:], strict=False))
    if joined & _BIRTH or ("date", "of") in pairs and "birth" in words:
        what = "a date of birth"
    elif joined & _ADDRESS or ("post", "code") in pairs:
        what = "an address"
    elif joined & _NAME or pairs & _PAIRS:
        what = "a name"
    else:
        return None
    return (
        f"this column looks like {what}; a case file must not hold a child's name, address or "
        "date of birth, only the case reference, so that nothing identifying a child leaves "
        "the case-recording system. Delete the column and upload the file again"
    )
