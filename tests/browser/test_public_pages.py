"""Every public page in a real browser: in English, French and German, on a desktop and a phone,
with no axe-core violation of impact serious or critical, and usable from the keyboard."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser.harness import DESKTOP, PHONE, assert_accessible
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

PAGES = ["/", "/grid", "/rounds", "/pool", "/states", "/states/DE", "/states/MT", "/privacy", "/no-such-page"]
HEADINGS = {
    ("/", "en"): "Work in the EU: the Talent Pool",
    ("/", "fr"): "Travailler dans l’UE : la réserve de talents",
    ("/", "de"): "Arbeiten in der EU: der Talentpool",
    ("/grid", "de"): "Wie Punkte vergeben werden",
    ("/states/DE", "fr"): "Allemagne",
    ("/privacy", "de"): "Datenschutzhinweis",
}


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "fr", "de"])
@pytest.mark.parametrize("path", PAGES)
def test_the_page_is_accessible(page, path, lang, size):
    driver = page(path, lang=lang, size=size)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    headings = driver.find_elements(By.TAG_NAME, "h1")
    assert len(headings) == 1
    if (path, lang) in HEADINGS:
        assert headings[0].text == HEADINGS[path, lang]
    for landmark in ("header", "nav", "main", "footer"):
        assert driver.find_elements(By.TAG_NAME, landmark), landmark
    # Nothing wider than the window: a phone never scrolls sideways (tables scroll in their own box).
    assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
    assert_accessible(driver)


def test_every_round_page_is_accessible(page):
    driver = page("/rounds")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main table a")]
    assert len(links) == 5
    for lang in ("en", "de"):
        for size in (DESKTOP, PHONE):
            driver = page(urlsplit(links[0]).path, lang=lang, size=size)
            assert "rounds verify" in driver.find_element(By.TAG_NAME, "pre").text
            assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
            assert_accessible(driver)


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(page):
    driver = page("/grid")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link" and focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash") == "#main"


def test_the_language_switcher_keeps_the_choice_in_a_cookie(page, site):
    driver = page("/states", lang="en")
    driver.find_element(By.CSS_SELECTOR, ".languages a[lang=de]").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Mitgliedstaaten"
    driver.get(f"{site}/rounds")  # no ?lang= any more: the cookie keeps German
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Einladungsrunden"
