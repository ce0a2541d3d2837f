"""A seat's ticks through the seed guide, from Directory Insights and StrongDM's activities, in guide order."""

from sim.jumpcloud.pusher.settings import DEFAULT_TEST_USER_EMAIL as TEST_USER_EMAIL
from sim.jumpcloud.pusher.settings import ActivationError
from sim.run import up


def walk_to_activate(seat, token):
    """The guide's steps up to Activate, as the console's views call them (actor: the seat's admin)."""
    jc = seat.loop.jumpcloud.app.extensions["jumpcloud"]
    app = jc.directory.create_app({"name": "strongdm", "displayLabel": "StrongDM", "description": ""})
    jc.directory.update_app(app["_id"], {"displayLabel": "StrongDM", "description": "Access"})
    jc.directory.update_app(app["_id"], {"bookmark": {"url": "https://app.strongdm.com/app/login", "active": True}})
    base = f"{seat.loop.strongdm.url}/provisioning/generic/v2"
    jc.pusher.configure(app["_id"], base_url=base, token=token, group_management=True,
                        test_user_email=TEST_USER_EMAIL)
    try:
        jc.pusher.activate(app["_id"])
    except ActivationError:
        pass
    return jc, app


def test_the_ticks_follow_the_guide_and_a_failed_activate_says_where_the_seat_is_stuck(room):
    seat, other = room.seats
    sdm = seat.loop.strongdm.app.extensions["strongdm"]
    token = sdm.org.activate_scim("generic")
    jc, app = walk_to_activate(seat, "a-token-the-trainee-mistyped")
    progress = seat.progress()
    done = [s["key"] for s in progress["steps"] if s["at"]]
    assert done == ["app_added", "general_info", "bookmark", "scim_activated"]
    assert progress["last_error"] and "401" in progress["last_error"]

    jc.pusher.configure(app["_id"], base_url=f"{seat.loop.strongdm.url}/provisioning/generic/v2", token=token,
                        group_management=True, test_user_email=TEST_USER_EMAIL)
    jc.pusher.activate(app["_id"])
    every = set(jc.directory.group_ids())
    jc.directory.set_group_bindings(app["_id"], every, every)
    up.first_sync(seat.loop, timeout=30)
    progress = seat.progress()
    assert progress["done"] == 7 and progress["last_error"] is None
    assert other.progress()["done"] == 0
