"""API keys honour their permission scopes and expiry through the real SDK (Principals › Tokens)."""

import pytest

strongdm = pytest.importorskip("strongdm")

from tests.strongdm.sdk.helpers import make_client  # noqa: E402


@pytest.fixture
def read_only(api_keys, port):
    client = make_client(port, api_keys.create_api_key("reader", scopes=["user:list", "role:list"]))
    yield client
    client.close()


def test_a_key_may_call_what_its_scopes_allow_and_nothing_else(read_only, provisioned):
    assert {u.email for u in read_only.accounts.list("type:user")} >= {"ada@example.test"}
    assert list(read_only.roles.list("")) is not None
    with pytest.raises(strongdm.errors.PermissionError, match="role:create"):
        read_only.roles.create(strongdm.Role(name="Nope"))
    with pytest.raises(strongdm.errors.PermissionError, match="group:read"):
        list(read_only.groups.list(""))


def test_an_expired_key_is_refused(api_keys, port, sdm):
    key = api_keys.create_api_key("old", expires_at="2000-01-01T00:00:00Z")
    client = make_client(port, key)
    with pytest.raises(strongdm.errors.AuthenticationError, match="expired"):
        list(client.accounts.list(""))
    client.close()


def test_a_key_without_scopes_may_do_everything(client, provisioned):
    assert client.roles.create(strongdm.Role(name="Allowed")).role.id.startswith("r-")
