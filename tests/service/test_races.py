"""Twenty requests at once at every check-then-insert: one success, and the others get what a
request made a moment later gets (issue 9: on PostgreSQL these were 500s, `UniqueViolation`).

Each unique constraint of the models and where it is checked before an insert:
- `account.email`: registration (`registration.create`, then `db.add_or_conflict`);
- `category (state_code, key)`: PUT of a new category (`administration.save_category`, under the
  state's row lock: the losers update what the winner created, as they would a moment later);
- `round.key` and `round (state_code, scheduled_at)`: scheduling two rounds in one minute
  (`scheduling.schedule`, under the state's row lock, and `db.add_or_conflict`); the same lock keeps
  rounds at different minutes from overrunning the annual ceiling together;
- `profile.account_id`: a candidate's first PUT of a profile (the profile service locks the account row).
Tokens' hashes and accounts' references are random; ranking runs and invitations are written by
the nightly job and the rounds, not by requests, and have their own tests.
"""
import datetime as dt

from conftest import PASSWORD, sample_profile
from parallel import at_once, statuses
from sqlmodel import func, select

from app import clock, db
from app.accounts.models import Account
from app.audit.models import AuditEvent
from app.profiles.models import Profile
from app.rounds.models import Round

N = 20
HEALTH = {"title": "Health professionals", "definition": {"occupations": ["22"]}}


def no_server_error(responses):
    assert all(response.status_code < 500 for response in responses), [r.get_json() for r in responses]


def count(app, statement):
    with app.app_context():
        return db.session().exec(statement).one()


def test_one_address_registered_twenty_times_at_once(app):
    # Room for twenty hashes at once: the race, not the bounded hashing queue (its own test is in
    # test_password_hashing.py), is what this test watches; on a slow machine 20 > 16 were refused.
    app.config["PASSWORD_HASH_QUEUE"] = 2 * N
    def send(client, i):
        return client.post("/api/v1/accounts", json={"email": "ana@example.eu", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": f"10.1.0.{i}"})

    responses = at_once(app, N, send)
    no_server_error(responses)
    assert statuses(responses) == [202] * N  # the race's losers answer as a known address does
    later = send(app.test_client(), N)
    assert {r.get_json()["message"] for r in responses} == {later.get_json()["message"]}
    assert count(app, select(func.count()).select_from(Account)) == 1


def test_one_category_created_twenty_times_at_once(app, make_account):
    official = make_account("official", "DE")
    url = "/api/v1/states/DE/categories/health"
    responses = at_once(app, N, lambda client, _i: client.put(url, json=HEALTH, headers=official["headers"]))
    no_server_error(responses)
    assert statuses(responses) == [200] * N  # one creation, then 19 replacements, as one after the other
    actions = count(app, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "category.create"))
    updates = count(app, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "category.update"))
    assert (actions, updates) == (1, N - 1)


def _official_with_ceiling(app, client, make_account, ceiling):
    official = make_account("official", "DE")
    assert client.put("/api/v1/states/DE/ceiling", json={"annual_invitation_ceiling": ceiling},
                      headers=official["headers"]).status_code == 200
    return official


def _at(minutes: int) -> str:
    moment = clock.now().replace(second=0, microsecond=0) + dt.timedelta(days=3, minutes=minutes)
    if moment.year != (clock.now() + dt.timedelta(days=3)).year:  # keep every round in one calendar year
        moment -= dt.timedelta(days=6)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def test_two_rounds_in_one_minute_twenty_times_at_once(app, client, make_account):
    official = _official_with_ceiling(app, client, make_account, 1000)
    body = {"scheduled_at": _at(0), "invitations": 5}
    responses = at_once(app, N, lambda c, _i: c.post("/api/v1/states/DE/rounds", json=body, headers=official["headers"]))
    no_server_error(responses)
    assert statuses(responses) == [201] + [409] * (N - 1)
    later = client.post("/api/v1/states/DE/rounds", json=body, headers=official["headers"])
    assert {r.get_json()["message"] for r in responses if r.status_code == 409} == {later.get_json()["message"]}


def test_rounds_at_once_never_overrun_the_annual_ceiling(app, client, make_account):
    official = _official_with_ceiling(app, client, make_account, 7)
    responses = at_once(app, N, lambda c, i: c.post("/api/v1/states/DE/rounds", json={
        "scheduled_at": _at(i), "invitations": 1}, headers=official["headers"]))
    no_server_error(responses)
    assert statuses(responses) == [201] * 7 + [422] * (N - 7)
    assert count(app, select(func.sum(Round.size)).where(Round.state_code == "DE")) == 7


def test_a_first_profile_submitted_twenty_times_at_once(app, candidate):
    responses = at_once(app, N, lambda c, _i: c.put("/api/v1/me/profile", json=sample_profile(),
                                                      headers=candidate["headers"]))
    no_server_error(responses)
    assert statuses(responses) == [200] * N
    assert count(app, select(func.count()).select_from(Profile)) == 1
