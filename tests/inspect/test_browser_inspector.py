"""Both consoles' SCIM Inspector in a real headless Chromium: the nav link, a user filter, a body shown on demand."""

import re

import pytest

from tests.loop.browser import Screenshots
from tests.loop.browser import launch
from tests.loop.browser import require_browser
from tests.loop.helpers import Harness

JC_ADMIN = ("admin@example.com", "admin-password-1")  # what Harness seeds
SDM_ADMIN = ("admin@strongdm.test", "inspector admin password")


@pytest.fixture(scope="module")
def loop():
    harness = Harness(users=6, groups=2)
    harness.sdm.ensure_admin(*SDM_ADMIN)
    harness.connect()
    yield harness
    harness.stop()


def log_in(page, url, email, password):
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("side", ["jumpcloud", "strongdm"])
def test_an_admin_finds_one_user_s_exchanges_and_opens_the_bodies(loop, side):
    sync_api = require_browser()
    user = loop.directory.users_bound_to_app(loop.app_id)[0]
    url, credentials = ((loop.jc_server.url, JC_ADMIN) if side == "jumpcloud"
                        else (loop.receiver_server.url, SDM_ADMIN))
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        log_in(page, url, *credentials)
        page.get_by_role("link", name="SCIM Inspector").click()
        page.get_by_label("User").fill(user["email"])
        page.get_by_role("button", name="Filter").click()
        ring = (loop.jc_app if side == "jumpcloud" else loop.sdm_app).extensions["inspector"].ring
        expected = ring.page(user=user["email"])[1]
        assert 0 < expected < ring.page()[1]
        sync_api.expect(page.locator("nav.pager")).to_contain_text(f"of {expected} exchanges")
        request = page.locator("summary", has_text=re.compile(r"^POST \S*/Users$"))
        create = page.locator("#exchanges tbody tr", has=request).first
        create.locator("summary").click()
        sync_api.expect(create.locator("pre").nth(1)).to_contain_text(f'"userName": "{user["email"]}"')
        if side == "strongdm":
            sync_api.expect(create.locator("pre").first).to_contain_text("Authorization: Bearer [redacted]")
        Screenshots(f"inspector_{side}").take(page, "inspector-filtered")
        browser.close()
