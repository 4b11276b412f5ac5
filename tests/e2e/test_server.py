"""End to end: the real server (gunicorn, several workers) on a free loopback port, over HTTP."""
import http.client
import json
import threading

import pytest
from conftest import PASSWORD, fresh_database, sample_profile
from gunicorn_process import serve


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """One fresh database per kind for this module: starting gunicorn is the slow part."""
    yield from fresh_database(request, request.param, tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """gunicorn with the shipped configuration serving `wsgi:app` on the test database; yields (host, port)."""
    yield from serve(database_url, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")


def call(address, method, path, body=None, token=None, headers=None):
    """One HTTP request; returns (status, headers, parsed JSON or None)."""
    connection = http.client.HTTPConnection(*address, timeout=30)
    try:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if body is not None:
            sent["Content-Type"] = "application/json"
            body = json.dumps(body)
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    finally:
        connection.close()


def test_a_candidate_registers_submits_reads_the_score_exports_and_erases(server):
    assert call(server, "GET", "/readyz")[0] == 200
    email = "e2e@example.eu"
    status, _, _receipt = call(server, "POST", "/api/v1/accounts", {"email": email, "password": PASSWORD})
    assert status == 202
    status, _, session = call(server, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD})
    assert status == 201
    token = session["token"]
    status, _, submitted = call(server, "PUT", "/api/v1/me/profile", sample_profile(), token)
    assert status == 200
    assert isinstance(submitted["score"]["total"], int) and submitted["score"]["states"]
    status, _, read = call(server, "GET", "/api/v1/me/profile", token=token)
    assert status == 200 and read["score"] == submitted["score"]
    status, _, exported = call(server, "GET", "/api/v1/me/export", token=token)
    assert status == 200
    assert exported["account"]["id"] == session["account"]["id"] == exported["profile"]["candidate_id"]
    assert call(server, "DELETE", "/api/v1/me", {"password": PASSWORD}, token)[0] == 204
    assert call(server, "GET", "/api/v1/me/profile", token=token)[0] == 401
    assert call(server, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD})[0] == 401


def test_concurrent_first_submissions_across_workers_make_one_profile(server):
    email = "race@example.eu"
    call(server, "POST", "/api/v1/accounts", {"email": email, "password": PASSWORD})
    token = call(server, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD})[2]["token"]
    barrier = threading.Barrier(4)
    results = []

    def submit():
        barrier.wait()
        results.append(call(server, "PUT", "/api/v1/me/profile", sample_profile(), token))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _, _ in results] == [200] * 4, results
    assert len({body["first_submitted_at"] for _, _, body in results}) == 1


def test_a_chunked_body_over_the_limit_is_refused(server):
    connection = http.client.HTTPConnection(*server, timeout=30)
    try:
        chunks = (b"x" * 4096 for _ in range(64))  # 256 KiB, four times the default limit
        connection.request("POST", "/api/v1/accounts", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 413
    assert set(body) == {"code", "status", "message", "errors"}


def test_the_openapi_document_and_docs_page_are_served(server):
    status, _, document = call(server, "GET", "/api/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.")
    connection = http.client.HTTPConnection(*server, timeout=30)
    try:
        connection.request("GET", "/api/docs")
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    assert response.status == 200 and "swagger" in page.lower()
