"""The whole hiring flow (issue 13's "done when") in a real browser, against a server of its own, with
the keyboard alone.

An employer registers on its page and its person verifies the address from the delivered mail; an
official of its state signs in with the password and a code and verifies it in the console; the
employer, signed in from the mail saying so, drafts and publishes a vacancy, which everyone then
finds among the open vacancies. A candidate with a profile has let employers find them on /hiring:
the vacancy's matches page lists them under a reference only, the employer expresses interest with
a message, the candidate is mailed, accepts it (sharing their contact) and then the employer's job
offer. After the next nightly job the candidate's score page shows, at the employer's state, a
ranked total that includes the verified offer, as the plain reference (`tests/reference/eu.py`)
scores it; before the offer the page showed the reference's total without one.

Only the setting is made through the service layer: the seeded pool, the official's account with
its second factor, and the candidate's account and profile (the profile form has its own browser
tests). axe finds nothing serious on any page of the way, at desktop width, and at phone width on
the hiring pages and on the pages a person starts from.
"""
from __future__ import annotations

import datetime as dt

import pytest
from browser.harness import PHONE, add_staff, fresh_code, own_site, wait_for_new_page
from browser.mailbox import delivered_link, delivered_mail, link_path, plain_text
from browser.test_candidate_journey import (PASSWORD, activate, check, choose_by_keyboard, tab_to, tab_to_element,
                                            type_and_send, type_into)
from reference import eu as reference
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app import clock, create_app, db
from app.accounts import registration
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.profiles import lifecycle as profiles
from app.ranking_runs import nightly

OFFICIAL = "official.de@example.eu"
OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
USED_CODES: set[str] = set()
EMPLOYER = "personal@werkstatt.example"
EMPLOYER_NAME = "Müller & Söhne Werkstätten GmbH"
CONTACT_NAME = "Jana Muster"
TITLE = "Backend developer"
MESSAGE = "We would like to meet you."
CANDIDATE = "ana.lopez@example.eu"  # an address that holds a name: the matches page must not show it
PROFILE = {"date_of_birth": "1994-05-17", "education_level": 6,
           "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
           "experience": [{"occupation": "2512", "years": 4}], "job_offer": None,
           "eu_study": False, "eu_work": False, "talent_partnership": False, "preferences": ["DE", "NL"]}
OFFER = {"state": "DE", "occupation": "2512"}  # the vacancy's state and occupation, as the offer carries them
# What a match shows of a candidate before they share their contact: how they meet the vacancy, nothing else.
MATCH_FIELDS = ["Fit", "EQF level", "Languages asked for", "Years in the occupation"]


@pytest.fixture(scope="module")
def hiring_site(tmp_path_factory, site):
    """A server over a database of its own, with an official of Germany (two factors enrolled) and a
    candidate whose verified account holds a profile."""

    def prepare(app):
        add_staff(app, OFFICIAL, PASSWORD, Role.OFFICIAL, "DE", OTP_SECRET)
        with app.test_request_context("/", method="POST"):
            session = db.session()
            candidate = registration.create(session, CANDIDATE, hash_password(PASSWORD), verified=True)
            session.commit()
            profiles.submit(session, session.get(Account, candidate.id), dict(PROFILE))
            session.commit()

    yield from own_site(tmp_path_factory, "hiring-browser", prepare)


def reference_total(as_of: dt.date, offer: dict | None = None) -> int:
    """The plain reference's total at the employer's state for the candidate's profile (and `offer`)."""
    scored = reference.score({**PROFILE, "verified_job_offer": offer}, as_of)
    return next(entry["total"] for entry in scored["states"] if entry["state"] == OFFER["state"])


def press_button(driver, text: str) -> None:
    """TAB to the button labelled `text` and press Enter; wait for the page that comes back."""
    old = driver.find_element(By.TAG_NAME, "html")
    for _ in range(400):
        element = driver.switch_to.active_element
        if element.tag_name == "button" and element.text.strip() == text:
            element.send_keys(Keys.ENTER)
            wait_for_new_page(driver, old)
            return
        element.send_keys(Keys.TAB)
    raise AssertionError(f"TAB never reached the button {text!r}")


def sign_in(driver, base: str, email: str, *, path: str = "/sign-in?lang=en", code: bool = False,
            checked: bool = False) -> None:
    """A fresh cookie jar, the sign-in page at `path` (a mail's link, say), the address and password by
    keyboard, and for an official the code; `checked`: axe on each of those pages."""
    driver.delete_all_cookies()
    driver.get(f"{base}{path}")
    if checked:
        check(driver, "sign-in")
        check(driver, "sign-in", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "email", email)
    type_and_send(driver, "password", PASSWORD)
    if code:
        assert driver.find_element(By.TAG_NAME, "h1").text == "Enter your sign-in code"
        if checked:
            check(driver, "sign-in-code")
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        type_and_send(driver, "code", fresh_code(OTP_SECRET, USED_CODES))


def main_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def tick(driver, css: str) -> None:
    """TAB to a checkbox and tick it with the space bar."""
    tab_to_element(driver, css)
    driver.switch_to.active_element.send_keys(Keys.SPACE)
    assert driver.find_element(By.CSS_SELECTOR, css).is_selected()


def candidate_hiring_page(driver, base: str) -> None:
    """The candidate signs in and goes from their account to "Employers and job offers"."""
    sign_in(driver, base, CANDIDATE)
    activate(driver, "header a[href='/account']")
    activate(driver, "main a[href='/hiring']")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Employers and job offers"


def state_numbers(driver, state: str) -> tuple[int, int | None]:
    """The score page's total today at `state` and the total the latest nightly ranking gave there."""
    block = driver.find_element(By.CSS_SELECTOR, f"[data-state={state}]")
    ranked = block.find_elements(By.CSS_SELECTOR, "[data-ranked-total]")
    return int(block.find_element(By.CSS_SELECTOR, "[data-state-total]").text), int(ranked[0].text) if ranked else None


def employer_matches_page(driver, base: str) -> None:
    """The employer signs in, opens the vacancy from its home and follows the link to its matches."""
    sign_in(driver, base, EMPLOYER)
    activate(driver, "main table a")
    activate(driver, "main a[href$='/matches']")
    assert driver.find_element(By.TAG_NAME, "h1").text == f"Matches for {TITLE}"


def candidate_lets_employers_find_them(driver, base: str) -> None:
    sign_in(driver, base, CANDIDATE, checked=True)
    activate(driver, "header a[href='/account']")
    check(driver, "account")
    activate(driver, "main a[href='/profile/score']")
    today, ranked = state_numbers(driver, OFFER["state"])
    assert (today, ranked) == (reference_total(clock.today()), None)  # without an offer; not ranked yet
    check(driver, "score")
    activate(driver, "header a[href='/account']")
    activate(driver, "main a[href='/hiring']")
    assert "Employers cannot find you" in main_text(driver)
    check(driver, "hiring")
    check(driver, "hiring", PHONE)
    press_button(driver, "Let employers find me")
    assert "Stop being findable" in main_text(driver)
    check(driver, "hiring-findable")


def employer_registers_and_verifies_the_address(driver, base: str, database_url: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/employer/register?lang=en")
    check(driver, "employer-register")
    check(driver, "employer-register", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "name", EMPLOYER_NAME)
    choose_by_keyboard(driver, "state", "Germany")
    type_into(driver, "registration_number", "HRB 424242")
    type_into(driver, "contact_name", CONTACT_NAME)
    type_into(driver, "address", "Friedrichstraße 10, 10117 Berlin")
    type_into(driver, "email", EMPLOYER)
    type_and_send(driver, "password", PASSWORD)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Sign in"

    driver.get(f"{base}{delivered_link(database_url, EMPLOYER, '/employer/verify')}&lang=en")
    check(driver, "employer-verify")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    press_button(driver, "Verify my email address")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your email address is verified"
    check(driver, "employer-verified-address")


def official_verifies_the_employer(driver, base: str) -> None:
    sign_in(driver, base, OFFICIAL, code=True, checked=True)
    driver.get(f"{base}/official/employers/?lang=en")
    check(driver, "official-employers")
    check(driver, "official-employers", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    link = driver.find_element(By.LINK_TEXT, EMPLOYER_NAME)
    old = driver.find_element(By.TAG_NAME, "html")
    for _ in range(200):
        if driver.switch_to.active_element == link:
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    else:
        raise AssertionError("TAB never reached the employer's link")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_new_page(driver, old)
    check(driver, "official-employer")
    press_button(driver, "Verify the employer")
    assert "The employer is verified" in main_text(driver)
    check(driver, "official-employer-verified")


def employer_publishes_a_vacancy(driver, base: str, database_url: str) -> None:
    mail = delivered_mail(database_url, EMPLOYER)
    assert mail["Subject"] == f"{EMPLOYER_NAME} is verified: you can publish vacancies"
    sign_in(driver, base, EMPLOYER, path=link_path(mail, "/sign-in") + "&lang=en")  # from the mail's link
    assert driver.current_url.startswith(f"{base}/employer/")
    check(driver, "employer-home")
    activate(driver, "main a[href='/employer/vacancies/new']")
    check(driver, "employer-vacancy-new")
    check(driver, "employer-vacancy-new", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "title", TITLE)
    type_and_send(driver, "occupation", "software developers")  # Enter here saves; refused: fields missing
    assert driver.find_elements(By.ID, "error-summary")
    check(driver, "employer-vacancy-errors")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    tab_to(driver, "occupation")
    driver.switch_to.active_element.send_keys(Keys.CONTROL, "a")
    driver.switch_to.active_element.send_keys("2512")
    type_into(driver, "description", "Python services for a small team.")
    type_into(driver, "posts", "1")
    type_into(driver, "location", "Berlin")
    type_into(driver, "closing_date", (clock.today() + dt.timedelta(days=30)).isoformat())
    choose_by_keyboard(driver, "education_level", "EQF level 6")
    choose_by_keyboard(driver, "languages-0-language", "English")
    choose_by_keyboard(driver, "languages-0-listening", "B2")
    choose_by_keyboard(driver, "languages-0-speaking", "B2")
    type_and_send(driver, "experience_years", "2")
    assert "The vacancy is saved." in main_text(driver), driver.page_source[:3000]
    check(driver, "employer-vacancy-saved")
    press_button(driver, "Publish the vacancy")
    assert "The vacancy is published" in main_text(driver)
    check(driver, "employer-vacancy-published")


def everyone_finds_the_vacancy(driver, base: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/vacancies/?lang=en")
    check(driver, "vacancies")
    check(driver, "vacancies", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    choose_by_keyboard(driver, "state", "Germany")
    type_and_send(driver, "occupation", "25")
    assert TITLE in main_text(driver)
    assert CONTACT_NAME not in driver.page_source and EMPLOYER not in driver.page_source
    activate(driver, "main h2 a")
    assert driver.find_element(By.TAG_NAME, "h1").text == TITLE
    check(driver, "vacancy")
    check(driver, "vacancy", PHONE)
    for lang in ("fr", "de"):
        driver.get(f"{base}/vacancies/counts?lang={lang}")
        check(driver, "vacancy-counts", lang=lang)


def employer_expresses_interest_in_the_pseudonymous_match(driver, base: str) -> None:
    employer_matches_page(driver, base)
    [match] = driver.find_elements(By.CSS_SELECTOR, "main section.invitation")
    assert match.find_element(By.TAG_NAME, "h2").text.startswith("M-")
    assert [label.text for label in match.find_elements(By.CSS_SELECTOR, "dt")] == MATCH_FIELDS
    source = driver.page_source
    for held in (CANDIDATE, "ana.lopez", "Lopez", PROFILE["date_of_birth"], "1994", "17 May", "17/05"):
        assert held not in source, held  # no name (the address holds one), no date of birth, no nationality field
    check(driver, "employer-matches")
    check(driver, "employer-matches", PHONE)
    tab_to_element(driver, "textarea[name=message]")
    driver.switch_to.active_element.send_keys(MESSAGE)
    activate(driver, "form[action$='/interests'] button[type=submit]")
    assert "Your interest is sent." in main_text(driver)
    assert "Interest sent: waiting for the candidate" in main_text(driver)
    check(driver, "employer-matches-interest")


def candidate_is_mailed_and_shares_their_contact(driver, base: str, database_url: str) -> None:
    mail = delivered_mail(database_url, CANDIDATE)
    assert mail["Subject"] == f"An employer is interested in you: {TITLE}"
    assert EMPLOYER_NAME in plain_text(mail) and MESSAGE in plain_text(mail)
    candidate_hiring_page(driver, base)
    text = main_text(driver)
    assert TITLE in driver.find_element(By.CSS_SELECTOR, "[aria-labelledby=matches-title] table").text
    assert f"{TITLE} — {EMPLOYER_NAME}" in text and MESSAGE in text and "Waiting for your answer" in text
    check(driver, "hiring-interest")
    check(driver, "hiring-interest", PHONE)
    accept = "form[action*='/hiring/interests/'][action$='/accept'] button[type=submit]"
    activate(driver, accept)  # without the consent ticked: the page says what is missing
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary a").get_attribute("href").split("#")[1].startswith(
        "consent-")
    check(driver, "hiring-consent-missing")
    check(driver, "hiring-consent-missing", PHONE)
    tick(driver, "input[name=consent_to_share]")
    activate(driver, accept)
    assert "Accepted: your contact is shared with this employer" in main_text(driver)


def employer_sees_the_contact_and_makes_an_offer(driver, base: str) -> None:
    employer_matches_page(driver, base)
    assert CANDIDATE in main_text(driver) and "The candidate shared their contact" in main_text(driver)
    check(driver, "employer-matches-contact")
    activate(driver, "form[action$='/offers'] button[type=submit]")
    assert "Your job offer is sent." in main_text(driver)
    assert "Job offer: made, waiting for the candidate" in main_text(driver)
    check(driver, "employer-matches-offer")
    check(driver, "employer-matches-offer", PHONE)


def candidate_accepts_the_offer(driver, base: str, database_url: str) -> None:
    assert delivered_mail(database_url, CANDIDATE)["Subject"] == f"A job offer: {TITLE}"
    candidate_hiring_page(driver, base)
    check(driver, "hiring-offer")
    activate(driver, "form[action*='/hiring/offers/'][action$='/accept'] button[type=submit]")
    assert "a verified offer" in main_text(driver)
    check(driver, "hiring-offer-accepted")
    check(driver, "hiring-offer-accepted", PHONE)


def test_an_employer_registers_and_hires_a_consenting_candidate_whose_ranked_total_counts_the_offer(
        browser, hiring_site):
    base, database_url = hiring_site
    driver = browser
    candidate_lets_employers_find_them(driver, base)  # before publication: matches are stored when it publishes
    employer_registers_and_verifies_the_address(driver, base, database_url)
    official_verifies_the_employer(driver, base)
    employer_publishes_a_vacancy(driver, base, database_url)
    everyone_finds_the_vacancy(driver, base)
    employer_expresses_interest_in_the_pseudonymous_match(driver, base)
    candidate_is_mailed_and_shares_their_contact(driver, base, database_url)
    employer_sees_the_contact_and_makes_an_offer(driver, base)
    candidate_accepts_the_offer(driver, base, database_url)

    tomorrow = clock.today() + dt.timedelta(days=1)  # today's run was allocated from by the seed's rounds
    app = create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": database_url})
    try:
        with app.app_context():
            lines = nightly.run(tomorrow)
    finally:
        app.extensions["talentpool.engine"].dispose()
    assert any(line.startswith("ranked ") for line in lines), lines

    activate(driver, "header a[href='/account']")
    activate(driver, "main a[href='/profile/score']")
    today, ranked = state_numbers(driver, OFFER["state"])
    assert ranked == reference_total(tomorrow, OFFER) and today == reference_total(clock.today(), OFFER)
    assert ranked > reference_total(tomorrow)  # the offer counts: without it the reference gives less
    assert driver.find_element(By.CSS_SELECTOR, f"[data-state={OFFER['state']}] [data-rank]").text.isdigit()
    check(driver, "score-ranked")
    check(driver, "score-ranked", PHONE)
