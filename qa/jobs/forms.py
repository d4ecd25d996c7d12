from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import InputRequired


class RunJobForm(FlaskForm):
    """A "Run now" button: only the CSRF token."""


class ApplyRetentionForm(FlaskForm):
    """Apply the retention rules to the list the person has just read (its fingerprint)."""

    fingerprint = HiddenField(validators=[InputRequired()])
