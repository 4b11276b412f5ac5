"""`flask demo seed` seeds verified employers in several states with published vacancies that many
demonstration candidates meet (checked here by a plain reading of the candidates' documents)."""
from __future__ import annotations

from sqlmodel import select

from app import db
from app.employers.models import Vacancy
from app.profiles.models import Profile

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


def meets(profile: dict, vacancy: Vacancy) -> bool:
    """Whether a profile document meets a vacancy's requirements, read plainly."""
    wanted = vacancy.requirements
    if wanted.get("education_level") and profile["education_level"] < wanted["education_level"]:
        return False
    spoken = {item["language"]: item for item in profile["languages"]}
    for language in wanted.get("languages") or []:
        had = spoken.get(language["language"])
        for skill in ("listening", "reading", "speaking", "writing"):
            if language.get(skill) and (had is None or LEVELS.index(had[skill]) < LEVELS.index(language[skill])):
                return False
    if wanted.get("experience_years"):
        width = 3 if wanted.get("experience_scope") == "group" else 4
        years = sum(item["years"] for item in profile["experience"]
                    if item["occupation"][:width] == vacancy.occupation[:width])
        if years < wanted["experience_years"]:
            return False
    return True


def test_the_demo_seeds_employers_whose_vacancies_demo_candidates_meet(app, client, runner):
    result = runner.invoke(args=["demo", "seed", "--candidates", "400", "--seed", "5"])
    assert result.exit_code == 0, result.output
    token = client.post("/api/v1/tokens", json={"email": "employer.de@demo.talentpool.eu",
                                                "password": app.config["DEMO_PASSWORD"]})
    assert token.status_code == 201
    own = client.get("/api/v1/employers/me", headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert own.get_json()["status"] == "verified" and own.get_json()["state"] == "DE"
    listed = client.get("/api/v1/vacancies").get_json()
    assert listed["total"] >= 36
    assert len({v["state"] for v in client.get("/api/v1/vacancies/counts").get_json()}) >= 5
    with app.app_context(), db.unit_of_work() as session:
        documents = [profile.document for profile in session.exec(select(Profile)).all()]
        vacancies = session.exec(select(Vacancy)).all()
        met = [sum(meets(document, vacancy) for document in documents) for vacancy in vacancies]
    assert min(met) >= 1, met
    assert sum(met) / len(met) >= 10, met  # a newcomer sees matches at once
