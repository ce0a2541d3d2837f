"""The whole loop under faults, over real HTTP: 503s, 429 bursts, outages, a receiver down or restarted, a
lost response after a write, and `sim up` killed with SIGKILL mid-sync. Each run must end converged."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from sim.faults import middleware as faults
from sim.jumpcloud.state import JumpCloud
from sim.run import up
from sim.serve import ServerThread
from sim.store import open_store
from sim.strongdm import create_app as create_strongdm
from sim.strongdm.state import make_strongdm

FAST = {"PUSH_RETRY_BASE": 0.01, "PUSH_RETRY_CAP": 0.2, "PUSH_SEED": 5}
TEST_USER = up.TEST_USER_EMAIL


def expected(jc, app_id: str) -> tuple[dict, dict]:
    """(email -> JumpCloud user) that must be live in StrongDM, and (group name -> member emails)."""
    active = {u["email"].lower(): u for u in jc.directory.users_bound_to_app(app_id)
              if u["state"] == "ACTIVATED" and u.get("firstname") and u.get("lastname")}
    by_id = {u["_id"]: email for email, u in active.items()}
    groups = {g["name"]: {by_id[m] for m in g["members"] if m in by_id} for g in jc.directory.groups_bound_to_app(app_id)}
    return active, groups


def actual(sdm) -> tuple[list, dict]:
    """StrongDM's SCIM-managed users (a list, so duplicates would show) and (role name -> member emails)."""
    users = [u for u in sdm.accounts.all_users() if u.get("managed_by")]
    roles = {r["name"]: [user["email"].lower() for user, *_ in sdm.accounts.members(r["id"])]
             for r in sdm.accounts.list_roles(0, 100_000)}
    return users, roles


def assert_converged(jc, sdm, app_id: str) -> None:
    """Every user and membership present, none duplicated, none extra."""
    active, groups = expected(jc, app_id)
    users, roles = actual(sdm)
    emails = [u["email"].lower() for u in users if u["email"].lower() != TEST_USER]
    assert len(emails) == len(set(emails)), "duplicate users"
    external = [u["external_id"] for u in users if u.get("external_id")]
    assert len(external) == len(set(external)), "two users share an externalId"
    live = {u["email"].lower() for u in users if not u["suspended"]} - {TEST_USER}
    assert live == set(active), (sorted(set(active) - live)[:5], sorted(live - set(active))[:5])
    for u in users:
        if u["email"].lower() in active:
            assert u["external_id"] == active[u["email"].lower()]["_id"]
    for name, members in groups.items():
        if members:
            assert sorted(roles.get(name, [])) == sorted(members), name


class Loop:
    """`sim up` in this process on port 0 (state in a temporary directory), faults set from the start of the sync."""

    def __init__(self, state_dir, *, users=60, groups=4, receiver_faults=(), seed=11):
        self.state_dir = str(state_dir)
        self.loop = up.start(seed=seed, users=users, groups=groups, jumpcloud_port=0, strongdm_port=0,
                             state_dir=self.state_dir, settings={**FAST, "FAULT_SEED": seed})
        # The connection test ran clean during `start`; the sync it queued meets the faults.
        faults.set_faults(self.strongdm_app, receiver_faults)

    @property
    def strongdm_app(self):
        return self.loop.strongdm.app

    @property
    def jc(self):
        return self.loop.jumpcloud.app.extensions["jumpcloud"]

    @property
    def sdm(self):
        return self.strongdm_app.extensions["strongdm"]

    @property
    def app_id(self):
        return self.loop.endpoints["jumpcloud"]["app_id"]

    def wait(self, timeout=40.0) -> dict:
        status = self.loop.pusher.wait_idle(timeout)
        assert status["idle"], status
        return status

    def restart_receiver(self, *, down_for: float = 0.0, reopen: bool = False):
        """Stop StrongDM's server (connections refused), optionally reopen its state, serve again on the same port."""
        old = self.loop.strongdm
        port, rules = old.port, faults.active_faults(old.app)
        old.stop()
        time.sleep(down_for)
        app = old.app
        if reopen:
            app.extensions["strongdm"].store.close()
            app = create_strongdm(open_store(self.state_dir, "strongdm"))  # token and users come from the file
            faults.set_faults(app, rules)
        self.loop.strongdm = ServerThread(app, "127.0.0.1", port).start()

    def change_directory(self):
        """A few changes after the first sync, so steady-state pushes meet the faults too."""
        directory = self.jc.directory
        group = directory.groups_bound_to_app(self.app_id)[0]
        user = directory.create_user({"username": "late.comer", "email": "late.comer@example.com",
                                      "firstname": "Late", "lastname": "Comer"})
        directory.change_membership(group["id"], "add", user["_id"])
        someone = next(u for u in directory.users_bound_to_app(self.app_id) if u["state"] == "ACTIVATED")
        directory.update_user(someone["_id"], {"lastname": "Renamed"})

    def stop(self):
        self.loop.stop()


@pytest.fixture
def make_loop(tmp_path):
    made = []

    def make(**kwargs):
        made.append(Loop(tmp_path, **kwargs))
        return made[-1]

    yield make
    for loop in made:
        loop.stop()


def injected(loop) -> int:
    return loop.strongdm_app.extensions["faults"].count()


@pytest.mark.parametrize("rules", [
    pytest.param(["503:0.2"], id="20% 503s"),
    pytest.param(["502:0.1", "500:0.1", "latency:5ms±5ms"], id="500s, 502s and latency"),
    pytest.param(["429:0.1:retry-after=0", "outage:1s:status=429:retry-after=1"], id="429 bursts"),
    pytest.param(["500:0.15:after@POST,PUT,PATCH"], id="writes applied but their responses lost"),
    pytest.param(["truncate:0.1"], id="truncated responses"),
])
def test_the_loop_converges_under_faults(make_loop, rules):
    loop = make_loop(receiver_faults=rules)
    loop.wait()
    assert_converged(loop.jc, loop.sdm, loop.app_id)
    loop.change_directory()
    loop.wait()
    assert_converged(loop.jc, loop.sdm, loop.app_id)
    assert injected(loop) > 0


def test_the_loop_converges_after_an_outage_window(make_loop):
    loop = make_loop(receiver_faults=["outage:1.5s"])
    loop.wait()
    assert_converged(loop.jc, loop.sdm, loop.app_id)
    assert injected(loop) > 0


def test_the_loop_converges_when_the_receiver_is_down_for_a_while_then_back(make_loop):
    loop = make_loop(users=80, receiver_faults=["latency:10ms"])
    assert not loop.loop.pusher.status()["idle"], "the sync ended before the receiver went down"
    loop.restart_receiver(down_for=1.5)
    loop.wait()
    assert_converged(loop.jc, loop.sdm, loop.app_id)


def test_the_loop_converges_when_the_receiver_restarts_mid_sync(make_loop):
    loop = make_loop(users=80, receiver_faults=["latency:10ms"])
    time.sleep(0.3)  # part of the sync lands before the restart
    assert loop.sdm.accounts.count_users() > 1 and not loop.loop.pusher.status()["idle"]
    loop.restart_receiver(down_for=0.5, reopen=True)
    loop.wait()
    assert_converged(loop.jc, loop.sdm, loop.app_id)


# -- SIGKILL in the middle of a large sync -------------------------------------------------------------------

def start_sim_up(state_dir, users: int) -> subprocess.Popen:
    env = {**os.environ, "SIM_SQLITE_SYNC": "NORMAL", "SIM_PUSH_RETRY_BASE": "0.01", "SIM_PUSH_RETRY_CAP": "0.2"}
    return subprocess.Popen([sys.executable, "-m", "sim", "up", "--state-dir", str(state_dir), "--users", str(users),
                             "--groups", "10", "--jumpcloud-port", "0", "--strongdm-port", "0", "--grpc-port", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def scim_user_count(endpoints: dict) -> int:
    sdm = endpoints.get("strongdm") or {}
    if not sdm.get("scim_token"):
        return 0
    try:
        response = requests.get(sdm["scim_base_url"] + "/Users", params={"count": 0}, timeout=5,
                                headers={"Authorization": f"Bearer {sdm['scim_token']}"})
    except requests.ConnectionError:
        return 0
    return response.json().get("totalResults", 0) if response.ok else 0


def read_endpoints(state_dir) -> dict:
    try:
        return json.loads((state_dir / "endpoints.json").read_text())
    except (OSError, ValueError):
        return {}


def acknowledged_creates(jc) -> set[str]:
    """JumpCloud user ids whose SCIM create StrongDM answered with success."""
    events = jc.insights.query(start_time="2000-01-01T00:00:00.000Z", limit=10_000)
    return {e["resource"]["id"] for e in events if e["event_type"] == "user_create_provision" and e["success"]}


def test_sigkill_mid_sync_then_restart_converges_and_keeps_every_acknowledged_write(tmp_path):
    users = 2000
    process = start_sim_up(tmp_path, users)
    try:
        # Kill once a good part of the sync has been acknowledged, well before it ends.
        wait_for(lambda: scim_user_count(read_endpoints(tmp_path)) >= 300, 60, "the sync to get going")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    jc_store, sdm_store = open_store(tmp_path, "jumpcloud"), open_store(tmp_path, "strongdm")
    jc, sdm = JumpCloud(jc_store), make_strongdm(sdm_store)
    acked = acknowledged_creates(jc)
    present = {u["external_id"] for u in sdm.accounts.all_users() if u.get("external_id")}
    assert acked and acked <= present, f"{len(acked - present)} acknowledged users lost"
    assert len(present) < users, "the kill came too late to test anything"
    jc_store.close()
    sdm_store.close()

    process = start_sim_up(tmp_path, users)
    try:
        endpoints = wait_for(lambda: read_endpoints(tmp_path).get("jumpcloud", {}).get("url") and read_endpoints(tmp_path)
                             if scim_user_count(read_endpoints(tmp_path)) else None, 30, "the restart")
        jc_url, key = endpoints["jumpcloud"]["url"], endpoints["jumpcloud"]["api_key"]
        wait_for(lambda: requests.get(f"{jc_url}/_sim/idle", params={"timeout": 5}, headers={"x-api-key": key},
                                      timeout=10).json().get("idle"), 90, "the resumed sync to finish")
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    jc_store, sdm_store = open_store(tmp_path, "jumpcloud"), open_store(tmp_path, "strongdm")
    try:
        jc, sdm = JumpCloud(jc_store), make_strongdm(sdm_store)
        app_id = jc.directory.find_app("strongdm")["_id"]
        assert_converged(jc, sdm, app_id)
        assert acked <= {u["external_id"] for u in sdm.accounts.all_users() if u.get("external_id")}
    finally:
        jc_store.close()
        sdm_store.close()
