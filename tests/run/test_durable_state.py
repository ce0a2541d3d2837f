"""Durable state: stop and restart `sim up` on one state dir and nothing is lost, queued pushes included."""

import functools
import socket
import time

import pytest
import requests

from sim.fake import directory as fake
from sim.run import status as sim_status
from sim.run import up

SMALL = {"seed": 5, "users": 10, "groups": 3, "jumpcloud_port": 0}
FAST = {"PUSH_RETRY_BASE": 0.05, "PUSH_RETRY_CAP": 0.2}
CACHED_DIRECTORY = functools.lru_cache(fake.make_directory)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def start(tmp_path):
    """Start `sim up` on tmp_path; StrongDM keeps one port across restarts, so the wiring stays as it was."""
    port = free_port()
    loops = []

    def start_loop():
        loop = up.start(state_dir=str(tmp_path), strongdm_port=port, settings=FAST, make_directory=CACHED_DIRECTORY,
                        synchronous="NORMAL", **SMALL)
        loops.append(loop)
        status = up.first_sync(loop, timeout=30)
        assert status["idle"], status
        return loop

    yield start_loop
    for loop in loops:
        if not loop.jumpcloud.app.extensions["jumpcloud"].store._closed:
            loop.stop()


def api(loop, method: str, path: str, **kwargs) -> requests.Response:
    response = requests.request(method, loop.endpoints["jumpcloud"]["url"] + path, timeout=10,
                                headers={"x-api-key": loop.endpoints["jumpcloud"]["api_key"]}, **kwargs)
    assert response.status_code < 300, response.text
    return response


def new_member(loop, name: str, group_id: str) -> str:
    email = f"{name}@example.com"
    user = api(loop, "POST", "/api/systemusers", json={"username": name, "email": email, "firstname": name.title(),
                                                         "lastname": "Restart"}).json()
    api(loop, "POST", f"/api/v2/usergroups/{group_id}/members", json={"op": "add", "type": "user", "id": user["_id"]})
    return email


def strongdm_snapshot(loop) -> dict:
    """Everything StrongDM holds, keyed for comparison."""
    sdm = loop.strongdm.app.extensions["strongdm"]
    accounts = sdm.accounts
    return {
        "users": {u["id"]: u for u in accounts.all_users()},
        "roles": {r["id"]: r for r in accounts.all_roles()},
        "attachments": accounts.list_attachments(0, -1),
        "activities": sdm.activities.list(limit=-1, newest_first=False),
    }


def jumpcloud_snapshot(loop) -> dict:
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    return {
        "users": api(loop, "GET", "/api/systemusers", params={"limit": 100, "sort": "_id"}).json(),
        "groups": api(loop, "GET", "/api/v2/usergroups", params={"limit": 100, "sort": "name"}).json(),
        "wiring": jc.pusher.idm.public(loop.endpoints["jumpcloud"]["app_id"]),
    }


def by_email(loop, email: str) -> dict | None:
    return loop.strongdm.app.extensions["strongdm"].accounts.find_user_by_email(email)


def roles_by_name(loop) -> dict[str, set[str]]:
    accounts = loop.strongdm.app.extensions["strongdm"].accounts
    return {r["name"]: {u["email"] for u, *_ in accounts.members(r["id"])} for r in accounts.all_roles()}


def without_jumpcloud_url(endpoints: dict) -> dict:
    return {**endpoints, "jumpcloud": {k: v for k, v in endpoints["jumpcloud"].items() if k != "url"}}


def test_a_restart_keeps_directory_wiring_credentials_and_everything_strongdm_holds(start):
    first = start()
    endpoints = first.endpoints
    jc_before, sdm_before = jumpcloud_snapshot(first), strongdm_snapshot(first)
    assert sdm_before["users"] and sdm_before["roles"] and sdm_before["activities"]
    first.stop()

    second = start()
    # Same API key, SCIM token and admin logins (JumpCloud listens on a new ephemeral port).
    assert without_jumpcloud_url(second.endpoints) == without_jumpcloud_url(endpoints)
    assert jumpcloud_snapshot(second) == jc_before  # directory and Identity Management settings, not re-activated
    assert strongdm_snapshot(second) == sdm_before
    # The credentials still work against the restarted servers.
    token = endpoints["strongdm"]["scim_token"]
    listed = requests.get(f"{second.endpoints['strongdm']['scim_base_url']}/Users", timeout=10,
                          headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    sdm = second.strongdm.app.extensions["strongdm"]
    admin = endpoints["strongdm"]["admin"]
    assert sdm.org.check_password(sdm.accounts.find_user_by_email(admin["email"])["id"], admin["password"])


def wait_until(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_work_queued_while_the_receiver_was_down_or_the_pusher_stopped_arrives_after_a_restart(start, tmp_path):
    first = start()
    jc = first.jumpcloud.app.extensions["jumpcloud"]
    roles = roles_by_name(first)
    group = next(g for g in api(first, "GET", "/api/v2/usergroups").json() if roles.get(g["name"]))
    managers = {r[0] for r in jc.store.read().execute("SELECT manager FROM jc_users WHERE manager IS NOT NULL")}
    pushed = [u for u in jc.directory.users_bound_to_app(first.endpoints["jumpcloud"]["app_id"])
              if u["state"] == "ACTIVATED" and u["_id"] not in managers and by_email(first, u["email"])]
    suspended, deleted = pushed[0], pushed[1]
    sdm_before = strongdm_snapshot(first)
    activated_at = jumpcloud_snapshot(first)["wiring"]["activated_at"]

    # 1. The receiver dies: changes reach the pusher's durable queue and fail there.
    first.strongdm.stop()
    down_email = new_member(first, "queued.while.down", group["id"])
    api(first, "POST", f"/api/systemusers/{suspended['_id']}/state/suspend")
    api(first, "PUT", f"/api/v2/usergroups/{group['id']}", json={"name": "Renamed While Down"})
    wait_until(lambda: len(jc.pusher.status()["failing"]) >= 2)

    # 2. The pusher stops too: later changes wait in the directory's outbox.
    jc.pusher.stop()
    stopped_email = new_member(first, "queued.while.stopped", group["id"])
    api(first, "DELETE", f"/api/systemusers/{deleted['_id']}")

    summary = sim_status.summarize(str(tmp_path))["jumpcloud"]
    assert summary["pending"] >= 2 and summary["failing"] >= 2
    first.stop()

    # 3. Restart against a live receiver: no new connection test, the queue and outbox drain.
    second = start()
    assert jumpcloud_snapshot(second)["wiring"]["activated_at"] == activated_at
    assert by_email(second, down_email)["suspended"] is False
    assert by_email(second, stopped_email)["suspended"] is False
    assert by_email(second, suspended["email"])["suspended"] is True
    assert by_email(second, deleted["email"])["suspended"] is True
    roles = roles_by_name(second)
    assert group["name"] not in roles
    assert {down_email, stopped_email} <= roles["Renamed While Down"]
    assert suspended["email"] not in roles["Renamed While Down"]
    # Nothing StrongDM held before the outage is gone: every user, role and activity is still there.
    after = strongdm_snapshot(second)
    assert set(sdm_before["users"]) <= set(after["users"]) and set(sdm_before["roles"]) <= set(after["roles"])
    assert after["activities"][:len(sdm_before["activities"])] == sdm_before["activities"]
    assert sim_status.summarize(str(tmp_path))["jumpcloud"]["pending"] == 0
