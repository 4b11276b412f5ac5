"""Rounds due together: one allocation, checked against textbook deferred acceptance; exactly once;
candidates holding an invitation sit out; ceiling, minimum score; verify and its exit codes."""
from __future__ import annotations

from rounds_helpers import (
    add_pool,
    due_rounds,
    invitations,
    rank,
    rounds_by_key,
    run_due,
    set_ceiling,
    statuses,
    textbook,
)
from sqlalchemy import update

from app.invitations.models import Invitation
from app.ranking_runs import run_entries
from app.storage import engines

SIZES = {"DE": 12, "FR": 9, "NL": 6, "IE": 4, "PL": 3}


def test_rounds_due_together_are_one_deferred_acceptance_run_once(app):
    add_pool(app, 400, seed=11)
    run = rank(app)
    keys = due_rounds(app, SIZES)
    lines = run_due(app)
    assert lines[0].startswith("completed"), lines
    stored = {i.candidate_id: i.state_code for i in invitations(app)}
    assert stored == textbook(app, run.run_id, SIZES)
    rounds = rounds_by_key(app, keys)
    for key, round_ in rounds.items():
        assert round_.status == "completed" and round_.ranking_run_id == run.run_id
        assert round_.invited == sum(1 for s in stored.values() if s == round_.state_code) <= SIZES[round_.state_code]
        assert round_.draw_states == sorted(SIZES)
    assert set(statuses(app, stored).values()) == {"invited"}
    assert run_due(app) == ["no rounds due"]
    assert len(invitations(app)) == len(stored)


def test_the_cutoff_is_the_last_invitee_in_the_states_order(app):
    add_pool(app, 300, seed=5)
    run = rank(app)
    (key,) = due_rounds(app, {"DE": 10})
    run_due(app)
    round_ = rounds_by_key(app, [key])[key]
    invited = [i for i in invitations(app)]
    lowest = min(invited, key=lambda i: (i.score, -i.rank))
    assert round_.cutoff_score == lowest.score == min(i.score for i in invited)
    assert round_.cutoff_candidate_id == max(invited, key=lambda i: i.rank).candidate_id
    assert round_.ranking_run_id == run.run_id and len(round_.input_hash) == 64


def test_candidates_holding_an_invitation_sit_out_later_rounds(app):
    add_pool(app, 200, seed=2)
    run = rank(app)
    due_rounds(app, {"DE": 8, "FR": 5}, minutes_ago=3)
    due_rounds(app, {"DE": 8, "FR": 5}, minutes_ago=2)
    lines = run_due(app)
    assert len(lines) == 2 and all(line.startswith("completed") for line in lines), lines
    all_invitations = invitations(app)
    first_round = {i.candidate_id for i in all_invitations if i.round_id in {1, 2}}
    assert len({i.candidate_id for i in all_invitations}) == len(all_invitations)
    second = {i.candidate_id: i.state_code for i in all_invitations if i.candidate_id not in first_round}
    assert second == textbook(app, run.run_id, {"DE": 8, "FR": 5}, excluded=first_round)


def test_the_ceiling_cuts_the_quota_and_the_minimum_score_is_respected(app):
    add_pool(app, 300, seed=8)
    rank(app)
    set_ceiling(app, "DE", 4)
    (key,) = due_rounds(app, {"DE": 10})
    (fr,) = due_rounds(app, {"FR": 50}, minutes_ago=2, min_score=520)
    run_due(app)
    rounds = rounds_by_key(app, [key, fr])
    assert rounds[key].quota == 4 and rounds[key].invited <= 4
    french = [i for i in invitations(app) if i.state_code == "FR"]
    assert all(i.score >= 520 for i in french)
    assert rounds[fr].invited == len(french)


def test_verify_recomputes_a_round_and_detects_a_tampered_invitation(app, runner):
    add_pool(app, 250, seed=4)
    rank(app)
    keys = due_rounds(app, {"DE": 6, "NL": 4})
    run_due(app)
    good = runner.invoke(args=["rounds", "verify", keys[0]])
    assert good.exit_code == 0, good.output
    assert "match" in good.output
    invited = {i.candidate_id for i in invitations(app)}
    with app.app_context():
        entries_ids = run_entries.read(engines.reader().connect(), 1).candidate_ids.tolist()
        outsider = next(c for c in entries_ids if c not in invited)
        with engines.writer().begin() as connection:
            table = Invitation.__table__
            connection.execute(update(table).where(table.c.id == 1).values(candidate_id=outsider))
    bad = runner.invoke(args=["rounds", "verify", keys[0]])
    assert bad.exit_code == 1, bad.output
    assert "unexpected invitation" in bad.output and "missing invitation" in bad.output


def test_verify_names_an_unknown_round_and_exits_2(runner):
    result = runner.invoke(args=["rounds", "verify", "20990101T0000Z-DE"])
    assert result.exit_code == 2
    assert "20990101T0000Z-DE" in result.output


def test_no_ranking_yet_means_the_round_waits(app):
    add_pool(app, 20)
    (key,) = due_rounds(app, {"DE": 3})
    assert "no complete ranking run" in run_due(app)[0]
    assert rounds_by_key(app, [key])[key].status == "scheduled"
    rank(app)
    assert run_due(app)[0].startswith("completed")


def test_a_category_round_invites_only_candidates_in_the_category(app):
    from sqlmodel import select

    from app import db
    from app.profiles.models import Profile

    add_pool(app, 400, seed=17)
    rank(app)
    health = {"key": "health", "title": "Health professionals", "definition": {"occupations": ["22"], "min_years": 2}}
    (key,) = due_rounds(app, {"DE": 15}, category=health)
    (other,) = due_rounds(app, {"NL": 15}, minutes_ago=2)
    run_due(app)
    by_state = {}
    for invitation in invitations(app):
        by_state.setdefault(invitation.state_code, []).append(invitation.candidate_id)
    assert by_state.get("DE"), "someone in the category should be invited"
    with app.app_context():
        profiles = {p.account_id: p for p in db.session().exec(select(Profile)).all()}

    def in_health(profile) -> bool:
        return any(job["occupation"].startswith("22") and job["years"] >= 2 for job in profile.document["experience"])

    assert all(in_health(profiles[c]) for c in by_state["DE"])
    assert not all(in_health(profiles[c]) for c in by_state["NL"])
    assert rounds_by_key(app, [key])[key].category == health


def test_candidates_who_left_the_pool_after_the_ranking_sit_out(app):
    """Withdrawn, expired and erased since the night's ranking: the draw (which reads only who
    left, not who stayed) leaves out exactly them, as textbook deferred acceptance without them."""
    import datetime as dt

    from app import clock, db
    from app.accounts.models import Account
    from app.privacy import erasure
    from app.profiles.models import Profile

    add_pool(app, 300, seed=23)
    run = rank(app)
    sizes = {"DE": 10, "FR": 6}
    withdrawn, expired, erased = list(textbook(app, run.run_id, sizes))[:3]
    with app.app_context():
        table = Profile.__table__
        with engines.writer().begin() as connection:
            connection.execute(update(table).where(table.c.account_id == withdrawn).values(status="withdrawn"))
            connection.execute(update(table).where(table.c.account_id == expired)
                               .values(expires_at=clock.now() - dt.timedelta(minutes=5)))
        session = db.session(write=True)
        erasure.erase(session, session.get(Account, erased))
        session.commit()
    due_rounds(app, sizes)
    assert run_due(app)[0].startswith("completed")
    stored = {i.candidate_id: i.state_code for i in invitations(app)}
    assert not {withdrawn, expired, erased} & set(stored)
    assert stored == textbook(app, run.run_id, sizes, excluded={withdrawn, expired, erased})
