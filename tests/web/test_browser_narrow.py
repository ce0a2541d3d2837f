"""Both consoles fit a 700 px browser window (a trainee with the guide beside the console): no sideways scroll."""

import pytest

from sim.run import up
from tests.loop.browser import launch
from tests.loop.browser import require_browser

NARROW = {"width": 700, "height": 800}
JUMPCLOUD_PAGES = ("/users", "/users/new", "/groups", "/sso", "/sso/new")
STRONGDM_PAGES = ("/users", "/roles", "/activities", "/settings", "/settings/api-keys")


@pytest.fixture
def loop(tmp_path):
    loop = up.start(seed=7, users=24, groups=4, jumpcloud_port=0, strongdm_port=0, state_dir=str(tmp_path),
                    settings={"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})  # tests only: cheap hashes
    yield loop
    loop.stop()


def log_in(page, url, credentials):
    page.goto(url + "/login")
    page.get_by_label("Email").fill(credentials["email"])
    page.get_by_label("Password").fill(credentials["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_every_console_page_fits_a_700_px_window(loop):
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=NARROW)
            page = context.new_page()
            too_wide = {}
            for product, pages in (("jumpcloud", JUMPCLOUD_PAGES), ("strongdm", STRONGDM_PAGES)):
                url = loop.endpoints[product]["url"]
                log_in(page, url, loop.endpoints[product]["admin"])
                for path in ("/login", *pages):
                    page.goto(url + path)
                    if overflow(page) > 0:
                        too_wide[f"{product} {path}"] = overflow(page)
            app_id = loop.endpoints["jumpcloud"]["app_id"]
            for tab in ("/general", "/bookmark", "/identity-management", "/groups", "/provisioning"):
                page.goto(f"{loop.endpoints['jumpcloud']['url']}/sso/{app_id}{tab}")
                if overflow(page) > 0:
                    too_wide[f"jumpcloud /sso/{app_id}{tab}"] = overflow(page)
            assert too_wide == {}
        finally:
            browser.close()
