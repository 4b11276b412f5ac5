"""The console's rules pages (`/official/rules`): the overlay in force and its revisions with their
dates, and the overlay editor (shortage occupations with the ISCO-08 chooser, languages, points
within their limits, the minimum score, the effective date) whose Preview shows what the change
would do before the Save button appears. Administrators also set which states take part.

Views only turn the form into the API's body and the refusals back onto the fields; the work is
the API's (`app.states.administration`, `previews`, `participation`).
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from app import clock, db
from app.errors import Conflict, InvalidInput
from app.occupations import isco
from app.profiles.schemas import LANGUAGES
from app.states import administration, effective_dates, participation, previews
from app.states import grid as grids
from app.states.schemas import CategoryInputSchema, CategoryKeyArgs, OverlayChangesSchema
from app.web.occupation_chooser import MOST, SHORTEST_QUERY
from app.web.official.access import official_page, state_of
from app.web.official.rules_forms import (LANGUAGE_LEVELS, POINT_LIMITS, SHORTAGE_BANDS, CategoryForm, OverlayForm,
                                         ParticipationForm)

blp = Blueprint("rules_pages", __name__, url_prefix="/official/rules")
# The grid's own points where an overlay overrides none (ranking/grids/eu.toml).
GRID_POINTS = {"job_offer": 50, "shortage_occupation": [0, 20, 30, 40, 50],
               "state_language": {"A1": 0, "A2": 5, "B1": 10, "B2": 15, "C1": 20, "C2": 20}}


def _state(account) -> str:
    code = state_of(account)
    if code is None or code not in grids.state_codes():
        abort(404)
    return code


@blp.get("/")
@official_page
def overview(account):
    code = state_of(account)
    if code is None:
        return render_template("official/rules_choose_state.html", codes=grids.state_codes())
    code = _state(account)
    session = db.session()
    return render_template("official/rules_overview.html", code=code,
                           history=administration.overlay_history(session, code),
                           taking_part=participation.status(session, code), today=clock.today())


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def _fill(form: OverlayForm, overlay: dict) -> None:
    points = {**GRID_POINTS, **overlay.get("points", {})}
    form.version.data = ""
    form.min_total.data = str(overlay.get("min_total", 0))
    form.languages.data = list(overlay.get("languages", []))
    form.shortage_occupations.data = "\n".join(overlay.get("shortage_occupations", []))
    form.job_offer.data = str(points["job_offer"])
    for level in LANGUAGE_LEVELS:
        form[f"language_{level}"].data = str(points["state_language"][level])
    for index, band in enumerate(SHORTAGE_BANDS, start=1):
        form[f"shortage_{band}"].data = str(points["shortage_occupation"][index])


def _number(form, name: str, low: int, high: int) -> int | None:
    text = (form[name].data or "").strip()
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        form[name].errors = [_("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)]
        return None
    return int(text)


def _body(form: OverlayForm) -> dict | None:
    """The PATCH body the form stands for, or None with a message on each wrong field."""
    numbers = {"min_total": _number(form, "min_total", 0, 100_000),
               "job_offer": _number(form, "job_offer", 0, POINT_LIMITS["job_offer"])}
    languages = {level: _number(form, f"language_{level}", 0, POINT_LIMITS["language"]) for level in LANGUAGE_LEVELS}
    bands = [_number(form, f"shortage_{band}", 0, POINT_LIMITS["shortage"]) for band in SHORTAGE_BANDS]
    if None in numbers.values() or None in languages.values() or None in bands:
        return None
    body = {"min_total": numbers["min_total"], "languages": sorted(set(form.languages.data or [])),
            "shortage_occupations": list(dict.fromkeys(_codes(form.shortage_occupations.data) + (form.found.data or []))),
            "points": {"job_offer": numbers["job_offer"], "shortage_occupation": [0, *bands],
                       "state_language": {"A1": 0, **languages}}}
    if (form.effective_from.data or "").strip():
        body["effective_from"] = form.effective_from.data.strip()
    if (form.version.data or "").strip():
        body["version"] = form.version.data.strip()
    return body


FIELD_MESSAGES = {
    "version": lambda: _("Give this revision a label your state has not used, for example the date it takes effect."),
    "effective_from": lambda: _("Enter a date on or after the next nightly ranking, like 2027-03-01."),
    "min_total": lambda: _("Enter a minimum score from 0 to 100000."),
    "languages": lambda: _("Choose languages from the list."),
    "shortage_occupations": lambda: _("Enter ISCO-08 codes of 1 to 4 digits, one per line."),
    "points": lambda: _("The points must rise with the level and stay within their limits."),
}


def _refused(form: OverlayForm, errors: dict) -> None:
    for name in errors:
        if name in FIELD_MESSAGES:
            target = form.job_offer if name == "points" else form[name]
            target.errors = [FIELD_MESSAGES[name]()]
        else:
            form.form_errors.append(_("The change was refused; check every field."))


@blp.route("/overlay", methods=["GET", "POST"])
@official_page
def overlay(account):
    code = _state(account)
    session = db.session()
    form = OverlayForm()
    form.languages.choices = [(language, language) for language in LANGUAGES]
    newest = administration.overlay(session, code)
    earliest = effective_dates.next_ranking_date(session)
    if request.method == "GET":
        _fill(form, newest["overlay"])
        form.effective_from.data = earliest.isoformat()
    action = request.form.get("action", "")
    matches, preview, status = [], None, 200
    query = (form.occupation_query.data or "").strip()
    if action == "find" and len(query) >= SHORTEST_QUERY:
        matches = [(code_, title.text) for code_, title in isco.search(query, limit=MOST)]
    form.found.choices = [(code_, code_) for code_, _title in matches] + \
        [(code_, code_) for code_ in (form.found.data or []) if code_ not in {m for m, _t in matches}]
    if action in ("preview", "save"):
        body = _body(form)
        if body is not None:
            try:
                checked = OverlayChangesSchema().load({**body, "version": body.get("version", "preview")})
                if action == "preview":
                    checked.pop("version")
                    preview = previews.overlay_preview(session, code, checked)
                else:
                    if "version" not in body:
                        raise InvalidInput("", {"json": {"version": ["missing"]}})
                    saved = administration.patch_overlay(session, account, code, checked)
                    flash(_("Saved. The new revision %(version)s takes effect on %(date)s.",
                            version=saved["overlay"]["version"], date=saved["effective_from"].isoformat()), "success")
                    return redirect(url_for("rules_pages.overview", state=code if account.role == "admin" else None), 303)
            except ValidationError as error:
                _refused(form, error.messages)
            except (InvalidInput, Conflict) as error:
                _refused(form, error.errors.get("json", {"_": []}))
        status = 200 if preview is not None else 422
    return render_template("official/rules_overlay.html", form=form, code=code, newest=newest, earliest=earliest,
                           matches=dict(matches), preview=preview, admin=account.role == "admin"), status


def _category_body(form: CategoryForm) -> dict | None:
    """The category's key, title and definition the form stands for, or None with messages on the fields."""
    definition = {}
    if _codes(form.occupations.data):
        definition["occupations"] = _codes(form.occupations.data)
    for name, low, high in (("min_years", 1, 50), ("min_education_level", 1, 8)):
        if (form[name].data or "").strip():
            value = _number(form, name, low, high)
            if value is None:
                return None
            definition[name] = value
    problems = CategoryKeyArgs().validate({"key": (form.key.data or "").strip()})
    problems.update(CategoryInputSchema().validate({"title": (form.title.data or "").strip(), "definition": definition}))
    if problems:
        if "key" in problems:
            form.key.errors = [_("Use 1 to 64 lower-case letters, digits, hyphens or underscores.")]
        if "title" in problems:
            form.title.errors = [_("Enter a title.")]
        if "definition" in problems:
            form.occupations.errors = [_("Enter ISCO-08 codes of 1 to 4 digits, one per line.")]
        return None
    if not definition:
        form.occupations.errors = [_("Give at least one condition: occupations, years or an education level.")]
        return None
    return {"key": form.key.data.strip(), "title": form.title.data.strip(), "definition": definition}


@blp.route("/categories", methods=["GET", "POST"])
@official_page
def categories(account):
    code = _state(account)
    session = db.session()
    form = CategoryForm()
    preview, status = None, 200
    action = request.form.get("action", "")
    if action in ("preview", "save"):
        body = _category_body(form)
        if body is not None:
            try:
                if action == "preview":
                    preview = previews.category_preview(session, code, body["key"], body["definition"], None)
                else:
                    saved, _created = administration.save_category(
                        session, account, code, body["key"], body["title"], body["definition"],
                        _date(form.effective_from.data))
                    day = next(r["effective_from"] for r in reversed(saved["revisions"]))
                    flash(_("Saved the category %(title)s. This revision takes effect on %(date)s.",
                            title=body["title"], date=day.isoformat()), "success")
                    return redirect(url_for("rules_pages.categories",
                                            state=code if account.role == "admin" else None), 303)
            except ValueError:
                form.effective_from.errors = [FIELD_MESSAGES["effective_from"]()]
            except InvalidInput as refusal:
                if "effective_from" in refusal.errors.get("json", {}):
                    form.effective_from.errors = [FIELD_MESSAGES["effective_from"]()]
                else:
                    form.occupations.errors = [_("Enter ISCO-08 codes of 1 to 4 digits, one per line.")]
        status = 200 if preview is not None else 422
    earliest = effective_dates.next_ranking_date(session)
    if not (form.effective_from.data or "").strip():
        form.effective_from.data = earliest.isoformat()
    return render_template("official/rules_categories.html", form=form, code=code, preview=preview,
                           earliest=earliest, today=clock.today(), listed=administration.category_list(session, code),
                           admin=account.role == "admin"), status


@blp.route("/participation", methods=["GET", "POST"])
@official_page(admin_only=True)
def taking_part(account):
    session = db.session()
    form = ParticipationForm()
    status = 200
    if request.method == "POST":
        code = (form.state.data or "").strip().upper()
        choice = request.form.get("choice")
        if code not in grids.state_codes():
            form.state.errors = [_("Choose a member state.")]
        if choice not in ("yes", "no"):
            form.taking_part.errors = [_("Say whether the state takes part.")]
        if not form.state.errors and not form.taking_part.errors:
            try:
                day = effective_dates.check(session, _date(form.effective_from.data))
                participation.change(session, account, code, choice == "yes", day, (form.reason.data or "")[:500])
                flash(_("Recorded: from %(date)s, %(state)s takes part.", date=day.isoformat(), state=code)
                      if choice == "yes" else
                      _("Recorded: from %(date)s, %(state)s does not take part.", date=day.isoformat(), state=code),
                      "success")
                return redirect(url_for("rules_pages.taking_part"), 303)
            except (InvalidInput, ValueError):
                form.effective_from.errors = [FIELD_MESSAGES["effective_from"]()]
        status = 422
    today = clock.today()
    states = [participation.status(session, code, today) for code in grids.state_codes()]
    return render_template("official/rules_participation.html", form=form, states=states,
                           earliest=effective_dates.next_ranking_date(session)), status


def _date(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None
