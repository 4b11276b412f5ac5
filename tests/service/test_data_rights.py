"""Right of access (export) and right to erasure."""
from conftest import PASSWORD, sample_profile
from sqlmodel import select

from app import db
from app.accounts.models import Account, LoginFailure, Token
from app.profiles.models import Profile


def test_export_holds_everything_about_the_candidate(client, candidate):
    client.post("/api/v1/tokens", json={"email": candidate["email"], "password": "wrong password"})
    client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"])
    response = client.get("/api/v1/me/export", headers=candidate["headers"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["account"]["email"] == candidate["email"]
    assert body["account"]["id"] == candidate["id"]
    assert body["account"]["reference"]
    assert {k: body["profile"][k] for k in sample_profile()} == sample_profile()
    assert body["profile"]["withdrawn_at"] is None
    assert len(body["tokens"]) == 1 and "token_hash" not in body["tokens"][0]
    assert len(body["failed_sign_ins"]) == 1
    assert "password_hash" not in str(body)


def test_export_includes_a_withdrawn_profile(client, candidate):
    client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"])
    client.delete("/api/v1/me/profile", headers=candidate["headers"])
    profile = client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()["profile"]
    assert profile["status"] == "withdrawn" and profile["withdrawn_at"]


def test_erasure_removes_personal_data_and_keeps_a_pseudonymous_id(app, client, candidate):
    client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"])
    client.post("/api/v1/tokens", json={"email": candidate["email"], "password": "wrong password"})
    reference = client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()["account"]["reference"]
    assert client.delete("/api/v1/me", headers=candidate["headers"], json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/v1/me", headers=candidate["headers"]).status_code == 401
    signed_in = client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD})
    assert signed_in.status_code == 401
    with app.app_context():
        session = db.session()
        account = session.get(Account, candidate["id"])
        assert (account.email, account.password_hash) == (None, None)
        assert account.erased_at is not None and account.reference == reference
        assert session.exec(select(Profile)).all() == []
        assert session.exec(select(Token)).all() == []
        # The wrong-password attempt after erasure is about an address no longer held; earlier ones are gone.
        assert len(session.exec(select(LoginFailure)).all()) == 1


def test_an_erased_address_can_register_again_as_a_new_candidate(client, candidate):
    client.delete("/api/v1/me", headers=candidate["headers"], json={"password": PASSWORD})
    again = client.post("/api/v1/accounts", json={"email": candidate["email"], "password": PASSWORD})
    assert again.status_code == 202
    token = client.post("/api/v1/tokens", json={"email": candidate["email"], "password": PASSWORD}).get_json()["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()["id"] != candidate["id"]


def test_officials_cannot_erase_themselves_through_the_api(client, make_account):
    official = make_account("official", "DE")
    assert client.delete("/api/v1/me", headers=official["headers"], json={"password": PASSWORD}).status_code == 403
