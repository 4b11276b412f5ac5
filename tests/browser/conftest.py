"""Browser tests: Debian's chromium, driven by Selenium through chromedriver, against the real server.

The server is gunicorn with the shipped `gunicorn.conf.py` (as in production and in tests/e2e),
on a free loopback port, over a SQLite database seeded once per run with a synthetic pool, a
nightly ranking and completed rounds. The pages are the same on PostgreSQL (the services under
them are tested on both), so the browser half runs on SQLite only.

Without `/usr/bin/chromium` and `/usr/bin/chromedriver` these tests are skipped and the run ends
by saying so; `.ci/run` installs both and sets `TALENTPOOL_REQUIRE_BROWSER=1`, which turns a
missing browser into a failure. The helpers tests call are in `browser/harness.py`
(this folder is a package, so this conftest does not shadow `tests/conftest.py`'s module name).
"""
from __future__ import annotations

import pytest

from browser.harness import (BROWSER_SKIPPED, CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, DESKTOP, missing_browser,
                             own_site, skip_browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real server over the seeded database; yields its base URL ("http://127.0.0.1:PORT")."""
    reason = missing_browser()
    if reason:
        skip_browser(reason)
    for base, _database_url in own_site(tmp_path_factory, "browser"):
        yield base


@pytest.fixture(scope="session")
def browser(site):
    """One headless chromium for the run (each test sets the window size it needs)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=%d,%d" % DESKTOP)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as error:  # the driver's own errors: a browser that will not start
        skip_browser(f"chromium would not start: {error}")
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, site):
    """Open a page: `page("/grid", lang="de", size=PHONE)`; a fresh cookie jar each time."""

    def open_page(path: str, *, lang: str = "en", size=DESKTOP):
        browser.delete_all_cookies()
        browser.set_window_size(*size)
        separator = "&" if "?" in path else "?"
        browser.get(f"{site}{path}{separator}lang={lang}")
        return browser

    return open_page


def pytest_unconfigure(config):
    """Say it on the run's last line, not only among the skips, when the browser tests did not run."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if BROWSER_SKIPPED and reporter is not None:
        reporter.write_line(f"Browser tests skipped: {BROWSER_SKIPPED[0]}", yellow=True, bold=True)
