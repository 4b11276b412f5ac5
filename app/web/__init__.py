"""The pages: server-rendered HTML for the public and for candidates, beside the JSON API.

Each part of the product is a blueprint of its own (`public/`, with the calculator; `candidate/`;
`official/`, the officials' console; `employer/`, employers' own pages), calling the same service functions as the API: views only read forms and choose what to
show; templates only show it. Shared here: languages (Flask-Babel), CSRF on every form, browser
sessions, the error pages, the templates (`templates/base.html`, form macros) and one stylesheet
and one small script under `static/`, all served from our own origin under the strict CSP.
"""
from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import Babel, format_date, format_datetime, format_decimal

from app.notifications import dev_inbox
from app.web import browser_session, error_pages, forms, languages, occupation_chooser, template_helpers
from app.web.candidate import account, account_security, events, hiring, invitations, profile
from app.web.employer import hiring_pages as employer_hiring
from app.web.employer import home as employer_home
from app.web.employer import vacancy_editor
from app.web.official import admin as official_admin
from app.web.official import findings as official_findings
from app.web.official import employers as official_employers
from app.web.official import home as official_home
from app.web.official import invitees as official_invitees
from app.web.official import offers as official_offers
from app.web.official import navigation as official_navigation
from app.web.official import sign_in_code
from app.web.official import rounds as official_rounds
from app.web.official import rules as official_rules
from app.web.public import blueprint as public
from app.web.public import calculator, privacy_notice
from app.web.public import vacancies as public_vacancies

# Templates and static files shared by every page blueprint (served at /static/...).
shared = Blueprint("web", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/static")
babel = Babel()
# The page blueprints, in registration order.
PAGES = (public.blp, calculator.blp, privacy_notice.blp, occupation_chooser.blp, account.blp, account_security.blp,
         profile.blp, invitations.blp, events.blp, official_home.blp, official_rules.blp, official_rounds.blp,
         official_invitees.blp, sign_in_code.blp, official_admin.blp, official_findings.blp, official_employers.blp,
         employer_home.blp, vacancy_editor.blp, public_vacancies.blp,
         hiring.blp, official_offers.blp, employer_hiring.blp,
         dev_inbox.blp)  # dev_inbox: /dev/mail, 404 outside development


def init_app(app: Flask) -> None:
    """Install languages, sessions, CSRF and error pages, then the pages (call after `app.errors`)."""
    babel.init_app(app, locale_selector=languages.select_locale, default_locale=languages.SOURCE_LANGUAGE,
                   default_timezone="UTC")
    languages.init_app(app)
    browser_session.init_app(app)
    forms.init_app(app)
    error_pages.init_app(app)
    app.register_blueprint(shared)
    app.jinja_env.globals.update(
        current_language=languages.current, offered_languages=languages.offered, autonym=languages.autonym,
        state_name=languages.state_name, language_name=languages.language_name,
        format_decimal=format_decimal, format_date=format_date, format_datetime=format_datetime, form_errors=template_helpers.form_errors)
    app.jinja_env.globals.update(moment=template_helpers.moment, console_sections=official_navigation.sections_for,
                                 console_current_entry=official_navigation.current_entry)
    app.jinja_env.filters.update(state_name=languages.state_name, language_name=languages.language_name,
                                 by_state_name=lambda items: template_helpers.by_state_name(items, languages.state_name))
    app.jinja_env.add_extension("jinja2.ext.do")
    for blueprint in PAGES:
        app.register_blueprint(blueprint)
