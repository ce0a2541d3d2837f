"""The SDK API's errors through the real `strongdm` SDK: not found, bad filters, authentication, cursors, snapshots."""

import pytest

strongdm = pytest.importorskip("strongdm")

from tests.strongdm.sdk.helpers import make_client  # noqa: E402

# -- errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda c: c.accounts.get("a-0000000000000000"),
    lambda c: c.accounts.delete("a-0000000000000000"),
    lambda c: c.roles.get("r-0000000000000000"),
    lambda c: c.account_attachments.get("aa-0000000000000000"),
    lambda c: c.account_attachments.delete("aa-0000000000000000"),
])
def test_unknown_ids_raise_not_found(client, call):
    with pytest.raises(strongdm.NotFoundError):
        call(client)


@pytest.mark.parametrize(("service", "filter_text"), [
    ("accounts", "nosuchfield:x"),
    ("accounts", "email"),
    ("accounts", 'email:"unterminated'),
    ("accounts", "suspended:maybe"),
    ("roles", "email:x@example.test"),
    ("account_attachments", "name:x"),
])
def test_bad_filters_raise_bad_request(client, service, filter_text):
    with pytest.raises(strongdm.BadRequestError):
        list(getattr(client, service).list(filter_text))


@pytest.mark.parametrize("service", ["accounts", "roles", "account_attachments"])
def test_a_wrong_secret_raises_authentication_error(port, key, service):
    client = make_client(port, key, secret="d3Jvbmcgc2VjcmV0")
    try:
        with pytest.raises(strongdm.AuthenticationError):
            list(getattr(client, service).list(""))
    finally:
        client.close()


def test_an_unknown_access_key_raises_authentication_error(port, key):
    client = make_client(port, {**key, "access_key": "auth-0000000000000000"})
    try:
        with pytest.raises(strongdm.AuthenticationError):
            client.accounts.get("a-0000000000000000")
    finally:
        client.close()


def test_a_revoked_key_stops_working_at_once(client, api_keys, key):
    assert list(client.roles.list("")) == []
    api_keys.revoke_api_key(key["access_key"])
    with pytest.raises(strongdm.AuthenticationError):
        list(client.roles.list(""))


def test_a_signature_for_another_method_is_refused(port, key):
    from strongdm import accounts_pb2
    from strongdm import accounts_pb2_grpc

    client = make_client(port, key)
    request = accounts_pb2.AccountDeleteRequest(id="a-0000000000000000")
    try:
        with pytest.raises(Exception) as raised:
            accounts_pb2_grpc.AccountsStub(client.channel).Delete(
                request, metadata=client.get_metadata("Accounts.Get", request))
        assert strongdm.plumbing.convert_error_to_porcelain(raised.value).__class__ is strongdm.AuthenticationError
    finally:
        client.close()


def test_a_forged_cursor_is_a_bad_request(port, key):
    from strongdm import roles_pb2
    from strongdm import roles_pb2_grpc

    client = make_client(port, key)
    request = roles_pb2.RoleListRequest()
    request.meta.cursor = "not-a-cursor"
    try:
        with pytest.raises(Exception) as raised:
            roles_pb2_grpc.RolesStub(client.channel).List(request, metadata=client.get_metadata("Roles.List", request))
        assert strongdm.plumbing.convert_error_to_porcelain(raised.value).__class__ is strongdm.BadRequestError
    finally:
        client.close()


def test_historical_snapshots_are_refused_as_bad_requests(client):
    import datetime as dt

    snapshot = client.snapshot_at(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(strongdm.BadRequestError, match="snapshot"):
        list(snapshot.accounts.list(""))
