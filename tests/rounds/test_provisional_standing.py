"""A provisional standing against a plain reference: sort the run's entries in Python and count."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ranking import NO_SCORE
from rounds_helpers import add_pool, rank

from app.ranking_runs import provisional_standing, run_entries
from app.ranking_runs.models import RankingTieGroup
from app.states.grid import state_codes
from app.storage import engines


def reference_rank(entries, state: int, total: int, first_us: int, candidate_id: int) -> int:
    """1 + the ranked entries at `state` that come before (total, first_us, id), the candidate's own left out."""
    ahead = 0
    for row in range(len(entries.candidate_ids)):
        other = int(entries.candidate_ids[row])
        if other == candidate_id:
            continue
        for slot in range(entries.ranks.shape[1]):
            if entries.ranks[row, slot] and entries.preferences[row, slot] == state:
                theirs = (-int(entries.scores[row, slot]), int(entries.submitted_us[row]), other)
                ahead += theirs < (-total, first_us, candidate_id)
    return 1 + ahead


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_provisional_ranks_equal_a_plain_count(app, data):
    if not hasattr(app, "_ranked_pool"):
        add_pool(app, 150, seed=5)
        rank(app)
        app._ranked_pool = True
    with app.app_context(), engines.reader().connect() as connection:
        run = run_entries.latest_complete(connection)
        entries = run_entries.read(connection, run.id)
        codes = state_codes()
        ranked_totals = entries.scores[entries.ranks > 0]
        existing = data.draw(st.booleans())
        if existing:
            row = data.draw(st.integers(0, len(entries.candidate_ids) - 1))
            candidate, first_us = int(entries.candidate_ids[row]), int(entries.submitted_us[row])
        else:
            candidate = data.draw(st.integers(1, 10**6))
            first_us = int(data.draw(st.sampled_from([*entries.submitted_us.tolist(), 2 * 10**15])))
        states = np.array(data.draw(st.lists(st.integers(0, len(codes) - 1), min_size=1, max_size=5, unique=True)))
        # Totals that tie with somebody's as often as not.
        totals = np.array([data.draw(st.one_of(st.sampled_from(ranked_totals.tolist()), st.integers(0, 1500),
                                               st.just(NO_SCORE))) for _ in states])
        got = provisional_standing.of_candidate(connection, candidate, first_us, states, totals, codes)
    assert got["provisional"] is True and got["run_date"] == run.run_date
    expected = [{"state": codes[s], "total": None if t == NO_SCORE else int(t),
                 "rank": None if t == NO_SCORE else reference_rank(entries, int(s), int(t), first_us, candidate)}
                for s, t in zip(states, totals)]
    assert got["states"] == expected


def test_a_run_without_tie_groups_places_nobody(app):
    """A run written before tie groups existed cannot place anyone: no standing, rather than rank 1 for all."""
    add_pool(app, 30, seed=7)
    rank(app)
    with app.app_context():
        with engines.writer().begin() as connection:
            connection.execute(RankingTieGroup.__table__.delete())
        with engines.reader().connect() as connection:
            got = provisional_standing.of_candidate(connection, 10**6, 0, np.array([0]), np.array([100]), state_codes())
    assert got is None
