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
