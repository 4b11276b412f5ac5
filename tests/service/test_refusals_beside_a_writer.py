"""On SQLite, an answer to an invitation that is not the caller's is refused without waiting for the
database's one write lock: in the load mix most answers name such an id, and each took the lock."""
import sqlite3
import time

import pytest
from sqlalchemy import make_url


def test_a_wrong_invitation_id_is_refused_while_another_process_writes(app, client, candidate):
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    writer = sqlite3.connect(url.database, isolation_level=None, timeout=1)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        started = time.perf_counter()
        for action in ("decline", "accept"):
            answer = client.post(f"/api/v1/me/invitations/2000000000/{action}", headers=candidate["headers"],
                                 json={"consent_to_share": True} if action == "accept" else None)
            assert answer.status_code == 404, answer.get_json()
        assert time.perf_counter() - started < 2  # not one busy timeout waited
    finally:
        writer.execute("ROLLBACK")
        writer.close()
