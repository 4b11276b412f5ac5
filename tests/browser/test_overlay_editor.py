"""An official changes their state's overlay in a real browser: the editor, the preview with its
effective date, then Save, and the revision listed with its date; in English, French and German,
at desktop and phone widths, with no serious axe violation."""
from __future__ import annotations

import pytest
from browser.harness import DESKTOP, PHONE, add_staff, fresh_code, own_site
from selenium.webdriver.common.by import By
from browser.test_candidate_journey import PASSWORD, check, press

from app.accounts.models import Role

OFFICIAL = "official.rules@example.eu"
OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the official's second factor, known to the test
USED_CODES: set[str] = set()  # each code signs in once: the module's tests sign in one after the other


@pytest.fixture(scope="module")
def rules_site(tmp_path_factory, site):
    """A server over a database of its own, with a DE official (a saved overlay must not reach other tests)."""
    for base, _database_url in own_site(tmp_path_factory, "rules-browser", lambda app: add_staff(
            app, OFFICIAL, PASSWORD, Role.OFFICIAL, "DE", OTP_SECRET)):
        yield base


def go(driver, base: str, path: str, lang: str = "en") -> None:
    driver.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")


def sign_in(driver, base: str) -> None:
    driver.delete_all_cookies()
    driver.set_window_size(*DESKTOP)
    go(driver, base, "/sign-in")
    driver.find_element(By.ID, "email").send_keys(OFFICIAL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    press(driver, "main form button[type=submit]")
    driver.find_element(By.ID, "code").send_keys(fresh_code(OTP_SECRET, USED_CODES))  # officials: two factors
    press(driver, "main form button[type=submit]")


def test_an_official_previews_and_saves_a_dated_overlay_change(browser, rules_site):
    driver = browser
    sign_in(driver, rules_site)
    go(driver, rules_site, "/official/rules/overlay")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Change the additions of Germany"
    effective = driver.find_element(By.ID, "effective_from").get_attribute("value")
    assert effective  # the next nightly ranking's date, filled in
    assert not driver.find_elements(By.CSS_SELECTOR, "button[value=save]")  # no Save before a preview
    check(driver, "rules-overlay")
    minimum = driver.find_element(By.ID, "min_total")
    minimum.clear()
    minimum.send_keys("450")
    press(driver, "button[value=preview]")
    heading = driver.find_element(By.ID, "preview-title").text
    assert heading.startswith("Preview from ")
    assert "No longer eligible" in driver.find_element(By.ID, "preview").text
    assert "A round of 15 invitations" in driver.find_element(By.ID, "preview").text  # DE's last round
    for size in (DESKTOP, PHONE):
        check(driver, "rules-preview", size)
    driver.set_window_size(*DESKTOP)
    driver.find_element(By.ID, "version").send_keys("browser-minimum-450")
    press(driver, "button[value=save]")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Rules of Germany"
    assert "browser-minimum-450" in driver.find_element(By.TAG_NAME, "table").text
    assert "Upcoming" in driver.find_element(By.TAG_NAME, "table").text or "In force" in driver.find_element(
        By.TAG_NAME, "table").text
    check(driver, "rules-overview")
    for lang in ("fr", "de"):
        go(driver, rules_site, "/official/rules/overlay", lang)
        check(driver, "rules-overlay", lang=lang)
        go(driver, rules_site, "/official/rules", lang)
        check(driver, "rules-overview", lang=lang)


def test_an_official_gives_a_category_a_dated_revision(browser, rules_site):
    driver = browser
    sign_in(driver, rules_site)
    go(driver, rules_site, "/official/rules/categories")
    earliest = driver.find_element(By.ID, "effective_from").get_attribute("value")
    assert earliest  # the next nightly ranking's date, filled in
    driver.find_element(By.ID, "key").send_keys("ict")
    driver.find_element(By.ID, "title").send_keys("ICT professionals")
    driver.find_element(By.ID, "occupations").send_keys("25")
    press(driver, "button[value=preview]")
    assert driver.find_element(By.ID, "preview-title").text.startswith("Preview from ")
    press(driver, "button[value=save]")
    # A second revision, a month after the first.
    later = f"{int(earliest[:4]) + (earliest[5:7] == '12')}-{int(earliest[5:7]) % 12 + 1:02d}-01"
    driver.find_element(By.ID, "key").send_keys("ict")
    driver.find_element(By.ID, "title").send_keys("ICT professionals")
    driver.find_element(By.ID, "occupations").send_keys("25\n35")
    field = driver.find_element(By.ID, "effective_from")
    field.clear()
    field.send_keys(later)
    press(driver, "button[value=preview]")  # Save comes with the preview
    press(driver, "button[value=save]")
    assert f"takes effect on {later}" in driver.find_element(By.TAG_NAME, "main").text
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 2 and "In force" in rows[0].text and "Upcoming" in rows[1].text
    for size in (DESKTOP, PHONE):
        check(driver, "rules-categories", size)
    for lang in ("fr", "de"):
        go(driver, rules_site, "/official/rules/categories", lang)
        check(driver, "rules-categories", lang=lang)
