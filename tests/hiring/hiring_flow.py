"""Acting through the hiring steps in tests: a findable candidate, a published vacancy, its matches,
a verified offer; and the totals the plain reference gives (never the service's own)."""
from __future__ import annotations

from reference import eu as reference
from sqlmodel import select

from app import clock, db
from app.notifications.models import OutboxMessage
from app.ranking_runs import nightly
from conftest import sample_profile
from employers.employer_helpers import vacancy

OFFER = {"state": "DE", "occupation": "2512"}


def reference_total(profile: dict, state: str, offer: dict | None = None) -> int:
    scored = reference.score({**profile, "verified_job_offer": offer}, clock.today())
    return next(entry["total"] for entry in scored["states"] if entry["state"] == state)


def state_score(client, candidate, state: str) -> dict:
    body = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    return next(entry for entry in body["score"]["states"] if entry["state"] == state)


def standing_total(client, candidate, state: str) -> int | None:
    body = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    return next(entry["total"] for entry in body["standing"]["states"] if entry["state"] == state)


def kinds_to(app, email: str) -> list[str]:
    with app.app_context(), db.unit_of_work() as session:
        return [m.kind for m in session.exec(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                             .order_by(OutboxMessage.id)).all()]


def rank_tonight(app) -> None:
    with app.app_context():
        nightly.run(replace=True)


def findable_candidate(client, make_account, profile=None, any_state=False) -> dict:
    candidate = make_account()
    assert client.put("/api/v1/me/profile", json=profile or sample_profile(), headers=candidate["headers"]
                      ).status_code == 200
    assert client.get("/api/v1/me/findability", headers=candidate["headers"]).get_json()["findable"] is False
    given = client.put("/api/v1/me/findability", json={"any_state": any_state}, headers=candidate["headers"])
    assert given.status_code == 200 and given.get_json()["findable"] is True
    return candidate


def published_vacancy(client, employer, **changes) -> int:
    created = client.post("/api/v1/employers/me/vacancies", json=vacancy(**changes), headers=employer["headers"])
    assert created.status_code == 201, created.get_json()
    vacancy_id = created.get_json()["id"]
    published = client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/publication", headers=employer["headers"])
    assert published.status_code == 200, published.get_json()
    return vacancy_id


def matches_of(client, employer, vacancy_id) -> list[dict]:
    response = client.get(f"/api/v1/employers/me/vacancies/{vacancy_id}/matches", headers=employer["headers"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def to_verified_offer(app, client, candidate, employer, vacancy_id) -> dict:
    """Interest, accepted with consent; an offer, accepted. Returns the offer."""
    [match] = matches_of(client, employer, vacancy_id)
    expressed = client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/interests",
                            json={"candidate": match["reference"], "message": "We would like to talk to you."},
                            headers=employer["headers"])
    assert expressed.status_code == 201, expressed.get_json()
    interest_id = expressed.get_json()["interest"]["id"]
    assert client.post(f"/api/v1/me/interests/{interest_id}/acceptance", json={"consent_to_share": True},
                       headers=candidate["headers"]).status_code == 200
    made = client.post("/api/v1/employers/me/offers", json={"interest": interest_id}, headers=employer["headers"])
    assert made.status_code == 201, made.get_json()
    accepted = client.post(f"/api/v1/me/offers/{made.get_json()['id']}/acceptance", headers=candidate["headers"])
    assert accepted.status_code == 200, accepted.get_json()
    return accepted.get_json()
