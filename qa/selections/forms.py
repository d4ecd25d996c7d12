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

from sampling.policies import (
    AUDITOR_RULE_LABELS,
    CADENCE_LABELS,
    POPULATION_LABELS,
    SELECTOR_LABELS,
    SIGN_OFF_RULE_LABELS,
)


class DrawForm(FlaskForm):
    period = StringField(
        "Period",
        description="For example 2026-11 for a month, 2026-Q4 for a quarter, 2026-H2 for a half",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the period"),
            Regexp(
                r"^\s*\d{4}(-(0[1-9]|1[0-2]|[Qq][1-4]|[Hh][12])|-\d{2}-\d{2})?\s*$",
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


SIZE_KINDS = [
    ("fixed", "A fixed number of files"),
    ("fraction", "A share of the files"),
    ("proportion", "Enough files to estimate how many meet the standard"),
    ("attribute", "Enough files to show that few fall short"),
]
CASE_HOLDING = [
    ("any", "Everyone, whether or not they hold cases"),
    ("yes", "Only staff who hold cases"),
    ("no", "Only staff who do not hold cases"),
]


def _number(label: str, hint: str = "") -> StringField:
    return StringField(label, description=hint, widget=GovTextInput())


class PolicyForm(FlaskForm):
    """Every setting of a sampling policy. Choices that depend on the organisation (roles,
    areas, teams, files, tools) are filled in by the view."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description",
        description="What the audit is for, in a sentence or two, and the section of the "
        "council's policy it follows",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Description must be 2000 characters or fewer")],
    )
    active = BooleanField("This policy makes selections", widget=GovCheckboxInput())
    cadence = RadioField(
        "How often are files drawn?",
        description="A one-off audit is drawn once, on the day someone draws it",
        choices=list(CADENCE_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how often files are drawn")],
    )
    selector_role = RadioField(
        "Who draws the files?",
        choices=list(SELECTOR_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who draws the files")],
    )
    population = RadioField(
        "Which files are drawn from?",
        choices=list(POPULATION_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select which files are drawn from")],
    )
    files = SelectMultipleField(
        "Which files?",
        description="The supervision files of these people, for a thematic audit",
        coerce=int,
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )
    roles = SelectMultipleField(
        "Only the files of staff in these roles",
        description="Leave all unticked for every role",
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )
    areas = SelectMultipleField(
        "Only the files of staff in these service areas",
        description="Leave all unticked for every service area",
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )
    teams = SelectMultipleField(
        "Only the files of staff in these teams",
        description="Leave all unticked for every team",
        validate_choice=False,
        widget=GovCheckboxesInput(),
    )
    case_holding = RadioField(
        "Case holding",
        choices=CASE_HOLDING,
        default="any",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whose files, by case holding")],
    )
    auditor_rule = RadioField(
        "Who audits the files?",
        description="Never the file's supervisor or supervisee",
        choices=list(AUDITOR_RULE_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who audits the files")],
    )
    tool_id = RadioField(
        "Which audit tool is used?",
        description="Each audit uses the latest version of the tool on the day it is started",
        validate_choice=False,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the audit tool")],
    )
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
    size_kind = RadioField(
        "How many files?",
        description="For a policy that draws from managers' workloads, this applies to each "
        "workload drawn from",
        choices=SIZE_KINDS,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how the number of files is set")],
    )
    size_n = _number("Number of files")
    size_percent = _number("Percentage of the files", "For example 10 for one file in ten")
    size_minimum = _number("At least this many files")
    size_maximum = _number("At most this many files")
    proportion_margin = _number(
        "Margin of error, in percent", "For example 10 to estimate to within 10% either way"
    )
    proportion_confidence = _number("Confidence, in percent", "For example 95")
    proportion_expected = _number(
        "The share of files you expect to meet the standard, in percent",
        "If you do not know, 50 is the cautious choice",
    )
    attribute_tolerable = _number("The most files that may fall short, in percent", "For example 5")
    attribute_confidence = _number("Confidence, in percent", "For example 95")
    attribute_expected = _number(
        "How many files in the sample you expect to fall short", "Usually 0"
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
        validators=[Length(max=1000, message="Reason must be 1000 characters or fewer")],
    )
    preview = SubmitField("Preview the number of files", widget=GovSubmitInput())
    submit = SubmitField("Save as a new version", widget=GovSubmitInput())
