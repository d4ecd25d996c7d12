"""Forms for actions beyond those on the audit's pages."""

from __future__ import annotations

from wtforms import HiddenField

from qa.audits.review_forms import ActionForm


class RaiseActionForm(ActionForm):
    """The action form with a token made when the page is opened: posting the same page
    twice (a double click, a resend) makes one action."""

    form_token = HiddenField()
