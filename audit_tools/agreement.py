"""Suggested answers about the supervision agreement, from the facts on file.

Every supervisee should have a supervision agreement signed by both parties (Havering,
001_20b868241c344233.txt, 6) and reviewed annually (Haringey, 004_fde0c66ff807e5b0.txt, 6.1;
Coventry, 003_2701f8fa2326f2b4.txt, 10.0). The answers are suggestions for the auditor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from audit_tools.working_days import add_months, long_date


@dataclass(frozen=True)
class AgreementFacts:
    """The supervision agreement on file: who signed it and when, and its review date."""

    signed_by_supervisor_on: date | None
    signed_by_supervisee_on: date | None
    review_due: date | None


def assess_agreement(
    agreement: AgreementFacts | None,
    on: date,
    review_months: int = 12,
    *,
    opened_on: date | None = None,
    made_within_weeks: int | None = None,
) -> dict[str, tuple[str, str]]:
    """Suggested (answer, reason) for the agreement questions as of `on`.

    The agreement counts as reviewed while its review date has not passed. Without a
    recorded review date, the review falls due `review_months` after the later signature
    (the frequency rules' `agreement_review`, 12 months by default). Where the council
    profile allows `made_within_weeks` to make the agreement once the file opens, a missing
    agreement's reason says whether that time has run out; the answer stays the auditor's.
    """
    if agreement is None:
        missing = "No supervision agreement is on file" + _time_allowed(
            on, opened_on, made_within_weeks
        )
        return {
            "agreement_on_file": ("no", missing),
            "agreement_signed": ("no", missing),
            "agreement_reviewed": ("no", missing),
        }
    return {
        "agreement_on_file": ("yes", "A supervision agreement is on file"),
        "agreement_signed": _agreement_signed(agreement),
        "agreement_reviewed": _agreement_reviewed(agreement, on, review_months),
    }


def _time_allowed(on: date, opened_on: date | None, weeks: int | None) -> str:
    if weeks is None or opened_on is None:
        return ""
    due = opened_on + timedelta(weeks=weeks)
    allowed = f"{weeks} week{'s' if weeks != 1 else ''} from the file's opening"
    if due >= on:
        return f" yet: the council profile allows {allowed}, until {long_date(due)}"
    return f": the council profile allows {allowed}, so it was due by {long_date(due)}"


def _agreement_signed(agreement: AgreementFacts) -> tuple[str, str]:
    supervisor = agreement.signed_by_supervisor_on
    supervisee = agreement.signed_by_supervisee_on
    if supervisor and supervisee:
        return "yes", (
            f"Signed by the supervisor on {long_date(supervisor)} "
            f"and by the supervisee on {long_date(supervisee)}"
        )
    if supervisor:
        return (
            "partly",
            f"Signed by the supervisor on {long_date(supervisor)} but not the supervisee",
        )
    if supervisee:
        return (
            "partly",
            f"Signed by the supervisee on {long_date(supervisee)} but not the supervisor",
        )
    return "no", "Not signed by the supervisor or the supervisee"


def _agreement_reviewed(agreement: AgreementFacts, on: date, months: int) -> tuple[str, str]:
    due = agreement.review_due
    if due is None:
        signed = [
            day
            for day in (agreement.signed_by_supervisor_on, agreement.signed_by_supervisee_on)
            if day is not None
        ]
        if not signed:
            return "no", "The agreement has no signature or review date to show a review"
        due = add_months(max(signed), months)
    if due >= on:
        return "yes", f"The agreement is next due for review on {long_date(due)}"
    return "no", f"The agreement's review was due on {long_date(due)}"
