"""Turning a PDF layout (an HTML template in templates/pdf/) into an accessible PDF.

WeasyPrint writes a tagged PDF/UA-1 file: real text, headings and tables in the structure
tree, the document's title and language. The output depends only on the HTML and the time
given, never on the clock or chance, so a document can be made again and compared:

- the creation and modification dates come from the `made_at` given (a `<meta>` in the
  layout), and the file identifier from the document's own reference;
- font subsets carry a timestamp; `SOURCE_DATE_EPOCH` pins it when fontTools does the
  subsetting (HarfBuzz keeps the font's own);
- nothing is fetched: the layouts carry their stylesheet and charts inline, and any other
  address is refused.

Documents are made one at a time in a process, sharing one font configuration: setting up
fontconfig for each document would double the time a report takes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from qa.clock import LONDON

_render_lock = threading.Lock()
_fonts: list[FontConfiguration] = []


class _NoFetching(URLFetcher):
    """Refuses every address: a layout has nothing outside itself to fetch."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:  # noqa: ARG002
        raise ValueError(f"PDF layouts do not fetch anything, so {url[:60]!r} was not fetched")


def w3c_date(moment: datetime) -> str:
    """A naive Europe/London time as a W3C date with its offset, as PDF metadata wants."""
    aware = moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment
    return aware.isoformat(timespec="seconds")


def render_pdf(template: str, *, made_at: datetime, reference: str, **context: Any) -> bytes:
    """Render a templates/pdf/ layout to PDF/UA-1 bytes.

    `made_at` becomes the document's created and modified dates; `reference` (such as
    "audit-12-v2") its file identifier. The template receives `made_at_w3c`.
    """
    return html_pdf(layout_html(template, made_at=made_at, **context), made_at, reference)


def layout_html(template: str, *, made_at: datetime, **context: Any) -> str:
    """The finished HTML of a templates/pdf/ layout, which `html_pdf` turns into the PDF."""
    return render_template(template, made_at_w3c=w3c_date(made_at), **context)


def html_pdf(html: str, made_at: datetime, reference: str) -> bytes:
    """A layout's finished HTML as PDF/UA-1 bytes (see `render_pdf`)."""
    identifier = hashlib.sha256(reference.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _fixed_font_timestamps(made_at):
        if not _fonts:
            _fonts.append(FontConfiguration())
        document = HTML(string=html, url_fetcher=_NoFetching()).render(font_config=_fonts[0])
        content: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    return content


@contextmanager
def _fixed_font_timestamps(moment: datetime) -> Iterator[None]:
    """Pin fontTools' subset timestamps to `moment` while one document is written (the lock
    also keeps documents to one at a time, for the shared font configuration)."""
    aware = moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment
    with _render_lock:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(aware.timestamp()))
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before
