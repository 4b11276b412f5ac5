"""From a match to a verified job offer through the API, and what a verified offer is worth.

Expected totals come from the plain reference (`tests/reference/eu.py`), scored on the profile
with and without the verified offer; never from the service itself.
"""
from __future__ import annotations

import json

from employers.employer_helpers import verified_employer
from hiring_flow import (OFFER, findable_candidate, kinds_to, matches_of, published_vacancy, rank_tonight,
                         reference_total, standing_total, state_score, to_verified_offer)
from sqlmodel import select

from app import db
from app.hiring.models import CandidateMatch, Findability, Interest, JobOffer, VacancyMatch
from conftest import PASSWORD, sample_profile


def test_the_whole_flow_earns_the_verified_offers_points_after_the_next_ranking(app, client, make_account):
    profile = sample_profile()
    candidate = findable_candidate(client, make_account, profile)
    without, with_offer = reference_total(profile, "DE"), reference_total(profile, "DE", OFFER)
    assert with_offer > without
    assert state_score(client, candidate, "DE")["total"] == without
    employer = verified_employer(app, client, make_account("official", "DE"))
    vacancy_id = published_vacancy(client, employer)

    # Matches at once on publication, pseudonymous: nothing that names or dates the candidate.
    [match] = matches_of(client, employer, vacancy_id)
    assert match["reference"].startswith("M-") and match["interest"] is None
    assert match["meets"] == {"education_level": 6, "languages": profile["languages"],
                              "years_in_occupation": 4, "years_in_group": 4}
    text = json.dumps(match)
    assert candidate["email"] not in text and "date_of_birth" not in text and "1994" not in text

    expressed = client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/interests",
                            json={"candidate": match["reference"], "message": "Come and talk to us."},
                            headers=employer["headers"])
    assert expressed.status_code == 201
    assert "interest_received" in kinds_to(app, candidate["email"])
    interest_id = expressed.get_json()["interest"]["id"]
    assert expressed.get_json()["interest"]["contact"] is None
    refused = client.post(f"/api/v1/me/interests/{interest_id}/acceptance", json={"consent_to_share": False},
                          headers=candidate["headers"])
    assert refused.status_code == 422
    assert client.post(f"/api/v1/me/interests/{interest_id}/acceptance", json={"consent_to_share": True},
                       headers=candidate["headers"]).get_json()["status"] == "accepted"
    [match] = matches_of(client, employer, vacancy_id)
    assert match["interest"]["contact"]["email"] == candidate["email"]

    made = client.post("/api/v1/employers/me/offers", json={"interest": interest_id}, headers=employer["headers"])
    assert made.status_code == 201 and made.get_json()["verified"] is False
    assert "offer_received" in kinds_to(app, candidate["email"])
    accepted = client.post(f"/api/v1/me/offers/{made.get_json()['id']}/acceptance", headers=candidate["headers"])
    assert accepted.get_json()["verified"] is True and accepted.get_json()["state"] == "DE"

    germany = state_score(client, candidate, "DE")
    assert germany["total"] == with_offer and germany["additions"]["job_offer"] > 0
    rank_tonight(app)
    assert standing_total(client, candidate, "DE") == with_offer


def test_a_self_declared_offer_is_a_claim_and_the_verified_one_is_not_the_candidates_to_write(app, client,
                                                                                             make_account):
    candidate = make_account()
    claimed = sample_profile(job_offer=OFFER)
    response = client.put("/api/v1/me/profile", json=claimed, headers=candidate["headers"])
    assert response.status_code == 200
    germany = next(s for s in response.get_json()["score"]["states"] if s["state"] == "DE")
    assert germany["additions"]["job_offer"] == 0 and germany["total"] == reference_total(claimed, "DE")
    forged = client.put("/api/v1/me/profile", json={**claimed, "verified_job_offer": OFFER},
                        headers=candidate["headers"])
    assert forged.status_code == 422 and "verified_job_offer" in forged.get_json()["errors"]["json"]


def test_withdrawal_by_an_official_and_suspension_remove_the_points(app, client, make_account):
    profile = sample_profile()
    official = make_account("official", "DE")
    candidate = findable_candidate(client, make_account, profile)
    employer = verified_employer(app, client, official)
    offer = to_verified_offer(app, client, candidate, employer, published_vacancy(client, employer))
    rank_tonight(app)
    assert standing_total(client, candidate, "DE") == reference_total(profile, "DE", OFFER)

    listed = client.get("/api/v1/states/DE/offers", headers=official["headers"]).get_json()
    assert [(o["id"], o["verified"]) for o in listed] == [(offer["id"], True)]
    other = make_account("official", "FR")
    assert client.get("/api/v1/states/DE/offers", headers=other["headers"]).status_code == 403
    withdrawn = client.post(f"/api/v1/states/DE/offers/{offer['id']}/withdrawal", json={"reason": "Sold offer."},
                            headers=official["headers"])
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert "offer_withdrawn" in kinds_to(app, candidate["email"])
    rank_tonight(app)
    assert standing_total(client, candidate, "DE") == reference_total(profile, "DE")

    # A second employer's verified offer, then that employer's suspension.
    second = verified_employer(app, client, official)
    to_verified_offer(app, client, candidate, second, published_vacancy(client, second))
    assert state_score(client, candidate, "DE")["total"] == reference_total(profile, "DE", OFFER)
    suspended = client.post(f"/api/v1/states/DE/employers/{second['id']}/suspension",
                            json={"reason": "Fees charged to candidates."}, headers=official["headers"])
    assert suspended.status_code == 200, suspended.get_json()
    assert state_score(client, candidate, "DE")["total"] == reference_total(profile, "DE")
    rank_tonight(app)
    assert standing_total(client, candidate, "DE") == reference_total(profile, "DE")


def test_withdrawing_findability_leaves_every_match_and_unanswered_interest(app, client, make_account):
    candidate = findable_candidate(client, make_account)
    employer = verified_employer(app, client, make_account("official", "DE"))
    vacancy_id = published_vacancy(client, employer)
    [match] = matches_of(client, employer, vacancy_id)
    client.post(f"/api/v1/employers/me/vacancies/{vacancy_id}/interests",
                json={"candidate": match["reference"], "message": "Hello."}, headers=employer["headers"])
    gone = client.delete("/api/v1/me/findability", headers=candidate["headers"])
    assert gone.status_code == 200 and gone.get_json()["findable"] is False and gone.get_json()["withdrawn_at"]
    assert matches_of(client, employer, vacancy_id) == []
    [interest] = client.get("/api/v1/me/interests", headers=candidate["headers"]).get_json()
    assert interest["status"] == "withdrawn"
    assert client.delete("/api/v1/me/findability", headers=candidate["headers"]).status_code == 409
    rank_tonight(app)  # the nightly matches leave them out too
    assert matches_of(client, employer, vacancy_id) == []


def test_a_candidate_who_chose_other_states_is_matched_only_with_any_state(app, client, make_account):
    elsewhere = sample_profile(preferences=["NL"])
    candidate = findable_candidate(client, make_account, elsewhere)
    employer = verified_employer(app, client, make_account("official", "DE"))
    vacancy_id = published_vacancy(client, employer)
    assert matches_of(client, employer, vacancy_id) == []
    client.put("/api/v1/me/findability", json={"any_state": True}, headers=candidate["headers"])
    rank_tonight(app)
    assert len(matches_of(client, employer, vacancy_id)) == 1
    mine = client.get("/api/v1/me/matches", headers=candidate["headers"]).get_json()
    assert [m["vacancy"]["state"] for m in mine] == ["DE"]


def test_export_and_erasure_cover_the_hiring_steps(app, client, make_account):
    candidate = findable_candidate(client, make_account)
    employer = verified_employer(app, client, make_account("official", "DE"))
    offer = to_verified_offer(app, client, candidate, employer, published_vacancy(client, employer))
    exported = client.get("/api/v1/me/export", headers=candidate["headers"])
    assert exported.status_code == 200
    hiring = exported.get_json()["hiring"]
    assert hiring["findability"]["findable"] is True and [o["id"] for o in hiring["offers"]] == [offer["id"]]
    assert [i["status"] for i in hiring["interests"]] == ["accepted"] and len(hiring["matches"]) == 1
    erased = client.delete("/api/v1/me", json={"password": PASSWORD}, headers=candidate["headers"])
    assert erased.status_code == 204, erased.get_json()
    with app.app_context(), db.unit_of_work() as session:
        for table, column in ((Findability, Findability.account_id), (Interest, Interest.candidate_id),
                              (JobOffer, JobOffer.candidate_id), (VacancyMatch, VacancyMatch.candidate_id),
                              (CandidateMatch, CandidateMatch.candidate_id)):
            assert session.exec(select(table).where(column == candidate["id"])).first() is None
