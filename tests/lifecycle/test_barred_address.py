"""A misrepresentation bar survives erasure and a new registration with the same address, for its duration only."""
from __future__ import annotations

import hashlib
import hmac

from conftest import PASSWORD
from lifecycle.test_handoff import accepted_by
from sqlmodel import select

from app import db
from app.accounts.models import Account
from app.handoff.models import Misrepresentation
from app.notifications.models import OutboxMessage
from app.ranking_runs import nightly

FINDING = {"claim": "education_level", "decision_reference": "BAMF-2026-0042"}


def barred(app, client, candidate, make_account) -> dict:
    invitation = accepted_by(app, client, candidate)
    german = make_account("official", "DE")
    recorded = client.post(f"/api/v1/states/DE/invitees/{invitation}/misrepresentation", json=FINDING,
                           headers=german["headers"])
    assert recorded.status_code == 201
    return recorded.get_json()


def finding_row(app, finding_id) -> Misrepresentation:
    with app.app_context():
        return db.session().get(Misrepresentation, finding_id)


def mails_to(app, email, kind):
    with app.app_context():
        return list(db.session().exec(select(OutboxMessage).where(OutboxMessage.recipient == email,
                                                                  OutboxMessage.kind == kind)).all())


def accounts_with(app, email):
    with app.app_context():
        return list(db.session().exec(select(Account).where(Account.email == email)).all())


def register(client, email):
    return client.post("/api/v1/accounts", json={"email": email, "password": "another long password"},
                       headers={"Accept-Language": "fr"})


def test_erasing_and_registering_again_does_not_escape_the_bar(app, client, candidate, make_account):
    finding = barred(app, client, candidate, make_account)
    # The kept hash is HMAC-SHA-256 of the address under the secret key (computed here independently).
    expected = hmac.new(app.config["SECRET_KEY"].encode(), b"talentpool/misrepresentation-bar/v1:"
                        + candidate["email"].encode(), hashlib.sha256).hexdigest()
    assert finding_row(app, finding["id"]).address_digest == expected
    assert candidate["email"] not in expected
    assert client.get("/api/v1/me/export", headers=candidate["headers"]).get_json()[
        "misrepresentations"][0]["address_kept"] is True
    assert client.delete("/api/v1/me", json={"password": PASSWORD}, headers=candidate["headers"]).status_code == 204
    assert accounts_with(app, candidate["email"]) == []
    again = register(client, candidate["email"].upper())
    unknown = register(client, "someone.new@example.eu")
    assert again.status_code == unknown.status_code == 202 and again.get_json() == unknown.get_json()
    assert accounts_with(app, candidate["email"]) == []  # no account: the bar holds
    [told] = mails_to(app, candidate["email"], "registration_barred")
    assert told.language == "fr" and "BAMF-2026-0042" in told.text_body and "Allemagne" in told.text_body
    assert told.html_body.count("<p>") == 3


def test_moving_another_account_to_a_barred_address_is_refused_quietly(app, client, candidate, make_account):
    barred(app, client, candidate, make_account)
    email = candidate["email"]
    assert client.delete("/api/v1/me", json={"password": PASSWORD}, headers=candidate["headers"]).status_code == 204
    other = make_account()
    moved = client.post("/api/v1/me/email", json={"email": email, "password": PASSWORD}, headers=other["headers"])
    elsewhere = client.post("/api/v1/me/email", json={"email": "free@example.eu", "password": PASSWORD},
                            headers=other["headers"])
    assert moved.status_code == elsewhere.status_code == 202
    assert len(mails_to(app, email, "registration_barred")) == 1
    assert mails_to(app, email, "address_verify") == [] and len(mails_to(app, "free@example.eu", "address_verify")) == 1


def test_the_hash_goes_when_the_bar_is_lifted_or_ends(app, client, candidate, make_account, frozen_clock):
    finding = barred(app, client, candidate, make_account)
    admin = make_account("admin")
    assert client.post(f"/api/v1/misrepresentations/{finding['id']}/lift", json={"reason": "Set aside"},
                       headers=admin["headers"]).status_code == 200
    assert finding_row(app, finding["id"]).address_digest is None
    # A second finding against another candidate, left to run out: the nightly retention clears it.
    app.config["MISREPRESENTATION_BAR_YEARS"] = 1
    other = make_account()
    frozen_clock.advance(days=1)  # the next day's ranking and round
    second = barred(app, client, other, make_account)
    assert finding_row(app, second["id"]).address_digest is not None
    frozen_clock.advance(days=360)
    with app.app_context():
        nightly.run()
    assert finding_row(app, second["id"]).address_digest is not None  # still barred
    assert client.delete("/api/v1/me", json={"password": PASSWORD}, headers=other["headers"]).status_code == 204
    frozen_clock.advance(days=10)
    with app.app_context():
        nightly.run()
    assert finding_row(app, second["id"]).address_digest is None
    assert register(client, other["email"]).status_code == 202  # after the bar: an account like anyone's
    assert len(accounts_with(app, other["email"])) == 1
