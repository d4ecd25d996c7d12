"""Uploaded import files, kept only between the preview and the confirmation.

They hold staff records, so they are readable by the service's own user only (the folder
0700, each file 0600), and they do not outlive their use: a file is deleted when its
import is confirmed or cancelled, and one left unconfirmed for IMPORT_KEEP_MINUTES is
refused and deleted (by the hourly scheduler job, and by any web worker that keeps or
fetches a file, so several web hosts each tidy their own folder).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import current_app

SUFFIXES = (".csv", ".xlsx")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _keep_seconds() -> float:
    return float(current_app.config["IMPORT_KEEP_MINUTES"]) * 60


def keep(data: bytes, filename: str) -> str:
    """Store an upload under a random token, owner-only; the token is all the browser holds."""
    remove_expired()
    token = secrets.token_hex(16)
    suffix = Path(filename).suffix.lower()
    path = _folder() / f"{token}{suffix if suffix in SUFFIXES else '.bin'}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return token


def fetch(token: str) -> tuple[bytes, str] | None:
    """The stored bytes and a file name with the right extension, or None if gone or expired."""
    remove_expired()
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        return None
    for path in _folder().glob(f"{token}.*"):
        return path.read_bytes(), path.name
    return None


def discard(token: str) -> None:
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        return
    for path in _folder().glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def remove_expired(moment: float | None = None) -> int:
    """Delete the files kept longer than IMPORT_KEEP_MINUTES; how many were deleted."""
    cutoff = (time.time() if moment is None else moment) - _keep_seconds()
    removed = 0
    for path in _folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed
