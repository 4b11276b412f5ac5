"""Liveness and readiness."""
from sqlalchemy import text

from app import create_app


def test_healthz_answers_without_a_database(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/never-created.sqlite3"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ready"}


def test_readyz_refuses_a_database_behind_the_code(app, client):
    with app.extensions["talentpool.engine"].begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert "flask db upgrade" in body["message"]


def test_readyz_refuses_an_unreachable_database():
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.get_json()["message"]
