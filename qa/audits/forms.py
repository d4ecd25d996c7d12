"""Forms for an audit. A section's form is built from the tool's questions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from audit_tools.schema import ANSWER_LABELS, GRADES, Section
from audit_tools.scoring import grade_label


class SectionForm(FlaskForm):
    """Base for a section's form; `for_section` adds two fields per question."""

    lock_version = HiddenField()
    save = SubmitField("Save and continue", widget=GovSubmitInput())
    later = SubmitField("Save and come back later", widget=GovSubmitInput())


def for_section(section: Section) -> type[SectionForm]:
    fields: dict[str, object] = {}
    for question in section.questions:
        fields[f"answer_{question.key}"] = RadioField(
            question.text,
            choices=[(a, ANSWER_LABELS[a]) for a in question.answers],
            description=question.hint,
            widget=GovRadioInput(),
            validate_choice=False,
        )
        fields[f"comment_{question.key}"] = TextAreaField(
            "Evidence from the file",
            widget=GovTextArea(),
            validators=[Length(max=5000, message="Evidence must be 5000 characters or fewer")],
        )
    return type(f"Section_{section.key}", (SectionForm,), fields)


class SubmitForm(FlaskForm):
    lock_version = HiddenField()
    judgement = RadioField(
        "Your overall judgement of the supervision file",
        choices=[(g, grade_label(g)) for g in GRADES],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    reason = TextAreaField(
        "Why is this your judgement?",
        description="Needed when your judgement differs from the grade the answers give",
        widget=GovTextArea(),
        validators=[Length(max=5000)],
    )
    submit = SubmitField("Submit for sign-off", widget=GovSubmitInput())


class UploadToolForm(FlaskForm):
    upload = FileField(
        "Upload a tool file",
        description="A YAML or JSON file with id, version, title, sections and questions",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a tool file")],
    )
    submit = SubmitField("Check and save the tool", widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter a reason"), Length(max=2000)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
