"""Safe accounts: verification before the pool, registration that reveals nobody, reset, password change,
sign out everywhere, and the password asked again for erasure and a change of address."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlmodel import select

from app import db
from app.accounts.models import Account
from app.notifications.models import OutboxMessage
from conftest import PASSWORD, sample_profile

NEW_PASSWORD = "a much better passphrase"


def outbox(app, kind=None):
    with app.app_context(), db.unit_of_work() as session:
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        return session.exec(statement).all()


def token_of(message) -> str:
    for word in message.text_body.split():
        if "token=" in word:
            return parse_qs(urlsplit(word).query)["token"][0]
    raise AssertionError(message.text_body)


def sign_in(client, email, password=PASSWORD):
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    return response, {"Authorization": f"Bearer {response.get_json().get('token')}"}


def test_registration_answers_the_same_for_a_new_and_a_known_address(client, app):
    new = client.post("/api/v1/accounts", json={"email": "new@example.eu", "password": PASSWORD})
    known = client.post("/api/v1/accounts", json={"email": "NEW@example.eu", "password": "something else 123"})
    assert new.status_code == known.status_code == 202
    assert new.get_json() == known.get_json()
    kinds = [(message.kind, message.recipient) for message in outbox(app)]
    assert kinds == [("account_verify", "new@example.eu"), ("account_exists", "new@example.eu")]
    assert sign_in(client, "new@example.eu")[0].status_code == 201  # the first password stands


def test_an_unverified_profile_is_scored_but_not_ranked_until_the_link_is_followed(client, app, runner):
    client.post("/api/v1/accounts", json={"email": "ana@example.eu", "password": PASSWORD},
                headers={"Accept-Language": "de"})
    _, headers = sign_in(client, "ana@example.eu")
    assert client.get("/api/v1/me", headers=headers).get_json()["email_verified_at"] is None
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=headers).status_code in (200, 201)
    assert runner.invoke(args=["pool", "rerank"]).exit_code == 0
    assert client.get("/api/v1/pool/distribution").get_json()["candidates"] == 0
    [message] = outbox(app, "account_verify")
    assert message.language == "de"
    assert client.post("/api/v1/accounts/verification", json={"token": token_of(message)}).status_code == 204
    again = client.post("/api/v1/accounts/verification", json={"token": token_of(message)})
    assert again.status_code == 422 and "token" in again.get_json()["errors"]["json"]
    assert client.get("/api/v1/me", headers=headers).get_json()["email_verified_at"] is not None
    assert runner.invoke(args=["pool", "rerank", "--replace"]).exit_code == 0
    assert client.get("/api/v1/pool/distribution").get_json()["candidates"] == 1


def test_a_reset_link_works_once_and_expires_and_ends_every_session(client, app, make_account, frozen_clock):
    account = make_account()
    unknown = client.post("/api/v1/password-resets", json={"email": "nobody@example.eu"})
    known = client.post("/api/v1/password-resets", json={"email": account["email"]})
    assert unknown.status_code == known.status_code == 202 and unknown.get_json() == known.get_json()
    [message] = outbox(app, "password_reset")
    token = token_of(message)
    frozen_clock.advance(minutes=61)
    late = client.post("/api/v1/password-resets/completion", json={"token": token, "password": NEW_PASSWORD})
    assert late.status_code == 422
    client.post("/api/v1/password-resets", json={"email": account["email"]})
    token = token_of(outbox(app, "password_reset")[-1])
    done = client.post("/api/v1/password-resets/completion", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 204
    assert client.get("/api/v1/me", headers=account["headers"]).status_code == 401
    assert client.post("/api/v1/password-resets/completion",
                       json={"token": token, "password": NEW_PASSWORD}).status_code == 422
    assert sign_in(client, account["email"], NEW_PASSWORD)[0].status_code == 201
    with app.app_context(), db.unit_of_work() as session:
        assert all(len(row.token_hash) == 64 and token not in row.token_hash
                   for row in session.exec(select(__import__("app.accounts.models", fromlist=["MailToken"]).MailToken)))
    assert outbox(app, "password_changed")


def test_reset_requests_are_throttled_per_address(client, app, make_account):
    account = make_account()
    answers = [client.post("/api/v1/password-resets", json={"email": account["email"]}).status_code
               for _ in range(7)]
    assert answers[:5] == [202] * 5 and answers[-1] == 429
    assert len(outbox(app, "password_reset")) == 5


def test_a_password_change_needs_the_current_one_and_revokes_the_other_sessions(client, app, make_account):
    account = make_account()
    _, other = sign_in(client, account["email"])
    wrong = client.post("/api/v1/me/password", headers=account["headers"],
                        json={"current_password": "not it at all", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["errors"]["json"]
    changed = client.post("/api/v1/me/password", headers=account["headers"],
                          json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert client.get("/api/v1/me", headers=account["headers"]).status_code == 200
    assert client.get("/api/v1/me", headers=other).status_code == 401
    assert sign_in(client, account["email"], NEW_PASSWORD)[0].status_code == 201


def test_sign_out_everywhere_revokes_every_token(client, make_account):
    account = make_account()
    _, other = sign_in(client, account["email"])
    assert client.delete("/api/v1/me/tokens", headers=account["headers"]).status_code == 204
    assert client.get("/api/v1/me", headers=account["headers"]).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 401


def test_erasure_needs_the_password(client, make_account):
    account = make_account()
    assert client.delete("/api/v1/me", headers=account["headers"], json={}).status_code == 422
    wrong = client.delete("/api/v1/me", headers=account["headers"], json={"password": "wrong password!"})
    assert wrong.status_code == 422 and wrong.get_json()["errors"]["json"]["password"]
    assert client.delete("/api/v1/me", headers=account["headers"], json={"password": PASSWORD}).status_code == 204


def test_a_new_address_counts_only_once_its_link_is_followed(client, app, make_account):
    account = make_account()
    taken = make_account()
    refused = client.post("/api/v1/me/email", headers=account["headers"],
                          json={"email": "moved@example.eu", "password": "wrong password!"})
    assert refused.status_code == 422
    to_taken = client.post("/api/v1/me/email", headers=account["headers"],
                           json={"email": taken["email"], "password": PASSWORD})
    moved = client.post("/api/v1/me/email", headers=account["headers"],
                        json={"email": "moved@example.eu", "password": PASSWORD})
    assert to_taken.status_code == moved.status_code == 202 and to_taken.get_json() == moved.get_json()
    assert client.get("/api/v1/me", headers=account["headers"]).get_json()["email"] == account["email"]
    [message] = outbox(app, "address_verify")
    assert message.recipient == "moved@example.eu"
    assert [m.recipient for m in outbox(app, "account_exists")] == [taken["email"]]
    assert client.post("/api/v1/accounts/verification", json={"token": token_of(message)}).status_code == 204
    assert client.get("/api/v1/me", headers=account["headers"]).get_json()["email"] == "moved@example.eu"


def test_messages_are_exported_and_erased_with_the_account(client, app):
    client.post("/api/v1/accounts", json={"email": "eve@example.eu", "password": PASSWORD})
    _, headers = sign_in(client, "eve@example.eu")
    exported = client.get("/api/v1/me/export", headers=headers).get_json()
    assert [message["kind"] for message in exported["messages"]] == ["account_verify"]
    assert "token=" in exported["messages"][0]["text_body"]
    assert client.delete("/api/v1/me", headers=headers, json={"password": PASSWORD}).status_code == 204
    assert outbox(app) == []
    with app.app_context(), db.unit_of_work() as session:
        assert session.exec(select(Account).where(Account.email == "eve@example.eu")).first() is None


def test_sent_messages_are_purged_after_the_retention(app, frozen_clock):
    from app.notifications import outbox as messages
    from app.notifications.models import MessageStatus
    from app.privacy import retention

    with app.app_context(), db.unit_of_work() as session:
        sent = messages.enqueue(session, kind="test_message", recipient="a@example.org", language="en")
        waiting = messages.enqueue(session, kind="test_message", recipient="b@example.org", language="en")
        sent.status = MessageStatus.SENT
        session.add(sent)
    frozen_clock.advance(days=91)
    with app.app_context(), db.unit_of_work() as session:
        purged = retention.purge(session, frozen_clock.now(), runs_kept=7, profile_days=365, session_days=30,
                                 message_days=90)
    assert purged.messages == 1
    assert [message.id for message in outbox(app)] == [waiting.id]
