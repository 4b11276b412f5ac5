"""The candidate's pages and the calculator in a real browser, against a server of their own.

A candidate registers, fills the profile, sees the score and accepts an invitation from a round
(run through the service layer while the server runs). Every candidate flow is also done with the
keyboard alone: register, the profile (adding and removing a language, the occupation search),
the score, leaving the pool, accepting an invitation, the data download and erasure. The
calculator gives the API's numbers, and its score updates as its form is filled in. axe finds
nothing serious on any of these pages, signed in, with and without validation errors, at desktop
and phone widths. With `TALENTPOOL_SCREENSHOTS=<folder>` every page checked is also photographed there.
"""
from __future__ import annotations

import json
import os
import urllib.request
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from browser.harness import DESKTOP, PHONE, add_staff, assert_accessible, own_site, wait_for_new_page
from browser.mailbox import delivered_link
from rounds.rounds_helpers import due_rounds, rank, run_due
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from app import clock, create_app
from app.accounts.models import Role

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the official's second factor, known to the test
SHOTS = os.environ.get("TALENTPOOL_SCREENSHOTS")
STRONG = {"date_of_birth": ("17", "5", "1996"), "education_level": "8",
          "languages": [("en", "C2"), ("de", "C2")], "occupation": "2221", "years": "9"}


@pytest.fixture(scope="module")
def candidate_site(tmp_path_factory, site):
    """A server over a database of its own (rounds run here must not change the public pages' tests)."""
    yield from own_site(tmp_path_factory, "candidate-browser")


@pytest.fixture
def visit(browser, candidate_site):
    base = candidate_site[0]

    def go(path: str, *, lang: str = "en", size=DESKTOP, fresh: bool = False):
        if fresh:
            browser.delete_all_cookies()
        browser.set_window_size(*size)
        browser.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        return browser

    return go


def check(driver, name: str, size=DESKTOP, lang: str = "en") -> None:
    """At width `size`: one h1, no sideways scrolling, no serious axe violation; a full-page screenshot when asked."""
    driver.set_window_size(*size)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.innerWidth") == size[0])
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
    assert_accessible(driver)
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size[0], min(height + 120, 12000))
        driver.save_screenshot(str(folder / f"{name}-{lang}-{size[0]}.png"))
        driver.set_window_size(*size)


def focused(driver, element_id: str) -> None:
    """Wait until the page's script has moved the focus to `element_id` (it runs once the page is read)."""
    WebDriverWait(driver, 10).until(lambda d: active_id(d) == element_id)


def active_id(driver) -> str:
    return driver.switch_to.active_element.get_attribute("id") or ""


def tab_to(driver, element_id: str, most: int = 400) -> None:
    """Press TAB until the element with `element_id` has the focus (keyboard only, no clicks)."""
    for _ in range(most):
        if active_id(driver) == element_id:
            return
        driver.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"TAB never reached #{element_id}")


def type_into(driver, element_id: str, text: str) -> None:
    tab_to(driver, element_id)
    driver.switch_to.active_element.send_keys(text)


def type_and_send(driver, element_id: str, text: str) -> None:
    """TAB to a box, type, press Enter (which sends its form), and wait for the page that comes back."""
    old = driver.find_element(By.TAG_NAME, "html")
    type_into(driver, element_id, text + Keys.ENTER)
    wait_for_new_page(driver, old)


def choose_by_keyboard(driver, element_id: str, visible_text: str) -> None:
    """Move through a select's options with the arrow keys until `visible_text` is chosen."""
    tab_to(driver, element_id)
    select = Select(driver.find_element(By.ID, element_id))
    for _ in range(len(select.options)):
        if select.first_selected_option.text == visible_text:
            return
        driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    raise AssertionError(f"no option {visible_text!r} in #{element_id}")


def send_credentials(driver, email: str, keyboard: bool) -> None:
    """Fill in the e-mail address and password of the page's form and send it, by keyboard or by clicks."""
    if keyboard:
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        type_into(driver, "email", email)
        type_and_send(driver, "password", PASSWORD)
    else:
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        press(driver, "main form button[type=submit]")


def register_and_sign_in(driver, visit, email: str, *, keyboard: bool = False) -> None:
    visit("/register", fresh=True)
    send_credentials(driver, email, keyboard)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Sign in"
    send_credentials(driver, email, keyboard)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your profile"


def start_by_keyboard(driver, visit, email: str, birth_year: str, education: str) -> None:
    """Register and sign in, then give the date of birth, the education and the first language, by keyboard."""
    register_and_sign_in(driver, visit, email, keyboard=True)
    for part, value in zip(("day", "month", "year"), ("17", "5", birth_year)):
        type_into(driver, f"date_of_birth-{part}", value)
    choose_by_keyboard(driver, "education_level", education)
    choose_by_keyboard(driver, "languages-0-language", "English")


def test_register_fill_the_profile_and_see_the_score_with_the_keyboard_alone(browser, visit):
    driver = browser
    start_by_keyboard(driver, visit, "keys@example.eu", "1994", "Level 6: bachelor's degree or equivalent")
    for skill, level in (("listening", "C1"), ("reading", "C1"), ("speaking", "B2"), ("writing", "B2")):
        choose_by_keyboard(driver, f"languages-0-{skill}", {"C1": "C1: advanced", "B2": "B2: upper intermediate"}[level])
    type_into(driver, "experience-0-occupation", "2512")
    type_into(driver, "experience-0-years", "4")
    choose_by_keyboard(driver, "preferences-0", "Germany")
    choose_by_keyboard(driver, "preferences-1", "Netherlands")
    type_and_send(driver, "experience-0-years", "")  # Enter in a box saves, as the last button does
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your score"
    assert driver.find_element(By.CSS_SELECTOR, "[data-score=total]").text == "404"
    assert [e.get_attribute("data-state") for e in driver.find_elements(By.CSS_SELECTOR, "[data-state]")] == ["DE", "NL"]


def tab_to_element(driver, css: str, most: int = 400) -> None:
    """Press TAB until the element matching `css` has the focus (keyboard only, no clicks)."""
    target = driver.find_element(By.CSS_SELECTOR, css)
    for _ in range(most):
        if driver.switch_to.active_element == target:
            return
        driver.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"TAB never reached {css}")


def activate(driver, css: str) -> None:
    """TAB to a button or a link, press Enter, and wait for the page it loads."""
    old = driver.find_element(By.TAG_NAME, "html")
    tab_to_element(driver, css)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_new_page(driver, old)


def choose_radio_by_keyboard(driver, name: str, value: str) -> None:
    """TAB into a group of radio buttons, then move with the arrow keys until `value` is chosen."""
    first = driver.find_elements(By.CSS_SELECTOR, f"input[type=radio][name='{name}']")[0]
    tab_to_element(driver, f"input[type=radio][name='{name}'][value='{first.get_attribute('value')}']")
    for _ in range(50):
        if driver.switch_to.active_element.get_attribute("value") == value:
            driver.switch_to.active_element.send_keys(Keys.SPACE)
            return
        driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    raise AssertionError(f"no radio button {value!r} in {name}")


def test_every_candidate_flow_with_the_keyboard_alone(browser, visit):
    """The profile with a language added and removed and an occupation found by its name, the
    score, leaving the pool, the privacy notice and erasure: TAB, arrows, space and Enter only."""
    driver = browser
    start_by_keyboard(driver, visit, "tab@example.eu", "1996", "Level 8: doctorate")
    activate(driver, "button[value='add:languages']")
    choose_by_keyboard(driver, "languages-1-language", "German")
    activate(driver, "button[value='remove:languages:1']")
    assert not driver.find_elements(By.ID, "languages-1-language")
    assert Select(driver.find_element(By.ID, "languages-0-language")).first_selected_option.text == "English"
    for skill in ("listening", "reading", "speaking", "writing"):
        choose_by_keyboard(driver, f"languages-0-{skill}", "C2: proficient")
    type_into(driver, "experience-0-occupation", "nursing professionals")
    activate(driver, "button[value='find:experience-0-occupation']")
    check(driver, "profile-search")
    choose_radio_by_keyboard(driver, "experience-0-occupation", "2221")
    type_into(driver, "experience-0-years", "9")
    choose_by_keyboard(driver, "preferences-0", "Germany")
    type_and_send(driver, "experience-0-years", "")  # Enter in a box saves
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your score"
    assert [e.get_attribute("data-state") for e in driver.find_elements(By.CSS_SELECTOR, "[data-state]")] == ["DE"]

    activate(driver, "header a[href='/account']")
    activate(driver, "main a[href='/profile/withdraw']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Leave the pool"
    activate(driver, "main form button[type=submit]")
    assert "left the pool" in driver.find_element(By.TAG_NAME, "main").text

    activate(driver, "footer a[href='/privacy']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Privacy notice"
    check(driver, "privacy-signed-in")
    check(driver, "privacy-signed-in", PHONE)
    activate(driver, "main a[href='/account/erase']")
    type_and_send(driver, "password", "not my password")
    focused(driver, "error-summary")
    type_and_send(driver, "password", PASSWORD)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your account has been erased"


def press(driver, css: str) -> None:
    """Click a button (or link) that loads a page, and wait for that page."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    wait_for_new_page(driver, old)


def enter(driver, element_id: str, text: str) -> None:
    """Type into a box and press Enter, which sends its form; wait for the page that comes back."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, element_id).send_keys(text + Keys.ENTER)
    wait_for_new_page(driver, old)


def fill_strong_profile(driver) -> None:
    day, month, year = STRONG["date_of_birth"]
    for part, value in zip(("day", "month", "year"), (day, month, year)):
        driver.find_element(By.ID, f"date_of_birth-{part}").send_keys(value)
    Select(driver.find_element(By.ID, "education_level")).select_by_value(STRONG["education_level"])
    for index, (language, level) in enumerate(STRONG["languages"]):
        if index:
            press(driver, "button[value='add:languages']")
        Select(driver.find_element(By.ID, f"languages-{index}-language")).select_by_value(language)
        for skill in ("listening", "reading", "speaking", "writing"):
            Select(driver.find_element(By.ID, f"languages-{index}-{skill}")).select_by_value(level)
    # The occupation chooser without its script: words, "Find", a radio button.
    driver.find_element(By.ID, "experience-0-occupation").send_keys("nursing professionals")
    press(driver, "button[value='find:experience-0-occupation']")
    driver.find_element(By.CSS_SELECTOR, f"input[name='experience-0-occupation'][value='{STRONG['occupation']}']").click()
    driver.find_element(By.ID, "experience-0-years").send_keys(STRONG["years"])
    for flag in ("eu_study", "eu_work", "job_offer-given"):
        driver.find_element(By.ID, flag).click()
    Select(driver.find_element(By.ID, "job_offer-state")).select_by_value("DE")
    driver.find_element(By.ID, "job_offer-occupation").send_keys(STRONG["occupation"])
    Select(driver.find_element(By.ID, "preferences-0")).select_by_value("DE")


def save(driver) -> None:
    press(driver, "form.profile-form > button.button[value=save]")


def test_a_candidate_is_invited_in_a_round_and_accepts(browser, visit, candidate_site):
    driver = browser
    register_and_sign_in(driver, visit, "ana@example.eu")
    visit(delivered_link(candidate_site[1], "ana@example.eu", "/account/verify"))  # verified: ranked, invitable
    press(driver, "main form button")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your email address is verified"
    visit("/profile")
    check(driver, "profile-empty")
    save(driver)  # nothing filled in: the errors, on the fields and in the summary
    focused(driver, "error-summary")
    check(driver, "profile-errors")
    check(driver, "profile-errors", PHONE)
    fill_strong_profile(driver)
    check(driver, "profile-filled")
    save(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your score"
    check(driver, "score")
    check(driver, "score", PHONE)

    app = create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": candidate_site[1]})
    try:
        rank(app, clock.today() + timedelta(days=1))  # a new run: the seed's rounds keep today's
        due_rounds(app, {"DE": 30})
        run_due(app)
    finally:
        app.extensions["talentpool.engine"].dispose()

    visit("/account")
    activate(driver, "main a[href='/invitations']")  # from here on, the keyboard alone
    check(driver, "invitations")
    activate(driver, "main a[href$='/accept']")
    assert "own procedure" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "accept")
    check(driver, "accept", PHONE)
    activate(driver, "main form button")  # without the consent: the page says what is missing
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a").get_attribute("href").endswith("#consent_to_share")
    check(driver, "accept without consent")
    driver.find_element(By.ID, "consent_to_share").click()
    press(driver, "main form button")
    assert driver.find_element(By.TAG_NAME, "h1").text == "You have accepted the invitation"
    check(driver, "accepted")
    activate(driver, "header a[href='/account']")
    assert "Invitation accepted" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "account")
    check(driver, "account", PHONE)
    tab_to_element(driver, "main a[href='/account/export']")  # Enter on it downloads the file:
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your account"  # the page stays
    exported = download(candidate_site[0] + "/account/export", driver.get_cookie("talentpool_session")["value"])
    assert exported["account"]["email"] == "ana@example.eu" and exported["invitations"][0]["status"] == "accepted"
    visit("/events")
    assert "invites you to apply" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "events")
    check(driver, "events", PHONE)

    # The hand-off: Germany's official sees the profile and records the application.
    app = create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": candidate_site[1]})
    try:
        add_staff(app, "official@example.de", PASSWORD, Role.OFFICIAL, "DE", TOTP_SECRET)
    finally:
        app.extensions["talentpool.engine"].dispose()
    visit("/sign-in", fresh=True)
    send_credentials(driver, "official@example.de", False)
    type_and_send(driver, "code", pyotp.TOTP(TOTP_SECRET).now())  # officials sign in with two factors
    visit("/official/invitees")
    check(driver, "official-invitees")
    check(driver, "official-invitees", PHONE)
    press(driver, "main table a")
    assert "ana@example.eu" in driver.find_element(By.TAG_NAME, "main").text
    check(driver, "official-invitee")
    check(driver, "official-invitee", PHONE)
    driver.find_element(By.ID, "status-0").click()
    press(driver, "main form button[type=submit]")  # lodged, but no day: the error summary links to it
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a").get_attribute("href").endswith("#lodged_on")
    check(driver, "official-invitee-errors")
    driver.find_element(By.ID, "lodged_on").send_keys(clock.today().isoformat())
    press(driver, "main form button[type=submit]")
    assert "is recorded" in driver.find_element(By.TAG_NAME, "main").text


def download(url: str, session_cookie: str) -> dict:
    """What the browser downloads from `url` with its session (chromium headless keeps no files)."""
    request = urllib.request.Request(url, headers={"Cookie": f"talentpool_session={session_cookie}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_the_account_pages_with_and_without_errors(browser, visit):
    driver = browser
    visit("/register", fresh=True)
    check(driver, "register")
    driver.find_element(By.ID, "email").send_keys("not an address")
    press(driver, "main form button[type=submit]")
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#email']")
    check(driver, "register-errors")
    check(driver, "register-errors", PHONE)
    visit("/sign-in")
    check(driver, "sign-in")
    driver.find_element(By.ID, "email").send_keys("nobody@example.eu")
    enter(driver, "password", "wrong password")
    check(driver, "sign-in-errors")
    register_and_sign_in(driver, visit, "bo@example.eu")
    fill_strong_profile(driver)
    save(driver)
    for path, name in (("/profile/withdraw", "withdraw"), ("/invitations", "invitations-none"),
                       ("/account/erase", "erase")):
        for size in (DESKTOP, PHONE):
            visit(path, size=size)
            check(driver, name, size)
    enter(driver, "password", "not my password")
    check(driver, "erase-errors")
    enter(driver, "password", PASSWORD)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your account has been erased"
    check(driver, "erased")


def api_score(base: str, document: dict) -> dict:
    def call(method, path, body=None, token=None):
        request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {token}"} if token else {})})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    call("POST", "/api/v1/accounts", {"email": "api@example.eu", "password": PASSWORD})
    token = call("POST", "/api/v1/tokens", {"email": "api@example.eu", "password": PASSWORD})["token"]
    return call("PUT", "/api/v1/me/profile", document, token)["score"]


def test_the_calculator_gives_the_apis_numbers(browser, visit, candidate_site):
    driver = visit("/calculator", fresh=True)
    check(driver, "calculator")
    save(driver)
    check(driver, "calculator-errors")
    check(driver, "calculator-errors", PHONE)
    visit("/calculator")
    fill_strong_profile(driver)
    # With its script, the page shows the score as the form is filled in, before the button.
    live = WebDriverWait(driver, 30).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "form[data-live-pending]")
                                           and d.find_elements(By.CSS_SELECTOR, "#result [data-score=total]"))
    live_total = int(live[0].text)
    assert "Score updated: %d" % live_total in driver.find_element(By.ID, "live-score-status").get_attribute("textContent")
    assert active_id(driver) != "result"  # the focus stays where the person was
    check(driver, "calculator-live")
    save(driver)
    focused(driver, "result")
    check(driver, "calculator-result")
    check(driver, "calculator-result", PHONE)
    shown = {e.get_attribute("data-factor"): int(e.text) for e in driver.find_elements(By.CSS_SELECTOR, "[data-factor]")}
    total = int(driver.find_element(By.CSS_SELECTOR, "[data-score=total]").text)
    state_total = int(driver.find_element(By.CSS_SELECTOR, "[data-state=DE] [data-state-total]").text)
    document = {"date_of_birth": "1996-05-17", "education_level": 8,
                "languages": [{"language": code, **dict.fromkeys(("listening", "reading", "speaking", "writing"), level)}
                              for code, level in STRONG["languages"]],
                "experience": [{"occupation": STRONG["occupation"], "years": int(STRONG["years"])}],
                "job_offer": {"state": "DE", "occupation": STRONG["occupation"]},
                "eu_study": True, "eu_work": True, "talent_partnership": False, "preferences": ["DE"]}
    api = api_score(candidate_site[0], document)
    assert total == api["total"] == live_total and state_total == api["states"][0]["total"]
    assert shown == {name: points for name, points in api["breakdown"].items() if name in shown}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_pages_in_other_languages(browser, visit, lang):
    for path, name in (("/calculator", "calculator"), ("/register", "register"), ("/sign-in", "sign-in")):
        for size in (DESKTOP, PHONE):
            driver = visit(path, lang=lang, size=size, fresh=True)
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            check(driver, name, size, lang)
    press(driver, "main form button[type=submit]")
    check(driver, "sign-in-errors", PHONE, lang)
