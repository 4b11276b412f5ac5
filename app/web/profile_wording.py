"""The words of the profile form, by the grid's input paths: what the grid cannot say.

The grid (`ranking/grids/eu.toml`, `[inputs]`) says which fields a profile has, the values an
enum takes, the range of a number and how long a list may be; `profile_form` builds the form
from that. What a person reads is here: the section a field sits in, its label and hint, the
names of an enum's values, and the message shown when the API refuses a value. A test checks
that every input path of the grid has its words, so a new input cannot reach the form without.

Messages are chosen by what is wrong with the value, decided with the contract's own check
(`Scalar.code`): nothing given, a value the contract refuses, or a repeat in a list whose
items must differ. Ranges in the messages are the grid's, never written here.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.web import languages

# The form's sections, in order, and the top-level inputs each holds.
SECTIONS = (
    ("personal", _l("About you"), ("date_of_birth",)),
    ("education", _l("Education"), ("education_level", "eu_study")),
    ("languages", _l("Languages"), ("languages",)),
    ("experience", _l("Work experience"), ("experience", "eu_work", "talent_partnership")),
    ("job-offer", _l("Job offer"), ("job_offer",)),
    ("preferences", _l("Where you would like to work"), ("preferences",)),
)
LABELS = {
    "date_of_birth": _l("Date of birth"),
    "education_level": _l("Your highest qualification"),
    "eu_study": _l("I have studied in an EU member state"),
    "eu_work": _l("I have worked in an EU member state"),
    "talent_partnership": _l("I have taken part in an EU Talent Partnership programme"),
    "languages": _l("Languages you know"),
    "languages.language": _l("Language"),
    "languages.listening": _l("Listening"),
    "languages.reading": _l("Reading"),
    "languages.speaking": _l("Speaking"),
    "languages.writing": _l("Writing"),
    "experience": _l("Your work experience"),
    "experience.occupation": _l("Occupation (ISCO-08 code)"),
    "experience.years": _l("Years in this occupation"),
    "job_offer": _l("I have a job offer from an employer in an EU member state"),
    "job_offer.state": _l("Member state of the employer"),
    "job_offer.occupation": _l("Occupation offered (ISCO-08 code)"),
    "preferences": _l("Member states, the one you want most first"),
}
# What one item of a list is called, for its legend ("Language 2") and its buttons.
ITEMS = {
    "languages": (_l("Language %(n)s"), _l("Add another language"), _l("Remove language %(n)s")),
    "experience": (_l("Occupation %(n)s"), _l("Add another occupation"), _l("Remove occupation %(n)s")),
    "preferences": (_l("Choice %(n)s"), "", ""),
}
HINTS = {
    "date_of_birth": _l("For example, 17 5 1994"),
    "education_level": _l("Its level in the European Qualifications Framework (EQF)."),
    "languages": _l("English or official languages of the EU. For each skill, choose your level in the "
                    "Common European Framework of Reference (CEFR), from A1 (beginner) to C2 (proficient)."),
    "experience": _l("Paid work after your education. Type the 4-digit ISCO-08 code, or words from the "
                     "occupation's name and press “Find”."),
    "experience.years": _l("Whole years, added up"),
    "job_offer": _l("Only if an employer has offered you a job. Then say where and in which occupation. "
                    "This earns no points by itself: ask the employer to make the offer through the pool, "
                    "where an offer you accept counts once the employer is verified."),
    "preferences": _l("Choose at least one. Each state ranks you with its own additions."),
}
DATE_PARTS = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}
EQF_LEVELS = {
    1: _l("Level 1: basic general education (for example, primary school)"),
    2: _l("Level 2: lower secondary education"),
    3: _l("Level 3: some upper secondary education or basic vocational training"),
    4: _l("Level 4: upper secondary school leaving certificate or vocational qualification"),
    5: _l("Level 5: short-cycle higher education or advanced vocational training"),
    6: _l("Level 6: bachelor's degree or equivalent"),
    7: _l("Level 7: master's degree or equivalent"),
    8: _l("Level 8: doctorate"),
}
CEFR_LEVELS = {
    "A1": _l("A1: beginner"), "A2": _l("A2: elementary"), "B1": _l("B1: intermediate"),
    "B2": _l("B2: upper intermediate"), "C1": _l("C1: advanced"), "C2": _l("C2: proficient"),
}
SKILLS = ("languages.listening", "languages.reading", "languages.speaking", "languages.writing")


def _cefr(code: str) -> str:
    return str(CEFR_LEVELS.get(code, code))


def _eqf(code: str) -> str:
    return str(EQF_LEVELS.get(int(code), code))


# How the values of an enum (or of a number chosen from a short list) are named, by path.
# `sort`: list the names alphabetically in the page's language rather than in the grid's order.
OPTION_NAMES = {
    "languages.language": (languages.language_name, True),
    "job_offer.state": (languages.state_name, True),
    "preferences": (languages.state_name, True),
    "education_level": (_eqf, False),
    **{skill: (_cefr, False) for skill in SKILLS},
}
# Messages when nothing was given, by path (the fallback depends on the kind of field).
MISSING = {
    "date_of_birth": _l("Enter your date of birth."),
    "education_level": _l("Choose your highest qualification."),
    "languages.language": _l("Choose the language."),
    "experience.occupation": _l("Enter the occupation's ISCO-08 code, or find it by its name."),
    "experience.years": _l("Enter the years you worked in this occupation."),
    "job_offer.state": _l("Choose the member state of the employer."),
    "job_offer.occupation": _l("Enter the ISCO-08 code of the occupation offered, or find it by its name."),
}
REPEATED = {
    "languages.language": _l("You have listed this language more than once."),
    "experience.occupation": _l("You have listed this occupation more than once."),
    "preferences": _l("You have chosen this member state more than once."),
}


def label(path: str) -> str:
    return LABELS.get(path, path)


def missing(path: str, kind: str) -> str:
    if path in MISSING:
        return str(MISSING[path])
    return _("Choose a level.") if path in SKILLS else (_("Choose an answer.") if kind == "enum" else _("Enter a value."))


def refused(path: str, kind: str, minimum: int = 0, maximum: int = 0, digits: int = 0) -> str:
    """The message for a value the contract refuses, with the grid's own range."""
    if kind == "int":
        return _("Enter a whole number from %(low)s to %(high)s.", low=minimum, high=maximum)
    if kind == "date":
        return _("Enter a real date in the past, after 1900, as day, month and year in numbers.")
    if kind == "code":
        return _("Enter a code of %(n)s digits, or type words from the occupation's name and press “Find”.", n=digits)
    if kind == "enum":
        return _("Choose one of the options.")
    return _("Choose an answer.")


def beyond_working_age(from_age: int) -> str:
    return _("More years than your age less %(age)s: work is counted from the age of %(age)s.", age=from_age)


def repeated(path: str) -> str:
    return str(REPEATED.get(path, _("This is listed more than once.")))


def too_few(path: str, least: int) -> str:
    if path == "preferences":
        return _("Choose at least %(n)s member state.", n=least)
    return _("Give at least %(n)s.", n=least)
