"""The trainer page: its own login, every seat's logins and ticks, the handout, and resets."""

import requests

from tests.classroom.helpers import csrf_of
from tests.classroom.helpers import signed_in
from tests.classroom.helpers import ticks


def test_the_trainer_page_needs_the_trainers_password(trainer):
    assert requests.get(f"{trainer.url}/seats.json", timeout=10, allow_redirects=False).status_code == 302
    http = signed_in(trainer.url, "not-the-password")
    assert http.get(f"{trainer.url}/seats.json", timeout=10, allow_redirects=False).status_code == 302
    assert signed_in(trainer.url).get(f"{trainer.url}/seats.json", timeout=10).status_code == 200


def test_the_page_and_the_handout_list_every_seats_logins(trainer, room):
    http = signed_in(trainer.url)
    page, handout = (http.get(f"{trainer.url}{path}", timeout=10).text for path in ("/", "/handout"))
    for seat in room.seats:
        logins = seat.logins()
        assert logins["jumpcloud"]["url"] in page and logins["strongdm"]["url"] in page
        assert logins["jumpcloud"]["password"] in handout and logins["strongdm"]["password"] in handout
        assert logins["jumpcloud"]["password"] not in page  # the seats page is shown on a projector


def test_a_seat_reset_from_the_page_clears_that_seat_only(trainer, room):
    for seat in room.seats:
        seat.loop.strongdm.app.extensions["strongdm"].org.activate_scim("generic")
    http = signed_in(trainer.url)
    page = http.get(f"{trainer.url}/", timeout=10).text
    done = http.post(f"{trainer.url}/seats/1/reset", data={"csrf_token": csrf_of(page)}, timeout=10)
    assert done.status_code == 200 and "Seat 1 is back" in done.text
    one, two = http.get(f"{trainer.url}/seats.json", timeout=10).json()["seats"]
    assert ticks(one)["scim_activated"] is None and ticks(two)["scim_activated"] is not None
    done = http.post(f"{trainer.url}/reset-all", data={"csrf_token": csrf_of(page)}, timeout=10)
    assert "All 2 seats" in done.text
    assert all(ticks(row)["scim_activated"] is None for row in http.get(f"{trainer.url}/seats.json").json()["seats"])


def test_resets_need_the_csrf_token_and_an_existing_seat(trainer, room):
    room.seats[0].loop.strongdm.app.extensions["strongdm"].org.activate_scim("generic")
    http = signed_in(trainer.url)
    assert http.post(f"{trainer.url}/seats/1/reset", timeout=10).status_code in (400, 403)
    page = http.get(f"{trainer.url}/", timeout=10).text
    assert http.post(f"{trainer.url}/seats/9/reset", data={"csrf_token": csrf_of(page)}, timeout=10).status_code == 404
    one = http.get(f"{trainer.url}/seats.json", timeout=10).json()["seats"][0]
    assert ticks(one)["scim_activated"] is not None


def test_a_seat_without_a_snapshot_yet_is_refused_with_a_message_not_an_error(trainer, room):
    room.seats[0].loop.snapshot.taken = False  # as a wired seat whose first sync has not finished
    http = signed_in(trainer.url)
    page = http.get(f"{trainer.url}/", timeout=10).text
    one = http.post(f"{trainer.url}/seats/1/reset", data={"csrf_token": csrf_of(page)}, timeout=10)
    assert one.status_code == 200 and "Seat 1: the sandbox has no snapshot yet" in one.text
    every = http.post(f"{trainer.url}/reset-all", data={"csrf_token": csrf_of(page)}, timeout=10)
    assert every.status_code == 200 and "Seats 1 have no snapshot yet" in every.text
