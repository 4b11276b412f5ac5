"""Verification and password reset in a real browser: the link read from a real SMTP server's mail.

The server (gunicorn) writes the messages to the outbox; the test runs the real sender to an SMTP
server in the test process, reads the link from the mail it received, and follows it. The reset
is done with the keyboard alone. axe finds nothing serious on any page, at desktop and phone widths.
"""
from __future__ import annotations

import pytest
from browser.harness import DESKTOP, PHONE, own_site, wait_for_new_page
from browser.mailbox import delivered_link
from browser.test_candidate_journey import (check, enter, press, send_credentials, tab_to, type_and_send,
                                            type_into)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

NEW_PASSWORD = "a new and longer passphrase"


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory, site):
    """A server over a freshly migrated database of its own; yields (base URL, database URL)."""
    yield from own_site(tmp_path_factory, "account-mail-browser", seeded=False)


@pytest.fixture
def go(browser, mail_site):
    def visit(path: str, *, size=DESKTOP, fresh: bool = False):
        if fresh:
            browser.delete_all_cookies()
        browser.set_window_size(*size)
        browser.get(f"{mail_site[0]}{path}{'&' if '?' in path else '?'}lang=en")
        return browser

    return visit


def h1(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def test_a_new_candidate_verifies_the_address_from_the_mail(browser, go, mail_site):
    driver = browser
    go("/register", fresh=True)
    send_credentials(driver, "vera@example.eu", keyboard=False)
    assert h1(driver) == "Sign in" and "Check your inbox" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "registered")
    send_credentials(driver, "vera@example.eu", keyboard=False)
    go("/account")
    assert "not verified yet" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "account-unverified")
    check(driver, "account-unverified", PHONE)
    link = delivered_link(mail_site[1], "vera@example.eu", "/account/verify")
    for size in (DESKTOP, PHONE):
        go(link, size=size)
        assert h1(driver) == "Verify your email address"
        check(driver, "verify", size)
    press(driver, "main form button")
    assert h1(driver) == "Your email address is verified"
    check(driver, "verified")
    go(link)
    press(driver, "main form button")  # a used link says so
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(driver, "verify-used")
    go("/account")
    assert "not verified yet" not in driver.find_element(By.TAG_NAME, "main").text
    for path, name in (("/account/password", "password"), ("/account/email", "email")):
        for size in (DESKTOP, PHONE):
            go(path, size=size)
            check(driver, name, size)
    press(driver, "main form button[type=submit]")
    check(driver, "email-errors")


def test_a_forgotten_password_is_reset_from_the_mail_with_the_keyboard_alone(browser, go, mail_site):
    driver = browser
    go("/register", fresh=True)
    send_credentials(driver, "rita@example.eu", keyboard=False)
    go("/sign-in", fresh=True)
    tab_to(driver, "email")  # from the sign-in page to "Forgotten your password?" by keyboard
    for _ in range(10):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element.text == "Forgotten your password?":
            break
    old = driver.find_element(By.TAG_NAME, "html")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_new_page(driver, old)
    assert h1(driver) == "Forgotten your password?"
    check(driver, "forgotten")
    check(driver, "forgotten", PHONE)
    type_and_send(driver, "email", "rita@example.eu")
    assert h1(driver) == "Check your email"
    check(driver, "reset-sent")
    link = delivered_link(mail_site[1], "rita@example.eu", "/password/reset")
    go(link, fresh=True)
    assert h1(driver) == "Choose a new password"
    check(driver, "reset")
    check(driver, "reset", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_and_send(driver, "password", "short")
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#password']")
    check(driver, "reset-errors")
    type_into(driver, "password", Keys.CONTROL + "a")
    type_and_send(driver, "password", NEW_PASSWORD)
    assert h1(driver) == "Sign in"
    driver.find_element(By.ID, "email").send_keys("rita@example.eu")
    enter(driver, "password", NEW_PASSWORD)
    assert h1(driver) == "Your account"
    go(link)
    assert h1(driver) == "Choose a new password"
    driver.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
    press(driver, "main form button")
    assert "expired or has been used" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "reset-used")
