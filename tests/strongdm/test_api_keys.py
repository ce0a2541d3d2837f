"""API keys: created with a secret shown once, listed without it, revoked at once; the CLI and the launcher."""

import base64
import json
import os

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.store import Store
from sim.strongdm.api_keys import ApiKeyError
from sim.strongdm.api_keys import ApiKeys
from sim.strongdm.sdk.serve import sdk_available
from sim.strongdm.sdk.serve import start_sdk_api
from sim.strongdm.sdk.serve import usable_key
from sim.strongdm.state import make_strongdm


@pytest.fixture
def sdm():
    store = Store(None, synchronous="OFF")
    yield make_strongdm(store)
    store.close()


@pytest.fixture
def keys(sdm):
    return ApiKeys(sdm.store, sdm.activities)


def test_a_new_key_has_an_auth_access_key_and_a_base64_secret_shown_once(keys):
    key = keys.create_api_key("automation")
    assert key["access_key"].startswith("auth-") and len(key["access_key"]) == len("auth-") + 16
    assert len(base64.b64decode(key["secret"], validate=True)) == 32
    assert keys.signing_secret(key["access_key"]) == base64.b64decode(key["secret"])
    listed = keys.list_api_keys()
    assert [k["access_key"] for k in listed] == [key["access_key"]]
    assert all("secret" not in k for k in listed) and "secret" not in keys.find_api_key(key["access_key"])


def test_keys_are_distinct_and_revoking_one_leaves_the_other(keys, sdm):
    one, two = keys.create_api_key("one"), keys.create_api_key("two")
    assert one["secret"] != two["secret"]
    keys.revoke_api_key(one["access_key"])
    assert keys.signing_secret(one["access_key"]) is None
    assert [k["name"] for k in keys.list_api_keys()] == ["two"]
    assert [a["activity"] for a in sdm.activities.list(limit=3)] == ["API key deleted", "admin token created",
                                                                      "admin token created"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, "bad\nname"])
def test_a_key_needs_a_printable_name(keys, name):
    with pytest.raises(ApiKeyError):
        keys.create_api_key(name)
    assert keys.list_api_keys() == []


def test_revoking_an_unknown_key_is_refused(keys):
    with pytest.raises(ApiKeyError):
        keys.revoke_api_key("auth-0000000000000000")


@pytest.mark.parametrize(("access", "secret", "usable"), [
    (None, None, False), ("auth-0000000000000000", "AAAA", False), ("KEY", "not base64!", False),
    ("KEY", "AAAA", False), ("KEY", "SECRET", True),
])
def test_a_previous_key_is_reused_only_when_it_is_still_live(keys, access, secret, usable):
    key = keys.create_api_key("x")
    access = key["access_key"] if access == "KEY" else access
    secret = key["secret"] if secret == "SECRET" else secret
    assert usable_key(keys, access, secret) is usable


def test_the_cli_creates_lists_and_revokes_keys(tmp_path):
    runner = CliRunner()
    state = str(tmp_path / "state")
    created = runner.invoke(cli, ["strongdm-keys", "create", "--state-dir", state, "--name", "ci", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.output)
    listed = runner.invoke(cli, ["strongdm-keys", "list", "--state-dir", state])
    assert key["access_key"] in listed.output and key["secret"] not in listed.output
    revoked = runner.invoke(cli, ["strongdm-keys", "revoke", key["access_key"], "--state-dir", state])
    assert revoked.exit_code == 0
    assert "No API keys." in runner.invoke(cli, ["strongdm-keys", "list", "--state-dir", state]).output
    again = runner.invoke(cli, ["strongdm-keys", "revoke", key["access_key"], "--state-dir", state])
    assert again.exit_code != 0 and "No API key" in again.output
    assert os.path.exists(os.path.join(state, "strongdm.sqlite3"))


@pytest.mark.skipif(not sdk_available(), reason="needs the [sdk] extra")
def test_the_launcher_serves_with_a_new_key_then_reuses_it(sdm):
    first = start_sdk_api(sdm, "127.0.0.1", 0)
    try:
        endpoints = first.endpoints()
        assert endpoints["grpc"] == f"127.0.0.1:{first.port}"
    finally:
        first.stop()
    second = start_sdk_api(sdm, "127.0.0.1", 0, previous=endpoints)
    try:
        assert (second.access_key, second.secret) == (endpoints["api_access_key"], endpoints["api_secret"])
    finally:
        second.stop()
    assert len(ApiKeys(sdm.store, sdm.activities).list_api_keys()) == 1


def test_scopes_and_expiry_are_checked_and_kept(keys):
    key = keys.create_api_key("scoped", scopes=["group:read", "group:read", "user:list"], expires_at="2099-12-31")
    listed = keys.find_api_key(key["access_key"])
    assert listed["scopes"] == ["group:read", "user:list"] and listed["expires_at"] == "2099-12-31T23:59:59Z"
    with pytest.raises(ApiKeyError, match="unknown permission 'group:fly'"):
        keys.create_api_key("bad", scopes=["group:fly"])
    with pytest.raises(ApiKeyError, match="YYYY-MM-DD"):
        keys.create_api_key("bad", expires_at="next week")
    assert [k["name"] for k in keys.list_api_keys()] == ["scoped"]
