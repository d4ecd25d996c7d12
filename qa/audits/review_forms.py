"""Forms for sign-off, replies, corrections, actions and moderation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from audit_tools.schema import GRADES
from audit_tools.scoring import grade_label
from qa.events.service import EventSearch


class SignOffForm(FlaskForm):
    decision = RadioField(
        "What do you want to do?",
        choices=[("sign_off", "Sign off the audit"), ("return", "Return it to the auditor")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether to sign off or return the audit")],
    )
    grade_agreed = RadioField(
        "Do you agree with the auditor's grade?",
        choices=[("yes", "Yes"), ("no", "No, I give a different grade")],
        widget=GovRadioInput(),
        validate_choice=False,  # checked below, only when signing off
        validators=[Optional()],
    )
    agreed_grade = RadioField(
        "The grade you give",
        description="Only when you do not agree with the auditor's grade",
        choices=[(g, grade_label(g)) for g in GRADES],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[Optional()],
    )
    agreed_grade_reason = TextAreaField(
        "Why do you give a different grade?",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="The reason must be 2000 characters or fewer")],
    )
    early = BooleanField(
        "I am signing off before the replies are in: a later reply is added to the signed "
        "record as an addendum",
        widget=GovCheckboxInput(),
    )
    comment = TextAreaField(
        "Comment",
        description="When you return the audit, say what the auditor needs to do",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Comment must be 2000 characters or fewer")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """Signing off needs an answer on the grade, and a grade and reason to differ."""
        valid = super().validate(extra_validators)
        if self.decision.data != "sign_off":
            return valid
        problems = []
        if self.grade_agreed.data not in ("yes", "no"):
            problems.append(
                (self.grade_agreed, "Select whether you agree with the auditor's grade")
            )
        elif self.grade_agreed.data == "no":
            if self.agreed_grade.data not in GRADES:
                problems.append((self.agreed_grade, "Select the grade you give"))
            if not (self.agreed_grade_reason.data or "").strip():
                problems.append(
                    (
                        self.agreed_grade_reason,
                        "Say why you give a different grade from the auditor's",
                    )
                )
        for field, message in problems:
            field.errors = [*field.errors, message]
        return valid and not problems


REPLY_CHOICE = "Select whether you acknowledge the audit or want to respond"


class ReplyForm(FlaskForm):
    kind = RadioField(
        "Your reply",
        choices=[
            ("acknowledged", "I have read the audit and acknowledge it"),
            ("responded", "I want to respond"),
        ],
        widget=GovRadioInput(),
        validate_choice=False,  # AnyOf below says which choice is missing
        validators=[
            InputRequired(message=REPLY_CHOICE),
            AnyOf(["acknowledged", "responded"], message=REPLY_CHOICE),
        ],
    )
    text = TextAreaField(
        "Your response",
        description="Say what you want kept with the audit record",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Response must be 5000 characters or fewer")],
    )
    submit = SubmitField("Send your reply", widget=GovSubmitInput())


class CorrectionForm(FlaskForm):
    reason = TextAreaField(
        "Why does the signed-off audit need correcting?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the audit needs correcting"),
            Length(max=2000),
        ],
    )
    submit = SubmitField("Start a correction", widget=GovSubmitInput())


def _person_id(value: object) -> int:
    """The chosen person's id, or 0 (nobody chosen) for anything but a whole number."""
    try:
        return int(str(value))
    except ValueError:
        return 0


class ActionForm(FlaskForm):
    description = TextAreaField(
        "What needs to be done?",
        description="Specific and measurable: what will be done, and what will show it is done",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what needs to be done"),
            Length(max=2000, message="What needs to be done must be 2000 characters or fewer"),
        ],
    )
    owner = SelectField(
        "Who will do it?",
        coerce=_person_id,
        validate_choice=False,  # the service checks it is one of the people offered
        widget=GovSelect(),
        validators=[InputRequired(message="Select who will do the action")],
    )
    due = DateField(
        "When is it due?",
        description="For example, 27 3 2027",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message="Enter the date the action is due as a real date")],
    )
    accept_vague = BooleanField("Save the action as it is", widget=GovCheckboxInput())
    submit = SubmitField("Save the action", widget=GovSubmitInput())


class DoneForm(FlaskForm):
    note = TextAreaField(
        "What was done?",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter what was done"), Length(max=2000)],
    )
    submit = SubmitField("Mark as done", widget=GovSubmitInput())


class AgreeForm(FlaskForm):
    grade = RadioField(
        "Agreed grade",
        choices=[(g, grade_label(g)) for g in GRADES],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the agreed grade")],
    )
    note = TextAreaField(
        "How was the result agreed?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter a note of how the result was agreed"),
            Length(max=5000),
        ],
    )
    submit = SubmitField("Record the agreed result", widget=GovSubmitInput())


class DrawShareForm(FlaskForm):
    share = IntegerField(
        "Percentage of this quarter's unmoderated audits to moderate",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a percentage"),
            NumberRange(min=1, max=100, message="Percentage must be between 1 and 100"),
        ],
    )
    submit = SubmitField("Draw audits at random", widget=GovSubmitInput())


class EventSearchForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField("What happened", widget=GovSelect(), validators=[Optional()])
    person = StringField("Who (name contains)", widget=GovTextInput(), validators=[Optional()])
    audit = IntegerField("Audit number", widget=GovTextInput(), validators=[Optional()])
    submit = SubmitField("Search", widget=GovSubmitInput())

    @classmethod
    def read(cls, args: Mapping[str, str], actions: Sequence[str]) -> EventSearchForm:
        """The search in an address, offering each kind of event on the log."""
        form = cls(args)
        form.action.choices = [("", "Anything")] + [(a, a.replace("_", " ")) for a in actions]
        return form

    def search(self) -> EventSearch | None:
        """What the form asks for, or None when a box cannot be used (its error says why)."""
        if not self.validate():
            return None
        return EventSearch(self.action.data or "", self.person.data or "", self.audit.data)
