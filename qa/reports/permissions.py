"""Who may make reports: the people who take them to meetings.

Heads of service and service managers report on their own service area, quality assurance
officers on the whole service. What each report contains is still decided by the one access
policy in `qa.access`; this only says who gets the Reports page at all. The audit record PDF
is not limited to these roles: anyone who may read a signed-off audit may download it.
"""

from __future__ import annotations

from qa.access import AREA_WIDE
from qa.org.models import Staff

REPORT_ROLES = frozenset({"head_of_service", "service_manager", "qa_officer"})


def can_use_reports(user: Staff) -> bool:
    if user.role not in REPORT_ROLES:
        return False
    return user.role not in AREA_WIDE or user.service_area_id is not None
