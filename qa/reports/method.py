"""How a selection was made, in words a third party can check it by, for the PDFs.

Both the audit record and the period report's method statement say which policy and version
chose the files, the seed, the frame hash and the algorithm, and how to re-run the draw
independently with R. L. Rivest's consistent_sampler (DESIGN.md section 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qa.audits.models import Audit
from qa.extensions import db
from qa.selections.models import SamplingPolicy, SelectionRun
from qa.selections.names import names_for_run
from sampling.cadences import WORKLOAD_DRAW, DrawRecord
from sampling.selection import ticket

FRAME_SHOWN_UP_TO = 120
"""A draw's frame is printed in full up to this many files; larger ones are in the
selection spreadsheet."""

VERIFY_STEPS = (
    "Get R. L. Rivest's public consistent_sampler (github.com/ron-rivest/consistent_sampler).",
    "For each draw, give it the draw's frame (the file references, sorted) and the seed, "
    "sampling without replacement; it orders the files by ticket, where a file's ticket is "
    "sha256_uniform(sha256_hex(seed) + file reference).",
    "The first k files it returns are the files selected, in order; the rest are the "
    "reserves, in the order they are used.",
    "The frame hash is the SHA-256 of every draw's file references, in draw order, joined "
    "by line breaks: it shows the frames are the ones frozen when the draw was made.",
)


@dataclass(frozen=True)
class FilePlace:
    """Where one audited file fell in its draw: its position in ticket order and its ticket,
    with the draw's frame (left out when larger than FRAME_SHOWN_UP_TO)."""

    draw: str
    position: int | None
    ticket: str
    k: int
    frame_size: int
    frame: tuple[str, ...]


@dataclass(frozen=True)
class SelectionStatement:
    """One selection run as the method statement tells it."""

    run_id: int
    policy_title: str
    policy_version: int
    period_key: str
    selector: str
    seed: str
    frame_hash: str
    frame_size: int
    algorithm: str
    made_at: datetime
    draw_count: int
    excluded: int
    notes: tuple[str, ...]
    place: FilePlace | None = None


def policy_title(key: str, version: int) -> str:
    row = db.session.scalar(
        select(SamplingPolicy).where(SamplingPolicy.key == key, SamplingPolicy.version == version)
    )
    return str(row.values.get("title", key)) if row is not None else key


def _label(draw: DrawRecord, names: dict[str, str]) -> str:
    """A draw's label as a sentence starts: "File from Sam Ahmed's workload (T-102)"."""
    label = draw.label
    if draw.kind == WORKLOAD_DRAW and draw.subject in names:
        label = f"file from {names[draw.subject]}'s workload ({draw.subject})"
    return label[:1].upper() + label[1:]


def selection_statement(run: SelectionRun, audit: Audit | None = None) -> SelectionStatement:
    """The run's statement; with an audit, also where its file fell in its draw."""
    return SelectionStatement(
        run_id=run.id,
        policy_title=policy_title(run.policy_key, run.policy_version),
        policy_version=run.policy_version,
        period_key=run.period_key,
        selector=run.selector.name if run.selector else "The whole service",
        seed=run.seed,
        frame_hash=run.frame_hash,
        frame_size=run.frame_size,
        algorithm=f"{run.algorithm}, version {run.algorithm_version}",
        made_at=run.ran_at,
        draw_count=len(run.draw_list),
        excluded=len(run.exclusion_list),
        notes=tuple(run.note_list),
        place=_where_the_file_fell(run, audit) if audit is not None else None,
    )


def _where_the_file_fell(run: SelectionRun, audit: Audit) -> FilePlace | None:
    names = names_for_run(run)
    ref = audit.file.reference
    for draw in run.draw_records:
        if draw.label != audit.draw_label:
            continue
        order = list(draw.selected) + list(draw.reserves)
        frame = draw.frame
        return FilePlace(
            draw=_label(draw, names),
            position=order.index(ref) + 1 if ref in order else None,
            ticket=ticket(run.seed, ref),
            k=draw.k,
            frame_size=len(frame),
            frame=frame if len(frame) <= FRAME_SHOWN_UP_TO else (),
        )
    return None
