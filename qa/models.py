"""Every table, imported in one place so Alembic and the app see the whole schema."""

from qa.actions.models import Action
from qa.audits.models import (
    Audit,
    AuditAmendment,
    AuditAnswer,
    AuditToolVersion,
    Moderation,
    ModerationAnswer,
    Reply,
    StoredDocument,
)
from qa.auth.models import SignInSession, SignInThrottle
from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.events.models import Event
from qa.generation import DataGeneration
from qa.jobs.models import AnonymisedRecord, JobRun, OutboxMessage
from qa.org.models import (
    ServiceArea,
    Staff,
    SupervisionAgreement,
    SupervisionFile,
    SupervisionSession,
    Team,
)
from qa.profiles.models import ProfileChoice, ProfileVersion
from qa.reports.models import PeriodReport
from qa.selections.models import SamplingPolicy, SelectionRun
from qa.tool_editor.models import ToolDraft
from qa.trends.models import LimitsRecalculation
from qa.trends.summary import AuditQuestionSummary, AuditSummary

__all__ = [
    "Action",
    "AnonymisedRecord",
    "Audit",
    "AuditAmendment",
    "AuditAnswer",
    "AuditQuestionSummary",
    "AuditSummary",
    "AuditToolVersion",
    "Case",
    "CaseAllocation",
    "CaseDiscussion",
    "CaseStatus",
    "DataGeneration",
    "Event",
    "JobRun",
    "LimitsRecalculation",
    "Moderation",
    "ModerationAnswer",
    "OutboxMessage",
    "PeriodReport",
    "ProfileChoice",
    "ProfileVersion",
    "Reply",
    "SamplingPolicy",
    "SelectionRun",
    "ServiceArea",
    "SignInSession",
    "SignInThrottle",
    "Staff",
    "StoredDocument",
    "SupervisionAgreement",
    "SupervisionFile",
    "SupervisionSession",
    "Team",
    "ToolDraft",
]
