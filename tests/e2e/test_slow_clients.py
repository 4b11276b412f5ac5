"""Slow clients against the shipped server configuration (`gunicorn.conf.py`), over real loopback sockets.

A client that sends its request headers one byte a second holds whatever serves it for as long as
it likes. With gunicorn's sync workers (what the README deployed before) four of them stalled the
whole API; with the shipped gthread workers 32 of them must leave `/healthz` answering promptly.
"""
import socket
import time

import pytest
from conftest import fresh_database
from gunicorn_process import serve, status_of

SLOW_CLIENTS = 32
# Longer than gunicorn's 5 s wait for a connection's first bytes, its worker timeout's first beats
# and any keep-alive: the slow clients are held by threads for the whole run.
SECONDS = 12


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow-clients")
    for database_url in fresh_database(request, request.param, folder):
        yield from serve(database_url, folder / "gunicorn.log")


def _slow_client(address) -> socket.socket:
    slow = socket.create_connection(address, timeout=5)
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    return slow


def test_thirty_two_slow_clients_do_not_stall_healthz(server):
    for _ in range(4):  # both workers have answered once before the slow clients come
        assert status_of(server, "/healthz") == 200
    slow_clients = [_slow_client(server) for _ in range(SLOW_CLIENTS)]
    try:
        for _ in range(SECONDS):
            for slow in slow_clients:
                slow.sendall(b"a")
            assert status_of(server, "/healthz", timeout=1) == 200  # a timeout raises: no answer within 1 s
            assert status_of(server, "/readyz", timeout=1) == 200  # and the database is reached too
            time.sleep(1)
        # Every slow request was still open, held by the server all along: finishing it gets its answer.
        for slow in slow_clients:
            slow.sendall(b"\r\n\r\n")
        answers = [slow.recv(64) for slow in slow_clients]
    finally:
        for slow in slow_clients:
            slow.close()
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers), answers
