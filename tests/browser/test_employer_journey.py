"""An employer's journey in a real browser, with the keyboard alone: the organisation registers, its
person verifies the address from the delivered mail, an official of its state verifies it in the
console, it publishes a vacancy, and a candidate finds it among the open vacancies. axe finds nothing
serious on any page of the way, at desktop and phone widths.
"""
from __future__ import annotations

import datetime as dt

import pytest
from browser.harness import PHONE, fresh_code, seed, wait_for_new_page
from browser.mailbox import delivered_link
from browser.test_candidate_journey import PASSWORD, check, choose_by_keyboard, tab_to, type_and_send, type_into
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from app import create_app, db

OFFICIAL = "official.fr@example.eu"
OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
USED_CODES: set[str] = set()
EMPLOYER = "rh@atelier.example"


@pytest.fixture(scope="module")
def employer_site(tmp_path_factory, site):
    """A server over a database of its own, with an official of France."""
    from e2e.gunicorn_process import serve

    from app.accounts import registration, two_factor
    from app.accounts.models import Role
    from app.accounts.passwords import hash_password

    folder = tmp_path_factory.mktemp("employer-browser")
    database_url = f"sqlite:///{folder}/talentpool.sqlite3"
    seed(database_url)
    app = create_app({"TESTING": True, "SECRET_KEY": "seed", "DATABASE_URL": database_url})
    with app.test_request_context("/", method="POST"):
        official = registration.create(db.session(), OFFICIAL, hash_password(PASSWORD), Role.OFFICIAL, "FR")
        two_factor.enrol_with_secret(db.session(), official.id, OTP_SECRET)
        db.session().commit()
    app.extensions["talentpool.engine"].dispose()
    for address in serve(database_url, folder / "gunicorn.log", env={"TALENTPOOL_ACCESS_LOG": "/dev/null"}):
        yield "http://%s:%d" % address, database_url


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


def sign_in(driver, base: str, email: str, code: bool = False) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/sign-in?lang=en")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "email", email)
    type_and_send(driver, "password", PASSWORD)
    if code:
        type_and_send(driver, "code", fresh_code(OTP_SECRET, USED_CODES))


def test_an_employer_registers_is_verified_publishes_and_a_candidate_sees_it(browser, employer_site):
    base, database_url = employer_site
    driver = browser
    driver.delete_all_cookies()
    driver.get(f"{base}/employer/register?lang=en")
    check(driver, "employer-register")
    check(driver, "employer-register", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "name", "Atelier Numérique SAS")
    choose_by_keyboard(driver, "state", "France")
    type_into(driver, "registration_number", "RCS Lyon 123 456 789")
    type_into(driver, "contact_name", "Camille Martin")
    type_into(driver, "address", "10 quai Saint-Antoine, 69002 Lyon")
    type_into(driver, "email", EMPLOYER)
    type_and_send(driver, "password", PASSWORD)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Sign in"

    driver.get(f"{base}{delivered_link(database_url, EMPLOYER, '/employer/verify')}&lang=en")
    check(driver, "employer-verify")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    press_button(driver, "Verify my email address")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your email address is verified"

    sign_in(driver, base, OFFICIAL, code=True)
    driver.get(f"{base}/official/employers/?lang=en")
    check(driver, "official-employers")
    check(driver, "official-employers", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    link = driver.find_element(By.LINK_TEXT, "Atelier Numérique SAS")
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
    assert "The employer is verified" in driver.find_element(By.TAG_NAME, "main").text

    sign_in(driver, base, EMPLOYER)
    assert driver.current_url.startswith(f"{base}/employer/")
    check(driver, "employer-home")
    driver.get(f"{base}/employer/vacancies/new?lang=en")
    check(driver, "employer-vacancy-new")
    check(driver, "employer-vacancy-new", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    type_into(driver, "title", "Développeur Python")
    type_and_send(driver, "occupation", "software developers")  # Enter here saves; refused: fields missing
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    tab_to(driver, "occupation")
    driver.switch_to.active_element.send_keys(Keys.CONTROL, "a")
    driver.switch_to.active_element.send_keys("2512")
    type_into(driver, "description", "Services web pour une petite équipe.")
    type_into(driver, "posts", "2")
    type_into(driver, "location", "Lyon")
    closing = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    type_into(driver, "closing_date", closing)
    choose_by_keyboard(driver, "education_level", "EQF level 6")
    choose_by_keyboard(driver, "languages-0-language", "English")
    choose_by_keyboard(driver, "languages-0-speaking", "B2")
    type_and_send(driver, "experience_years", "2")
    assert "The vacancy is saved." in driver.find_element(By.TAG_NAME, "main").text, driver.page_source[:3000]
    check(driver, "employer-vacancy-saved")
    press_button(driver, "Publish the vacancy")
    assert "The vacancy is published" in driver.find_element(By.TAG_NAME, "main").text

    driver.delete_all_cookies()
    driver.get(f"{base}/vacancies/?lang=en")
    check(driver, "vacancies")
    check(driver, "vacancies", PHONE)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    choose_by_keyboard(driver, "state", "France")
    type_and_send(driver, "occupation", "25")
    assert "Développeur Python" in driver.find_element(By.TAG_NAME, "main").text
    assert "Camille Martin" not in driver.page_source and EMPLOYER not in driver.page_source
    driver.find_element(By.LINK_TEXT, "Développeur Python").send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: "/vacancies/" in d.current_url and d.find_element(
        By.TAG_NAME, "h1").text == "Développeur Python")
    check(driver, "vacancy")
    check(driver, "vacancy", PHONE, lang="en")
    for lang in ("fr", "de"):
        driver.get(f"{base}/vacancies/counts?lang={lang}")
        check(driver, "vacancy-counts", lang=lang)
