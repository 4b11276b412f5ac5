"""The privacy notice: linked from every page, in every offered language, its periods read from
the configuration the service runs with, and each right with the place to use it."""
from __future__ import annotations

import re

import pytest

from app.web.languages import COOKIE_MAX_AGE

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # reads no table


def h1(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


@pytest.mark.parametrize("path", ["/", "/calculator", "/register", "/rounds"])
def test_every_page_links_to_the_notice(client, path):
    assert 'href="/privacy"' in client.get(path).text


@pytest.mark.parametrize("language, title", [("en", "Privacy notice"), ("fr", "Protection des données"),
                                             ("de", "Datenschutzhinweis")])
def test_the_notice_in_each_language(client, language, title):
    response = client.get(f"/privacy?lang={language}")
    assert response.status_code == 200 and h1(response.text) == [title]
    assert f'<html lang="{language}">' in response.text


def test_the_periods_are_the_configured_ones(app, client):
    app.config.update(PROFILE_VALIDITY_MONTHS=7, PROFILE_RETENTION_DAYS=123, TOKEN_TTL_SECONDS=5 * 3600,
                      SESSION_RETENTION_DAYS=45, THROTTLE_WINDOW_SECONDS=20 * 60, INVITATION_DAYS=33,
                      RANKING_RUNS_KEPT=4)
    text = client.get("/privacy").text
    for sentence in ("7 months from when you submit or renew it", "Deleted 123 days after it left the pool",
                     "A session lasts 5 hours at most", "deleted 45 days later", "after 20 minutes without one",
                     "You have 33 days to answer an invitation", "The newest 4 rankings are kept",
                     f"{COOKIE_MAX_AGE // 86400} days."):
        assert sentence in text, sentence
    german = client.get("/privacy?lang=de").text
    assert "Gelöscht 123 Tage, nachdem es den Pool verlassen hat." in german
    app.config.update(RANKING_RUNS_KEPT=1)
    assert "The newest 1 ranking is kept" in client.get("/privacy?lang=en").text  # the singular too


def test_each_right_says_where_to_use_it(client):
    text = client.get("/privacy").text
    for article in ("Articles 13 and 14", "Article 15", "Article 16", "Article 17", "Article 18", "Article 20",
                    "Article 21", "Article 22", "Article 7(3)", "Article 77"):
        assert f"({article})" in text, article
    for place in ('href="/account"', 'href="/profile"', 'href="/account/erase"', 'href="/profile/withdraw"'):
        assert place in text
    assert "still personal data under the GDPR" in text  # pseudonymised records are not anonymous
    for who in ("You:", "Officials of a member state:", "Administrators of the service:", "Employers:", "The public:"):
        assert who in text


def test_the_controller_named_in_the_configuration_is_shown(app, client):
    assert "has not yet given its name" in client.get("/privacy").text
    app.config["PRIVACY_CONTACT"] = "Agency X, Rue Y 1, Brussels; dpo@example.eu"
    text = client.get("/privacy").text
    assert "Agency X, Rue Y 1, Brussels; dpo@example.eu" in text and "has not yet given its name" not in text
