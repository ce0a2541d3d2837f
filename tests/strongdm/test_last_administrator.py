"""The organisation always keeps an active Administrator: no path suspends, demotes or deletes the last one."""

import pytest

from sim.store import Store
from sim.strongdm.admins import LastAdministratorError
from sim.strongdm.state import make_strongdm

ADMIN = ("root@strongdm.test", "root password 1")


@pytest.fixture
def sdm():
    store = Store(None, synchronous="OFF")
    yield make_strongdm(store, settings={"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    store.close()


@pytest.fixture
def admin(sdm):
    return sdm.ensure_admin(*ADMIN)


@pytest.mark.parametrize("change", [{"suspended": True}, {"permission_level": "user"},
                                    {"permission_level": "auditor"}])
def test_the_last_active_administrator_cannot_be_suspended_or_demoted(sdm, admin, change):
    with pytest.raises(LastAdministratorError) as refused:
        sdm.accounts.update_user({**admin, **change})
    assert refused.value.status == 409 and "last active Administrator" in refused.value.detail
    assert sdm.accounts.get_user(admin["id"]) == admin


def test_the_last_active_administrator_cannot_be_deleted(sdm, admin):
    with pytest.raises(LastAdministratorError):
        sdm.accounts.delete_user(admin["id"])
    assert sdm.accounts.find_user(admin["id"]) == admin


def test_an_administrator_can_be_suspended_while_another_stays_active(sdm, admin):
    other = sdm.accounts.create_user({"email": "other@strongdm.test", "first_name": "O", "last_name": "Ther",
                                      "permission_level": "admin"})
    assert sdm.accounts.update_user({**admin, "suspended": True})["suspended"]
    with pytest.raises(LastAdministratorError):  # now `other` is the last one
        sdm.accounts.update_user({**other, "permission_level": "user"})
    sdm.accounts.delete_user(admin["id"])  # a suspended admin is not the last active one


def test_a_suspended_administrator_is_not_counted_and_an_org_without_admins_is_not_refused(sdm):
    user = sdm.accounts.create_user({"email": "u@example.test", "first_name": "U", "last_name": "Ser"})
    assert sdm.accounts.update_user({**user, "suspended": True})["suspended"]  # no admin to protect
    sdm.accounts.delete_user(user["id"])


def test_ensure_admin_gives_an_org_without_an_active_administrator_its_admin_back(sdm, admin):
    # A state file written before the guard existed: its only admin was suspended and taken over by SCIM.
    with sdm.store.write() as db:
        db.execute("UPDATE users SET suspended = 1, managed_by = 'generic' WHERE id = ?", (admin["id"],))
        db.execute("UPDATE users SET doc = json_set(doc, '$.suspended', json('true'), '$.managed_by', 'generic') "
                   "WHERE id = ?", (admin["id"],))
    restored = sdm.ensure_admin(*ADMIN)
    assert (restored["suspended"], restored["permission_level"], restored["managed_by"]) == (False, "admin", "")
    assert sdm.org.check_password(admin["id"], ADMIN[1])
    assert sdm.activities.list(limit=1)[0]["activity"] == "user reinstated"


def test_ensure_admin_leaves_a_suspended_admin_alone_while_another_is_active(sdm, admin):
    sdm.accounts.create_user({"email": "other@strongdm.test", "first_name": "O", "last_name": "Ther",
                              "permission_level": "admin"})
    sdm.accounts.update_user({**admin, "suspended": True})
    assert sdm.ensure_admin(*ADMIN)["suspended"]
