"""Uploaded import files kept between the preview and the confirmation."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

SUFFIXES = (".csv", ".xlsx")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, filename: str) -> str:
    """Store an upload under a random token; the token is all the browser holds."""
    token = secrets.token_hex(16)
    suffix = Path(filename).suffix.lower()
    (_folder() / f"{token}{suffix if suffix in SUFFIXES else '.bin'}").write_bytes(data)
    return token


def fetch(token: str) -> tuple[bytes, str] | None:
    """The stored bytes and a file name with the right extension, or None if gone."""
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        return None
    for path in _folder().glob(f"{token}.*"):
        return path.read_bytes(), path.name
    return None


def discard(token: str) -> None:
    for path in _folder().glob(f"{token}.*"):
        path.unlink(missing_ok=True)
