"""The `ranking_entry_state` view reads ranking entries in plain SQL, as the service decodes them."""
from __future__ import annotations

from conftest import sample_profile
from ranking import NO_SCORE
from rounds_helpers import add_pool, rank
from sqlalchemy import text

from app.ranking_runs import run_entries
from app.states.grid import state_codes
from app.storage import engines


def test_the_view_unpacks_every_chosen_state_with_its_total_and_rank(app, client, candidate):
    client.put("/api/v1/me/profile", json=sample_profile(preferences=["IE", "DE"]), headers=candidate["headers"])
    add_pool(app, 200, seed=5)
    rank(app)
    with app.app_context(), engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        entries = run_entries.of_run(connection, run)
        viewed = connection.execute(text(
            "SELECT candidate_id, preference, state_code, total, state_rank FROM ranking_entry_state "
            "WHERE run_id = :run"), {"run": run.id}).all()
    codes = state_codes()
    expected = set()
    for row, candidate_id in enumerate(entries.candidate_ids):
        for slot, state in enumerate(entries.preferences[row]):
            if state >= 0:
                total = int(entries.scores[row, slot])
                expected.add((int(candidate_id), slot + 1, codes[state], None if total == NO_SCORE else total,
                               int(entries.ranks[row, slot]) or None))
    assert set(map(tuple, viewed)) == expected
    assert (candidate["id"], 1, "IE") in {row[:3] for row in viewed}
