"""The demonstration seed, and the migrations against the models on both databases."""
import numpy as np
import ranking
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from oracles.pool import read_active
from sqlalchemy import text
from sqlmodel import SQLModel, func, select

from datetime import timedelta

from app import clock, db, migrate
from app.accounts.models import Account
from app.demo import employers as demo_employers
from app.demo import seed, synthetic_pool
from app.profiles.lifecycle import EPOCH
from app.profiles.models import Profile
from app.states import grid as grids


def test_the_seed_fills_an_empty_database_once(app, runner):
    app.config["DEMO_CANDIDATES"] = 300
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "seed"])
    assert "nothing added" in second.output
    with app.app_context():
        session = db.session()
        roles = dict(session.exec(select(Account.role, func.count()).group_by(Account.role)).all())
        assert roles == {"admin": 1, "official": 27, "candidate": 300, "employer": len(demo_employers.ORGANISATIONS)}
        states = set(session.exec(select(Account.state_code).where(Account.role == "official")).all())
        assert len(states) == 27
        with db.engine().connect() as connection:
            pool = read_active(connection, clock.now())
    assert len(pool.candidate_ids) == 300
    scores = ranking.load_grid("eu").score(pool.columns)
    # Plausible, not degenerate: most candidates are eligible and totals spread out.
    assert 0.5 < scores.eligible.mean() <= 1
    assert np.unique(scores.total).size > 30
    assert len(np.unique(pool.submitted_us)) == 300


def test_seeding_a_pool_writes_valid_rows_whose_documents_re_encode_to_their_records(app, runner, make_account):
    first = runner.invoke(args=["demo", "seed", "--candidates", "700", "--seed", "7"])
    assert first.exit_code == 0, first.output
    assert "700 candidates" in first.output
    again = runner.invoke(args=["demo", "seed", "--candidates", "700"])
    assert again.exit_code == 0 and "nothing added" in again.output
    with app.app_context():
        session = db.session()
        grid = grids.current(session)
        rows = session.exec(select(Profile).order_by(Profile.id)).all()
        accounts = {a.id: a for a in session.exec(select(Account).where(Account.role == "candidate")).all()}
    assert len(rows) == len(accounts) == 700
    documents = [row.document for row in rows]
    stored = b"".join(row.record for row in rows)
    assert grid.encode_records(documents, as_of=clock.today()).tobytes() == stored
    # The record holds the service's verified job offer too (none in a synthetic pool); the document does not.
    assert [{"verified_job_offer": None, **document} for document in documents] == [grid.decode(row.record) for row in rows]
    assert {row.record_grid for row in rows} == {grid.record_version}
    assert all(row.status == "active" and row.account_id == row.id for row in rows)
    assert all(row.first_submitted_at < row.expires_at and row.first_submitted_at <= clock.now() for row in rows)
    assert [(row.first_submitted_at - EPOCH) // timedelta(microseconds=1) for row in rows] == \
        [row.first_submitted_us for row in rows]
    assert len({a.reference for a in accounts.values()}) == 700
    # The README's demo account is the newest profile, far from its expiry; the oldest is the last number.
    newest = max(rows, key=lambda row: (row.first_submitted_us, row.id))
    assert accounts[newest.id].email == "candidate00001@demo.talentpool.eu"
    assert accounts[rows[0].id].email == "candidate00700@demo.talentpool.eu"
    # The ids' sequence was moved past the pool: a new account gets the next id.
    assert make_account()["id"] > max(accounts)


def test_a_seed_gives_the_same_pool_for_the_same_seed(app, runner):
    runner.invoke(args=["demo", "seed", "--candidates", "50", "--seed", "3"])
    with app.app_context():
        documents = [p.document for p in db.session().exec(select(Profile).order_by(Profile.id)).all()]
        eu = grids.shipped_grid()
    decoded = [eu.decode(r) for r in synthetic_pool.records(eu, 50, 3, as_of=clock.today(),
                                                            state_weights=seed.STATE_WEIGHTS)]
    assert [{"verified_job_offer": None, **document} for document in documents] == decoded


def test_a_seeded_official_and_candidate_can_sign_in(app, runner, client):
    app.config["DEMO_CANDIDATES"] = 5
    runner.invoke(args=["demo", "seed"])
    password = app.config["DEMO_PASSWORD"]
    official = "official.de@demo.talentpool.eu"  # enrolled in two-factor sign-in; the CLI gives its code
    assert client.post("/api/v1/tokens", json={"email": official, "password": password}).status_code == 401
    code = runner.invoke(args=["accounts", "otp", official])
    assert code.exit_code == 0 and code.output.strip().isdigit(), code.output
    response = client.post("/api/v1/tokens", json={"email": official, "password": password, "otp": code.output.strip()})
    assert response.status_code == 201
    response = client.post("/api/v1/tokens", json={"email": "candidate00001@demo.talentpool.eu", "password": password})
    assert response.status_code == 201
    token = response.get_json()["token"]
    profile = client.get("/api/v1/me/profile", headers={"Authorization": f"Bearer {token}"})
    assert profile.status_code == 200 and profile.get_json()["score"]["states"]


def test_the_pool_reader_returns_only_active_unexpired_profiles_in_id_order(app, client, make_account, frozen_clock):
    from conftest import sample_profile

    people = [make_account() for _ in range(3)]
    for who in reversed(people):
        client.put("/api/v1/me/profile", json=sample_profile(), headers=who["headers"])
    client.delete("/api/v1/me/profile", headers=people[1]["headers"])
    with app.app_context(), db.engine().connect() as connection:
        pool = read_active(connection, clock.now())
        later = read_active(connection, clock.now().replace(year=clock.now().year + 2))
    assert pool.candidate_ids.tolist() == [people[0]["id"], people[2]["id"]]
    assert pool.columns["preferences"].shape == (2, 5)
    assert len(later.candidate_ids) == 0


def test_the_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_the_migrations_go_down_and_up_again(app, runner):
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with app.app_context(), db.engine().connect() as connection:
        tables = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
    assert tables == 0
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        heads = migrate.head_revisions()
    assert set(runner.invoke(args=["db", "current"]).output.split()) == heads


def test_a_profile_row_is_its_document_and_record_and_no_column_per_input(app):
    table = Profile.__table__
    assert set(table.c.keys()) == {"id", "account_id", "status", "first_submitted_at", "first_submitted_us",
                                   "updated_at", "confirmed_at", "expires_at", "withdrawn_at", "removed_at",
                                   "removal_reason", "document", "record", "record_grid"}


def test_the_weighted_picks_are_distinct_follow_the_weights_and_do_not_depend_on_the_block(monkeypatch):
    weights = np.r_[0.0, np.ones(8), 40.0]  # choice 0 never, choice 9 far most often first
    picks = synthetic_pool._distinct(np.random.default_rng(3), 5000, 10, 4, weights)
    assert picks.shape == (5000, 4)
    assert (np.diff(np.sort(picks, axis=1), axis=1) > 0).all()  # distinct in every row
    assert not (picks == 0).any()
    first = np.bincount(picks[:, 0], minlength=10)
    assert first.argmax() == 9 and first[9] > 0.7 * 5000  # 40 / 48 of the first picks, give or take
    monkeypatch.setattr(synthetic_pool, "DRAW_BLOCK_ROWS", 333)
    assert (synthetic_pool._distinct(np.random.default_rng(3), 5000, 10, 4, weights) == picks).all()
