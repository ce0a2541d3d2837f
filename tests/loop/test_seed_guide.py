"""The seed guide, performed literally in a real headless Chromium against `sim up --blank`.

Every step clicks the label the guide names (seed-guide-jumpcloud-strongdm-scim.txt); the token travels
through the real clipboard. Screenshots of each step land in artifacts/screenshots/ (git-ignored).
Also here: the API key page's copy buttons, whose inline script must run under the console's CSP.
"""

import re
import time

import pytest

from sim.run import up
from tests.loop import browser as harness
from tests.loop.browser import Screenshots
from tests.loop.browser import launch
from tests.loop.browser import require_browser

BOOKMARK_URL = "https://app.strongdm.com/app/login"
SYNC_WAIT = 60.0


@pytest.fixture
def loop(tmp_path):
    loop = up.start(seed=7, users=24, groups=4, jumpcloud_port=0, strongdm_port=0, state_dir=str(tmp_path),
                    blank=True, settings={"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # tests only: cheap hashes
                                          "STRONGDM_ORG_MODEL": "groups"})  # a new org, as `sim up` makes
    yield loop
    loop.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def log_in(page, url, credentials):
    page.goto(url)
    page.get_by_label("Email").fill(credentials["email"])
    page.get_by_label("Password").fill(credentials["password"])
    page.get_by_role("button", name="Log in").click()


def test_a_newcomer_completes_the_seed_guide_by_clicking_and_the_users_reach_strongdm(browser, loop):
    sync_api = require_browser()
    expect = sync_api.expect
    shots = Screenshots("seed_guide")
    jc_url, sdm_url = loop.endpoints["jumpcloud"]["url"], loop.endpoints["strongdm"]["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 860},
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    jumpcloud = context.new_page()

    # -- Add the StrongDM app in JumpCloud ------------------------------------------------------------
    log_in(jumpcloud, jc_url, loop.endpoints["jumpcloud"]["admin"])  # 1. Log in to the JumpCloud Console.
    expect(jumpcloud.get_by_role("heading", name="Users")).to_be_visible()
    shots.take(jumpcloud, "jumpcloud-logged-in")
    jumpcloud.get_by_role("navigation").get_by_role("link", name="SSO").click()  # 2. User Authentication > SSO
    expect(jumpcloud.get_by_role("heading", name="SSO")).to_be_visible()
    sso_rows = jumpcloud.locator("table tbody tr")
    expect(sso_rows.filter(has_text="Slack")).to_have_count(1)  # the other catalog apps exist
    expect(sso_rows.filter(has_text="StrongDM")).to_have_count(0)  # `sim up --blank`: not yet added
    jumpcloud.get_by_role("link", name="Add a new application").click()  # 3. the plus icon +
    jumpcloud.get_by_label("Search the application catalog").fill("StrongDM")  # 4. Search for and select StrongDM
    jumpcloud.get_by_role("button", name="Search").click()
    shots.take(jumpcloud, "jumpcloud-catalog-search")
    jumpcloud.locator(".catalog").get_by_role("link", name=re.compile("StrongDM")).click()
    jumpcloud.get_by_role("link", name="configure").click()  # 5. Click configure and then click Save.
    jumpcloud.get_by_role("button", name="Save").click()
    expect(jumpcloud.get_by_role("link", name="General Info")).to_be_visible()
    jumpcloud.get_by_label("Display Label").fill("StrongDM (training)")  # 6. General Info
    jumpcloud.get_by_label("Description").fill("Infrastructure access, provisioned over SCIM.")
    jumpcloud.get_by_role("button", name="Save").click()
    expect(jumpcloud.get_by_text("Saved.")).to_be_visible()
    shots.take(jumpcloud, "jumpcloud-general-info")
    app_id = re.search(r"/sso/([0-9a-f]{24})/", jumpcloud.url).group(1)
    jumpcloud.get_by_role("link", name="All applications").click()
    expect(sso_rows.filter(has_text="StrongDM")).to_have_count(1)  # exactly one, the one just added
    jumpcloud.get_by_role("link", name="StrongDM (training)").click()
    jumpcloud.get_by_role("link", name="Bookmark").click()  # 7. Bookmark: URL, activate
    jumpcloud.get_by_label("URL").fill(BOOKMARK_URL)
    jumpcloud.get_by_role("button", name="activate").click()
    expect(jumpcloud.get_by_text("Bookmark activated.")).to_be_visible()
    shots.take(jumpcloud, "jumpcloud-bookmark")

    # -- Get a SCIM token from StrongDM ---------------------------------------------------------------
    strongdm = context.new_page()
    log_in(strongdm, sdm_url, loop.endpoints["strongdm"]["admin"])  # 1. Log in to the StrongDM Admin UI.
    strongdm.get_by_role("link", name="Settings").click()  # 2. Settings > User Management > Provisioning
    expect(strongdm.get_by_text("Settings › User Management")).to_be_visible()
    strongdm.get_by_role("link", name="Provisioning").click()
    strongdm.get_by_label("SCIM Provider").select_option(label="Generic")  # 3. SCIM Provider: Generic
    shots.take(strongdm, "strongdm-provisioning")
    strongdm.get_by_role("button", name="Activate SCIM").click()  # 4. Click Activate SCIM.
    token_field = strongdm.get_by_label("SCIM token")
    token = token_field.input_value()
    strongdm.get_by_role("button", name="Copy").click()  # 5. Copy and save the generated token.
    expect(strongdm.get_by_text("Copied")).to_be_visible()
    assert strongdm.evaluate("navigator.clipboard.readText()") == token
    shots.take(strongdm, "strongdm-token-shown-once")

    # -- Set up identity management in JumpCloud ------------------------------------------------------
    jumpcloud.bring_to_front()
    jumpcloud.get_by_role("link", name="Identity Management").click()  # 1. Identity Management tab, configure
    jumpcloud.get_by_role("link", name="configure").click()
    group_box = jumpcloud.get_by_label("Enable management of User Groups and Group Membership in this application")
    group_box.check()
    expect(group_box).to_be_checked()
    jumpcloud.get_by_label("Base URL").fill(f"{sdm_url}/provisioning/generic/v2")  # 2. Base URL
    jumpcloud.get_by_label("Token").click()  # 3. paste the StrongDM SCIM token
    jumpcloud.keyboard.press("ControlOrMeta+V")
    assert jumpcloud.get_by_label("Token").input_value() == token
    shots.take(jumpcloud, "jumpcloud-identity-management-form")
    jumpcloud.get_by_role("button", name="Activate").click()  # 4. Click Activate and click Save, if necessary.
    expect(jumpcloud.get_by_text("Identity Management is active")).to_be_visible()
    jumpcloud.get_by_role("button", name="Save").click()
    expect(jumpcloud.get_by_text("Saved.")).to_be_visible()
    expect(jumpcloud.locator(".badge", has_text="Active")).to_be_visible()  # Save kept it active
    shots.take(jumpcloud, "jumpcloud-identity-management-active")

    # -- Select user groups in JumpCloud --------------------------------------------------------------
    jumpcloud.get_by_role("link", name="User Groups", exact=True).last.click()  # 1. the app's User Groups tab
    boxes = jumpcloud.locator("input[type=checkbox][name=group]")
    assert boxes.count() == 4
    for n in range(boxes.count()):  # 2. the checkbox next to each user group
        boxes.nth(n).check()
    jumpcloud.get_by_role("button", name="Save").click()  # 3. Click Save.
    expect(jumpcloud.get_by_text("Saved: 4 groups added, 0 removed.")).to_be_visible()
    shots.take(jumpcloud, "jumpcloud-user-groups-bound")

    # -- The users appear in StrongDM -----------------------------------------------------------------
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    expected = {u["email"] for u in jc.directory.users_bound_to_app(app_id) if u["state"] == "ACTIVATED"}
    assert expected
    strongdm.bring_to_front()
    strongdm.get_by_role("link", name="Users").click()
    deadline = time.monotonic() + SYNC_WAIT
    while True:
        shown = set(strongdm.locator("table tbody tr td:nth-child(2)").all_inner_texts())
        if expected <= shown or time.monotonic() > deadline:
            break
        loop.pusher.wait_idle(1.0)  # wait for the pusher rather than hammering the page
        strongdm.reload()
    shots.take(strongdm, "strongdm-users-provisioned")
    assert expected <= shown, f"missing in StrongDM: {sorted(expected - shown)[:5]}"
    expect(strongdm.get_by_text("managed by Generic").first).to_be_visible()

    loop.pusher.wait_idle(SYNC_WAIT)
    expect(strongdm.get_by_text("Principals")).to_be_visible()  # a 2026 org's navigation
    strongdm.get_by_role("link", name="Groups", exact=True).click()  # Principals › Groups
    expect(strongdm.get_by_role("heading", name="Groups")).to_be_visible()
    pushed = [group for group in jc.directory.groups_bound_to_app(app_id) if group["members"]]  # none empty
    assert pushed
    for group in pushed:
        expect(strongdm.get_by_role("link", name=group["name"], exact=True)).to_be_visible()
    shots.take(strongdm, "strongdm-groups")
    strongdm.get_by_role("link", name=pushed[0]["name"], exact=True).click()
    expect(strongdm.get_by_text("No roles assigned")).to_be_visible()  # a pushed group grants nothing yet
    shots.take(strongdm, "strongdm-group")

    jumpcloud.bring_to_front()
    jumpcloud.get_by_role("link", name="Provisioning").click()
    expect(jumpcloud.get_by_text("user_create_provision").first).to_be_visible()
    shots.take(jumpcloud, "jumpcloud-provisioning-events")
    context.close()


def test_an_api_key_secret_is_copied_with_its_button_and_is_gone_after_a_reload(browser, loop):
    expect = require_browser().expect
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, loop.endpoints["strongdm"]["url"], loop.endpoints["strongdm"]["admin"])
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="API Keys").click()
    page.get_by_label("Name").fill("audit script")
    page.get_by_role("button", name="Create API key").click()
    secret = page.get_by_label("Secret key").input_value()
    page.get_by_role("button", name="Copy secret").click()
    expect(page.get_by_text("Copied secret")).to_be_visible()  # the inline script ran under the page's CSP
    assert page.evaluate("navigator.clipboard.readText()") == secret
    page.get_by_role("button", name="Copy access key").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("auth-")
    page.goto(page.url)
    expect(page.get_by_role("cell", name="audit script")).to_be_visible()
    assert secret not in page.content()
    context.close()


def test_without_chromium_the_browser_test_skips_and_says_why(monkeypatch):
    monkeypatch.setattr(harness, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium is missing"):
        harness.require_browser()


def test_without_chromium_in_ci_the_browser_test_fails_instead_of_skipping(monkeypatch):
    monkeypatch.setattr(harness, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        harness.require_browser()
