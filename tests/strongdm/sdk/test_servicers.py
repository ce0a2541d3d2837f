"""The SDK API via the real `strongdm` SDK over loopback gRPC after SCIM provisioning: accounts, roles, attachments."""

import itertools
import json

import pytest

strongdm = pytest.importorskip("strongdm")

from tests.strongdm.sdk.helpers import make_client  # noqa: E402
from tests.strongdm.sdk.helpers import native_user  # noqa: E402
from tests.strongdm.sdk.helpers import provision_user  # noqa: E402

# -- accounts ---------------------------------------------------------------------------------------

def test_scim_provisioned_users_list_with_managed_by_and_their_scim_data(client, provisioned):
    users = {u.email: u for u in client.accounts.list("type:user")}
    assert set(users) == {"ada@example.test", "grace@example.test", "testuser@example.io"}
    jc = users["testuser@example.io"]
    assert (jc.id, jc.first_name, jc.last_name) == (provisioned["jc"]["id"], "firstname", "lastname")
    assert jc.managed_by == "generic"
    assert jc.external_id == "66e2d689590450d073d2df3b"
    assert json.loads(jc.scim)["userName"] == "testuser@example.io"
    assert jc.created_at is not None


def test_a_scim_suspended_user_reads_as_suspended_with_the_suspended_level(client, provisioned):
    grace = client.accounts.get(provisioned["grace"]["id"]).account
    ada = client.accounts.get(provisioned["ada"]["id"]).account
    assert (grace.suspended, grace.permission_level) == (True, "suspended")
    assert (ada.suspended, ada.permission_level) == (False, "user")


@pytest.mark.parametrize(("filter_text", "args", "expected"), [
    ("email:?", ("ada@example.test",), {"ada@example.test"}),
    ("email:?", ("ADA@EXAMPLE.TEST",), {"ada@example.test"}),
    ("email:*@example.test", (), {"ada@example.test", "grace@example.test"}),
    ('email:"*@EXAMPLE.*"', (), {"ada@example.test", "grace@example.test", "testuser@example.io"}),
    ("firstname:gr*", (), {"grace@example.test"}),
    ("lastname:?", ("lastname",), {"testuser@example.io"}),
    ("name:?", ("Ada Lovelace",), {"ada@example.test"}),
    ("suspended:true", (), {"grace@example.test"}),
    ("suspended:false email:*.test", (), {"ada@example.test"}),
    ("type:user", (), {"ada@example.test", "grace@example.test", "testuser@example.io"}),
    ("email:nobody@example.test", (), set()),
])
def test_account_filters_match_case_insensitively_with_wildcards_and_and(client, provisioned, filter_text, args,
                                                                          expected):
    assert {u.email for u in client.accounts.list(filter_text, *args)} == expected


def test_an_id_filter_finds_one_account(client, provisioned):
    found = list(client.accounts.list("id:?", provisioned["ada"]["id"]))
    assert [u.email for u in found] == ["ada@example.test"]


@pytest.mark.parametrize("page_limit", [1, 2, 3, 50])
def test_listing_pages_by_cursor_returns_every_account_once_in_order(port, key, scim, page_limit):
    emails = [provision_user(scim, f"user{i:02d}@example.test")["userName"] for i in range(7)]
    client = make_client(port, key, page_limit=page_limit)
    try:
        # islice: a server that ignored the cursor would otherwise make the SDK loop forever.
        assert [u.email for u in itertools.islice(client.accounts.list("type:user"), 50)] == emails
    finally:
        client.close()


def test_meta_limit_bounds_each_page_and_next_cursor_ends_empty(port, key, scim):
    from strongdm import accounts_pb2
    from strongdm import accounts_pb2_grpc

    for i in range(5):
        provision_user(scim, f"u{i}@example.test")
    client = make_client(port, key)
    stub = accounts_pb2_grpc.AccountsStub(client.channel)
    request = accounts_pb2.AccountListRequest(filter="type:user")
    request.meta.limit = 2
    sizes = []
    try:
        while True:
            response = stub.List(request, metadata=client.get_metadata("Accounts.List", request))
            sizes.append(len(response.accounts))
            assert response.meta.total == 5
            if not response.meta.next_cursor:
                break
            request.meta.cursor = response.meta.next_cursor
    finally:
        client.close()
    assert sizes == [2, 2, 1]


def test_a_native_user_is_created_read_updated_and_deleted(client, sdm):
    created = native_user(client, tags={"team": "db"})
    assert created.id.startswith("a-") and created.managed_by == ""
    assert (created.permission_level, created.suspended) == ("user", False)

    created.first_name, created.permission_level = "Natalie", "auditor"
    updated = client.accounts.update(created).account
    assert (updated.first_name, updated.permission_level, updated.tags) == ("Natalie", "auditor", {"team": "db"})
    assert client.accounts.get(created.id).account.first_name == "Natalie"

    client.accounts.delete(created.id)
    with pytest.raises(strongdm.NotFoundError):
        client.accounts.get(created.id)
    verbs = [a["activity"] for a in sdm.activities.list(limit=3)]
    assert verbs == ["user deleted", "user updated", "user added"]


def test_changes_through_the_api_are_logged_with_the_key_as_actor(client, sdm, key):
    user = native_user(client)
    activity = sdm.activities.list(limit=1)[0]
    assert activity["activity"] == "user added"
    assert activity["entities"][0]["id"] == user.id
    assert (activity["actorAccountID"], activity["actorFirstName"]) == (key["access_key"], "tests")


def test_setting_the_suspended_level_suspends_and_another_level_reinstates(client, sdm):
    user = native_user(client)
    user.permission_level = "suspended"
    suspended = client.accounts.update(user).account
    assert (suspended.suspended, suspended.permission_level) == (True, "suspended")
    assert sdm.accounts.get_user(user.id)["suspended"] is True
    suspended.permission_level = "user"
    assert client.accounts.update(suspended).account.suspended is False
    assert [a["activity"] for a in sdm.activities.list(limit=2)] == ["user reinstated", "user suspended"]


def test_a_taken_email_is_already_exists(client, provisioned):
    with pytest.raises(strongdm.AlreadyExistsError):
        native_user(client, email="ADA@example.test")


@pytest.mark.parametrize("fields", [
    {"email": "", "first_name": "A", "last_name": "B"},
    {"email": "x@example.test", "first_name": " ", "last_name": "B"},
    {"email": "x@example.test", "first_name": "A", "last_name": "B", "permission_level": "root-admin"},
])
def test_invalid_users_are_bad_requests_and_change_nothing(client, sdm, fields):
    before = sdm.accounts.count_users()
    with pytest.raises(strongdm.BadRequestError):
        client.accounts.create(strongdm.User(**fields))
    assert sdm.accounts.count_users() == before


@pytest.mark.parametrize("action", ["update", "delete"])
def test_scim_managed_users_cannot_be_changed_through_the_api(client, provisioned, sdm, action):
    ada = client.accounts.get(provisioned["ada"]["id"]).account
    ada.first_name = "Changed"
    with pytest.raises(strongdm.PermissionError):
        client.accounts.update(ada) if action == "update" else client.accounts.delete(ada.id)
    assert sdm.accounts.get_user(ada.id)["first_name"] == "Ada"


# -- roles ------------------------------------------------------------------------------------------

def test_scim_groups_list_as_managed_roles_and_filter_by_name(client, provisioned):
    roles = list(client.roles.list(""))
    assert [(r.name, r.managed_by) for r in roles] == [("Engineering", "generic"), ("Ops", "generic")]
    assert roles[0].id == provisioned["engineering"]["id"] and roles[0].access_rules == []
    assert [r.name for r in client.roles.list("name:?", "engineering")] == ["Engineering"]
    assert [r.name for r in client.roles.list("name:*s")] == ["Ops"]


def test_a_role_is_read_by_id(client, provisioned):
    role = client.roles.get(provisioned["ops"]["id"]).role
    assert (role.name, role.managed_by) == ("Ops", "generic")


def test_a_native_role_is_created_renamed_and_deleted_but_a_managed_one_is_refused(client, provisioned):
    role = client.roles.create(strongdm.Role(name="Native", tags={"env": "prod"})).role
    role.name = "Native 2"
    assert client.roles.update(role).role.name == "Native 2"
    assert [r.name for r in client.roles.list("tags:env=prod")] == ["Native 2"]
    client.roles.delete(role.id)
    with pytest.raises(strongdm.NotFoundError):
        client.roles.get(role.id)
    with pytest.raises(strongdm.PermissionError):
        client.roles.delete(provisioned["ops"]["id"])


# -- account attachments ----------------------------------------------------------------------------

def test_scim_memberships_list_as_attachments_filtered_by_role_or_account(client, provisioned):
    engineering = provisioned["engineering"]["id"]
    by_role = list(client.account_attachments.list("roleid:?", engineering))
    assert {a.account_id for a in by_role} == {provisioned["ada"]["id"], provisioned["jc"]["id"]}
    by_account = list(client.account_attachments.list("accountid:?", provisioned["grace"]["id"]))
    assert [a.role_id for a in by_account] == [provisioned["ops"]["id"]]
    got = client.account_attachments.get(by_role[0].id).account_attachment
    assert (got.id, got.role_id) == (by_role[0].id, engineering)


def test_an_attachment_is_created_listed_and_deleted_on_a_native_role(client, sdm):
    user = native_user(client)
    role = client.roles.create(strongdm.Role(name="Native")).role
    attachment = client.account_attachments.create(
        strongdm.AccountAttachment(account_id=user.id, role_id=role.id)).account_attachment
    assert attachment.id.startswith("aa-")
    assert [a.id for a in client.account_attachments.list("roleid:?", role.id)] == [attachment.id]
    assert sdm.accounts.member_ids(role.id) == [user.id]
    with pytest.raises(strongdm.AlreadyExistsError):
        client.account_attachments.create(strongdm.AccountAttachment(account_id=user.id, role_id=role.id))

    client.account_attachments.delete(attachment.id)
    assert list(client.account_attachments.list("roleid:?", role.id)) == []
    assert [a["activity"] for a in sdm.activities.list(limit=2)] == ["user deleted from role", "user added to role"]
    with pytest.raises(strongdm.NotFoundError):
        client.account_attachments.get(attachment.id)


def test_attachments_to_a_scim_managed_role_are_refused(client, provisioned, sdm):
    user = native_user(client)
    with pytest.raises(strongdm.PermissionError):
        client.account_attachments.create(
            strongdm.AccountAttachment(account_id=user.id, role_id=provisioned["ops"]["id"]))
    assert user.id not in sdm.accounts.member_ids(provisioned["ops"]["id"])


@pytest.mark.parametrize(("account", "role"), [("a-0000000000000000", "role"), ("user", "r-0000000000000000")])
def test_attachments_to_unknown_ids_are_not_found(client, account, role):
    user = native_user(client)
    real_role = client.roles.create(strongdm.Role(name="Native")).role
    attachment = strongdm.AccountAttachment(account_id=user.id if account == "user" else account,
                                            role_id=real_role.id if role == "role" else role)
    with pytest.raises(strongdm.NotFoundError):
        client.account_attachments.create(attachment)
