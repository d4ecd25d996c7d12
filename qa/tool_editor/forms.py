"""The tool editor's forms: the tool's details and grade bands, a section, a question, and
the reason for saving. Fields are checked here; the whole tool is then checked with the
same schema as an uploaded file."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from audit_tools.schema import ANSWER_LABELS, GRADE_LABELS, SCALES

YES_NO = [("yes", "Yes"), ("no", "No")]
EVIDENCE = [
    ("short", "For any answer short of the best"),
    ("every", "For every answer, the best included"),
    ("none", "Never: evidence is optional"),
]


def _weight(subject: str) -> DecimalField:
    return DecimalField(
        "Weight",
        description=f"How much the {subject} counts in the overall score: 1 is usual, 2 counts "
        "twice as much",
        places=None,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=f"Enter the {subject}'s weight, a number such as 1"),
            NumberRange(min=0.1, max=100, message="The weight must be from 0.1 to 100"),
        ],
    )


def _position(label: str) -> SelectField:
    return SelectField(label, widget=GovSelect(), coerce=int, validate_choice=True)


class DetailsForm(FlaskForm):
    """The tool's title and description; `with_bands` adds a minimum per grade band."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the tool's title"), Length(max=200)],
    )
    description = TextAreaField(
        "Description", description="Shown at the top of the tool", widget=GovTextArea()
    )
    save = SubmitField("Save changes", widget=GovSubmitInput())


def details_form(grades: Sequence[str]) -> type[DetailsForm]:
    """The details form with a minimum score for each grade band but the last (always 0%)."""
    fields: dict[str, object] = {}
    for grade in grades[:-1]:
        label = GRADE_LABELS.get(grade, grade)
        fields[f"band_{grade}"] = DecimalField(
            f"Lowest score for {label.lower()}",
            description="A percentage of the overall score, from 0 to 100",
            places=None,
            widget=GovTextInput(),
            validators=[
                InputRequired(message=f"Enter the lowest score for {label.lower()}"),
                NumberRange(
                    min=0,
                    max=100,
                    message=f"The lowest score for {label.lower()} must be from 0 to 100",
                ),
            ],
        )
    return type("ToolDetailsForm", (DetailsForm,), fields)


class SectionForm(FlaskForm):
    title = StringField(
        "Section title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the section's title"), Length(max=200)],
    )
    description = TextAreaField(
        "What the section looks at",
        description="Optional. Shown above the section's questions",
        widget=GovTextArea(),
        validators=[Length(max=3000)],
    )
    weight = _weight("section")
    position = _position("Position in the tool")
    save = SubmitField("Save section", widget=GovSubmitInput())


class QuestionForm(FlaskForm):
    text = StringField(
        "Question",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the question"), Length(max=500)],
    )
    hint = StringField(
        "Hint",
        description="Optional. A line under the question",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500)],
    )
    guidance = TextAreaField(
        "What good looks like",
        description="The guidance an auditor opens under the question",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter what good looks like"), Length(max=5000)],
    )
    sources = TextAreaField(
        "Policy sections this question comes from",
        description="One a line: the policy's title, a comma and the section, for example "
        "‘Coventry supervision policy (2015), section 9.3’",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the policy section this question comes from")],
    )
    scale = RadioField(
        "Answers",
        choices=[
            (
                key,
                f"{scale.label}: "
                + ", ".join(ANSWER_LABELS[a].lower() for a in scale.answers).capitalize(),
            )
            for key, scale in SCALES.items()
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the answers")],
    )
    weight = _weight("question")
    critical = RadioField(
        "Is the question critical?",
        description="The worst answer to a critical question limits the audit's grade",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether the question is critical")],
    )
    evidence = RadioField(
        "When must the auditor give evidence from the file?",
        choices=EVIDENCE,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select when evidence is needed")],
    )
    not_applicable = RadioField(
        "May the auditor answer ‘not applicable’?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether ‘not applicable’ is allowed")],
    )
    themes = SelectMultipleField(
        "Themes", description="Optional. Select all that apply", widget=GovCheckboxesInput()
    )
    sensitive = RadioField(
        "Is it about the worker's wellbeing, where only whether it was discussed is recorded?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether the question is sensitive")],
    )
    position = _position("Position in the section")
    save = SubmitField("Save question", widget=GovSubmitInput())


class SaveForm(FlaskForm):
    reason = TextAreaField(
        "Why are you making this version?",
        description="Kept with the version and in the event log",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why you are making this version"),
            Length(max=2000, message="The reason must be 2000 characters or fewer"),
        ],
    )
    save = SubmitField("Save as a new version", widget=GovSubmitInput())
