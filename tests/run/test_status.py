"""`sim status` summarises a state dir without secrets; `sim reset` clears it after confirmation."""

import functools
import json
import time

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.fake import directory as fake
from sim.jumpcloud.pusher.queue import SyncState
from sim.run import status
from sim.run import up
from sim.store import Store

SMALL = {"seed": 5, "users": 10, "groups": 3, "jumpcloud_port": 0, "strongdm_port": 0}
CACHED_DIRECTORY = functools.lru_cache(fake.make_directory)


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    """A state dir left by `sim up` after its first sync, then one push failing: (path, endpoints, loop facts)."""
    path = tmp_path_factory.mktemp("state")
    loop = up.start(state_dir=str(path), settings={"PUSH_RETRY_BASE": 0.05, "PUSH_RETRY_CAP": 0.2},
                    make_directory=CACHED_DIRECTORY, synchronous="NORMAL", **SMALL)
    try:
        assert up.first_sync(loop, timeout=30)["idle"]
        jc = loop.jumpcloud.app.extensions["jumpcloud"]
        sdm = loop.strongdm.app.extensions["strongdm"]
        facts = {"jc_users": jc.directory.user_count(), "sdm_users": len(sdm.accounts.all_users()),
                 "roles": sdm.accounts.count_roles(), "attachments": sdm.accounts.count_attachments(),
                 "activities": sdm.activities.count()}
        # One change the dead receiver cannot take: it stays queued and failing.
        loop.strongdm.stop()
        user = jc.directory.users_bound_to_app(loop.endpoints["jumpcloud"]["app_id"])[0]
        jc.directory.update_user(user["_id"], {"firstname": "Renamed"})
        deadline = time.monotonic() + 20
        while not jc.pusher.status()["failing"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        facts["failing_id"] = user["_id"]
    finally:
        loop.stop()
    return path, loop.endpoints, facts


def secrets_of(endpoints: dict) -> list[str]:
    return [endpoints["jumpcloud"]["api_key"], endpoints["jumpcloud"]["admin"]["password"],
            endpoints["strongdm"]["scim_token"], endpoints["strongdm"]["admin"]["password"]]


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_status_counts_both_sides_and_shows_wiring_and_the_failing_push(state):
    path, endpoints, facts = state
    result = run("status", "--state-dir", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"JumpCloud   {facts['jc_users']} users, 3 user groups" in out
    assert (f"StrongDM    {facts['sdm_users']} users" in out and f"{facts['roles']} roles" in out
            and f"{facts['attachments']} attachments, {facts['activities']} activities" in out)
    assert f"-> {endpoints['strongdm']['scim_base_url']}  [active]" in out
    assert "Pushes      1 pending, 1 failing" in out
    assert f"user {facts['failing_id']}: - " in out  # unreachable: no HTTP status
    assert "SCIM generic provider, token set" in out


def strongdm_state(state_dir, org_model: str) -> None:
    """A StrongDM state file of `org_model` holding two users in one group granted one role, a service account and
    an API key."""
    from sim.strongdm.api_keys import ApiKeys
    from sim.strongdm.state import make_strongdm

    store = Store(str(state_dir / "strongdm.sqlite3"))
    try:
        sdm = make_strongdm(store, settings={"STRONGDM_ORG_MODEL": org_model})
        ids = [sdm.accounts.create_user({"email": f"u{i}@example.test", "first_name": "U", "last_name": str(i)})["id"]
               for i in range(2)]
        if org_model == "groups":
            group = sdm.accounts.group_set.create({"name": "Engineering"}, ids)
            sdm.accounts.grant_role(group["id"], sdm.accounts.create_role({"name": "Prod read"}, [])["id"])
        sdm.accounts.create_service({"name": "backup job"})
        ApiKeys(store, sdm.activities).create_api_key("ci")
    finally:
        store.close()


def test_status_shows_the_org_model_and_the_groups_of_a_groups_org(tmp_path):
    strongdm_state(tmp_path, "groups")
    out = run("status", "--state-dir", str(tmp_path)).output
    assert "2 users (0 SCIM-managed, 0 suspended), 1 groups (2 memberships, 1 role grants), 1 roles" in out
    assert "1 service accounts, 1 tokens" in out
    assert "Org model   groups" in out
    summary = json.loads(run("status", "--state-dir", str(tmp_path), "--json").output)["strongdm"]
    assert {k: summary[k] for k in ("org_model", "groups", "account_groups", "group_roles", "services", "tokens")} == {
        "org_model": "groups", "groups": 1, "account_groups": 2, "group_roles": 1, "services": 1, "tokens": 1}


def test_status_of_a_roles_org_says_so_and_counts_no_groups(tmp_path):
    strongdm_state(tmp_path, "roles")
    out = run("status", "--state-dir", str(tmp_path)).output
    assert "Org model   roles" in out and " groups (" not in out


def test_status_json_has_the_documented_shape(state):
    path, endpoints, facts = state
    summary = json.loads(run("status", "--state-dir", str(path), "--json").output)
    assert set(summary) == {"state_dir", "exists", "jumpcloud", "strongdm", "endpoints"}
    assert summary["jumpcloud"]["users"] == facts["jc_users"]
    assert summary["jumpcloud"]["pending"] == 1 and summary["jumpcloud"]["failing"] == 1
    assert summary["strongdm"]["activities"] == facts["activities"]
    wiring = summary["jumpcloud"]["identity_management"]
    assert [w["app_id"] for w in wiring] == [endpoints["jumpcloud"]["app_id"]] and wiring[0]["token_set"] is True


@pytest.mark.parametrize("as_json", [False, True])
def test_status_never_prints_a_secret(state, as_json):
    path, endpoints, _ = state
    out = run("status", "--state-dir", str(path), *(["--json"] if as_json else [])).output
    for secret in secrets_of(endpoints):
        assert secret not in out


def test_status_of_a_missing_or_empty_dir_says_there_is_no_state(tmp_path):
    for path in (tmp_path, tmp_path / "missing"):
        result = run("status", "--state-dir", str(path))
        assert result.exit_code == 0 and "no state here" in result.output
    assert not (tmp_path / "missing").exists()  # status creates nothing


def copy_state(src, dst):
    dst.mkdir()
    for item in src.iterdir():
        (dst / item.name).write_bytes(item.read_bytes())
    (dst / "notes.txt").write_text("mine")
    return dst


def test_reset_asks_first_and_a_no_keeps_everything(state, tmp_path):
    path = copy_state(state[0], tmp_path / "s")
    before = sorted(p.name for p in path.iterdir())
    result = run("reset", "--state-dir", str(path), input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert sorted(p.name for p in path.iterdir()) == before


@pytest.mark.parametrize("args,answer", [(["--yes"], None), ([], "y\n")])
def test_reset_removes_the_sqlite_state_and_endpoints_but_nothing_else(state, tmp_path, args, answer):
    path = copy_state(state[0], tmp_path / "s")
    result = run("reset", "--state-dir", str(path), *args, input=answer)
    assert result.exit_code == 0, result.output
    assert "Removed" in result.output
    assert sorted(p.name for p in path.iterdir()) == ["notes.txt"]
    assert "no state here" in run("status", "--state-dir", str(path)).output


def test_reset_of_an_empty_dir_says_so(tmp_path):
    result = run("reset", "--state-dir", str(tmp_path))
    assert result.exit_code == 0 and result.output == f"No state in {tmp_path}.\n"


def test_status_counts_creates_whose_outcome_is_still_unknown(tmp_path):
    store = Store(tmp_path / "jumpcloud.sqlite3", synchronous="OFF")
    queue = SyncState(store)
    with store.write() as db:
        queue.maybe_created(db, "app-1", "user-1", "ada@example.com", {"userName": "ada@example.com"})
    store.close()
    summary = status.summarize(str(tmp_path))
    assert summary["jumpcloud"]["unresolved"] == 1
    assert "1 create of unknown outcome" in status.format_summary(summary)
