"""The whole hiring flow (issue 13's "done when") in a real browser, against a server of its own.

A candidate with a profile lets employers find them (/hiring); a verified employer's published
vacancy matches them at once; the employer, on its matches page, expresses interest with a
message; the candidate accepts it (consenting to share contact) and then the employer's offer;
after the nightly job the candidate's ranked total at the employer's state includes the verified
offer, as the plain reference scores it. axe finds nothing serious on the hiring pages.

The employer's registration, its state's verification and the vacancy's publication are done
through the service layer here (`app.employers`' own pages have their own tests); every hiring
step is done on the pages.
"""
from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest
from browser.harness import DESKTOP, PHONE, assert_accessible, seed, wait_for_new_page
from reference import eu as reference
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from app import clock, create_app, db, hiring
from app.accounts import registration
from app.accounts.models import Account, Role
from app.accounts.passwords import hash_password
from app.employers.models import Employer, EmployerMember, EmployerStatus, Vacancy, VacancyStatus
from app.profiles import lifecycle as profiles
from app.ranking_runs import nightly

PASSWORD = "correct horse battery staple"
PROFILE = {"date_of_birth": "1994-05-17", "education_level": 6,
           "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
           "experience": [{"occupation": "2512", "years": 4}], "job_offer": None,
           "eu_study": False, "eu_work": False, "talent_partnership": False, "preferences": ["DE", "NL"]}
REQUIREMENTS = {"education_level": 6, "languages": [{"language": "en", "listening": "B2", "reading": "B2",
                                                     "speaking": "B1", "writing": None}],
                "experience_years": 2, "experience_scope": "occupation"}


@pytest.fixture(scope="module")
def hiring_site(tmp_path_factory, site):
    from e2e.gunicorn_process import serve

    folder = tmp_path_factory.mktemp("hiring-browser")
    database_url = f"sqlite:///{folder}/talentpool.sqlite3"
    seed(database_url)
    for address in serve(database_url, folder / "gunicorn.log", env={"TALENTPOOL_ACCESS_LOG": "/dev/null"}):
        yield "http://%s:%d" % address, database_url


def service_app(database_url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "browser", "DATABASE_URL": database_url})


def account(app, email: str, role: Role):
    with app.test_request_context("/", method="POST"):
        created = registration.create(db.session(), email, hash_password(PASSWORD), role, None, verified=True)
        db.session().commit()
        return created.id


def with_profile(app, email: str) -> int:
    candidate_id = account(app, email, Role.CANDIDATE)
    with app.test_request_context("/", method="POST"):
        session = db.session()
        profiles.submit(session, session.get(Account, candidate_id), dict(PROFILE))
        session.commit()
    return candidate_id


def verified_employer_with_vacancy(app, email: str) -> int:
    """A German employer verified by its state, one person, one published vacancy (matched at once)."""
    person = account(app, email, Role.EMPLOYER)
    now = clock.now()
    with app.app_context(), db.unit_of_work() as session:
        employer = Employer(reference="E-BROWSER01", name="Werkstatt Browser GmbH", state_code="DE",
                            registration_number="HRB 424242", contact_name="Jana Muster", address="Berlin",
                            status=EmployerStatus.VERIFIED.value, created_at=now, verified_at=now)
        session.add(employer)
        session.flush()
        session.add(EmployerMember(account_id=person, employer_id=employer.id, added_at=now))
        vacancy = Vacancy(reference="V-BROWSER01", employer_id=employer.id, state_code="DE", occupation="2512",
                          title="Backend developer", description="Python services.", posts=1, location="Berlin",
                          closing_date=clock.today() + dt.timedelta(days=30), requirements=REQUIREMENTS,
                          status=VacancyStatus.PUBLISHED.value, created_at=now, published_at=now)
        session.add(vacancy)
        session.flush()
        hiring.on_vacancy_published(session, vacancy)
        return vacancy.id


def sign_in(driver, base: str, email: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/sign-in?lang=en")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    submit(driver, "main form button[type=submit]")


def submit(driver, selector: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    wait_for_new_page(driver, old)


def checked(driver, size=DESKTOP) -> None:
    driver.set_window_size(*size)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.innerWidth") == size[0])
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
    assert_accessible(driver)
    driver.set_window_size(*DESKTOP)


def api_profile(base: str, email: str) -> dict:
    token_request = urllib.request.Request(f"{base}/api/v1/tokens", method="POST",
                                           data=json.dumps({"email": email, "password": PASSWORD}).encode(),
                                           headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(token_request))["token"]
    profile_request = urllib.request.Request(f"{base}/api/v1/me/profile", headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(profile_request))


def test_from_a_consenting_candidate_to_a_verified_offer_in_the_ranking(browser, hiring_site):
    base, database_url = hiring_site
    app = service_app(database_url)
    try:
        candidate, employer = "hiring.candidate@example.eu", "hiring.employer@employer.example"
        with_profile(app, candidate)

        sign_in(browser, base, candidate)
        browser.get(f"{base}/hiring?lang=en")
        checked(browser)
        checked(browser, PHONE)
        submit(browser, "button[name=findable][value=yes]")
        assert "Stop being findable" in browser.page_source

        vacancy_id = verified_employer_with_vacancy(app, employer)
        sign_in(browser, base, employer)
        browser.get(f"{base}/employer/vacancies/{vacancy_id}/matches?lang=en")
        checked(browser)
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "M-" in text and candidate not in text and "1994" not in text
        browser.find_element(By.CSS_SELECTOR, "textarea[name=message]").send_keys("We would like to meet you.")
        submit(browser, "form[action$='/interests'] button[type=submit]")

        sign_in(browser, base, candidate)
        browser.get(f"{base}/hiring?lang=en")
        submit(browser, "form[action*='/accept'] button[type=submit]")  # without the consent ticked
        assert browser.find_elements(By.ID, "error-summary")
        checked(browser)
        browser.find_element(By.CSS_SELECTOR, "input[name=consent_to_share]").click()
        submit(browser, "form[action*='/accept'] button[type=submit]")

        sign_in(browser, base, employer)
        browser.get(f"{base}/employer/vacancies/{vacancy_id}/matches?lang=en")
        assert candidate in browser.find_element(By.TAG_NAME, "main").text
        submit(browser, "form[action$='/offers'] button[type=submit]")

        sign_in(browser, base, candidate)
        browser.get(f"{base}/hiring?lang=en")
        submit(browser, "form[action*='/offers/'][action$='/accept'] button[type=submit]")
        assert "a verified offer" in browser.page_source
        checked(browser)

        tomorrow = clock.today() + dt.timedelta(days=1)  # today's run was allocated from by the seed's rounds
        with app.app_context():
            lines = nightly.run(tomorrow)
        assert any(line.startswith("ranked ") for line in lines), lines[5:]
        offer = {"state": "DE", "occupation": "2512"}
        scored = reference.score({**PROFILE, "verified_job_offer": offer}, tomorrow)
        expected = next(entry["total"] for entry in scored["states"] if entry["state"] == "DE")
        standing = api_profile(base, candidate)["standing"]
        assert next(entry["total"] for entry in standing["states"] if entry["state"] == "DE") == expected
        without = reference.score(PROFILE, tomorrow)
        assert expected > next(entry["total"] for entry in without["states"] if entry["state"] == "DE")
    finally:
        app.extensions["talentpool.engine"].dispose()
