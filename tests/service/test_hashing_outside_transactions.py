"""No password hashing inside a write transaction (issue 9).

On SQLite a write transaction holds the one database write lock (`BEGIN IMMEDIATE`), and sign-in
and registration used to hash with it held: 9 clients signing in beside a profile writer got
"database is locked" (500s) and profile writes waited seconds. The first tests here watch every
transaction the application's engine opens and fail if argon2 runs while one is open
(`tests/e2e/test_sign_in_beside_writer.py` runs the issue's scene against the real server).
"""
import pytest
from conftest import PASSWORD
from sqlalchemy import event

from app.accounts import passwords


@pytest.fixture
def watched(app, monkeypatch):
    """Fail the test if argon2 hashes or verifies while the application has a transaction open."""
    open_transactions: set[int] = set()
    engine = app.extensions["talentpool.engine"]
    event.listen(engine, "begin", lambda connection: open_transactions.add(id(connection)))
    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda connection: open_transactions.discard(id(connection)))
    hashed: list[str] = []
    real = passwords._hasher

    class Watched:
        def __init__(self):
            self.hasher = real()

        def hash(self, password):
            assert not open_transactions, "argon2 hash with a transaction open"
            hashed.append("hash")
            return self.hasher.hash(password)

        def verify(self, stored, password):
            assert not open_transactions, "argon2 verify with a transaction open"
            hashed.append("verify")
            return self.hasher.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Watched)
    return hashed


def test_registration_hashes_before_its_transaction(app, watched):
    client = app.test_client()
    assert client.post("/api/v1/accounts", json={"email": "a@example.eu", "password": PASSWORD}).status_code == 202
    assert client.post("/api/v1/accounts", json={"email": "a@example.eu", "password": PASSWORD}).status_code == 202
    assert watched == ["hash", "hash"]


@pytest.mark.parametrize("email, password, status", [("a@example.eu", PASSWORD, 201),
                                                     ("a@example.eu", "wrong password", 401),
                                                     ("nobody@example.eu", PASSWORD, 401)])
def test_sign_in_verifies_with_no_transaction_open(app, watched, email, password, status):
    client = app.test_client()
    client.post("/api/v1/accounts", json={"email": "a@example.eu", "password": PASSWORD})
    assert client.post("/api/v1/tokens", json={"email": email, "password": password}).status_code == status
    assert watched[-1] in ("verify", "hash")  # an unknown address still costs one hash


def test_the_cli_hashes_before_its_transaction(app, runner, watched):
    result = runner.invoke(args=["accounts", "create", "--email", "o@example.eu", "--role", "official",
                                 "--state", "DE", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert watched == ["hash"]
