"""What the browser tests share: where the browser is, the widths, the seeded data, and axe-core."""
from __future__ import annotations

import pyotp
import time

import json
import os
from pathlib import Path

import pytest

from app import create_app
from app.migrate import upgrade

CHROMIUM = os.environ.get("TALENTPOOL_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TALENTPOOL_CHROMEDRIVER", "/usr/bin/chromedriver")
REQUIRE_BROWSER = bool(os.environ.get("TALENTPOOL_REQUIRE_BROWSER"))
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
AXE = Path(__file__).with_name("axe") / "axe.min.js"
# Widths the pages are checked at: a desktop and a small phone.
DESKTOP = (1280, 900)
PHONE = (360, 740)
# axe's impacts that fail a page (WCAG 2.1 AA rules; "minor" and "moderate" are reported, not failed).
FAILING_IMPACTS = {"serious", "critical"}
BROWSER_SKIPPED: list[str] = []
SEED_CANDIDATES = 400


def missing_browser() -> str | None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not (os.path.exists(path) and os.access(path, os.X_OK))]
    if missing:
        return f"no {' and no '.join(missing)} (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install -e '.[dev]')"
    return None


def skip_browser(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"A browser is required (TALENTPOOL_REQUIRE_BROWSER) but {reason}", pytrace=False)
    BROWSER_SKIPPED.append(reason)
    pytest.skip(f"Browser tests skipped: {reason}")


def seed(database_url: str) -> None:
    """A migrated database with a ranked synthetic pool and completed rounds of DE (three), FR and NL."""
    from rounds.rounds_helpers import add_pool, due_rounds, rank, run_due, set_ceiling

    app = create_app({"TESTING": True, "SECRET_KEY": "seed", "DATABASE_URL": database_url})
    try:
        with app.app_context():
            upgrade()
        add_pool(app, SEED_CANDIDATES, seed=10)
        rank(app)
        for state, ceiling in (("DE", 500), ("FR", 200), ("NL", 100)):
            set_ceiling(app, state, ceiling)
        for minutes_ago, sizes in ((4, {"DE": 12}), (3, {"DE": 10, "FR": 8}), (2, {"DE": 15, "NL": 5})):
            due_rounds(app, sizes, minutes_ago=minutes_ago)
            run_due(app)
    finally:
        app.extensions["talentpool.engine"].dispose()


def own_site(tmp_path_factory, name: str, prepare=None, *, seeded: bool = True, settings: dict | None = None):
    """A gunicorn server over a SQLite database of its own; yields (base URL, database URL) while it runs.

    A module whose tests write (rounds, overlays, employers) gets one, so nothing it writes reaches
    another module's pages. The database is `seed`ed (or only migrated), then `prepare(app)`, if
    given, writes what the module needs through the service layer of an app with `settings`."""
    from e2e.gunicorn_process import serve

    folder = tmp_path_factory.mktemp(name)
    database_url = f"sqlite:///{folder}/talentpool.sqlite3"
    if seeded:
        seed(database_url)
    if prepare is not None or not seeded:
        app = create_app({"TESTING": True, "SECRET_KEY": "seed", "DATABASE_URL": database_url, **(settings or {})})
        try:
            if not seeded:
                with app.app_context():
                    upgrade()
            if prepare is not None:
                prepare(app)
        finally:
            app.extensions["talentpool.engine"].dispose()
    for address in serve(database_url, folder / "gunicorn.log", env={"TALENTPOOL_ACCESS_LOG": "/dev/null"}):
        yield "http://%s:%d" % address, database_url


def add_staff(app, email: str, password: str, role, state: str | None = None, secret: str | None = None) -> None:
    """An official's or administrator's account, its second factor enrolled with `secret` if given
    (the tests then compute its codes with pyotp)."""
    from app import db
    from app.accounts import registration, two_factor
    from app.accounts.passwords import hash_password

    with app.test_request_context("/", method="POST"):
        account = registration.create(db.session(), email, hash_password(password), role, state)
        if secret is not None:
            two_factor.enrol_with_secret(db.session(), account.id, secret)
        db.session().commit()


def axe_violations(driver) -> list[dict]:
    """axe-core's violations on the page open in `driver` (WCAG 2.0/2.1 A and AA rules, best practices)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));",
        options)
    violations = json.loads(result)
    if isinstance(violations, dict):
        raise RuntimeError(f"axe failed: {violations['error']}")
    return violations


def assert_accessible(driver) -> None:
    """Fail on any axe violation of impact serious or critical, naming the rule and the elements."""
    failing = [v for v in axe_violations(driver) if v.get("impact") in FAILING_IMPACTS]
    report = "\n".join(f"{v['impact']}: {v['id']}: {v['help']}: " + "; ".join(
        ", ".join(node["target"]) if isinstance(node["target"][0], str) else str(node["target"]) for node in v["nodes"][:5])
        for v in failing)
    assert not failing, f"{driver.current_url}:\n{report}"


def fresh_code(secret: str, used: set[str]) -> str:
    """The current code, waiting for the next step if it was used already (each code signs in once)."""
    while (code := pyotp.TOTP(secret).now()) in used:
        time.sleep(1)
    used.add(code)
    return code


def _gone(element) -> bool:
    """Whether `element` has left the document. Selenium's `staleness_of` knows only the stale
    reference error; Chromium may instead answer "Node with given id does not belong to the
    document" (an inspector error, seen with Chromium 150 under load) for a node of a page being
    replaced, which says the same thing."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def wait_for_new_page(driver, old) -> None:
    """Until the page the element `old` belonged to is gone and the next page has loaded.

    Staleness alone is not enough: reading the next page while it is still being parsed can meet a
    node the parser then replaces (Chromium's "Node with given id does not belong to the document",
    seen under load)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda _driver: _gone(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
