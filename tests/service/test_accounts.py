"""Registration, sign-in with throttling, sign-out, and the CLI that creates officials."""
import pytest
from conftest import PASSWORD, TOTP_SECRET, second_factor_code
from sqlmodel import select

from app import db
from app.accounts import two_factor
from app.accounts.models import Account


def register(client, email="ana@example.eu", password=PASSWORD):
    return client.post("/api/v1/accounts", json={"email": email, "password": password})


def sign_in(client, email="ana@example.eu", password=PASSWORD):
    return client.post("/api/v1/tokens", json={"email": email, "password": password})


def test_a_candidate_registers_signs_in_and_sees_their_account(client):
    created = register(client, email="Ana@Example.EU")
    assert created.status_code == 202  # the same answer for a known address: tests/service/test_account_mail.py
    assert "password" not in created.get_json()
    token = sign_in(client, email="ana@example.eu").get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["email"] == "ana@example.eu" and me.get_json()["role"] == "candidate"


def test_the_password_is_stored_as_an_argon2id_hash_and_the_token_as_sha256(app, client):
    from sqlmodel import select

    from app import db
    from app.accounts.models import Account, Token

    register(client)
    raw = sign_in(client).get_json()["token"]
    with app.app_context():
        account = db.session().exec(select(Account)).one()
        token = db.session().exec(select(Token)).one()
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    assert raw not in token.token_hash and len(token.token_hash) == 64


def test_an_address_registers_once(app, client):
    from sqlmodel import func, select

    from app import db
    from app.accounts.models import Account

    first = register(client, email="ana@example.eu")
    again = register(client, email="ANA@example.eu")
    assert again.status_code == 202 and again.get_json() == first.get_json()
    with app.app_context():
        assert db.session().exec(select(func.count()).select_from(Account)).one() == 1


@pytest.mark.parametrize("body, field", [
    ({"email": "not-an-address", "password": PASSWORD}, "email"),
    ({"email": "ana@example.eu", "password": "short"}, "password"),
    ({"email": "ana@example.eu"}, "password"),
    ({"email": "ana@example.eu", "password": PASSWORD, "role": "admin"}, "role"),
    ({"email": "ana@example.eu", "password": PASSWORD, "state": "DE"}, "state"),
    ({"email": 7, "password": PASSWORD}, "email"),
])
def test_registration_refuses_bad_fields_by_name(client, body, field):
    response = client.post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_wrong_credentials_get_one_message_whether_or_not_the_address_exists(client):
    register(client)
    wrong_password = sign_in(client, password="not the password")
    unknown_address = sign_in(client, email="nobody@example.eu")
    assert wrong_password.status_code == unknown_address.status_code == 401
    assert wrong_password.get_json()["message"] == unknown_address.get_json()["message"]


def test_repeated_failures_are_throttled_until_the_window_passes(app, client, frozen_clock):
    register(client)
    limit = app.config["SIGN_IN_PAIR_LIMIT"]
    for _ in range(limit):
        assert sign_in(client, password="wrong password!").status_code == 401
    blocked = sign_in(client)  # even the right password, while throttled, from the attacker's address
    assert blocked.status_code == 429
    retry_after = int(blocked.headers["Retry-After"])
    assert 0 < retry_after <= app.config["THROTTLE_FIRST_DELAY_SECONDS"]
    assert blocked.get_json()["code"] == 429
    frozen_clock.advance(seconds=retry_after + 1)
    assert sign_in(client).status_code == 201


def test_throttling_is_shared_through_the_database_not_process_memory(app, database_url, frozen_clock):
    """A second application on the same database (another gunicorn worker) sees the same failures."""
    from conftest import TEST_SETTINGS

    from app import create_app

    register(app.test_client())
    for _ in range(app.config["SIGN_IN_PAIR_LIMIT"]):
        sign_in(app.test_client(), password="wrong password!")
    other_worker = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url})
    try:
        assert sign_in(other_worker.test_client()).status_code == 429
    finally:
        other_worker.extensions["talentpool.engine"].dispose()


def test_a_successful_sign_in_clears_earlier_failures(app, client):
    register(client)
    for _ in range(app.config["SIGN_IN_PAIR_LIMIT"] - 1):
        sign_in(client, password="wrong password!")
    assert sign_in(client).status_code == 201
    for _ in range(app.config["SIGN_IN_PAIR_LIMIT"] - 1):
        sign_in(client, password="wrong password!")
    assert sign_in(client).status_code == 201


def test_sign_out_revokes_the_token(client, candidate):
    assert client.delete("/api/v1/tokens", headers=candidate["headers"]).status_code == 204
    after = client.get("/api/v1/me", headers=candidate["headers"])
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_expire(app, client, frozen_clock):
    register(client)
    token = sign_in(client).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    frozen_clock.advance(seconds=app.config["TOKEN_TTL_SECONDS"] - 1)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    frozen_clock.advance(seconds=2)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic YWJjOmRlZg==", "Bearer not-a-token", "Token x"])
def test_missing_or_malformed_credentials_are_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert set(response.get_json()) == {"code", "status", "message", "errors"}


def test_the_cli_creates_an_official_bound_to_a_state(app, runner, client):
    result = runner.invoke(args=["accounts", "create", "--email", "o@de.example.eu", "--role", "official",
                                 "--state", "de", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    refused = sign_in(client, email="o@de.example.eu")  # officials set up two-factor sign-in first, on the web
    assert refused.status_code == 401 and "set up two-factor" in refused.get_json()["message"]
    with app.app_context(), db.unit_of_work() as session:
        account = session.exec(select(Account).where(Account.email == "o@de.example.eu")).one()
        two_factor.enrol_with_secret(session, account.id, TOTP_SECRET)
    code = second_factor_code(app, "o@de.example.eu")
    token = client.post("/api/v1/tokens", json={"email": "o@de.example.eu", "password": PASSWORD,
                                                "otp": code}).get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert (me["role"], me["state"]) == ("official", "DE")


@pytest.mark.parametrize("args, words", [
    (["--role", "official", "--state", "XX"], "member state"),
    (["--role", "official"], "member state"),
    (["--role", "admin", "--state", "DE"], "Only officials"),
])
def test_the_cli_refuses_bad_input_with_status_2_and_one_line(runner, args, words):
    result = runner.invoke(args=["accounts", "create", "--email", "o@example.eu", "--password", PASSWORD, *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_the_cli_refuses_a_short_password(runner):
    result = runner.invoke(args=["accounts", "create", "--email", "o@example.eu", "--role", "admin",
                                 "--password", "short"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: password:")
