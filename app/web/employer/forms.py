"""The employers' page forms. They hold text only: the API's schemas check it, and their refusals
come back on the fields (`place_errors`), translated as the API translates them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, FieldList, Form, FormField, HiddenField, PasswordField, RadioField, SelectField
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.employers.schemas import LEVELS, SKILLS
from app.error_translation import translate
from app.web.forms import PageForm

LANGUAGE_ROWS = 3
SKILL_LABELS = {"listening": _l("Listening"), "reading": _l("Reading"), "speaking": _l("Speaking"),
                "writing": _l("Writing")}


class EmployerRegistrationForm(PageForm):
    name = StringField(_l("Name of the organisation"))
    state = SelectField(_l("Member state it is established in"), validate_choice=False)
    registration_number = StringField(_l("Registration number"))
    contact_name = StringField(_l("Contact person"))
    address = TextAreaField(_l("Postal address"))
    email = EmailField(_l("Your email address"))
    password = PasswordField(_l("Password"))


class LanguageRow(Form):
    """One language wanted, with the lowest CEFR level in each skill (blank: does not matter)."""

    language = SelectField(_l("Language"), validate_choice=False)
    listening = SelectField(SKILL_LABELS["listening"], validate_choice=False)
    reading = SelectField(SKILL_LABELS["reading"], validate_choice=False)
    speaking = SelectField(SKILL_LABELS["speaking"], validate_choice=False)
    writing = SelectField(SKILL_LABELS["writing"], validate_choice=False)


class VacancyForm(PageForm):
    title = StringField(_l("Job title"))
    occupation = StringField(_l("Occupation (ISCO-08)"))
    description = TextAreaField(_l("Description"))
    posts = StringField(_l("Number of posts"))
    location = StringField(_l("Location"))
    closing_date = StringField(_l("Closing date"))
    education_level = SelectField(_l("Lowest education level (EQF)"), validate_choice=False)
    languages = FieldList(FormField(LanguageRow), min_entries=LANGUAGE_ROWS, max_entries=LANGUAGE_ROWS)
    experience_years = StringField(_l("Fewest years of experience"))
    experience_scope = RadioField(_l("Experience counted in"), validate_choice=False, default="occupation",
                                  choices=[SelectChoice("occupation", _l("The vacancy's own occupation")),
                                           SelectChoice("group", _l("Any occupation of its group (the first three digits)"))])
    salary_min = StringField(_l("Lowest yearly salary, in euros"))
    salary_max = StringField(_l("Highest yearly salary, in euros"))


class ColleagueForm(PageForm):
    email = EmailField(_l("Your colleague's email address"))


class InvitationForm(PageForm):
    token = HiddenField()
    password = PasswordField(_l("Choose a password"))


class SuspensionForm(PageForm):
    reason = TextAreaField(_l("Why the employer is suspended"))


def level_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Does not matter"))] + [SelectChoice(level, level) for level in LEVELS]


def number(text: str | None):
    """A form's text as the API's integer, or the text itself (the schema then refuses it), or None if blank."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 12 else text


def place_errors(form, messages: dict, prefix: str = "") -> None:
    """Put marshmallow's nested `messages` on the form's fields (`requirements.languages.0.listening` →
    the first language row's listening); a message with no field goes on the form."""
    for key, value in messages.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            place_errors(form, value, f"{path}.")
            continue
        field = _field_at(form, path)
        texts = [translate(str(message)) for message in (value if isinstance(value, list) else [value])]
        if field is None:
            form.form_errors.extend(texts)
        else:
            field.errors = [*field.errors, *texts]


def _field_at(form, path: str):
    parts = path.split(".")
    if parts[0] == "requirements":
        parts = parts[1:]
    if parts and parts[0] == "languages" and len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(form.languages.entries):
            row = form.languages.entries[index].form
            return row[parts[2]] if len(parts) > 2 and parts[2] in row else row.language
        return form.languages.entries[-1].form.language
    return form[parts[0]] if parts and parts[0] in form else None


