from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import InputRequired, Regexp

from qa.org.importing import KIND_LABELS


class ImportForm(FlaskForm):
    kind = RadioField(
        "What does the file contain?",
        choices=list(KIND_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what the file contains")],
    )
    upload = FileField(
        "Upload a file",
        description="A CSV file or an Excel .xlsx file, with a header row",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a CSV or Excel file")],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}$")])
    kind = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Import the file", widget=GovSubmitInput())
    cancel = SubmitField("Cancel and delete the file", widget=GovSubmitInput())
