"""`flask --app qa set-password EMAIL`: give a person a password (and end their sessions)."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from qa.auth.service import PasswordRefused, set_password
from qa.extensions import db
from qa.org.models import Staff


@click.command("set-password")
@click.argument("email")
@click.password_option(prompt="New password", help="Asked for twice, never shown.")
def set_password_command(email: str, password: str) -> None:
    """Set a person's password; every session they have ends."""
    person = db.session.scalar(select(Staff).where(func.lower(Staff.email) == email.lower()))
    if person is None:
        raise click.ClickException(f"There is no one with the email address {email}")
    try:
        set_password(person, password, None)
    except PasswordRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"{person.name} has a new password; their sessions on every device have ended.")
