"""The server's own timing of a request: off by default, a `Server-Timing` header when on."""
import re

from conftest import TEST_SETTINGS

from app import create_app


def _timing(database_url, **settings):
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url, **settings})
    try:
        return application.test_client().get("/api/v1/states").headers.get("Server-Timing")
    finally:
        application.extensions["talentpool.engine"].dispose()


def test_no_timing_unless_asked(database_url):
    assert _timing(database_url) is None


def test_timing_splits_the_request_into_sql_and_the_rest(database_url):
    header = _timing(database_url, SERVER_TIMING=True)
    parts = dict(re.findall(r"(\w+);dur=([\d.]+)", header))
    queries = int(re.search(r'sql;dur=[\d.]+;desc="(\d+)"', header).group(1))
    assert set(parts) == {"app", "sql", "cpu"}
    assert queries >= 1 and 0 < float(parts["sql"]) <= float(parts["app"])
