"""Template filters: dates as "3 November 2026", counts, percentages."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for
from markupsafe import Markup, escape

from audit_tools.policy_sources import CITATION, POLICIES, citation_words


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def date_time(value: datetime | None) -> str:
    if value is None:
        return ""
    hour = value.strftime("%I").lstrip("0") or "12"
    return f"{long_date(value)} at {hour}:{value:%M}{value:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )


def percent(value: float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.{places}f}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


@lru_cache(maxsize=64)
def _fingerprint(path: str, mtime: float) -> str:  # noqa: ARG001 (mtime keys the cache)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The URL of a built asset with a content fingerprint, so it can be cached for a year."""
    folder = current_app.static_folder or ""
    path = Path(folder) / filename
    version = _fingerprint(str(path), path.stat().st_mtime) if path.exists() else "missing"
    return url_for("static", filename=filename, v=version)


def html(template: str, *values: object) -> Markup:
    """Fill a trusted HTML snippet from a template with values, escaping every value.

    Use it to build a table cell's html: `html('<a href="{}">{}</a>', url, name)`.
    (Joining strings with `~` would escape the snippet itself once any part is markup.)
    """
    return Markup(template).format(*values)  # noqa: S704 (the template is ours; values are escaped)


def cited(text: str | None) -> Markup:
    """`text` escaped, each policy citation in it ("003_2701f8fa2326f2b4.txt, 9.3") written
    as the policy's title and section, linked to the page showing that section."""
    parts: list[Markup] = []
    end = 0
    for found in CITATION.finditer(text or ""):
        parts.append(escape((text or "")[end : found.start()]))
        words = citation_words(found["file"], found["section"])
        document = POLICIES.get(found["file"])
        if document and found["section"]:
            address = url_for("main.policy_section", policy=document.slug, section=found["section"])
            parts.append(html('<a class="govuk-link" href="{}">{}</a>', address, words))
        else:
            parts.append(escape(words))
        end = found.end()
    parts.append(escape((text or "")[end:]))
    return Markup("").join(parts)


def register(app: Flask) -> None:
    app.add_template_global(asset_url, "asset_url")
    app.add_template_global(html, "html")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(date_time, "date_time")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(plural, "plural")
    app.add_template_filter(cited, "cited")

    @app.context_processor
    def service_names() -> dict[str, str]:
        return {
            "council_name": current_app.config["COUNCIL_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
        }
