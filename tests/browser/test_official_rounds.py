"""The rounds console in a real browser: an official signs in, simulates a round and schedules the
same parameters with the keyboard alone, in English, French and German; axe finds nothing serious
on the dashboard, the rounds page (also with a refused time), the simulation and the round's page.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browser.harness import PHONE, add_staff, fresh_code, own_site, wait_for_new_page
from browser.test_candidate_journey import PASSWORD, check, send_credentials, tab_to, type_and_send, type_into
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app.accounts.models import Role

OFFICIAL = "official.de@example.eu"
OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the official's second factor, known to the test
USED_CODES: set[str] = set()  # each code signs in once
SCHEDULED = {"en": "The round is scheduled.", "fr": "Le tour est programmé.", "de": "Die Runde ist geplant."}
SIMULATED = {"en": "No one has been invited.", "fr": "Personne n’a été invité.", "de": "Niemand wurde eingeladen."}


@pytest.fixture(scope="module")
def console_site(tmp_path_factory, site):
    """A server over a database of its own, with an official of Germany (rounds scheduled here stay here)."""
    for base, _database_url in own_site(tmp_path_factory, "console-browser", lambda app: add_staff(
            app, OFFICIAL, PASSWORD, Role.OFFICIAL, "DE", OTP_SECRET)):
        yield base


@pytest.mark.parametrize("lang,hours", [("en", 3), ("fr", 4), ("de", 5)])
def test_an_official_simulates_then_schedules_a_round_with_the_keyboard_alone(browser, console_site, lang, hours):
    driver = browser
    driver.delete_all_cookies()
    driver.get(f"{console_site}/sign-in?lang={lang}")
    send_credentials(driver, OFFICIAL, keyboard=True)
    type_and_send(driver, "code", fresh_code(OTP_SECRET, USED_CODES))  # officials sign in with two factors
    assert "/official/" in driver.current_url
    check(driver, "official-dashboard", lang=lang)
    check(driver, "official-dashboard", PHONE, lang=lang)

    driver.get(f"{console_site}/official/rounds/?lang={lang}")
    check(driver, "official-rounds", lang=lang)
    moment = (datetime.now(UTC) + timedelta(hours=hours)).replace(second=0, microsecond=0)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "date", f"{moment:%Y-%m-%d}")
    type_into(driver, "time", f"{moment:%H:%M}:30")  # seconds: refused, not moved
    type_and_send(driver, "invitations", "6")
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#time']")
    check(driver, "official-rounds-refused", lang=lang)

    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    tab_to(driver, "time")
    time_box = driver.switch_to.active_element
    time_box.send_keys(Keys.CONTROL, "a")
    time_box.send_keys(f"{moment:%H:%M}")
    tab_to(driver, "min_score")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.switch_to.active_element.send_keys("100" + Keys.ENTER)
    wait_for_new_page(driver, old)
    assert SIMULATED[lang] in driver.page_source
    check(driver, "official-simulation", lang=lang)
    check(driver, "official-simulation", PHONE, lang=lang)

    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    button = "//form[contains(@action, '/official/rounds/schedule')]//button"
    for _ in range(400):
        if driver.switch_to.active_element == driver.find_element(By.XPATH, button):
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_new_page(driver, old)
    assert SCHEDULED[lang] in driver.page_source
    assert f"{moment:%Y%m%dT%H%MZ}-DE" in driver.page_source
    check(driver, "official-round", lang=lang)
