"""The SDK cannot lock the organisation out: the last active Administrator is not suspended, demoted or deleted."""

import pytest

strongdm = pytest.importorskip("strongdm")


@pytest.fixture
def admin(sdm, client):
    account = sdm.ensure_admin("root@strongdm.test", "root password 1")
    return client.accounts.get(account["id"]).account


@pytest.mark.parametrize("level", ["suspended", "user", "auditor"])
def test_the_sdk_cannot_suspend_or_demote_the_last_active_administrator(client, sdm, admin, level):
    admin.permission_level = level
    with pytest.raises(strongdm.errors.BadRequestError) as refused:
        client.accounts.update(admin)
    assert "last active Administrator" in str(refused.value)
    stored = sdm.accounts.get_user(admin.id)
    assert (stored["suspended"], stored["permission_level"]) == (False, "admin")


def test_the_sdk_cannot_delete_the_last_active_administrator(client, sdm, admin):
    with pytest.raises(strongdm.errors.BadRequestError, match="last active Administrator"):
        client.accounts.delete(admin.id)
    assert sdm.accounts.find_user(admin.id) is not None


def test_the_sdk_can_suspend_an_administrator_once_another_is_active(client, sdm, admin):
    client.accounts.create(strongdm.User(email="second@strongdm.test", first_name="Sec", last_name="Ond",
                                         permission_level="admin"))
    admin.permission_level = "suspended"
    assert client.accounts.update(admin).account.suspended
