"""Two seats of a classroom in one browser: seat 1 walks the seed guide, the trainer page sees it, resets it.

Real Chromium (tests/loop/browser.py); both seats' consoles share one cookie jar, as a trainee's browser would.
"""

import re

import pytest

from sim.classroom.seats import start_classroom
from sim.classroom.trainer import create_trainer_app
from sim.run.serving import serve_app
from sim.store import open_store
from tests.classroom.helpers import TRAINER_PASSWORD
from tests.classroom.helpers import small_class
from tests.loop.browser import launch
from tests.loop.browser import require_browser

BOOKMARK_URL = "https://app.strongdm.com/app/login"


@pytest.fixture
def classroom(tmp_path):
    room = start_classroom(**small_class(tmp_path))
    trainer = serve_app(create_trainer_app(room, open_store(str(tmp_path), "trainer"), TRAINER_PASSWORD),
                        "127.0.0.1", 0)
    yield room, trainer
    trainer.stop()
    room.stop()


def log_in(page, url, credentials):
    page.goto(url + "/login")
    page.get_by_label("Email").fill(credentials["email"])
    page.get_by_label("Password").fill(credentials["password"])
    page.get_by_role("button", name="Log in").click()


def walk_the_seed_guide(expect, jumpcloud, strongdm, logins):
    """The guide's steps by clicking, in seat `logins`' two consoles."""
    log_in(jumpcloud, logins["jumpcloud"]["url"], logins["jumpcloud"])
    jumpcloud.get_by_role("navigation").get_by_role("link", name="SSO").click()
    jumpcloud.get_by_role("link", name="Add a new application").click()
    jumpcloud.get_by_label("Search the application catalog").fill("StrongDM")
    jumpcloud.get_by_role("button", name="Search").click()
    jumpcloud.locator(".catalog").get_by_role("link", name=re.compile("StrongDM")).click()
    jumpcloud.get_by_role("link", name="configure").click()
    jumpcloud.get_by_role("button", name="Save").click()
    jumpcloud.get_by_label("Display Label").fill("StrongDM (seat 1)")
    jumpcloud.get_by_label("Description").fill("Infrastructure access")
    jumpcloud.get_by_role("button", name="Save").click()
    expect(jumpcloud.get_by_text("Saved.")).to_be_visible()
    jumpcloud.get_by_role("link", name="Bookmark").click()
    jumpcloud.get_by_label("URL").fill(BOOKMARK_URL)
    jumpcloud.get_by_role("button", name="activate").click()
    expect(jumpcloud.get_by_text("Bookmark activated.")).to_be_visible()

    log_in(strongdm, logins["strongdm"]["url"], logins["strongdm"])
    strongdm.get_by_role("link", name="Settings").click()
    strongdm.get_by_role("link", name="Provisioning").click()
    strongdm.get_by_label("SCIM Provider").select_option(label="Generic")
    strongdm.get_by_role("button", name="Activate SCIM").click()
    token = strongdm.get_by_label("SCIM token").input_value()

    jumpcloud.get_by_role("link", name="Identity Management").click()
    jumpcloud.get_by_role("link", name="configure").click()
    jumpcloud.get_by_label("Base URL").fill(f"{logins['strongdm']['url']}/provisioning/generic/v2")
    jumpcloud.get_by_label("Token").fill(token)
    jumpcloud.get_by_role("button", name="Activate").click()
    expect(jumpcloud.get_by_text("Identity Management is active")).to_be_visible()
    jumpcloud.get_by_role("button", name="Save").click()
    jumpcloud.get_by_role("link", name="User Groups", exact=True).last.click()
    boxes = jumpcloud.locator("input[type=checkbox][name=group]")
    for n in range(boxes.count()):
        boxes.nth(n).check()
    jumpcloud.get_by_role("button", name="Save").click()
    expect(jumpcloud.get_by_text(re.compile(r"Saved: \d+ groups added"))).to_be_visible()


def test_the_trainer_sees_seat_1_walk_the_guide_and_resets_it_while_seat_2_stays_untouched(classroom):
    sync_api = require_browser()
    expect = sync_api.expect
    room, trainer = classroom
    one, two = (seat.logins() for seat in room.seats)
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860})  # one cookie jar for all
            context.set_default_timeout(15_000)
            seat_two = context.new_page()
            log_in(seat_two, two["jumpcloud"]["url"], two["jumpcloud"])
            expect(seat_two.get_by_role("heading", name="Users")).to_be_visible()

            walk_the_seed_guide(expect, context.new_page(), context.new_page(), one)
            assert room.seats[0].loop.pusher.wait_idle(60)["idle"]

            seat_two.reload()  # seat 1's logins did not sign seat 2 out
            expect(seat_two.get_by_role("heading", name="Users")).to_be_visible()

            page = context.new_page()
            page.goto(trainer.url + "/login")
            page.get_by_label("Password").fill(TRAINER_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            row_one, row_two = page.locator("#seat-1"), page.locator("#seat-2")
            expect(row_one.locator("li.done")).to_have_count(7)
            expect(row_two.locator("li.done")).to_have_count(0)
            expect(row_one.get_by_text("Users arrived in StrongDM")).to_be_visible()

            row_one.get_by_role("button", name="Reset seat 1").click()
            expect(page.get_by_text("Seat 1 is back to its starting state")).to_be_visible()
            expect(page.locator("#seat-1 li.done")).to_have_count(0)

            jumpcloud = context.new_page()
            log_in(jumpcloud, one["jumpcloud"]["url"], one["jumpcloud"])  # the same login still works
            jumpcloud.get_by_role("navigation").get_by_role("link", name="SSO").click()
            expect(jumpcloud.locator("table tbody tr").filter(has_text="StrongDM")).to_have_count(0)
        finally:
            browser.close()
