"""Two-factor sign-in and the administrators' pages in a real browser, with the keyboard alone.

An enrolled official signs in with the password, then a wrong and a right code; an official not
yet enrolled is led through the QR code, the first code and the recovery codes; an administrator
sees the audit trail and the accounts. axe finds nothing serious on these pages, at desktop and
phone widths, with and without errors. Codes come from pyotp on the secrets written here.
"""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from browser.harness import PHONE, add_staff, fresh_code, own_site
from browser.test_candidate_journey import PASSWORD, check, send_credentials, tab_to, type_and_send
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app.accounts.models import Role

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CHEAP = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}
PEOPLE = (("official.enrolled@example.eu", Role.OFFICIAL, "DE", True),
          ("official.new@example.eu", Role.OFFICIAL, "FR", False),
          ("admin.enrolled@example.eu", Role.ADMIN, None, True))


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory, site):
    """A server over a database of its own, with an official enrolled, one not, and an administrator."""

    def prepare(app):
        for email, role, state, enrolled in PEOPLE:
            add_staff(app, email, PASSWORD, role, state, SECRET if enrolled else None)

    for base, _database_url in own_site(tmp_path_factory, "two-factor-browser", prepare, settings=CHEAP):
        yield base


@pytest.fixture
def go(browser, staff_site):
    def visit(path: str, *, fresh: bool = False):
        if fresh:
            browser.delete_all_cookies()
        browser.get(f"{staff_site}{path}{'&' if '?' in path else '?'}lang=en")
        return browser

    return visit


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def wrong_code(secret: str) -> str:
    now = time.time()
    valid = {pyotp.TOTP(secret).at(now + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)


def test_an_enrolled_official_signs_in_with_a_code_by_keyboard(browser, go):
    go("/sign-in?next=/official/", fresh=True)
    send_credentials(browser, "official.enrolled@example.eu", keyboard=True)
    assert heading(browser) == "Enter your sign-in code"
    check(browser, "sign-in-code")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_and_send(browser, "code", wrong_code(SECRET))
    assert browser.find_element(By.ID, "error-summary").is_displayed()
    check(browser, "sign-in-code-error", size=PHONE)
    tab_to(browser, "code")
    browser.switch_to.active_element.clear()
    type_and_send(browser, "code", fresh_code(SECRET, set()))
    assert heading(browser).startswith("Dashboard")
    assert browser.current_url.endswith("/official/")


def test_an_official_sets_up_two_factor_sign_in_by_keyboard(browser, go):
    go("/sign-in", fresh=True)
    send_credentials(browser, "official.new@example.eu", keyboard=True)
    assert heading(browser) == "Set up two-factor sign-in"
    assert browser.find_element(By.CSS_SELECTOR, "svg.qr-code title").get_attribute("textContent")
    check(browser, "enrol")
    check(browser, "enrol", size=PHONE)
    secret = browser.find_element(By.ID, "secret").text.replace(" ", "")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_and_send(browser, "code", fresh_code(secret, set()))
    assert heading(browser) == "Your recovery codes"
    codes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    check(browser, "recovery-codes", size=PHONE)
    link = browser.find_element(By.CSS_SELECTOR, "main a.button-link")
    for _ in range(100):  # TAB to the link, then ENTER
        if browser.switch_to.active_element == link:
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert heading(browser).startswith("Dashboard")


def test_an_administrator_sees_the_audit_trail_and_the_accounts(browser, go):
    go("/sign-in?next=/official/audit", fresh=True)
    send_credentials(browser, "admin.enrolled@example.eu", keyboard=True)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_and_send(browser, "code", fresh_code(SECRET, set()))
    assert heading(browser) == "Audit trail"
    assert "session.sign_in" in browser.page_source
    check(browser, "audit")
    check(browser, "audit", size=PHONE)
    go("/official/audit?since=2026-13-01")
    assert browser.find_element(By.ID, "error-summary").is_displayed()
    check(browser, "audit-error")
    go("/official/accounts")
    assert "official.new@example.eu" in browser.page_source
    check(browser, "accounts")
    check(browser, "accounts", size=PHONE)
    go("/official/accounts/new")
    check(browser, "accounts-new")
