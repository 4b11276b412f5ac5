"""One unit of work per request and per command: an action and its audit event land together or not at all.

The audit insert is made to fail for real (an event without `actor_role`, which the database
refuses as NOT NULL), so what is tested is the databases' own rollback, not a mock's.
"""
import pytest
from conftest import PASSWORD
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from app import clock, db
from app.accounts.models import Account, LoginFailure
from app.audit import trail
from app.audit.models import AuditEvent
from app.errors import Conflict
from app.states.models import MemberState


def refused_event(session, actor, action, subject, **_details):
    """What `trail.record` adds, but one the database refuses when the unit of work commits."""
    event = AuditEvent(occurred_at=clock.now(), actor_id=actor.id if actor else None, actor_role=None,
                       action=action, subject=subject, details={})
    session.add(event)
    return event


def count(app, model, *where):
    with app.app_context(), db.unit_of_work() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_cli_creates_no_account_when_its_audit_event_fails(app, runner, monkeypatch):
    monkeypatch.setattr(trail, "record", refused_event)
    result = runner.invoke(args=["accounts", "create", "--email", "o@example.eu", "--role", "admin",
                                 "--password", PASSWORD])
    assert isinstance(result.exception, IntegrityError)
    assert count(app, Account, Account.email == "o@example.eu") == 0
    assert count(app, AuditEvent) == 0


def test_the_cli_creates_the_account_and_its_audit_event_together(app, runner):
    result = runner.invoke(args=["accounts", "create", "--email", "o@example.eu", "--role", "admin",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert count(app, Account, Account.email == "o@example.eu") == 1
    assert count(app, AuditEvent, AuditEvent.action == "account.create") == 1


def test_a_request_whose_audit_event_fails_changes_nothing_and_answers_in_the_error_shape(
        app, client, make_account, monkeypatch):
    official = make_account("official", "DE")
    monkeypatch.setattr(trail, "record", refused_event)
    response = client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": 500},
                          headers=official["headers"])
    assert response.status_code == 409
    assert set(response.get_json()) == {"code", "status", "message", "errors"}
    assert count(app, MemberState, MemberState.code == "DE", MemberState.annual_invitation_ceiling.is_not(None)) == 0
    assert count(app, AuditEvent, AuditEvent.action == "ceiling.update") == 0


@pytest.mark.parametrize("refuse, stored", [(False, 1), (True, 0)])
def test_a_request_commits_only_when_it_succeeds(app, client, refuse, stored):
    @app.post("/api/test/unit-of-work")  # under /api/: a page route would want a CSRF token
    def write_then_answer():
        trail.record(db.session(), None, "demo.seed", "test:unit-of-work")
        if refuse:
            raise Conflict("refused after writing")
        return {}, 201

    response = client.post("/api/test/unit-of-work")
    assert response.status_code == (409 if refuse else 201)
    assert count(app, AuditEvent, AuditEvent.subject == "test:unit-of-work") == stored


def test_a_failed_sign_in_is_counted_although_the_answer_is_a_refusal(app, client, make_account):
    person = make_account()
    response = client.post("/api/v1/tokens", json={"email": person["email"], "password": "wrong password"})
    assert response.status_code == 401
    assert count(app, LoginFailure, LoginFailure.email == person["email"]) == 1
