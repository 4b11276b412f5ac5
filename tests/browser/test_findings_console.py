"""The false-claims console in a real browser: an administrator filters the findings and lifts a bar with a
reason and a confirmation, with the keyboard alone, in English, French and German; at 360 px and on a
desktop axe finds nothing serious on the list, the finding's page, its refused form and the confirmation."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browser.harness import PHONE, add_staff, fresh_code, own_site
from browser.test_candidate_journey import PASSWORD, activate, check, send_credentials, tab_to, type_and_send
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlmodel import Session

from app import db
from app.handoff.models import Misrepresentation

ADMIN = "admin.findings@example.eu"
OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
USED_CODES: set[str] = set()
LIFTED = {"en": "The bar is lifted", "fr": "L'exclusion est levée", "de": "Die Sperre ist aufgehoben"}
LANGUAGES = ("en", "fr", "de")


@pytest.fixture(scope="module")
def findings_site(tmp_path_factory, site):
    """A server over a database of its own, with an administrator and one active finding per language."""
    from app.accounts import registration
    from app.accounts.models import Role
    from app.accounts.passwords import hash_password

    def prepare(app):
        add_staff(app, ADMIN, PASSWORD, Role.ADMIN, secret=OTP_SECRET)
        with app.test_request_context("/", method="POST"):
            candidate = registration.create(db.session(), "barred@example.eu", hash_password(PASSWORD))
            db.session().commit()
            candidate_id = candidate.id
        now = datetime.now(UTC)
        # The findings' invitations are not needed by these pages: written without the foreign-key check.
        with Session(db.make_engine(app.config["DATABASE_URL"], foreign_keys=False)) as session:
            for number, state in enumerate(("DE", "FR", "AT"), start=1):
                session.add(Misrepresentation(candidate_id=candidate_id, invitation_id=number, state_code=state,
                                              claim="education_level", decision_reference=f"REF-{state}-1",
                                              recorded_at=now, barred_until=now + timedelta(days=1800)))
            session.commit()

    for base, _database_url in own_site(tmp_path_factory, "findings-browser", prepare):
        yield base


@pytest.mark.parametrize("lang,state", [("en", "DE"), ("fr", "FR"), ("de", "AT")])
def test_an_administrator_lifts_a_bar_with_the_keyboard_alone(browser, findings_site, lang, state):
    driver = browser
    driver.delete_all_cookies()
    driver.get(f"{findings_site}/sign-in?lang={lang}")
    send_credentials(driver, ADMIN, keyboard=True)
    type_and_send(driver, "code", fresh_code(OTP_SECRET, USED_CODES))
    driver.get(f"{findings_site}/official/findings?lang={lang}")
    check(driver, "official-findings", lang=lang)
    check(driver, "official-findings", PHONE, lang=lang)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    tab_to(driver, "state")
    choose(driver, state)
    activate(driver, "form.filters button[type=submit]")
    assert f"REF-{state}-1" in driver.page_source
    assert all(f"REF-{other}-1" not in driver.page_source for other in ("DE", "FR", "AT") if other != state)
    activate(driver, "table a[href*='/official/findings/']")
    check(driver, "official-finding", PHONE, lang=lang)
    activate(driver, "form[action$='/lift'] button[type=submit]")  # no reason: refused, on the field
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#reason']")
    check(driver, "official-finding-refused", PHONE, lang=lang)
    tab_to(driver, "reason")
    driver.switch_to.active_element.send_keys("Set aside by the court")
    activate(driver, "form[action$='/lift'] button[type=submit]")
    check(driver, "official-finding-lift", PHONE, lang=lang)
    activate(driver, "form[action$='/lift'] button[type=submit]")
    assert LIFTED[lang] in driver.page_source and "Set aside by the court" in driver.page_source
    check(driver, "official-finding-lifted", lang=lang)


def choose(driver, code: str) -> None:
    """Pick the state whose option value is `code` with the arrow keys (the focus is on the select)."""
    from selenium.webdriver.support.ui import Select

    select = Select(driver.find_element(By.ID, "state"))
    for _ in range(len(select.options)):
        if select.first_selected_option.get_attribute("value") == code:
            return
        driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    raise AssertionError(f"no option {code}")



