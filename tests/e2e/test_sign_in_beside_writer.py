"""The issue's scene against gunicorn: 9 clients signing in and registering beside a profile writer.

Before issue 9, sign-in and registration hashed the password inside their write transaction, so
on SQLite every other writer waited for a hash; here argon2 and the busy timeout are at their
production settings, and that wait ended in "database is locked" (a 500) on main.
"""
import http.client
import json
import threading

import pytest
from conftest import PASSWORD, fresh_database, sample_profile
from gunicorn_process import serve

CLIENTS, ROUNDS = 9, 3
# argon2 at its production cost, the production busy timeout (10 s).
REAL_HASHING = {"TALENTPOOL_ARGON2_TIME_COST": "3", "TALENTPOOL_ARGON2_MEMORY_COST": str(64 * 1024),
                "TALENTPOOL_ARGON2_PARALLELISM": "4",
                "TALENTPOOL_REGISTRATION_ADDRESS_LIMIT": "1000", "TALENTPOOL_SIGN_IN_ADDRESS_LIMIT": "1000"}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    database = fresh_database(request, request.param, tmp_path)
    url = next(database)
    yield from serve(url, tmp_path / "gunicorn.log", REAL_HASHING)
    next(database, None)


def post(address, method, path, body, token=None):
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        connection.request(method, path, json.dumps(body), headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_nine_clients_signing_in_and_registering_beside_a_profile_writer(server):
    for i in range(CLIENTS):
        assert post(server, "POST", "/api/v1/accounts", {"email": f"c{i}@example.eu", "password": PASSWORD})[0] == 202
    token = json.loads(post(server, "POST", "/api/v1/tokens", {"email": "c0@example.eu", "password": PASSWORD})[1])["token"]
    answers: list[tuple[str, int, str]] = []
    done = threading.Event()

    def signer(i):
        for n in range(ROUNDS):
            for path, body in (("/api/v1/tokens", {"email": f"c{i}@example.eu", "password": PASSWORD}),
                               ("/api/v1/accounts", {"email": f"new{i}.{n}@example.eu", "password": PASSWORD}),
                               ("/api/v1/tokens", {"email": f"c{i}@example.eu", "password": "wrong password"})):
                answers.append((path, *post(server, "POST", path, body)))

    def profile_writer():
        while not done.is_set():
            answers.append(("/api/v1/me/profile", *post(server, "PUT", "/api/v1/me/profile", sample_profile(), token)))
            done.wait(0.02)  # a busy writer, not one that holds the database every moment

    writer = threading.Thread(target=profile_writer)
    writer.start()
    signers = [threading.Thread(target=signer, args=(i,)) for i in range(CLIENTS)]
    for thread in signers:
        thread.start()
    for thread in signers:
        thread.join()
    done.set()
    writer.join()
    failures = [answer for answer in answers if answer[1] >= 500 or "locked" in answer[2]]
    assert not failures, failures[:3]
    assert {status for path, status, _ in answers if path == "/api/v1/accounts"} == {202}
    assert {status for path, status, _ in answers if path == "/api/v1/me/profile"} == {200}
    assert sorted({status for path, status, _ in answers if path == "/api/v1/tokens"}) == [201, 401]
