"""How long the reports take, and their peak memory, on the demo council.

Loads the demo organisation into a throwaway SQLite database, makes a year of selections
with the real policies (monthly, quarterly and six-monthly, as the scheduler would), signs
off every audit they drew with answers that get better over the year, then times one audit
record PDF and one quarterly period report for the whole service (target 5 s). The audit
record's floor is WeasyPrint alone making the same pages from the record's finished HTML
(same stylesheet and fonts, nothing read from the database, no template), timed in turn with
it; the target is at most twice that. Peak memory is Python's own (tracemalloc, in a
separate run, as it slows things down) and the process's high-water mark.

    .venv/bin/python scripts/bench_reports.py              # prints the figures
    .venv/bin/python scripts/bench_reports.py --save DIR   # also writes the two PDFs

`make bench` (scripts/bench.py) calls `rows()` and prints them with the other figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AS_OF = datetime(2026, 11, 23, 10, 0)
SEED = 20261123
Row = tuple[str, float, str, float, str, str]


def _timed(work: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _paired(
    work: Callable[[], object], floor: Callable[[], object], repeats: int
) -> tuple[float, float, object]:
    """Medians of `work` and `floor`, run in turn so both see the same load."""
    times: tuple[list[float], list[float]] = ([], [])
    result = None
    for _ in range(repeats):
        for spent, job in zip(times, (work, floor), strict=True):
            start = time.perf_counter()
            made = job()
            spent.append(time.perf_counter() - start)
            result = made if job is work else result
    return statistics.median(times[0]), statistics.median(times[1]), result


def _peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_year(app) -> None:  # type: ignore[no-untyped-def]
    """The demo council with a year of selections, every drawn audit signed off."""
    from flask_migrate import upgrade

    from qa.demo import organisation as demo
    from qa.extensions import db

    upgrade()
    demo.load(AS_OF.date())
    rng = random.Random(SEED)  # noqa: S311 (benchmark data, not security)
    month = date(2025, 12, 1)
    while month <= AS_OF.date():
        _draw_month(app, month)
        month = (month + timedelta(days=32)).replace(day=1)
    app.config["FIXED_NOW"] = AS_OF
    _sign_off_everything(rng)
    db.session.commit()


def _draw_month(app, month: date) -> None:  # type: ignore[no-untyped-def]
    from qa.selections.policies import current_policies
    from qa.selections.service import run_selection, selectors_for
    from sampling.periods import period_key

    app.config["FIXED_NOW"] = datetime(month.year, month.month, 1, 7, 0)
    for number, (_, policy) in enumerate(current_policies()):
        key = period_key(policy.cadence, month)
        starts = {"monthly": True, "quarterly": month.month % 3 == 1}
        if not starts.get(policy.cadence, month.month % 6 == 1):
            continue
        for index, selector in enumerate(selectors_for(policy, month)):
            seed = f"{SEED}{month:%Y%m}{number:02d}{index:03d}00000"
            run_selection(policy.key, key, selector, None, seed=seed)


def _sign_off_everything(rng: random.Random) -> None:
    from sqlalchemy import select

    from audit_tools.scoring import score
    from qa.actions.models import Action
    from qa.audits.models import Audit, AuditAnswer
    from qa.audits.tools import get_tool
    from qa.extensions import db
    from qa.org.models import Staff

    tool = get_tool("supervision-file-audit")
    heads = {
        s.service_area_id: s
        for s in db.session.scalars(select(Staff).where(Staff.role == "head_of_service"))
    }
    for audit in db.session.scalars(select(Audit).where(Audit.state == "selected")):
        signed = min(datetime.combine(audit.due_on, datetime.min.time()) - timedelta(days=3), AS_OF)
        progress = (signed - datetime(2025, 12, 1)).days / 360
        values: dict[str, str] = {}
        for _, question in tool.questions():
            good = rng.random() < 0.62 + 0.25 * progress
            if "yes" in question.answers:
                values[question.key] = "yes" if good else rng.choice(("partly", "no"))
            else:
                values[question.key] = "good" if good else "requires_improvement"
            audit.answers.append(
                AuditAnswer(
                    question_key=question.key,
                    answer=values[question.key],
                    comment=_comment(question.key, good, question.sensitive),
                )
            )
        result = score(tool, values)
        area = audit.file.supervisee.service_area_id
        audit.tool_version = tool.version
        audit.window_end = signed.date() - timedelta(days=10)
        audit.window_start = audit.window_end - timedelta(days=182)
        audit.started_at = signed - timedelta(days=12)
        audit.submitted_at = signed - timedelta(days=4)
        audit.state, audit.signed_off_at = "signed_off", signed
        audit.signed_off_by_id = heads[area].id if area in heads else None
        audit.overall_score, audit.computed_grade = result.overall, result.grade
        audit.auditor_judgement = result.grade
        if result.grade in ("requires_improvement", "inadequate") and audit.auditor_id:
            db.session.add(
                Action(
                    audit=audit,
                    description="Record the child's views and how they shaped the plan on the file",
                    owner_id=audit.file.supervisor_id,
                    due_on=signed.date() + timedelta(days=28),
                    status="done" if rng.random() < 0.6 else "open",
                    created_at=signed,
                    created_by_id=audit.auditor_id,
                )
            )


def _comment(key: str, good: bool, sensitive: bool) -> str:
    if sensitive:
        return "Discussed at the start of the session"
    if good:
        return f"Clear on the file ({key.replace('_', ' ')})"
    return f"Not found on the record for the last two sessions ({key.replace('_', ' ')})"


def measure(save: Path | None = None) -> list[Row]:
    from sqlalchemy import select
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from qa import create_app
    from qa.audits.models import Audit
    from qa.extensions import db
    from qa.org.models import Staff
    from qa.reports.audit_pdf import LAYOUT, make_audit_pdf, record_layout
    from qa.reports.models import PeriodReport
    from qa.reports.pdf import layout_html
    from qa.reports.period_report import make_period_pdf
    from qa.trends.filters import Filters

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "TESTING": True,
            "FIXED_NOW": AS_OF,
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        build_year(app)
        audit = db.session.scalar(
            select(Audit).where(Audit.state == "signed_off").order_by(Audit.signed_off_at.desc())
        )
        qa_officer = db.session.scalar(select(Staff).where(Staff.role == "qa_officer"))
        report = PeriodReport(
            period_kind="quarter",
            period_key="2026-Q4",
            unit_label="the whole service",
            tool_id="supervision-file-audit",
            status="making",
            requested_by_id=qa_officer.id,
            requested_at=AS_OF,
        )
        db.session.add(report)
        db.session.commit()
        filters = Filters("quarter", date(2026, 10, 1), date(2026, 12, 31))
        make_audit_pdf(audit)  # the first document loads fonts; a server has done that already
        layout = record_layout(audit)
        del layout["reference"]
        static = layout_html(LAYOUT, **layout)
        fonts = FontConfiguration()
        pages = len(HTML(string=static).render(font_config=fonts).pages)
        audit_seconds, floor_seconds, audit_bytes = _paired(
            lambda: make_audit_pdf(audit),
            lambda: HTML(string=static).write_pdf(pdf_variant="pdf/ua-1", font_config=fonts),
            5,
        )
        audit_peak = _peak_mb(lambda: make_audit_pdf(audit))
        report_seconds, report_bytes = _timed(
            lambda: make_period_pdf(qa_officer, filters, report), 3
        )
        report_peak = _peak_mb(lambda: make_period_pdf(qa_officer, filters, report))
        audits = db.session.query(Audit).count()
        db.session.remove()
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / "audit-record.pdf").write_bytes(audit_bytes)  # type: ignore[arg-type]
        (save / "period-report.pdf").write_bytes(report_bytes)  # type: ignore[arg-type]
    rss = _rss_mb()
    return [
        (
            f"Audit record PDF ({len(audit_bytes) // 1024} KB, "  # type: ignore[arg-type]
            f"{pages} pages; peak {audit_peak:.0f} MB Python)",
            audit_seconds,
            f"WeasyPrint alone, the same {pages} pages",
            floor_seconds,
            "<= 2x floor",
            "met" if audit_seconds <= 2 * floor_seconds else "MISSED",
        ),
        (
            f"Period report PDF, service, quarter, {audits} audits",
            report_seconds,
            f"peak {report_peak:.0f} MB; RSS {rss:.0f} MB",
            0.0,
            "< 5 s",
            "met" if report_seconds < 5 else "MISSED",
        ),
    ]


def rows() -> list[Row]:
    return measure()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the two PDFs into this folder")
    args = parser.parse_args()
    for name, seconds, floor_name, floor, target, verdict in measure(args.save):
        floor_text = f"{floor_name} {floor:.3f} s" if floor else floor_name
        print(f"{name:<60} {seconds:7.3f} s  {floor_text:<44} target {target:<11} {verdict}")


if __name__ == "__main__":
    main()
