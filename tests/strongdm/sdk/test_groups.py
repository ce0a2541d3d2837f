"""The Groups-model SDK services through the real `strongdm` SDK: client.groups, accounts_groups, groups_roles,
their *_history, and roles an admin makes to grant to groups."""

import pytest

strongdm = pytest.importorskip("strongdm")

from sim.store import Store  # noqa: E402
from sim.strongdm import create_app  # noqa: E402
from tests.strongdm.sdk.helpers import TOKEN  # noqa: E402
from tests.strongdm.sdk.helpers import native_user  # noqa: E402
from tests.strongdm.sdk.helpers import provision_group  # noqa: E402
from tests.strongdm.sdk.helpers import provision_user  # noqa: E402


@pytest.fixture
def app():
    store = Store(None, synchronous="OFF")
    yield create_app(store, token=TOKEN, settings={"STRONGDM_ORG_MODEL": "groups"})
    store.close()


@pytest.fixture
def pushed(scim):
    ada = provision_user(scim, "ada@example.test")
    return {"ada": ada, "eng": provision_group(scim, "Engineering", [ada["id"]])}


def test_scim_groups_list_as_groups_with_their_source(client, pushed):
    groups = list(client.groups.list(""))
    assert [(g.id, g.name, g.source) for g in groups] == [(pushed["eng"]["id"], "Engineering", "Generic")]
    links = list(client.accounts_groups.list("groupid:?", pushed["eng"]["id"]))
    assert [(link.account_id, link.group_id) for link in links] == [(pushed["ada"]["id"], pushed["eng"]["id"])]
    assert client.accounts_groups.get(links[0].id).account_group.id.startswith("accountgroup-")


def test_a_group_made_by_the_sdk_can_be_read_updated_and_deleted(client):
    made = client.groups.create(strongdm.Group(name="Platform", description="infra", tags={"team": "platform"})).group
    assert made.id.startswith("group-") and made.source == "StrongDM"
    assert client.groups.get(made.id).group.name == "Platform"
    made.name = "Platform team"
    assert client.groups.update(made).group.name == "Platform team"
    assert [g.id for g in client.groups.list('tags:team="platform"')] == [made.id]
    assert [g.id for g in client.groups.list("name:plat*")] == [made.id]
    client.groups.delete(made.id)
    with pytest.raises(strongdm.errors.NotFoundError):
        client.groups.get(made.id)


def test_typed_errors(client, pushed):
    client.groups.create(strongdm.Group(name="Ops"))
    with pytest.raises(strongdm.errors.AlreadyExistsError):
        client.groups.create(strongdm.Group(name="ops"))
    with pytest.raises(strongdm.errors.BadRequestError):
        list(client.groups.list("colour:red"))
    user = native_user(client)
    with pytest.raises(strongdm.errors.PermissionError):  # SCIM owns a pushed group's membership
        client.accounts_groups.create(strongdm.AccountGroup(account_id=user.id, group_id=pushed["eng"]["id"]))


def test_an_admin_grants_a_role_to_a_pushed_group_and_takes_it_back(client, pushed):
    role = client.roles.create(strongdm.Role(name="Prod read")).role
    grant = client.groups_roles.create(strongdm.GroupRole(group_id=pushed["eng"]["id"], role_id=role.id)).group_role
    assert grant.id.startswith("grouprole-")
    listed = list(client.groups_roles.list("groupname:engin*"))
    assert [(g.role_id, g.group_id) for g in listed] == [(role.id, pushed["eng"]["id"])]
    assert list(client.groups_roles.list("groupname:ops")) == []
    with pytest.raises(strongdm.errors.AlreadyExistsError):
        client.groups_roles.create(strongdm.GroupRole(group_id=pushed["eng"]["id"], role_id=role.id))
    client.groups_roles.delete(grant.id)
    with pytest.raises(strongdm.errors.NotFoundError):
        client.groups_roles.get(grant.id)
    history = list(client.groups_roles_history.list("roleid:?", role.id))
    assert [h.deleted_at is not None for h in history] == [False, True]


def test_create_from_roles_dry_run_changes_nothing_and_commit_makes_the_groups(client, sdm):
    user = native_user(client)
    role = client.roles.create(strongdm.Role(name="DBA")).role
    client.account_attachments.create(strongdm.AccountAttachment(account_id=user.id, role_id=role.id))
    dry = client.groups.create_from_roles([role.id], False).group_from_role
    assert [(g.group.name, [a.id for a in g.accounts]) for g in dry] == [("DBA", [user.id])]
    assert list(client.groups.list("")) == []
    made = client.groups.create_from_roles([role.id], True).group_from_role[0].group
    assert [link.account_id for link in client.accounts_groups.list("groupid:?", made.id)] == [user.id]
    assert [g.role_id for g in client.groups_roles.list("groupid:?", made.id)] == [role.id]


def test_group_history_records_every_change(client):
    made = client.groups.create(strongdm.Group(name="Audit")).group
    client.groups.delete(made.id)
    history = list(client.groups_history.list("id:?", made.id))
    assert [(h.group.name, h.deleted_at is not None) for h in history] == [("Audit", False), ("Audit", True)]


def test_a_role_an_administrator_assigns_in_the_admin_ui_is_a_grant_the_sdk_lists(app, client, pushed):
    """The issue's loop: an admin assigns a role to a pushed group on its page; the SDK sees the GroupRole."""
    from tests.strongdm.admin.helpers import ADMIN
    from tests.strongdm.admin.helpers import login
    from tests.strongdm.admin.helpers import post

    sdm = app.extensions["strongdm"]
    sdm.ensure_admin(*ADMIN)
    role = client.roles.create(strongdm.Role(name="Prod read")).role
    browser = app.test_client()
    login(browser, *ADMIN)
    gid = pushed["eng"]["id"]
    assert post(browser, f"/groups/{gid}/roles", {"role_id": role.id}, f"/groups/{gid}").status_code == 302
    listed = list(client.groups_roles.list("groupid:?", gid))
    assert [(g.group_id, g.role_id) for g in listed] == [(gid, role.id)]
    assert listed[0].id.startswith("grouprole-")
