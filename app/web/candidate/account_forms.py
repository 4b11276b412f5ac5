"""The account pages' forms. They hold text only: the API's schemas check it (`account.py`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField

from app.web.forms import PageForm


class RegisterForm(PageForm):
    email = EmailField(_l("Email address"))
    password = PasswordField(_l("Password"))


class SignInForm(PageForm):
    email = EmailField(_l("Email address"))
    password = PasswordField(_l("Password"))
    next = HiddenField()


class PasswordForm(PageForm):
    password = PasswordField(_l("Your password"))


class EmailForm(PageForm):
    email = EmailField(_l("Email address"))


class LinkForm(PageForm):
    """The button of a page opened from a mailed link: the link's token rides along, hidden."""

    token = HiddenField()


class NewPasswordForm(LinkForm):
    password = PasswordField(_l("New password"))


class PasswordChangeForm(PageForm):
    current_password = PasswordField(_l("Your current password"))
    new_password = PasswordField(_l("New password"))


class AddressChangeForm(PageForm):
    email = EmailField(_l("New email address"))
    password = PasswordField(_l("Your password"))
