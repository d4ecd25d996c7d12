"""The form for recording a change the control charts recalculate their limits from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa.trends.recalculations import REASON_LIMIT


class ChangeForm(FlaskForm):
    starts_on = DateField(
        "When did the change start?",
        description="The charts draw new limits from the first period that starts on or after "
        "this date. For example, 1 4 2026",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message="Enter the date the change started as a real date")],
    )
    reason = TextAreaField(
        "What changed?",
        description="Readers of the charts see this beside the new limits: for example, a new "
        "supervision policy or a restructure of the teams.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what changed"),
            Length(
                max=REASON_LIMIT,
                message=f"What changed must be {REASON_LIMIT} characters or fewer",
            ),
        ],
    )
    team = SelectField("Which charts does it affect?", widget=GovSelect(), default="")
    submit = SubmitField("Record the change", widget=GovSubmitInput())

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """As the other fields, but a date that is not a real one (31 February) says so in
        the GOV.UK words rather than WTForms' own."""
        valid = super().validate(extra_validators)
        if self.starts_on.errors:
            self.starts_on.errors = ["Enter the date the change started as a real date"]
        return valid
