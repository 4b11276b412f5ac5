"""A round simulation computes before it takes the write lock (issue 11).

On SQLite a write transaction holds the one database write lock (`BEGIN IMMEDIATE`), and a
simulation request used to hold it from its token lookup through the whole draw (reading the
ranking run, the joint allocation, the invitees' counts). Now the draw runs under a read
transaction and only the kept simulation is written, in a short one. These tests watch every
transaction the application's engine opens and fail if the draw or the counts run while a write
one is open; the API route and the console page alike.
"""
from __future__ import annotations

import datetime as dt

import pytest
import write_transactions
from profile_form_posts import csrf_token
from rounds.rounds_helpers import add_pool, rank, set_ceiling
from sqlmodel import select
from test_official_console import sign_in

from app import clock, db
from app.audit.models import AuditEvent
from app.rounds import execution, simulation
from app.rounds.models import RoundSimulation


@pytest.fixture
def watched(app, monkeypatch):
    """Fail if the draw or the cohort's counts run while a write transaction is open; list what ran."""
    return write_transactions.watch(app, monkeypatch, [(execution, "compute"), (simulation, "_cohort")])


@pytest.fixture
def ranked_pool(app):
    add_pool(app, 200, seed=11)
    rank(app)
    set_ceiling(app, "DE", 100)


def at(minutes: int) -> dt.datetime:
    return clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)


def kept(app) -> tuple[list[RoundSimulation], list[AuditEvent]]:
    with app.app_context():
        session = db.session()
        return (list(session.exec(select(RoundSimulation)).all()),
                list(session.exec(select(AuditEvent).where(AuditEvent.action == "round.simulate")).all()))


def test_the_api_simulates_under_a_read_transaction_and_keeps_the_result(app, client, make_account,
                                                                           ranked_pool, watched):
    official = make_account("official", "DE")
    response = client.post("/api/v1/states/DE/rounds/simulations",
                           json={"scheduled_at": at(30).isoformat(), "invitations": 10},
                           headers=official["headers"])
    assert response.status_code == 201, response.get_json()
    assert watched == ["compute", "_cohort"]
    simulations, events = kept(app)
    assert [s.id for s in simulations] == [response.get_json()["id"]]
    assert simulations[0].result["invited"] == response.get_json()["invited"]
    assert [e.details["simulation"] for e in events] == [simulations[0].id]


def test_the_console_page_simulates_under_a_read_transaction(app, client, make_account, ranked_pool, watched):
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    moment = at(30)
    page = client.get("/official/rounds/")
    answer = client.post("/official/rounds/simulate", data={
        "csrf_token": csrf_token(page.text), "date": f"{moment:%Y-%m-%d}", "time": f"{moment:%H:%M}",
        "invitations": "10", "category": "", "min_score": ""})
    assert answer.status_code == 200, answer.text
    assert watched == ["compute", "_cohort"]
    simulations, events = kept(app)
    assert len(simulations) == 1 and len(events) == 1


def test_a_refused_simulation_keeps_nothing(app, client, make_account, ranked_pool, watched):
    official = make_account("official", "DE")
    response = client.post("/api/v1/states/DE/rounds/simulations",
                           json={"scheduled_at": at(30).isoformat(), "invitations": 101},
                           headers=official["headers"])
    assert response.status_code == 422
    assert watched == [] and kept(app) == ([], [])
