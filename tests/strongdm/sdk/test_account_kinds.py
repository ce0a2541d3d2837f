"""v1.Accounts for every account kind through the real SDK: service accounts (`strongdm.Service`) and tokens
(`strongdm.Token`: API keys and admin tokens, the same objects Principals › Tokens lists), as StrongDM's example
scripts (strongdm-sdk-python-examples 2_managing_accounts/) create, rotate and delete them."""

import datetime as dt

import pytest

strongdm = pytest.importorskip("strongdm")

from tests.strongdm.sdk.helpers import make_client  # noqa: E402
from tests.strongdm.sdk.helpers import native_user  # noqa: E402

# -- service accounts -------------------------------------------------------------------------------

def test_a_service_account_is_created_with_a_token_read_updated_and_deleted(client, sdm):
    created = client.accounts.create(strongdm.Service(name="example service account", tags={"env": "ci"}))
    service = created.account
    assert isinstance(service, strongdm.Service)
    assert service.id.startswith("a-") and service.name == "example service account"
    assert (service.suspended, service.tags) == (False, {"env": "ci"})
    assert created.token  # the service token, shown once
    assert isinstance(client.accounts.get(service.id).account, strongdm.Service)

    service.name, service.suspended = "renamed service", True
    updated = client.accounts.update(service).account
    assert (updated.name, updated.suspended) == ("renamed service", True)
    assert client.accounts.get(service.id).account.name == "renamed service"

    client.accounts.delete(service.id)
    with pytest.raises(strongdm.NotFoundError):
        client.accounts.get(service.id)
    verbs = [a["activity"] for a in sdm.activities.list(limit=4)]
    assert verbs == ["user deleted", "user suspended", "user updated", "service account created"]


def test_service_account_names_are_unique_ignoring_case_and_may_not_be_blank(client, sdm):
    client.accounts.create(strongdm.Service(name="deployer"))
    with pytest.raises(strongdm.AlreadyExistsError):
        client.accounts.create(strongdm.Service(name="DEPLOYER"))
    with pytest.raises(strongdm.BadRequestError, match="name"):
        client.accounts.create(strongdm.Service(name="  "))
    assert [a.name for a in client.accounts.list("type:service")] == ["deployer"]


def test_the_list_filters_by_type_name_and_tags_across_kinds(client, provisioned):
    client.accounts.create(strongdm.Service(name="backup job", tags={"team": "ops"}))
    client.accounts.create(strongdm.Token(name="ci key", account_type="api", permissions=["role:list"],
                                          tags={"team": "ops"}))
    native_user(client, tags={"team": "ops"})
    assert [a.name for a in client.accounts.list("type:service")] == ["backup job"]
    assert {a.name for a in client.accounts.list("type:token")} == {"tests", "ci key"}
    assert {type(a).__name__ for a in client.accounts.list("tags:team=ops")} == {"User", "Service", "Token"}
    assert [a.name for a in client.accounts.list("name:?", "BACKUP*")] == ["backup job"]
    assert [a.name for a in client.accounts.list('type:token tags:team="ops"')] == ["ci key"]
    kinds = [type(a).__name__ for a in client.accounts.list("")]
    assert kinds == ["User"] * 4 + ["Service"] + ["Token"] * 2


# -- tokens -----------------------------------------------------------------------------------------

def test_an_api_token_made_through_the_sdk_is_a_working_key_on_the_tokens_page(client, port, api_keys):
    response = client.accounts.create(strongdm.Token(name="python-test-create-token", account_type="api",
                                                     duration=dt.timedelta(hours=1), permissions=["role:list"]))
    token = response.account
    assert isinstance(token, strongdm.Token)
    assert (token.name, token.account_type, token.permissions) == ("python-test-create-token", "api", ["role:list"])
    assert token.deadline - token.created_at == dt.timedelta(hours=1)
    assert response.access_key.startswith("auth-") and response.secret_key
    listed = {k["name"]: k for k in api_keys.list_api_keys()}["python-test-create-token"]
    assert (listed["access_key"], listed["scopes"]) == (token.id, ["role:list"])

    scoped = make_client(port, {"access_key": response.access_key, "secret": response.secret_key})
    try:
        assert list(scoped.roles.list("")) == []
        with pytest.raises(strongdm.errors.PermissionError, match="user:list"):
            list(scoped.accounts.list(""))
    finally:
        scoped.close()


def test_a_token_is_rotated_as_the_example_script_does(client, api_keys, sdm):
    """2_managing_accounts/rotate_token.py: rename the old token, create its successor, delete the old one."""
    old = client.accounts.create(strongdm.Token(name="python-test-rotate-token", account_type="api",
                                                duration=dt.timedelta(hours=1), permissions=["role:list"])).account
    [found] = client.accounts.list("name:" + old.name)
    assert found.id == old.id
    found.name = old.name + "-deprecated"
    assert client.accounts.update(found).account.name == "python-test-rotate-token-deprecated"
    new = client.accounts.create(strongdm.Token(name=old.name, account_type=found.account_type,
                                                duration=dt.timedelta(hours=1), permissions=found.permissions)).account
    client.accounts.delete(old.id)
    with pytest.raises(strongdm.NotFoundError):
        client.accounts.get(old.id)
    names = [k["name"] for k in api_keys.list_api_keys()]
    assert names == ["tests", "python-test-rotate-token"]
    assert client.accounts.get(new.id).account.permissions == ["role:list"]
    assert sdm.activities.list(limit=1)[0]["activity"] == "API key deleted"


def test_an_admin_token_gets_a_token_and_cannot_sign_sdk_calls(client, port, sdm):
    response = client.accounts.create(strongdm.Token(name="ops admin token", account_type="admin-token",
                                                     permissions=["user:list"]))
    assert response.account.account_type == "admin-token"
    assert response.token and not response.secret_key
    assert sdm.activities.list(limit=1)[0]["activity"] == "admin token created"
    as_admin_token = make_client(port, {"access_key": response.account.id, "secret": response.token})
    try:
        with pytest.raises(strongdm.errors.AuthenticationError, match="admin token"):
            list(as_admin_token.roles.list(""))
    finally:
        as_admin_token.close()
    client.accounts.delete(response.account.id)
    assert sdm.activities.list(limit=1)[0]["activity"] == "admin token deleted"


@pytest.mark.parametrize(("token", "message"), [
    ({"name": "x", "account_type": "scim-token", "permissions": ["role:list"]}, "account type"),
    ({"name": "x", "account_type": "api", "permissions": ["root:everything"]}, "permission"),
    ({"name": "x", "account_type": "api", "permissions": []}, "permission"),
    ({"name": " ", "account_type": "api", "permissions": ["role:list"]}, "name"),
    ({"name": "x", "account_type": "api", "permissions": ["role:list"], "duration": dt.timedelta(seconds=-5)},
     "duration"),
])
def test_invalid_tokens_are_bad_requests_and_change_nothing(client, api_keys, token, message):
    before = api_keys.list_api_keys()
    with pytest.raises(strongdm.BadRequestError, match=message):
        client.accounts.create(strongdm.Token(**token))
    assert api_keys.list_api_keys() == before


def test_a_token_name_is_unique(client):
    client.accounts.create(strongdm.Token(name="dup", account_type="api", permissions=["role:list"]))
    with pytest.raises(strongdm.AlreadyExistsError):
        client.accounts.create(strongdm.Token(name="DUP", account_type="api", permissions=["role:list"]))


def test_an_account_cannot_change_kind_on_update(client):
    service = client.accounts.create(strongdm.Service(name="svc")).account
    with pytest.raises(strongdm.BadRequestError, match="service"):
        client.accounts.update(strongdm.Token(id=service.id, name="svc", account_type="api", permissions=["role:list"]))


def test_a_token_may_be_given_a_deadline_instead_of_a_duration(client):
    deadline = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    token = client.accounts.create(strongdm.Token(name="until 2099", account_type="api", permissions=["role:list"],
                                                  deadline=deadline)).account
    assert token.deadline == deadline


def test_a_lifetime_beyond_the_calendar_is_a_bad_request(client, api_keys):
    before = api_keys.list_api_keys()
    with pytest.raises(strongdm.BadRequestError, match="duration"):
        client.accounts.create(strongdm.Token(name="forever", account_type="api", permissions=["role:list"],
                                              duration=dt.timedelta(days=999_999_999)))
    assert api_keys.list_api_keys() == before
