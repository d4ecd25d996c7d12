from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from sampling.policies import SIGN_OFF_RULE_LABELS


class DrawForm(FlaskForm):
    period = StringField(
        "Period",
        description="For example 2026-11 for a month, 2026-Q4 for a quarter, 2026-H2 for a half",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the period"),
            Regexp(
                r"^\s*\d{4}-(0[1-9]|1[0-2]|[Qq][1-4]|[Hh][12])\s*$",
                message="Enter a period like 2026-11, 2026-Q4 or 2026-H2",
            ),
        ],
    )
    seed = StringField(
        "Seed (optional)",
        description="Leave blank for a random seed of 24 digits, or enter at least 20 digits "
        "from a public source, such as dice rolled at a meeting",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(
                r"^\s*\d{20,200}\s*$", message="Enter a seed of at least 20 digits, and only digits"
            ),
        ],
    )
    submit = SubmitField("Draw the files", widget=GovSubmitInput())


class VerifyForm(FlaskForm):
    submit = SubmitField("Verify this selection", widget=GovSubmitInput())


class GiveForm(FlaskForm):
    """Give one or several audits of a selection to another auditor."""

    audits = SelectMultipleField(
        "Which audits?",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select at least one audit to give to someone else")],
    )
    auditor = SelectField(
        "Who should make them?",
        description="Only people who may audit every file you select: never the file's "
        "supervisor or supervisee, someone who has left, or whoever signs the audit off",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
        validators=[InputRequired(message="Select who should make the audits")],
    )
    reason = TextAreaField(
        "Why are they being given to someone else?",
        description="For example: the service manager is on leave until the audits are due",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the audits are being given to someone else"),
            Length(max=1000, message="Reason must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Give the audits", widget=GovSubmitInput())


class ReplaceForm(FlaskForm):
    reason = TextAreaField(
        "Why does this file need to be replaced?",
        description="For example: the worker left on 3 November 2026",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the file needs to be replaced"),
            Length(max=1000, message="Reason must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Replace with the next reserve", widget=GovSubmitInput())


class PolicyForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a title"), Length(max=200)],
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=2000)])
    active = BooleanField("This policy makes selections", widget=GovCheckboxInput())
    leavers = BooleanField("Leave out files of staff who have left", widget=GovCheckboxInput())
    supervisor_is_auditor = BooleanField(
        "Leave out files the auditor supervises or is the supervisee of", widget=GovCheckboxInput()
    )
    opened_within_weeks = IntegerField(
        "Leave out files opened less than this many weeks ago",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a number of weeks"),
            NumberRange(min=0, max=104, message="Weeks must be between 0 and 104"),
        ],
    )
    audited_within_months = IntegerField(
        "Leave out files audited in the last this many months",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a number of months"),
            NumberRange(min=0, max=60, message="Months must be between 0 and 60"),
        ],
    )
    size_rule = TextAreaField(
        "Sample size rule",
        description='As settings, for example {"kind": "attribute", "tolerable_rate": 0.05, '
        '"confidence": 0.95, "expected_deviations": 0}',
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the sample size rule")],
    )
    due_kind = RadioField(
        "When are the audits due?",
        choices=[
            ("end_of_period", "At the end of the period"),
            ("weeks_after_start", "A number of weeks after the period starts"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select when the audits are due")],
    )
    due_weeks = IntegerField(
        "Weeks after the period starts",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=1, max=26, message="Weeks must be between 1 and 26"),
        ],
    )
    due_working_days = IntegerField(
        "The least time an auditor has, in working days from the draw",
        description="A selection drawn late is due no sooner than this. The five policies do "
        "not say how long an audit may take; the default is 10 working days.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a number of working days"),
            NumberRange(min=0, max=60, message="Working days must be between 0 and 60"),
        ],
    )
    sign_off_rule = RadioField(
        "Who signs off the audits?",
        description="Never the person who made the audit",
        choices=[
            (key, label[0].upper() + label[1:]) for key, label in SIGN_OFF_RULE_LABELS.items()
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who signs off the audits")],
    )
    reason = TextAreaField(
        "Why are you changing the policy?",
        description="This is kept with the new version",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why you are changing the policy"),
            Length(max=1000),
        ],
    )
    submit = SubmitField("Save as a new version", widget=GovSubmitInput())
