"""The facts of a supervision file for an audit: sessions in the window, the agreement, and
the answers they suggest for the frequency, timeliness and agreement questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit_tools.frequency import (
    AgreementFacts,
    FrequencyAssessment,
    FrequencyRules,
    SessionFacts,
    StaffFacts,
    assess_agreement,
    assess_sessions,
)
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.roles import Role

FRONTLINE_ROLES = frozenset(
    {Role.PRACTITIONER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER}
)


@dataclass(frozen=True)
class FileFacts:
    sessions: list[SupervisionSession]
    frequency: FrequencyAssessment
    agreement: dict[str, tuple[str, str]]

    def suggestions(self) -> dict[str, tuple[str, str]]:
        """Prefill key -> (suggested answer, reason)."""
        found = {
            key: (answer, self.frequency.reasons.get(key, ""))
            for key, answer in self.frequency.suggested.items()
        }
        found.update(self.agreement)
        return found


def staff_facts(person: Staff) -> StaffFacts:
    return facts_of(
        person.case_holding,
        person.role,
        person.asye_start,
        person.start_date,
        person.leaving_date,
        person.fte,
    )


def facts_of(
    case_holding: bool | None,
    role: str,
    asye_start: date | None,
    start_date: date | None,
    leaving_date: date | None,
    fte: float | None = None,
) -> StaffFacts:
    """The frequency rules' facts about a member of staff, from their columns (for pages that
    read many people as plain rows rather than as Staff objects)."""
    return StaffFacts(
        case_holding=bool(case_holding),
        frontline=role in FRONTLINE_ROLES,
        asye_start=asye_start,
        start_date=start_date,
        leaving_date=leaving_date,
        role=role,
        fte=fte,
    )


def session_facts(session: SupervisionSession) -> SessionFacts:
    return SessionFacts(
        held_on=session.held_on,
        recorded_on=session.recorded_on,
        signed_by_supervisor_on=session.signed_by_supervisor_on,
        signed_by_supervisee_on=session.signed_by_supervisee_on,
        kind=session.kind,
        length_minutes=session.length_minutes,
    )


def file_facts(
    supervision_file: SupervisionFile, start: date, end: date, rules: FrequencyRules
) -> FileFacts:
    """The file's sessions between `start` and `end`, judged by `rules` (the audit's)."""
    in_window = sorted(
        (s for s in supervision_file.sessions if start <= s.held_on <= end),
        key=lambda s: s.held_on,
    )
    frequency = assess_sessions(
        rules,
        staff_facts(supervision_file.supervisee),
        [session_facts(s) for s in in_window],
        start,
        end,
    )
    agreement = supervision_file.agreement
    facts = (
        AgreementFacts(
            signed_by_supervisor_on=agreement.signed_by_supervisor_on,
            signed_by_supervisee_on=agreement.signed_by_supervisee_on,
            review_due=agreement.review_due,
        )
        if agreement is not None
        else None
    )
    review = rules.agreement_review.amount
    agreement_answers = assess_agreement(
        facts,
        end,
        review,
        opened_on=supervision_file.opened_on,
        made_within_weeks=rules.agreement_made_weeks,
    )
    return FileFacts(in_window, frequency, agreement_answers)
