"""Two-factor sign-in through the API: RFC 6238 codes, replay, throttling, recovery codes, reset.

The expected codes are RFC 6238's Appendix B test vectors (SHA-1, the 20-byte ASCII secret
"12345678901234567890"), written here from the RFC, not computed by the code under test. The
service's codes have 6 digits: the RFC's 8-digit values taken modulo 10^6, as RFC 4226 truncates.
"""
from __future__ import annotations

import base64
from datetime import UTC, datetime

import pyotp
import pytest
from conftest import PASSWORD, TOTP_SECRET, second_factor_code
from sqlalchemy import delete
from sqlmodel import select

from app import db
from app.accounts import two_factor
from app.accounts.models import Account, TwoFactor
from app.audit.models import AuditEvent

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
               (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")]


@pytest.mark.parametrize("unix_time, code", RFC_VECTORS)
def test_pyotp_gives_the_rfc_6238_sha1_vectors(unix_time, code):
    assert pyotp.TOTP(RFC_SECRET, digits=8).at(unix_time) == code
    assert pyotp.TOTP(RFC_SECRET).at(unix_time) == code[2:]


def tokens(client, email, **extra):
    return client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD, **extra})


def enrol_with(app, email, secret):
    """Swap the fixture's secret for `secret`, no step used yet."""
    with app.app_context(), db.unit_of_work() as session:
        account = session.exec(select(Account).where(Account.email == email)).one()
        enrolment = session.get(TwoFactor, account.id)
        enrolment.secret, enrolment.last_step = secret, 0
        session.add(enrolment)


def events(app, action):
    with app.app_context(), db.unit_of_work() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("unix_time, code", RFC_VECTORS[1:5])
def test_the_service_accepts_the_rfc_code_at_its_time_once(client, app, make_account, frozen_clock, unix_time, code):
    official = make_account("official", "DE")
    enrol_with(app, official["email"], RFC_SECRET)
    frozen_clock.moment = datetime.fromtimestamp(unix_time, UTC)
    assert tokens(client, official["email"], otp=code[2:]).status_code == 201
    replay = tokens(client, official["email"], otp=code[2:])
    assert replay.status_code == 401 and "already used" in replay.get_json()["message"]
    earlier = pyotp.TOTP(RFC_SECRET).at(unix_time - 30)  # inside the window, but before the used step
    assert tokens(client, official["email"], otp=earlier).status_code == 401
    later = pyotp.TOTP(RFC_SECRET).at(unix_time + 30)  # the next step: a phone a little ahead
    assert tokens(client, official["email"], otp=later).status_code == 201


def test_a_code_outside_the_window_is_refused(client, app, make_account, frozen_clock):
    official = make_account("admin")
    enrol_with(app, official["email"], RFC_SECRET)
    frozen_clock.moment = datetime.fromtimestamp(1234567890, UTC)
    for offset in (-90, -60, 60, 90):
        assert tokens(client, official["email"], otp=pyotp.TOTP(RFC_SECRET).at(1234567890 + offset)).status_code == 401


def test_without_a_code_the_401_names_what_is_missing(client, make_account):
    official = make_account("official", "FR")
    response = tokens(client, official["email"])
    assert response.status_code == 401
    body = response.get_json()
    assert "`otp`" in body["message"] and "`recovery_code`" in body["message"] and "otp" in body["errors"]["json"]
    wrong_password = client.post("/api/v1/tokens", json={"email": official["email"], "password": "not the password"})
    assert wrong_password.get_json()["message"] == "The e-mail address or the password is wrong."


def test_an_account_not_enrolled_is_told_to_set_it_up_on_the_web(client, app, runner, make_account):
    official = make_account("official", "DE")
    assert runner.invoke(args=["accounts", "reset-2fa", official["email"]]).exit_code == 0
    response = tokens(client, official["email"], otp="123456")
    assert response.status_code == 401 and "set up two-factor" in response.get_json()["message"]


def test_a_bad_otp_shape_is_422(client, make_account):
    official = make_account("official", "DE")
    response = tokens(client, official["email"], otp="12ab")
    assert response.status_code == 422 and "otp" in response.get_json()["errors"]["json"]


def test_wrong_codes_are_throttled_like_passwords(client, app, make_account):
    official = make_account("official", "DE")
    limit = app.config["SIGN_IN_PAIR_LIMIT"]
    right = second_factor_code(app, official["email"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    answers = [tokens(client, official["email"], otp=wrong).status_code for _ in range(limit + 1)]
    assert answers == [401] * limit + [429]
    locked = tokens(client, official["email"], otp=right)  # even the right code waits
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_wrong_codes_from_many_addresses_lock_the_account(client, app, make_account):
    official = make_account("official", "DE")
    limit = app.config["SECOND_FACTOR_ACCOUNT_LIMIT"]
    right = second_factor_code(app, official["email"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    answers = [client.post("/api/v1/tokens", json={"email": official["email"], "password": PASSWORD, "otp": wrong},
                           environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"}).status_code
               for i in range(limit + 1)]
    assert answers[:limit] == [401] * limit and answers[limit] == 429


def test_a_recovery_code_signs_in_once_and_is_audited(client, app, make_account):
    official = make_account("official", "DE")
    with app.test_request_context("/", method="POST"):
        account = db.session().exec(select(Account).where(Account.id == official["id"])).one()
        db.session().execute(delete(TwoFactor))  # not enrolled: enrol afresh
        db.session().commit()
        secret = two_factor.new_secret()
        codes = two_factor.enrol(account, secret, pyotp.TOTP(secret).now(), "test")
        db.session().commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert tokens(client, official["email"], recovery_code=codes[3]).status_code == 201
    assert tokens(client, official["email"], recovery_code=codes[3].upper().replace("-", " ")).status_code == 401
    assert tokens(client, official["email"], recovery_code="abcde-fghjk").status_code == 401
    assert events(app, "two_factor.enrol") and events(app, "two_factor.recovery_code_use")[0].details == {"left": 9}


def test_reset_revokes_the_tokens_and_is_audited(client, app, runner, make_account):
    official = make_account("official", "DE")
    assert client.get("/api/v1/me", headers=official["headers"]).status_code == 200
    result = runner.invoke(args=["accounts", "reset-2fa", official["email"]])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/me", headers=official["headers"]).status_code == 401
    [event] = events(app, "two_factor.reset")
    assert event.subject == f"account:{official['id']}" and event.actor_role == "cli"
    candidate = make_account()
    refused = runner.invoke(args=["accounts", "reset-2fa", candidate["email"]])
    assert refused.exit_code != 0 and "No official or administrator" in refused.output


def test_the_code_command_is_refused_in_production(app, runner, make_account):
    official = make_account("official", "DE")
    printed = runner.invoke(args=["accounts", "otp", official["email"]])
    assert printed.exit_code == 0 and len(printed.output.strip()) == 6
    app.testing = False
    app.config["ENV"] = "production"
    refused = runner.invoke(args=["accounts", "otp", official["email"]])
    assert refused.exit_code != 0 and "development" in refused.output


def test_the_fixture_secret_is_the_one_enrolled(app, make_account):
    official = make_account("admin")
    assert official["otp_secret"] == TOTP_SECRET
    code = second_factor_code(app, official["email"])
    assert code in {pyotp.TOTP(TOTP_SECRET).at(datetime.now(UTC).timestamp() + offset) for offset in (-30, 0, 30)}
