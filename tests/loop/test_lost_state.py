"""A lost JumpCloud state is not handled silently: `sim up` finds StrongDM accounts it never knew and stops
with the choices, or adopts or suspends them when told to (issue #15, item 7)."""

import os

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.run import up
from sim.run.lost_state import LostStateError

FAST = {"PUSH_RETRY_BASE": 0.01, "PUSH_RETRY_CAP": 0.05}


def start(state_dir, seed, **options):
    return up.start(seed=seed, users=8, groups=2, jumpcloud_port=0, strongdm_port=0, state_dir=str(state_dir),
                    settings=FAST, **options)


def synced_then_jumpcloud_lost(state_dir) -> int:
    """A first sync, then jumpcloud.sqlite3 deleted; returns how many active SCIM-managed accounts StrongDM has."""
    loop = start(state_dir, seed=3)
    try:
        status = up.first_sync(loop, timeout=60)
        assert status["idle"], status
        managed = [u for u in loop.strongdm.app.extensions["strongdm"].accounts.all_users()
                   if u.get("managed_by") and not u["suspended"]]
    finally:
        loop.stop()
    for suffix in ("", "-wal", "-shm"):
        path = os.path.join(state_dir, "jumpcloud.sqlite3" + suffix)
        if os.path.exists(path):
            os.remove(path)
    assert managed
    return len(managed)


def test_a_lost_jumpcloud_state_stops_sim_up_with_the_choices(tmp_path):
    count = synced_then_jumpcloud_lost(tmp_path)
    with pytest.raises(LostStateError) as caught:
        start(tmp_path, seed=4)
    message = str(caught.value)
    assert f"{count} active SCIM-managed accounts" in message
    assert "--fresh" in message and "--orphans adopt" in message and "--orphans suspend" in message


def test_the_cli_says_so_and_exits_non_zero(tmp_path):
    synced_then_jumpcloud_lost(tmp_path)
    result = CliRunner().invoke(cli, ["up", "--state-dir", str(tmp_path), "--seed", "4", "--users", "8",
                                      "--groups", "2", "--jumpcloud-port", "0", "--strongdm-port", "0",
                                      "--grpc-port", "0"])
    assert result.exit_code == 1, result.output
    assert "--orphans suspend" in result.output


def test_suspend_cleans_the_orphans_before_the_first_sync(tmp_path):
    count = synced_then_jumpcloud_lost(tmp_path)
    loop = start(tmp_path, seed=4, orphans="suspend")
    try:
        assert any(f"suspended {count} " in note for note in loop.notes), loop.notes
        assert up.first_sync(loop, timeout=60)["idle"]
        jc = loop.jumpcloud.app.extensions["jumpcloud"]
        sdm = loop.strongdm.app.extensions["strongdm"]
        active = [u for u in sdm.accounts.all_users() if u.get("managed_by") and not u["suspended"]]
        for user in active:  # every live SCIM account is a user of this JumpCloud
            assert jc.directory.get_user(user["external_id"])
    finally:
        loop.stop()


def test_adopt_keeps_them_and_fresh_discards_both_states(tmp_path):
    count = synced_then_jumpcloud_lost(tmp_path)
    loop = start(tmp_path, seed=4, orphans="adopt")
    loop.stop()
    loop = start(tmp_path, seed=4, fresh=True)
    try:
        sdm = loop.strongdm.app.extensions["strongdm"]
        assert up.first_sync(loop, timeout=60)["idle"]
        assert len([u for u in sdm.accounts.all_users() if u.get("managed_by")]) <= count + 8
    finally:
        loop.stop()
