"""Find a numbered section (or an appendix) of a council policy text, for checking that a
quotation is in the section it is cited from: the service's own finder, which also shows a
cited section on the policy page."""

from __future__ import annotations

from audit_tools.policy_sources import section_texts

__all__ = ["section_texts"]
