"""The traps of issue #16 that lose a trainee's work: each reproduced, then removed."""

import json
import os
import socket

import pytest
import requests
from click.testing import CliRunner

from sim.cli import cli
from sim.run import up
from sim.run.preflight import StartError
from tests.run.helpers import CACHED_DIRECTORY
from tests.run.helpers import SMALL
from tests.run.helpers import login_jumpcloud
from tests.run.helpers import state_files


@pytest.fixture
def busy_port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener.getsockname()[1]
    listener.close()


def test_a_busy_port_stops_sim_up_before_any_state_and_names_the_flag(tmp_path, busy_port):
    with pytest.raises(StartError, match=f"port {busy_port}.*--strongdm-port"):
        up.start(state_dir=str(tmp_path), make_directory=CACHED_DIRECTORY, **{**SMALL, "strongdm_port": busy_port})
    with pytest.raises(StartError, match=f"port {busy_port}.*--jumpcloud-port"):
        up.start(state_dir=str(tmp_path), make_directory=CACHED_DIRECTORY, **{**SMALL, "jumpcloud_port": busy_port})
    assert state_files(tmp_path) == []


def test_a_start_after_a_failed_one_prints_real_passwords(start, tmp_path, busy_port):
    with pytest.raises(StartError):
        start(jumpcloud_port=busy_port, blank=True)
    loop = start(blank=True)
    for product in ("jumpcloud", "strongdm"):
        assert loop.endpoints[product]["admin"]["password"]


def test_deleting_endpoints_json_and_restarting_keeps_every_credential_valid(start, tmp_path):
    first = start()
    up.first_sync(first, timeout=20)
    before = json.loads((tmp_path / "endpoints.json").read_text())
    first.stop()
    (tmp_path / "endpoints.json").unlink()
    (tmp_path / "endpoints.env").unlink()
    second = start()
    after = json.loads((tmp_path / "endpoints.json").read_text())
    for product in ("jumpcloud", "strongdm"):
        assert after[product]["admin"] == before[product]["admin"]
    assert after["jumpcloud"]["api_key"] == before["jumpcloud"]["api_key"]
    assert after["strongdm"]["scim_token"] == before["strongdm"]["scim_token"]
    sdm = second.strongdm.app.extensions["strongdm"]
    assert sdm.org.check_token(before["strongdm"]["scim_token"])
    assert sdm.activities.count("SCIM token rekeyed") == 0
    assert (tmp_path / "endpoints.env").exists()


def test_two_sandboxes_in_one_browser_do_not_log_each_other_out(tmp_path):
    loops = [up.start(state_dir=str(tmp_path / name), make_directory=CACHED_DIRECTORY, synchronous="NORMAL",
                      blank=True, **SMALL) for name in ("one", "two")]
    try:
        http = requests.Session()  # one cookie jar; cookies ignore ports (RFC 6265 §8.5)
        for loop in loops:
            login_jumpcloud(http, loop)
        for loop in loops:
            page = http.get(f"{loop.jumpcloud.url}/users", timeout=10, allow_redirects=False)
            assert page.status_code == 200, f"{loop.jumpcloud.url} logged out"
        names = {loop.jumpcloud.app.config["SESSION_COOKIE_NAME"] for loop in loops}
        names |= {loop.strongdm.app.config["SESSION_COOKIE_NAME"] for loop in loops}
        assert len(names) == 4
    finally:
        for loop in loops:
            loop.stop()


def test_reset_refuses_while_sim_up_holds_the_state_dir_and_says_who(start, tmp_path):
    start(blank=True)
    result = CliRunner().invoke(cli, ["reset", "--yes", "--state-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"pid {os.getpid()}" in result.output and "sim up" in result.output
    assert "jumpcloud.sqlite3" in state_files(tmp_path)


def test_reset_works_once_sim_up_has_stopped(start, tmp_path):
    start(blank=True).stop()
    result = CliRunner().invoke(cli, ["reset", "--yes", "--state-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert state_files(tmp_path) == []


def test_two_sim_ups_on_one_state_dir_are_refused(start):
    start(blank=True)
    with pytest.raises(StartError, match=f"pid {os.getpid()}"):
        start(blank=True)


def test_jumpcloud_scim_url_without_token_fails_before_seeding(tmp_path):
    result = CliRunner().invoke(cli, ["jumpcloud", "--port", "0", "--state-dir", str(tmp_path),
                                      "--scim-url", "http://127.0.0.1:9/scim"])
    assert result.exit_code == 2
    assert "--scim-token" in result.output and "JumpCloud Console" not in result.output
    assert state_files(tmp_path) == []


def test_strongdm_keys_list_in_an_empty_folder_creates_nothing(tmp_path):
    result = CliRunner().invoke(cli, ["strongdm-keys", "list", "--state-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "no StrongDM state" in result.output
    assert not (tmp_path / "empty").exists()


def test_plain_sim_prints_help_and_exits_0():
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0
    assert "Commands:" in result.output


def test_a_plain_restart_prints_no_seed_note_and_an_explicit_one_does(start):
    start(blank=True).stop()
    assert start(blank=True, seed=None, users=None, groups=None).notes == []


def test_a_restart_with_new_sizes_says_they_apply_to_a_fresh_state_only(start):
    start(blank=True).stop()
    notes = start(blank=True, users=30).notes
    assert notes and "--seed/--users/--groups" in notes[0]


def test_sim_strongdm_keeps_its_admin_login_when_endpoints_json_is_gone(tmp_path):
    from sim.run import runner

    def serve():
        server, sdk, entry = runner.serve_strongdm(str(tmp_path), host="127.0.0.1", port=0, token=None,
                                                   profile="strongdm", grpc_port=0)
        if sdk:
            sdk.stop()
        server.stop()
        server.app.extensions["strongdm"].store.close()
        return entry

    first = serve()
    (tmp_path / "endpoints.json").unlink()
    assert serve()["admin"] == first["admin"]


def test_a_busy_port_of_sim_jumpcloud_names_its_flag(tmp_path, busy_port):
    result = CliRunner().invoke(cli, ["jumpcloud", "--port", str(busy_port), "--state-dir", str(tmp_path)])
    assert result.exit_code == 1 and f"port {busy_port}" in result.output and "--port" in result.output
    assert state_files(tmp_path) == []
