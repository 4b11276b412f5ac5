"""The rules pages' forms. They hold text only: the API's schemas and the points engine check it
(`rules.py` turns a form into the API's body and the refusals back onto the fields)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from app.web.forms import PageForm

# Levels a state's language points are given for (A1 earns nothing in the grid), and the limits
# the grid's own tables keep: 20 a skill, 50 for a job offer and for each shortage band.
LANGUAGE_LEVELS = ("A2", "B1", "B2", "C1", "C2")
SHORTAGE_BANDS = ("1", "2", "3", "5")  # years from which a band's points are given
POINT_LIMITS = {"language": 20, "shortage": 50, "job_offer": 50}


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # the API's schema says which choices are allowed
        pass


class OverlayForm(PageForm):
    version = StringField(_l("Version label"))
    effective_from = StringField(_l("Takes effect on"))
    min_total = StringField(_l("Minimum score"))
    languages = Checkboxes(_l("Languages that earn points at your state"))
    shortage_occupations = TextAreaField(_l("Shortage occupations (ISCO-08 codes)"))
    occupation_query = StringField(_l("Find an occupation"))
    found = Checkboxes(_l("Add these occupations"))
    job_offer = StringField(_l("Points for a job offer in your state"))


for _level in LANGUAGE_LEVELS:
    setattr(OverlayForm, f"language_{_level}", StringField(_level))
for _band in SHORTAGE_BANDS:
    setattr(OverlayForm, f"shortage_{_band}", StringField(_band))


class ParticipationForm(PageForm):
    state = StringField(_l("Member state"))
    taking_part = StringField(_l("Takes part in the pool"))  # its radios are in the template
    effective_from = StringField(_l("From"))
    reason = StringField(_l("Reason"))


class CategoryForm(PageForm):
    key = StringField(_l("Short name"))
    title = StringField(_l("Title"))
    occupations = TextAreaField(_l("Occupations (ISCO-08 codes or groups)"))
    min_years = StringField(_l("Years of experience in them, at least"))
    min_education_level = StringField(_l("Education level, at least (EQF 1 to 8)"))
    effective_from = StringField(_l("Takes effect on"))
