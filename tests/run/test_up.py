"""`sim up`: both apps wired on loopback, endpoints.json, restarts, --fresh, --blank, and the real command."""

import functools
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from sim.fake import directory as fake
from sim.run import up
from tests.paths import ROOT

SMALL = {"seed": 5, "users": 10, "groups": 3, "jumpcloud_port": 0, "strongdm_port": 0}
SHAPE = {"jumpcloud": {"url", "api_key", "admin", "app_id"},
         "strongdm": {"url", "scim_base_url", "scim_token", "admin"}}


CACHED_DIRECTORY = functools.lru_cache(fake.make_directory)


@pytest.fixture
def started(tmp_path):
    # Generating a directory costs a second or two; the object is only read when seeding, so reuse it.
    loops = []

    def start(**options):
        loop = up.start(state_dir=str(tmp_path), make_directory=CACHED_DIRECTORY, synchronous="NORMAL",
                        **{**SMALL, **options})
        loops.append(loop)
        return loop

    yield start
    for loop in loops:
        if loop.jumpcloud.app.extensions["jumpcloud"].store._closed is False:
            loop.stop()


def read_endpoints(path) -> dict:
    return json.loads((path / "endpoints.json").read_text())


def scim_users(endpoints) -> list[dict]:
    sdm = endpoints["strongdm"]
    response = requests.get(f"{sdm['scim_base_url']}/Users", params={"count": 1000},
                            headers={"Authorization": f"Bearer {sdm['scim_token']}"}, timeout=10)
    response.raise_for_status()
    return [u for u in response.json()["Resources"] if u.get("externalId")]  # not StrongDM's own admin


def test_up_wires_both_apps_syncs_and_writes_endpoints_in_the_documented_shape(started, tmp_path):
    loop = started()
    status = up.first_sync(loop, timeout=20)
    assert status["idle"] and status["failing"] == []
    endpoints = read_endpoints(tmp_path)
    assert endpoints == loop.endpoints
    assert {k: set(v) for k, v in endpoints.items()} == SHAPE
    assert set(endpoints["jumpcloud"]["admin"]) == set(endpoints["strongdm"]["admin"]) == {"email", "password"}
    assert oct(os.stat(tmp_path / "endpoints.json").st_mode & 0o777) == "0o600"
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    bound = [u for u in jc.directory.users_bound_to_app(endpoints["jumpcloud"]["app_id"]) if u["state"] == "ACTIVATED"]
    assert {u["userName"].lower() for u in scim_users(endpoints) if u["active"]} == {u["email"].lower() for u in bound}
    idle = requests.get(f"{endpoints['jumpcloud']['url']}/_sim/idle", params={"timeout": 5},
                        headers={"x-api-key": endpoints["jumpcloud"]["api_key"]}, timeout=10).json()
    assert idle["idle"] is True


def test_a_restart_keeps_state_and_credentials_and_fresh_discards_them(started, tmp_path):
    first = started()
    up.first_sync(first, timeout=20)
    before = read_endpoints(tmp_path)
    count = len(scim_users(before))
    first.stop()
    second = started(users=30)
    up.first_sync(second, timeout=20)
    after = read_endpoints(tmp_path)
    for product in ("jumpcloud", "strongdm"):
        assert after[product]["admin"] == before[product]["admin"]
    assert after["jumpcloud"]["api_key"] == before["jumpcloud"]["api_key"]
    assert after["strongdm"]["scim_token"] == before["strongdm"]["scim_token"]
    assert after["jumpcloud"]["app_id"] == before["jumpcloud"]["app_id"]
    assert len(scim_users(after)) == count  # same directory, nothing duplicated; --users ignored
    assert second.notes and "existing state" in second.notes[0]
    second.stop()
    (tmp_path / "keep.txt").write_text("not ours")
    third = started(fresh=True, users=4)
    up.first_sync(third, timeout=20)
    fresh = read_endpoints(tmp_path)
    assert fresh["strongdm"]["scim_token"] != before["strongdm"]["scim_token"]
    assert third.notes == [] and len(scim_users(fresh)) < count
    assert (tmp_path / "keep.txt").exists()  # only the simulator's own files go


def test_blank_seeds_the_directory_but_configures_neither_product(started, tmp_path):
    loop = started(blank=True)
    endpoints = read_endpoints(tmp_path)
    assert endpoints["jumpcloud"]["app_id"] is None and endpoints["strongdm"]["scim_token"] is None
    assert loop.strongdm.app.extensions["strongdm"].org.scim_provider() is None
    jc = loop.jumpcloud.app.extensions["jumpcloud"]
    assert jc.directory.find_app("strongdm") is None  # the seed guide's `+` step adds it
    assert jc.directory.find_app("slack") is not None  # the other catalog apps are there
    assert jc.directory.user_count() == SMALL["users"]


def test_the_sim_up_command_serves_the_loop_and_stops_cleanly_on_ctrl_c(tmp_path):
    out = open(tmp_path / "out.txt", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "up", "--jumpcloud-port", "0", "--strongdm-port", "0", "--grpc-port", "0",
         "--users", "8",
         "--groups", "2", "--state-dir", str(tmp_path / "state")],
        stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops" not in (tmp_path / "out.txt").read_text():
            assert process.poll() is None, (tmp_path / "out.txt").read_text()
            assert time.monotonic() < deadline, (tmp_path / "out.txt").read_text()
            time.sleep(0.1)
        endpoints = read_endpoints(tmp_path / "state")
        assert any(u["active"] for u in scim_users(endpoints))
        text = (tmp_path / "out.txt").read_text()
        assert endpoints["strongdm"]["scim_token"] in text and endpoints["jumpcloud"]["api_key"] in text
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        out.close()


def test_up_serves_the_sdk_api_and_writes_its_key_into_endpoints(started, tmp_path):
    strongdm_sdk = pytest.importorskip("strongdm")
    loop = started(grpc_port=0)
    up.first_sync(loop, timeout=20)
    sdm = read_endpoints(tmp_path)["strongdm"]
    assert sdm["grpc"].startswith("127.0.0.1:")
    client = strongdm_sdk.Client(sdm["api_access_key"], sdm["api_secret"], host=sdm["grpc"], insecure=True,
                                 retry_rate_limit_errors=False)
    emails = {a.email for a in client.accounts.list("type:user")}
    client.close()
    assert {u["userName"] for u in scim_users(read_endpoints(tmp_path))} <= emails


def test_receiver_faults_start_after_the_connection_test_so_activation_succeeds(started):
    loop = started(settings={"STRONGDM_FAULTS": ["503:0.5@POST /provisioning/*"], "FAULT_SEED": 3,
                             "PUSH_RETRY_BASE": 0.02, "PUSH_RETRY_CAP": 0.2})
    status = up.first_sync(loop, timeout=60)
    assert loop.endpoints["jumpcloud"]["app_id"] is not None
    assert status["idle"] and status["failing"] == []
    from sim.faults.middleware import active_faults

    assert [rule["status"] for rule in active_faults(loop.strongdm.app)] == [503]


def test_sqlite_sync_full_is_passed_to_both_stores_and_a_mode_sqlite_lacks_is_refused(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sim.cli import cli

    told = {}

    def start(**options):
        told.update(options)
        raise SystemExit(3)

    monkeypatch.setattr(up, "start", start)
    runner = CliRunner()
    result = runner.invoke(cli, ["up", "--state-dir", str(tmp_path), "--sqlite-sync", "full"])
    assert result.exit_code == 3 and told["synchronous"].upper() == "FULL"
    result = runner.invoke(cli, ["up", "--state-dir", str(tmp_path), "--sqlite-sync", "sometimes"])
    assert result.exit_code == 2 and "normal" in result.output.lower() and "full" in result.output.lower()
