"""Candidates write profiles and sign in, over real HTTP, while another process writes a big re-rank.

On SQLite the re-rank writes its run in many short transactions (`RERANK_CHUNK_ROWS`, lowered
here so a pool of 30,000 takes more than a hundred write transactions and several seconds), and
gunicorn's requests take the write lock between them. Nothing may come back as a 5xx or as
"database is locked", and every profile write the server acknowledged must be there afterwards.
PostgreSQL, where readers and writers do not block each other, runs the same scene.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import threading

import pytest
from conftest import PASSWORD, fresh_database, sample_profile
from gunicorn_process import CHEAP_HASHING, ROOT, serve

POOL, CHUNK_ROWS, CANDIDATES = 30_000, 250, 4
LIMITS = {"TALENTPOOL_REGISTRATION_ADDRESS_LIMIT": "1000", "TALENTPOOL_SIGN_IN_ADDRESS_LIMIT": "1000"}


def flask(url: str, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, **CHEAP_HASHING, "TALENTPOOL_DATABASE_URL": url, "TALENTPOOL_ENV": "development",
           "TALENTPOOL_RERANK_CHUNK_ROWS": str(CHUNK_ROWS)}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request, tmp_path):
    """A database holding a seeded pool of POOL candidates, and gunicorn serving it: (url, address, log)."""
    database = fresh_database(request, request.param, tmp_path)
    url = next(database)
    for args in (("db", "upgrade"), ("demo", "seed", "--candidates", str(POOL))):
        process = flask(url, *args)
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
    log = tmp_path / "gunicorn.log"
    for address in serve(url, log, LIMITS):
        yield url, address, log
    next(database, None)


def call(address, method, path, body=None, token=None):
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_profile_writes_and_sign_ins_during_a_big_rerank_are_all_served_and_kept(scene):
    url, address, log = scene
    tokens = []
    for i in range(CANDIDATES):
        email = f"writer{i}@example.eu"
        assert call(address, "POST", "/api/v1/accounts", {"email": email, "password": PASSWORD})[0] == 202
        status, body = call(address, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD})
        assert status == 201, body
        tokens.append(json.loads(body)["token"])
    answers: list[tuple[str, int, str]] = []
    acknowledged: dict[int, dict] = {}
    stop = threading.Event()

    def writer(i):
        years = 0
        while not stop.is_set():
            years = years % 15 + 1  # at most age − 15 years (the sample candidate is 32)
            document = sample_profile(experience=[{"occupation": "2512", "years": years}])
            status, body = call(address, "PUT", "/api/v1/me/profile", document, tokens[i])
            answers.append(("/api/v1/me/profile", status, body))
            if status == 200:
                acknowledged[i] = document
            answers.append(("/api/v1/tokens", *call(address, "POST", "/api/v1/tokens",
                                                     {"email": f"writer{i}@example.eu", "password": PASSWORD})))
            stop.wait(0.2)  # busy candidates, not ones that hold the database every moment

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(CANDIDATES)]
    for thread in threads:
        thread.start()
    try:
        rerank = flask(url, "pool", "rerank", "--only-rank")
        output, _ = rerank.communicate(timeout=900)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert rerank.returncode == 0, output
    transactions = int(re.search(r"\((\d+) transactions", output).group(1))
    if url.startswith("sqlite"):
        assert transactions > POOL // CHUNK_ROWS, output  # the run really was written in many short pieces
    failures = [answer for answer in answers if answer[1] >= 500 or "locked" in answer[2]]
    assert not failures, (failures[:3], output)
    assert {status for path, status, _ in answers} == {200, 201}
    assert len(answers) > 4 * CANDIDATES, "the writers hardly ran during the re-rank"
    assert "database is locked" not in log.read_text(errors="replace")
    for i, document in acknowledged.items():
        status, body = call(address, "GET", "/api/v1/me/profile", token=tokens[i])
        stored = json.loads(body)
        assert status == 200 and {name: stored[name] for name in document} == document, body
