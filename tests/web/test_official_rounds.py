"""The state's dashboard and the rounds console: simulate, schedule the same, cancel, results, invitees."""
from __future__ import annotations

import datetime as dt

from profile_form_posts import csrf_token
from rounds.rounds_helpers import add_pool, rank, run_due, set_ceiling
from sqlmodel import select
from test_official_console import sign_in

from app import clock, db
from app.rounds.models import Round, RoundSimulation


def round_fields(minutes: int = 30, **changes) -> dict:
    moment = clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)
    return {"date": f"{moment:%Y-%m-%d}", "time": f"{moment:%H:%M}", "invitations": "12", "category": "",
            "min_score": "", **changes}


def post(client, path: str, fields: dict, page: str = "/official/rounds/"):
    return client.post(path, data={"csrf_token": csrf_token(client.get(page).text), **fields})


def test_an_official_simulates_then_schedules_the_same_round_and_sees_it_run(app, client, make_account,
                                                                            frozen_clock):
    add_pool(app, 300, seed=3)
    rank(app)
    set_ceiling(app, "DE", 100)
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    dashboard = client.get("/official/")
    assert dashboard.status_code == 200 and "Dashboard: Germany" in dashboard.text
    assert "Candidates who list Germany" in dashboard.text and "No round is scheduled." in dashboard.text
    fields = round_fields(5)
    simulated = post(client, "/official/rounds/simulate", fields)
    assert simulated.status_code == 200, simulated.text
    assert "Simulated round" in simulated.text and "No one has been invited" in simulated.text
    with app.app_context():
        kept = db.session().exec(select(RoundSimulation)).one()
    assert str(kept.result["invited"]) in simulated.text
    scheduled = client.post("/official/rounds/schedule",
                            data={"csrf_token": csrf_token(simulated.text), **fields})
    assert scheduled.status_code == 303
    with app.app_context():
        round_ = db.session().exec(select(Round)).one()
    assert round_.size == 12 and round_.scheduled_at == kept.scheduled_at
    page = client.get(scheduled.headers["Location"])
    assert "The round is scheduled" in page.text and "Latest simulation" in page.text
    assert "Cancel this round" in page.text
    frozen_clock.advance(minutes=6)
    assert run_due(app)[0].startswith("completed")
    done = client.get(f"/official/rounds/{round_.key}")
    assert "The round invited exactly the candidates simulated." in done.text
    assert "Invitees in rank order" in done.text and "Waiting for an answer" in done.text
    assert "Cancel this round" not in done.text
    assert round_.key in client.get("/official/").text  # past rounds on the dashboard


def test_a_time_with_seconds_and_too_many_invitations_are_refused_on_their_fields(app, client, make_account):
    set_ceiling(app, "DE", 10)
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    seconds = post(client, "/official/rounds/simulate", round_fields(time="10:00:30"))
    assert seconds.status_code == 422 and "rounds run at whole minutes" in seconds.text
    assert 'href="#time"' in seconds.text
    too_many = post(client, "/official/rounds/schedule", round_fields(invitations="11"))
    assert too_many.status_code == 422 and "At most 10" in too_many.text and 'href="#invitations"' in too_many.text
    german = client.post("/official/rounds/simulate?lang=de", data={
        "csrf_token": csrf_token(client.get("/official/rounds/").text), **round_fields(time="10:00:30")})
    assert german.status_code == 422 and "Geben Sie nur Stunden und Minuten an" in german.text
    with app.app_context():
        assert db.session().exec(select(Round)).all() == []


def test_an_official_cancels_a_round_before_it_runs(app, client, make_account):
    set_ceiling(app, "DE", 50)
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    assert post(client, "/official/rounds/schedule", round_fields(60)).status_code == 303
    with app.app_context():
        key = db.session().exec(select(Round.key)).one()
    confirm = client.get(f"/official/rounds/{key}/cancel")
    assert confirm.status_code == 200 and "Yes, cancel the round" in confirm.text
    done = client.post(f"/official/rounds/{key}/cancel", data={"csrf_token": csrf_token(confirm.text), "key": key})
    assert done.status_code == 303
    assert f"Round {key} was cancelled." in client.get(done.headers["Location"]).text
    with app.app_context():
        assert db.session().exec(select(Round)).all() == []


def test_an_administrator_reads_a_chosen_state_and_cannot_act(app, client, make_account):
    set_ceiling(app, "FR", 40)
    admin = make_account("admin")
    sign_in(client, admin["email"])
    chooser = client.get("/official/")
    assert 'name="state"' in chooser.text
    france = client.get("/official/?state=FR")
    assert "Dashboard: France" in france.text and "40" in france.text
    rounds = client.get("/official/rounds/?state=FR")
    assert rounds.status_code == 200 and "Simulate the round" not in rounds.text
    assert post(client, "/official/rounds/simulate", round_fields(), page="/official/").status_code == 403
