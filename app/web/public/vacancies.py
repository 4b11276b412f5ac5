"""Open vacancies for candidates and anyone: the list with filters by state and occupation, one
vacancy, and the public counts by occupation and state. The employer appears by its name only,
never its people (`employers.vacancies.public_view`). The filters are a GET form: no JavaScript."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app import db
from app.employers import vacancies
from app.occupations import isco
from app.states.codes import STATE_CODES

blp = Blueprint("vacancy_pages", __name__, url_prefix="/vacancies")


def _filters() -> dict:
    state = (request.args.get("state") or "").upper()
    occupation = (request.args.get("occupation") or "").strip()
    page = request.args.get("page", "1")
    return {"state": state if state in STATE_CODES else "",
            "occupation": occupation if occupation.isdigit() and len(occupation) <= 4 else "",
            "page": int(page) if page.isdigit() and 0 < int(page) <= 10_000 else 1}


@blp.get("/")
def index():
    chosen = _filters()
    rows, total = vacancies.published(db.session(), chosen["state"] or None, chosen["occupation"] or None,
                                      chosen["page"])
    return render_template("public/vacancies.html", vacancies=[vacancies.public_view(*row) for row in rows],
                           total=total, chosen=chosen, states=STATE_CODES, page_size=vacancies.PAGE_SIZE,
                           typed_occupation=(request.args.get("occupation") or "")[:100], title_of=isco.title)


@blp.get("/<string(minlength=1, maxlength=32):reference>")
def detail(reference):
    return render_template("public/vacancy.html", vacancy=vacancies.public_view(
        *vacancies.published_one(db.session(), reference)), title_of=isco.title)


@blp.get("/counts")
def counts():
    return render_template("public/vacancy_counts.html", counts=vacancies.counts(db.session()), title_of=isco.title)
