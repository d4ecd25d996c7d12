"""Reading the scheduler, e-mail and retention settings, which may arrive as text from the
environment (QA_SMTP_PORT=25) or as values from instance/config.py."""

from __future__ import annotations

from flask import current_app

TRUE_WORDS = ("1", "true", "yes", "on")


def flag(name: str) -> bool:
    value = current_app.config.get(name)
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def integer(name: str) -> int:
    value = current_app.config.get(name)
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Set {name} to a whole number, not {value!r}") from exc


def text(name: str) -> str:
    return str(current_app.config.get(name) or "").strip()
