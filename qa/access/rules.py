"""What a person may do: every capability as one `may_*` function.

Views ask these (through `requires` or `require`), services check them again before they
write, and templates receive their answers (`may_sign_off`), never a role. The README's role
table says the same rules in words; `tests/qa/security/test_access_rules.py` holds both to them.
"""

from __future__ import annotations

from datetime import date

from qa.access.scopes import MANAGERS, QA_SIGNS, SERVICE_WIDE, SIGNERS, reach_of
from qa.actions.models import Action
from qa.actions.states import ActionState
from qa.audits.models import Audit, Moderation
from qa.audits.states import EDITABLE, SHARED, AuditState
from qa.org.models import Staff
from qa.roles import MANAGER_ROLES, Role
from qa.selections.models import SelectionRun
from sampling.policies import Policy

# Roles that are given audits to complete (and so have a "My audits" list).
AUDITORS = frozenset(MANAGERS | {Role.QA_OFFICER})
# Roles that take reports and spreadsheets to meetings.
REPORTERS = frozenset({Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER, Role.QA_OFFICER})
# Roles that see trends and quantity for their part of the service.
TREND_READERS = frozenset(MANAGERS | {Role.QA_OFFICER})
# Roles that hold cases and see how often their own are discussed.
CASE_HOLDERS = frozenset({Role.PRACTITIONER, Role.SENIOR_PRACTITIONER})
# Roles that read themes and the self-evaluation summary.
THEME_READERS = frozenset({Role.HEAD_OF_SERVICE, Role.QA_OFFICER})
# Roles with a Selections page: the selectors of the shipped policies, and administrators
# (who read every run as part of the record).
SELECTION_READERS = frozenset(
    {Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE, Role.QA_OFFICER, Role.ADMINISTRATOR}
)


# -- Pages for a role ------------------------------------------------------------------------


def may_browse_organisation(user: Staff) -> bool:
    """Managers, QA officers and administrators browse the areas, teams and people they see."""
    return user.role in SERVICE_WIDE | MANAGERS


def may_import(user: Staff) -> bool:
    """Administrators import staff, sessions and agreements."""
    return user.role == Role.ADMINISTRATOR


def may_manage_jobs(user: Staff) -> bool:
    """Administrators only: the outbox holds everyone's reminders, and retention deletes."""
    return user.role == Role.ADMINISTRATOR


def may_read_event_log(user: Staff) -> bool:
    """QA officers and administrators read the whole event log."""
    return user.role in SERVICE_WIDE


def may_manage_policies(user: Staff) -> bool:
    """QA officers read and change the sampling policies. Administrators manage people and
    data, not how files are chosen for audit."""
    return user.role == Role.QA_OFFICER


def may_manage_profiles(user: Staff) -> bool:
    """QA officers read the council profiles and choose the one in force, as they change the
    sampling policies."""
    return user.role == Role.QA_OFFICER


def may_manage_tools(user: Staff) -> bool:
    """QA officers read, preview and upload audit tools, for the same reason."""
    return user.role == Role.QA_OFFICER


def may_moderate(user: Staff) -> bool:
    """QA officers moderate audits."""
    return user.role == Role.QA_OFFICER


def access_changes(person: Staff, new_role: str) -> bool:
    """A new role changes what the person may do, so their sessions end and they sign in
    again under the new one."""
    return person.role != new_role


def has_sign_off_queue(user: Staff) -> bool:
    """Heads of service sign off the audits of their area; quality assurance officers those
    of the policies whose sign-off rule names them (the quarterly audit by default)."""
    return user.role in SIGNERS


def has_audits_to_do(user: Staff) -> bool:
    """Managers and QA officers are given audits to complete."""
    return user.role in AUDITORS


def may_see_selections(user: Staff) -> bool:
    return user.role in SELECTION_READERS


def may_see_trends(user: Staff) -> bool:
    """Managers and QA officers with a part of the service to look at (trends, quantity)."""
    return user.role in TREND_READERS and reach_of(user).anything


def may_see_case_discussions(user: Staff) -> bool:
    """How often cases are discussed in supervision: practitioners and senior practitioners
    see their own caseload; whoever sees trends sees their part of the service."""
    return user.role in CASE_HOLDERS or may_see_trends(user)


def may_see_themes(user: Staff) -> bool:
    """Themes and the self-evaluation are for heads of service and QA officers."""
    return user.role in THEME_READERS and may_see_trends(user)


def may_use_reports(user: Staff) -> bool:
    """Heads of service and service managers report on their area, QA officers on the whole
    service. The audit record PDF is not limited to these roles: anyone who may read a
    signed-off audit may download it."""
    return user.role in REPORTERS and reach_of(user).anything


# -- Selections ------------------------------------------------------------------------------


def may_draw(user: Staff, policy: Policy) -> bool:
    """The policy's selector role draws it (service managers monthly, heads of service
    quarterly, QA officers the six-monthly sample)."""
    return user.role == policy.selector_role


def draws_for_the_service(policy: Policy) -> bool:
    """A QA officer's draw is made for the whole service, so the run has no one selector."""
    return policy.selector_role == Role.QA_OFFICER


def audits_other_lines(role: str) -> bool:
    """Under the independent-manager rule, files are given to managers (team, service and
    heads of service) outside the file's own line."""
    return role in MANAGER_ROLES


def may_read_run(user: Staff, run: SelectionRun) -> bool:
    """A selector reads their own runs; QA officers and administrators read every run
    (the same rule as `run_scope`)."""
    return user.role in SERVICE_WIDE or run.selector_id == user.id


def may_replace(user: Staff, audit: Audit) -> bool:
    """Replace a drawn file with the next reserve: the run's selector or a QA officer, while
    the audit is unsubmitted and has never been signed off. An audit corrected after sign-off
    is part of the signed record and is finished and signed again, never cancelled."""
    run = audit.run
    return (
        run is not None
        and audit.state in EDITABLE
        and audit.version_no == 1
        and (user.role == Role.QA_OFFICER or run.selector_id == user.id)
    )


def may_reassign(user: Staff, audit: Audit) -> bool:
    """Give an audit to another auditor: the run's selector or a QA officer, while the audit
    is unsubmitted (not started or in progress) and has never been signed off."""
    run = audit.run
    return (
        audit.state in (AuditState.SELECTED, AuditState.IN_PROGRESS)
        and audit.version_no == 1
        and (user.role == Role.QA_OFFICER or (run is not None and run.selector_id == user.id))
    )


def auditor_refusal(person: Staff, audit: Audit, on: date) -> str | None:
    """Why `person` may not be given this audit; None if they may. Only managers and QA
    officers audit; never someone who has left, the file's supervisee or supervisor, or the
    head of service who signs the audit off (nobody would be left to sign it)."""
    if person.role not in AUDITORS:
        return f"{person.name} is not a manager or a quality assurance officer"
    if person.has_left(on):
        return f"{person.name} has left"
    if person.id == audit.file.supervisee_id:
        return f"It is {person.name}'s own supervision file"
    if person.id == audit.file.supervisor_id:
        return f"{person.name} supervises this file"
    if audit.sign_off_rule != QA_SIGNS and signs_off_area(
        person, audit.file.supervisee.service_area_id
    ):
        return f"{person.name} signs this audit off, so cannot also make it"
    if person.id == audit.auditor_id:
        return f"{person.name} already has this audit"
    return None


# -- Audits ----------------------------------------------------------------------------------


def may_edit_audit(user: Staff, audit: Audit) -> bool:
    """Only the assigned auditor, before submission or once returned."""
    return audit.auditor_id == user.id and audit.state in EDITABLE


def is_auditor(user: Staff, audit: Audit) -> bool:
    """The person the audit is assigned to (who may read it whatever its state)."""
    return audit.auditor_id == user.id


def may_start_audit(user: Staff, audit: Audit) -> bool:
    return may_edit_audit(user, audit) and audit.state == AuditState.SELECTED


def signs_off_area(user: Staff, area_id: int | None) -> bool:
    """The head of service of that service area."""
    return (
        user.role == Role.HEAD_OF_SERVICE
        and area_id is not None
        and user.service_area_id == area_id
    )


def sign_off_refusal(user: Staff, audit: Audit) -> str | None:
    """Why the person may not sign off or return this audit, whatever its state; None if
    they may. The policy the audit was drawn under says who signs it off (its sign-off rule,
    kept on the audit): the head of service of the file's area, or a quality assurance
    officer. Never the person who audited it."""
    if audit.sign_off_rule == QA_SIGNS:
        if user.role != Role.QA_OFFICER:
            return (
                "A quality assurance officer signs off this audit: the head of service made "
                "it, so it is checked by someone outside that line of management"
            )
    elif not signs_off_area(user, audit.file.supervisee.service_area_id):
        return "Only the head of service for this area can sign off or return it"
    if audit.auditor_id == user.id:
        return "You audited this file, so someone else must sign it off"
    return None


def may_sign_off(user: Staff, audit: Audit) -> bool:
    """Sign off or return a submitted audit (see `sign_off_refusal`)."""
    return audit.state == AuditState.SUBMITTED and sign_off_refusal(user, audit) is None


def may_correct(user: Staff, audit: Audit) -> bool:
    """Reopen a signed-off audit as a new version: a QA officer or the head of service of the
    file's area. Administrators do not change audit outcomes."""
    return audit.state == AuditState.SIGNED_OFF and (
        user.role == Role.QA_OFFICER or signs_off_area(user, audit.file.supervisee.service_area_id)
    )


def may_reply(user: Staff, audit: Audit) -> bool:
    """The file's supervisor and its supervisee reply once the audit is submitted."""
    return audit.state in SHARED and user.id in (
        audit.file.supervisor_id,
        audit.file.supervisee_id,
    )


def may_raise_action(user: Staff, audit: Audit) -> bool:
    """The auditor, or a head of service who can read the audit, raises actions on it until
    it is cancelled."""
    return audit.state != AuditState.CANCELLED and (
        audit.auditor_id == user.id or user.role == Role.HEAD_OF_SERVICE
    )


def may_complete_action(user: Staff, action: Action) -> bool:
    """Only the action's owner marks it done."""
    return action.owner_id == user.id


def confirms_action(user: Staff, action: Action) -> bool:
    """Whoever raised the action, or the head of service of the file's area, checks that it
    was done; never its owner, who would be checking their own work."""
    return action.owner_id != user.id and (
        action.created_by_id == user.id
        or signs_off_area(user, action.audit.file.supervisee.service_area_id)
    )


def may_confirm_action(user: Staff, action: Action) -> bool:
    """Confirm an action its owner has marked done (see `confirms_action`)."""
    return action.status == ActionState.DONE and confirms_action(user, action)


def may_work_on_moderation(user: Staff, moderation: Moderation) -> bool:
    """A moderation is its moderator's alone, blind scoring and all."""
    return moderation.moderator_id == user.id


def may_moderate_audit(user: Staff, audit: Audit) -> bool:
    """A QA officer moderates a submitted or signed-off audit they did not complete."""
    return (
        may_moderate(user)
        and audit.state in (AuditState.SUBMITTED, AuditState.SIGNED_OFF)
        and audit.auditor_id != user.id
    )
