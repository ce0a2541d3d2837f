"""`sim classroom`'s seats: isolated pairs, one directory, own logins and ports; progress and reset per seat."""

import os

import pytest
import requests

from sim.classroom.seats import SEAT_THREADS
from sim.classroom.seats import seat_ports
from sim.classroom.seats import start_classroom
from sim.run.preflight import StartError
from sim.run.state.lock import StateLock
from tests.classroom.helpers import small_class
from tests.run.helpers import signs_in


def test_every_seat_is_its_own_pair_with_its_own_state_dir_logins_and_ports(room, tmp_path):
    assert [seat.number for seat in room.seats] == [1, 2]
    one, two = (seat.logins() for seat in room.seats)
    assert len({one["jumpcloud"]["url"], one["strongdm"]["url"], two["jumpcloud"]["url"], two["strongdm"]["url"]}) == 4
    assert one["jumpcloud"]["password"] != two["jumpcloud"]["password"]  # random per seat unless fixed
    for seat in room.seats:
        assert os.path.exists(os.path.join(tmp_path, seat.name, "jumpcloud.sqlite3"))
    jc = [seat.loop.jumpcloud.app.extensions["jumpcloud"] for seat in room.seats]
    assert jc[0].directory.user_count() == jc[1].directory.user_count() == 8  # the same exercise for everyone
    requests.post(f"{one['jumpcloud']['url']}/api/systemusers", timeout=10,
                  headers={"x-api-key": room.seats[0].loop.endpoints["jumpcloud"]["api_key"]},
                  json={"username": "only-in-one", "email": "only@example.com"})
    assert (jc[0].directory.user_count(), jc[1].directory.user_count()) == (9, 8)


def test_a_blank_seat_has_no_ticks_and_resetting_it_leaves_the_other_alone(room):
    one, two = room.seats
    assert one.progress()["done"] == 0 and one.progress()["last_error"] is None
    for seat in (one, two):
        seat.loop.strongdm.app.extensions["strongdm"].org.activate_scim("generic")
    assert [s["key"] for s in one.progress()["steps"] if s["at"]] == ["scim_activated"]
    one.reset()
    assert one.progress()["done"] == 0 and two.progress()["done"] == 1


def test_seat_ports_follow_the_trainer_port_or_are_all_free():
    assert seat_ports(8400, 2) == [(8401, 8402), (8403, 8404)]
    assert seat_ports(0, 2) == [(0, 0), (0, 0)]


@pytest.mark.parametrize(("options", "message"), [
    ({"seats": 0}, "--seats must be between 1 and 100"),
    ({"port": 65530, "seats": 5}, "leaves no room for 5 seats"),
    ({"admin_password": "short"}, "--admin-password"),
])
def test_bad_arguments_are_refused_before_any_seat_starts(tmp_path, options, message):
    with pytest.raises(StartError, match=message):
        start_classroom(**small_class(tmp_path, **options))
    assert not any(name.startswith("seat-") for name in os.listdir(tmp_path))


def test_fixed_credentials_are_shared_by_every_seat(tmp_path):
    room = start_classroom(**small_class(tmp_path, admin_password="Class-Room-2026",
                                         api_key="0123456789abcdef0123456789abcdef01234567"))
    try:
        for seat in room.seats:
            assert seat.logins()["jumpcloud"]["password"] == seat.logins()["strongdm"]["password"] == "Class-Room-2026"
            assert seat.loop.endpoints["jumpcloud"]["api_key"] == "0123456789abcdef0123456789abcdef01234567"
    finally:
        room.stop()


def test_seats_started_in_threads_are_isolated_with_their_own_logins(tmp_path):
    room = start_classroom(**small_class(tmp_path, seats=SEAT_THREADS + 3))  # seat 1, then more than one round
    try:
        assert [seat.number for seat in room.seats] == list(range(1, SEAT_THREADS + 4)) and room.notes == []
        logins = [seat.logins() for seat in room.seats]
        urls = {row[product]["url"] for row in logins for product in ("jumpcloud", "strongdm")}
        passwords = {row[product]["password"] for row in logins for product in ("jumpcloud", "strongdm")}
        assert len(urls) == len(passwords) == 2 * len(logins)
        for seat, row in zip(room.seats, logins, strict=True):
            assert seat.state_dir == str(tmp_path / seat.name)
            for product in ("jumpcloud", "strongdm"):
                assert signs_in(row[product]["url"], {"email": row[product]["email"],
                                                      "password": row[product]["password"]})
    finally:
        room.stop()


def test_a_seat_that_fails_in_a_thread_stops_the_started_ones_and_says_why(tmp_path):
    held = StateLock(str(tmp_path / "seat-03"), "sim up --blank").acquire()
    try:
        with pytest.raises(StartError, match="seat-03 is in use by pid .* \\(sim up --blank\\)"):
            start_classroom(**small_class(tmp_path, seats=4))
    finally:
        held.release()
    for name in ("seat-01", "seat-02", "seat-04"):  # started, then stopped: their locks are free again
        StateLock(str(tmp_path / name)).acquire().release()
