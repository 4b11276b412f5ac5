"""A profile PUT scores before it takes the write lock (issue 9).

On SQLite a write transaction holds the one database write lock (`BEGIN IMMEDIATE`), and a
profile PUT used to hold it from its token lookup through encoding, scoring and explaining the
score (and a grid compilation after an overlay change). Now it encodes and scores under a read
transaction and writes in a short one of its own; these tests watch every transaction the
application's engine opens and fail if the engine encodes or scores while a write one is open.
"""
import pytest
import write_transactions
from conftest import sample_profile

from app.profiles import encoding, lifecycle


@pytest.fixture
def watched(app, monkeypatch):
    """Fail if a profile is encoded or scored while a write transaction is open; list what ran."""
    return write_transactions.watch(app, monkeypatch, [(encoding, "encode"), (lifecycle, "score")])


def test_a_first_and_a_second_submission_score_before_writing(client, candidate, watched):
    for _ in range(2):
        response = client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"])
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["score"]["total"] > 0
    assert watched == ["encode", "score"] * 2


def test_the_answer_is_the_stored_profile_scored(client, candidate, watched):
    put = client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).get_json()
    got = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()
    assert put == got


def test_a_refused_submission_writes_nothing(client, candidate, watched):
    profile = sample_profile()
    profile["date_of_birth"] = "2090-01-01"  # in the future: the engine refuses it
    response = client.put("/api/v1/me/profile", json=profile, headers=candidate["headers"])
    assert response.status_code == 422
    assert client.get("/api/v1/me/profile", headers=candidate["headers"]).status_code == 404
