from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from qa.clock import today
from qa.org.models import Staff
from qa.trends.filters import PERIOD_KINDS, unit_choices
from sampling.periods import parse_period, period_key, previous_period

KINDS = (("month", "Month"), ("quarter", "Quarter"), ("half", "Half-year"))
EXAMPLES = {"month": "2026-11", "quarter": "2026-Q4", "half": "2026-H2"}
WORDS = {"month": "a month", "quarter": "a quarter", "half": "a half-year"}


class PeriodReportForm(FlaskForm):
    period_kind = RadioField(
        "What period should the report cover?",
        choices=KINDS,
        default="quarter",
        widget=GovRadioInput(),
        validators=[
            InputRequired(message="Select whether the report covers a month, quarter or half-year")
        ],
    )
    period = StringField(
        "Which one?",
        description="For example 2026-11 for November 2026, 2026-Q4 for October to December "
        "2026, or 2026-H2 for July to December 2026",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the period, like 2026-11, 2026-Q4 or 2026-H2")],
    )
    unit = SelectField(
        "Which part of the service?",
        widget=GovSelect(),
        validate_choice=False,  # the service says when a unit is not one the person may see
        validators=[InputRequired(message="Select the part of the service to report on")],
    )
    submit = SubmitField("Make the report", widget=GovSubmitInput())

    def __init__(self, user: Staff, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit.choices = unit_choices(user)
        if not self.is_submitted():
            self.period.data = previous_period(period_key("quarterly", today()))
            if self.unit.choices:
                self.unit.data = self.unit.choices[0][0]

    def period_value(self) -> str:
        return (self.period.data or "").strip().upper()

    def add_error(self, field: str, message: str) -> None:
        """Show a problem the service found on the answer it is about."""
        found = getattr(self, field)
        found.errors = [*found.errors, message]

    def validate_period(self, field: StringField) -> None:
        """The period must be a real one, of the kind chosen."""
        kind = self.period_kind.data
        try:
            period = parse_period(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if kind in PERIOD_KINDS and period.cadence != PERIOD_KINDS[kind]:
            raise ValidationError(f"Enter {WORDS[kind]} like {EXAMPLES[kind]}")
