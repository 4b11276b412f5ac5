"""The pool's notices: each lands in the outbox with its event, once, in the candidate's language."""
from __future__ import annotations

from conftest import PASSWORD, sample_profile
from web.profile_form_posts import csrf_token
from rounds.rounds_helpers import add_pool, due_rounds, nightly_job, rank, run_due
from sqlmodel import select

from app import db
from app.accounts.models import Account
from app.invitations.models import Invitation
from app.notifications.models import OutboxMessage

INVITATIONS = "/api/v1/me/invitations"


def messages(app, account_id=None) -> list[OutboxMessage]:
    with app.app_context():
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        if account_id is not None:
            statement = statement.where(OutboxMessage.account_id == account_id)
        return list(db.session().exec(statement).all())


def kinds(app, account_id) -> list[str]:
    return [m.kind for m in messages(app, account_id)]


def enter_and_invite(app, client, candidate, state="DE"):
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    rank(app)
    due_rounds(app, {state: 1})
    assert run_due(app)[0].startswith("completed")


def test_the_profile_is_saved_in_the_pages_language_and_the_invitation_mail_is_in_it(app, client, candidate):
    saved = client.put("/api/v1/me/profile", json=sample_profile(),
                       headers={**candidate["headers"], "Accept-Language": "fr"})
    assert saved.status_code == 200
    with app.app_context():
        assert db.session().get(Account, candidate["id"]).language == "fr"
    rank(app)
    due_rounds(app, {"DE": 1})
    run_due(app)
    (mail,) = messages(app, candidate["id"])
    assert (mail.kind, mail.language, mail.recipient) == ("invitation_issued", "fr", candidate["email"])
    assert "Allemagne" in mail.subject and "Allemagne" in mail.html_body  # the state named in French
    assert mail.text_body.endswith("\n") and "<p>" not in mail.text_body and "<p>" in mail.html_body


def test_a_round_tells_every_invitee_in_its_own_transaction(app, make_account):
    ids = add_pool(app, 40, seed=3)
    with app.app_context():
        session = db.session(write=True)
        for number, candidate_id in enumerate(ids):  # synthetic candidates have no address: give some one
            account = session.get(Account, int(candidate_id))
            if number % 2 == 0:
                account.email, account.language = f"synthetic{number}@example.eu", ("de" if number % 4 else "en")
            session.add(account)
        session.commit()
    rank(app)
    due_rounds(app, {"DE": 10, "NL": 10, "FR": 10})
    run_due(app)
    with app.app_context():
        invited = {i.candidate_id for i in db.session().exec(select(Invitation)).all()}
        addressed = {a.id for a in db.session().exec(select(Account).where(Account.email.is_not(None))).all()}
    sent = messages(app)
    assert sorted(m.account_id for m in sent) == sorted(invited & addressed)
    assert {m.kind for m in sent} == {"invitation_issued"}
    assert len({m.dedupe_key for m in sent}) == len(sent)
    by_language = {(m.language, m.subject) for m in sent}
    assert {language for language, _ in by_language} <= {"de", "en"}


def test_reminders_come_14_and_3_days_before_the_deadline_once_each_then_the_expiry(app, client, candidate,
                                                                                   frozen_clock):
    enter_and_invite(app, client, candidate)
    days = app.config["INVITATION_DAYS"]
    frozen_clock.advance(days=days - 15)
    nightly_job(app)
    assert kinds(app, candidate["id"]) == ["invitation_issued"]
    frozen_clock.advance(days=1, seconds=1)
    nightly_job(app)
    nightly_job(app)  # a second run adds nothing
    assert kinds(app, candidate["id"]) == ["invitation_issued", "invitation_reminder"]
    frozen_clock.advance(days=11)
    nightly_job(app)
    assert kinds(app, candidate["id"])[-1] == "invitation_reminder"
    reminders = [m for m in messages(app, candidate["id"]) if m.kind == "invitation_reminder"]
    assert [m.dedupe_key.split(":")[0] for m in reminders] == ["invitation-reminder-14", "invitation-reminder-3"]
    assert all(m.subject.startswith("Reminder: answer the invitation from Germany") for m in reminders)
    frozen_clock.advance(days=3)
    lines = nightly_job(app)
    nightly_job(app)
    assert "invitations expired: 1" in lines
    assert kinds(app, candidate["id"])[-1] == "invitation_expired"
    assert kinds(app, candidate["id"]).count("invitation_expired") == 1


def test_a_profile_is_warned_30_days_before_it_expires_and_told_when_it_has(app, client, candidate, frozen_clock):
    assert client.put("/api/v1/me/profile", json=sample_profile(),
                      headers={**candidate["headers"], "Accept-Language": "de"}).status_code == 200
    expires = client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()["expires_at"]
    frozen_clock.advance(days=365 - 31)
    nightly_job(app)
    assert kinds(app, candidate["id"]) == []
    frozen_clock.advance(days=2)
    nightly_job(app)
    nightly_job(app)
    (warning,) = messages(app, candidate["id"])
    assert warning.kind == "profile_expiring" and warning.language == "de"
    assert expires[:4] in warning.subject
    frozen_clock.advance(days=40)
    nightly_job(app)
    nightly_job(app)
    assert kinds(app, candidate["id"]) == ["profile_expiring", "profile_expired"]
    assert client.get("/api/v1/me/profile", headers=candidate["headers"]).get_json()["status"] == "expired"


def test_a_renewed_profile_is_warned_again_before_its_next_expiry(app, client, candidate, frozen_clock):
    assert client.put("/api/v1/me/profile", json=sample_profile(), headers=candidate["headers"]).status_code == 200
    frozen_clock.advance(days=340)
    nightly_job(app)
    assert client.post("/api/v1/me/profile/renewal", headers=candidate["headers"]).status_code == 200
    frozen_clock.advance(days=340)
    nightly_job(app)
    assert kinds(app, candidate["id"]) == ["profile_expiring", "profile_expiring"]


def sign_in_page(client, email):
    token = csrf_token(client.get("/sign-in").text)
    assert client.post("/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD}).status_code == 303


def test_the_candidates_page_lists_the_same_events(app, client, candidate):
    enter_and_invite(app, client, candidate)
    (mail,) = messages(app, candidate["id"])
    sign_in_page(client, candidate["email"])
    page = client.get("/events")
    assert page.status_code == 200 and mail.subject in page.text
    assert client.get("/invitations").text.count('href="/events"') == 1
