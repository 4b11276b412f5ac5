"""A rule change that moves a candidate's total is told once, after the nightly run, in their language."""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import numpy as np
import ranking
from hypothesis import given, settings
from hypothesis import strategies as st
from ranking import NO_SCORE
from sqlmodel import select

from app import db
from app.notifications import rule_change_notices
from app.notifications.models import OutboxMessage
from app.ranking_runs import nightly
from app.ranking_runs.run_entries import RunEntries
from app.storage import entry_slots
from conftest import PASSWORD, sample_profile
from web.profile_form_posts import csrf_token

ME = "/api/v1/me/profile"


def de_overlay() -> dict:
    with (Path(ranking.__file__).parent / "grids" / "eu" / "overlays" / "DE.toml").open("rb") as handle:
        return tomllib.load(handle)


def totals(client, candidate) -> dict[str, int | None]:
    """Per-state totals as the profile API scores them today (the engine on the profile, not the runs)."""
    score = client.get(ME, headers=candidate["headers"]).get_json()["score"]
    return {state["state"]: state["total"] for state in score["states"]}


def rule_change_messages(app, account_id):
    with app.app_context():
        return list(db.session().exec(select(OutboxMessage).where(
            OutboxMessage.account_id == account_id, OutboxMessage.kind == "rule_change")).all())


def run_night(app):
    with app.app_context():
        return nightly.run()


def test_a_rule_change_is_told_once_with_the_new_and_old_totals(app, client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 27, 12, 0, tzinfo=dt.UTC)
    official, ana, ben = make_account("official", "DE"), make_account(), make_account()
    assert client.put(ME, json=sample_profile(), headers={**ana["headers"], "Accept-Language": "de"}).status_code == 200
    assert client.put(ME, json=sample_profile(), headers=ben["headers"]).status_code == 200
    before = totals(client, ana)
    saved = client.patch("/api/v1/states/DE/overlay", headers=official["headers"],
                         json={"version": "english-too", "languages": de_overlay()["languages"] + ["en"],
                               "effective_from": "2027-03-01"})
    assert saved.status_code == 200
    assert any(line == "rule-change notices: 0" for line in run_night(app))  # first run: nothing to compare
    frozen_clock.moment = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    after = totals(client, ana)
    assert after["DE"] != before["DE"] and after["NL"] == before["NL"]  # the change moves Germany only
    # Ben updates his profile between the runs: his move is his own, not told by this notice.
    assert client.put(ME, json=sample_profile(eu_study=True), headers=ben["headers"]).status_code == 200
    lines = run_night(app)
    assert "rule-change notices: 1" in lines, lines[-1]
    [mail] = rule_change_messages(app, ana["id"])
    assert mail.language == "de" and mail.recipient == ana["email"]
    assert "Deutschland" in mail.text_body and "1. März 2027" in mail.text_body
    assert f"{after['DE']}" in mail.text_body and f"{before['DE']}" in mail.text_body
    assert "Niederlande" not in mail.text_body  # unchanged rules there
    assert "<p>" in mail.html_body and "Deutschland" in mail.html_body and "<p>" not in mail.text_body
    assert rule_change_messages(app, ben["id"]) == []
    # The same night again (its run replaced) adds nothing.
    with app.app_context():
        nightly.rank(dt.date(2027, 3, 1), replace=True)
        assert rule_change_notices.notify(dt.date(2027, 3, 1)) == 0
    assert len(rule_change_messages(app, ana["id"])) == 1
    # Listed with the candidate's events and in the export.
    exported = client.get("/api/v1/me/export", headers=ana["headers"]).get_json()["messages"]
    assert [m["subject"] for m in exported if m["kind"] == "rule_change"] == [mail.subject]
    token = csrf_token(client.get("/sign-in").text)
    assert client.post("/sign-in", data={"csrf_token": token, "email": ana["email"], "password": PASSWORD}
                       ).status_code == 303
    assert mail.subject in client.get("/events").text


def test_no_rule_change_no_notice_and_the_english_wording(app, client, make_account, frozen_clock):
    frozen_clock.moment = dt.datetime(2027, 2, 27, 12, 0, tzinfo=dt.UTC)
    ana = make_account()
    assert client.put(ME, json=sample_profile(), headers=ana["headers"]).status_code == 200
    run_night(app)
    frozen_clock.advance(days=1)
    assert "rule-change notices: 0" in run_night(app)
    assert rule_change_messages(app, ana["id"]) == []
    with app.test_request_context():
        from app.notifications.outbox import render
        subject, text, html = render("rule_change", "en", {
            "changes": (("DE", dt.date(2027, 3, 1), 514, 502), ("IE", dt.date(2027, 3, 1), None, 480)),
            "grid_changed": False})
    assert "The additions of Germany changed on March 1, 2027. Your total in Germany is now 514 (was 502)." in text
    assert "You are no longer eligible in Ireland (your total there was 480)." in text


# The comparison against a plain reference: one Python loop over candidates and slots.

STATES = 6


def entries(ids, common, slots_states, slots_totals) -> RunEntries:
    n = len(ids)
    matrix = np.zeros((n, 4 + slots_states.shape[1]), dtype=np.int64)
    matrix[:, 0], matrix[:, 2] = ids, common
    ranks = np.zeros_like(slots_states, dtype=np.int64)
    matrix[:, 4:] = entry_slots.pack(slots_states, slots_totals, ranks)
    return RunEntries(matrix)


def reference(old, new, changed, unchanged, grid_changed):
    found = {}
    old_rows = {int(row[0]): row for row in old}
    for row in new:
        cid = int(row[0])
        if cid not in old_rows or cid in unchanged:
            continue
        before = old_rows[cid]
        if not grid_changed and before[1] != row[1]:
            continue
        moved = [(s, ot, nt) for (s0, ot), (s, nt) in zip(before[2], row[2])
                 if s == s0 and s >= 0 and changed[s] and ot != nt]
        if moved:
            found[cid] = moved
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 15), unique=True, max_size=12), st.lists(st.integers(1, 15), unique=True, max_size=12),
       st.data(), st.lists(st.booleans(), min_size=STATES, max_size=STATES), st.sets(st.integers(1, 15)), st.booleans())
def test_moved_matches_a_plain_reference(old_ids, new_ids, data, changed, unchanged, grid_changed):
    def draw(ids):
        rows = []
        for cid in sorted(ids):
            common = data.draw(st.integers(0, 2))
            slots = data.draw(st.lists(st.tuples(st.integers(-1, STATES - 1),
                                                 st.sampled_from([NO_SCORE, 400, 450])), min_size=3, max_size=3))
            slots = [(s, NO_SCORE if s < 0 else t) for s, t in slots]
            rows.append((cid, common, slots))
        return rows

    old, new = draw(old_ids), draw(new_ids)

    def as_entries(rows):
        if not rows:
            return entries(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 3), np.int16),
                           np.zeros((0, 3), np.int32))
        return entries(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
                       np.array([[s for s, _ in r[2]] for r in rows], dtype=np.int16),
                       np.array([[t for _, t in r[2]] for r in rows], dtype=np.int32))

    ids, mask, states, old_totals, new_totals = rule_change_notices.moved(
        as_entries(old), as_entries(new), np.array(changed), np.array(sorted(unchanged), dtype=np.int64), grid_changed)
    got = {int(cid): [(int(s), int(o), int(n)) for s, o, n, m in zip(states[i], old_totals[i], new_totals[i], mask[i]) if m]
           for i, cid in enumerate(ids)}
    assert got == reference(old, new, changed, unchanged, grid_changed)
