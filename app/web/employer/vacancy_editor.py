"""The vacancy editor: a new draft, changes, publishing and closing, over `app.employers.vacancies`.

The form's text becomes the API's document (`document`) and is checked by `VacancyInputSchema`, so
the grid's types and every rule of the API hold here; the refusals come back on the fields. The
occupation is chosen with the occupation chooser (`web.occupation_chooser`): "Find" posts the form
back with the matching ISCO-08 unit groups, nothing saved.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from wtforms.fields.choices import SelectChoice

from app import db
from app.employers import vacancies
from app.employers.schemas import LANGUAGES, SKILLS, VacancyInputSchema
from app.error_translation import translate
from app.errors import Conflict, Forbidden, InvalidInput
from app.web import occupation_chooser
from app.web.employer.forms import VacancyForm, level_choices, number, place_errors
from app.web.employer.home import employer_page
from app.web.forms import checks_own_text, refuse_unstorable
from app.web.languages import language_name

blp = Blueprint("employer_vacancies", __name__, url_prefix="/employer/vacancies")
EQF_LEVELS = range(1, 9)


def _form(vacancy=None) -> VacancyForm:
    form = VacancyForm() if request.method == "POST" or vacancy is None else VacancyForm(data=_form_data(vacancy))
    form.education_level.choices = [SelectChoice("", _("No requirement"))] + [
        SelectChoice(str(level), _("EQF level %(level)s", level=level)) for level in EQF_LEVELS]
    languages = [SelectChoice("", _("No language"))] + sorted(
        (SelectChoice(code, language_name(code)) for code in LANGUAGES), key=lambda choice: choice.label)
    for position, entry in enumerate(form.languages.entries, start=1):
        row = entry.form
        row.language.choices = languages
        row.language.label.text = _("Language %(n)s", n=position)
        for skill in SKILLS:
            row[skill].choices = level_choices()
    return form


def _form_data(vacancy) -> dict:
    requirements = vacancy.requirements or {}
    return {"title": vacancy.title, "occupation": vacancy.occupation, "description": vacancy.description,
            "posts": str(vacancy.posts), "location": vacancy.location, "closing_date": vacancy.closing_date.isoformat(),
            "education_level": str(requirements.get("education_level") or ""),
            "languages": [{name: item.get(name) or "" for name in ("language", *SKILLS)}
                          for item in requirements.get("languages") or []],
            "experience_years": str(requirements.get("experience_years") or ""),
            "experience_scope": requirements.get("experience_scope") or "occupation",
            "salary_min": "" if vacancy.salary_min is None else str(vacancy.salary_min),
            "salary_max": "" if vacancy.salary_max is None else str(vacancy.salary_max)}


def document(form: VacancyForm) -> dict:
    """The form as the API's vacancy document (blank language rows left out)."""
    languages = [{"language": row.form.language.data,
                  **{skill: row.form[skill].data or None for skill in SKILLS}}
                 for row in form.languages.entries if row.form.language.data]
    return {"title": form.title.data or "", "occupation": (form.occupation.data or "").strip(),
            "description": form.description.data or "", "posts": number(form.posts.data),
            "location": form.location.data or "", "closing_date": (form.closing_date.data or "").strip(),
            "requirements": {"education_level": number(form.education_level.data), "languages": languages,
                             "experience_years": number(form.experience_years.data),
                             "experience_scope": form.experience_scope.data or "occupation"},
            "salary_min": number(form.salary_min.data), "salary_max": number(form.salary_max.data)}


def _editor(form, employer, vacancy, status=200, action=""):
    matches, query, chosen = occupation_chooser.searcher(action)(form.occupation)
    chooser = SimpleNamespace(field=form.occupation, matches=matches, query=query, chosen_title=chosen)
    return render_template("employer/vacancy_editor.html", form=form, employer=employer, vacancy=vacancy,
                           chooser=chooser), status


def _save(account, employer, vacancy):
    """Check and save the posted form: a redirect, or the editor again with the refusals on the fields."""
    form = _form(vacancy)
    action = request.form.get("action", "")
    if action.startswith(occupation_chooser.FIND):
        return _editor(form, employer, vacancy, action=action)
    if refuse_unstorable(form):
        return _editor(form, employer, vacancy, 422)
    session = db.session()
    try:
        data = VacancyInputSchema().load(document(form))
        if vacancy is None:
            vacancy = vacancies.create(session, account, employer, data)
        else:
            vacancies.update(session, account, employer, vacancy, data)
    except ValidationError as error:
        place_errors(form, error.messages)
        return _editor(form, employer, vacancy, 422)
    except InvalidInput as error:
        place_errors(form, (error.errors or {}).get("json", {}))
        return _editor(form, employer, vacancy, 422)
    except (Forbidden, Conflict) as error:
        form.form_errors.append(_translated(error))
        return _editor(form, employer, vacancy, error.status)
    flash(_("The vacancy is saved."), "success")
    return redirect(url_for("employer_vacancies.edit", vacancy_id=vacancy.id), 303)


def _translated(error) -> str:
    return translate(error.message)


@blp.route("/new", methods=["GET", "POST"])
@checks_own_text
@employer_page
def new(account, employer):
    if request.method == "POST":
        return _save(account, employer, None)
    return _editor(_form(), employer, None)


@blp.route("/<int(min=1, max=2147483647):vacancy_id>", methods=["GET", "POST"])
@checks_own_text
@employer_page
def edit(account, employer, vacancy_id):
    vacancy = vacancies.get_own(db.session(), employer, vacancy_id)
    if request.method == "POST":
        return _save(account, employer, vacancy)
    return _editor(_form(vacancy), employer, vacancy)


@blp.post("/<int(min=1, max=2147483647):vacancy_id>/publish")
@employer_page
def publish(account, employer, vacancy_id):
    session = db.session()
    try:
        vacancies.publish(session, account, employer, vacancies.get_own(session, employer, vacancy_id))
    except (Forbidden, Conflict, InvalidInput) as error:
        flash(_translated(error), "error")
    else:
        flash(_("The vacancy is published: candidates see it now."), "success")
    return redirect(url_for("employer_vacancies.edit", vacancy_id=vacancy_id), 303)


@blp.post("/<int(min=1, max=2147483647):vacancy_id>/close")
@employer_page
def close(account, employer, vacancy_id):
    session = db.session()
    try:
        vacancies.close(session, account, employer, vacancies.get_own(session, employer, vacancy_id))
    except Conflict as error:
        flash(_translated(error), "error")
    else:
        flash(_("The vacancy is closed."), "success")
    return redirect(url_for("employer_vacancies.edit", vacancy_id=vacancy_id), 303)
