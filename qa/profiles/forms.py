from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class UseProfileForm(FlaskForm):
    reason = TextAreaField(
        "Why the service changes to this profile",
        description="For example, the council has adopted this policy. The reason is kept "
        "with the choice.",
        widget=GovTextArea(),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired(message="Enter why the service changes to this profile"),
            Length(max=2000, message="Reason must be 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Use this profile from now", widget=GovSubmitInput())
