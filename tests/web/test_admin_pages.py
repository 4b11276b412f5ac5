"""The administrators' console pages: the audit trail with its filters, and officials' accounts."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import PASSWORD
from console_sign_in import post_password, sign_in
from profile_form_posts import csrf_token
from sqlmodel import select

from app import db
from app.audit.models import AuditEvent


def signed_in_admin(client, make_account):
    admin = make_account("admin")
    assert sign_in(client, admin["email"]).status_code == 303
    return admin


def add_events(app, *rows):
    with app.app_context(), db.unit_of_work() as session:
        for when, action, state in rows:
            session.add(AuditEvent(occurred_at=when, actor_id=None, actor_role="cli", action=action,
                                   state_code=state, subject="test", details={}))


def test_only_administrators_see_the_admin_pages(client, make_account):
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    for path in ("/official/audit", "/official/accounts", "/official/accounts/new"):
        assert client.get(path).status_code == 403
    assert "/official/audit" not in client.get("/official/").text


def test_the_audit_trail_filters_by_state_action_and_dates(client, app, make_account):
    admin = signed_in_admin(client, make_account)
    day = datetime(2026, 3, 10, 12, tzinfo=UTC)
    add_events(app, (day, "overlay.update", "DE"), (day + timedelta(days=1), "overlay.update", "FR"),
               (day + timedelta(days=5), "round.schedule", "DE"))
    page = client.get("/official/audit")
    assert page.status_code == 200 and "admin_pages.audit" not in page.text
    assert "overlay.update" in page.text and admin["email"] in page.text  # the admin's own sign-in is there
    only_de = client.get("/official/audit?state=DE&action=overlay.update")
    assert only_de.text.count("<td><code>overlay.update</code></td>") == 1
    dated = client.get("/official/audit?since=2026-03-11&until=2026-03-15")
    assert dated.text.count("<td>test</td>") == 2
    nothing = client.get("/official/audit?until=2026-03-09&since=2026-03-01")
    assert "<table" not in nothing.text and "Events found: 0" in nothing.text


def test_a_filter_the_form_does_not_offer_is_422_on_its_field(client, make_account):
    signed_in_admin(client, make_account)
    for query, field in (("action=ceiling.set", "action"), ("since=2026-13-40", "since"), ("state=XX", "state"),
                         ("actor=999999", "actor"), ("page=0", "page")):
        answer = client.get(f"/official/audit?{query}")
        assert answer.status_code == 422 and f'href="#{field}"' in answer.text, query


def test_the_audit_trail_is_paged(client, app, make_account):
    signed_in_admin(client, make_account)
    day = datetime(2026, 3, 10, 12, tzinfo=UTC)
    add_events(app, *[(day, "round.cancel", "IE")] * 60)
    first = client.get("/official/audit?state=IE")
    assert first.text.count("<td>test</td>") == 50 and 'rel="next"' in first.text and "Page 1 of 2" in first.text
    second = client.get("/official/audit?state=IE&page=2")
    assert second.text.count("<td>test</td>") == 10 and 'rel="prev"' in second.text


def test_an_administrator_creates_disables_enables_and_resets_an_official(client, app, make_account):
    admin = signed_in_admin(client, make_account)
    form = client.get("/official/accounts/new")
    refused = client.post("/official/accounts/new", data={"csrf_token": csrf_token(form.text), "email": "nope",
                                                          "state": "", "password": "short"})
    assert refused.status_code == 422 and all(f'href="#{f}"' in refused.text for f in ("email", "state", "password"))
    created = client.post("/official/accounts/new", data={"csrf_token": csrf_token(form.text),
                                                          "email": "new.official@example.eu", "state": "NL",
                                                          "password": PASSWORD})
    assert created.status_code == 303
    listing = client.get("/official/accounts")
    assert "new.official@example.eu" in listing.text and "Not set up yet" in listing.text
    first_sign_in = post_password(app.test_client(), "new.official@example.eu")
    assert first_sign_in.headers["Location"].endswith("/sign-in/enrol")

    official = make_account("official", "DE")
    token = csrf_token(listing.text)
    assert client.post(f"/official/accounts/{official['id']}/disable", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/v1/me", headers=official["headers"]).status_code == 401  # its tokens stop at once
    disabled = app.test_client().post("/api/v1/tokens", json={"email": official["email"], "password": PASSWORD})
    assert disabled.status_code == 401 and "disabled" in disabled.get_json()["message"]
    assert client.post(f"/official/accounts/{official['id']}/enable", data={"csrf_token": token}).status_code == 303
    assert client.post(f"/official/accounts/{official['id']}/reset-two-factor",
                       data={"csrf_token": token}).status_code == 303
    assert post_password(app.test_client(), official["email"]).headers["Location"].endswith("/sign-in/enrol")
    assert client.post(f"/official/accounts/{admin['id']}/disable", data={"csrf_token": token}).status_code == 303
    assert "cannot disable your own account" in client.get("/official/accounts").text
    with app.app_context(), db.unit_of_work() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.actor_id == admin["id"])
                                                  .order_by(AuditEvent.id)).all()]
    assert [a for a in actions if a != "session.sign_in"] == ["account.create", "account.disable", "account.enable", "two_factor.reset"]
    assert client.post("/official/accounts/999999/disable", data={"csrf_token": token}).status_code == 404
