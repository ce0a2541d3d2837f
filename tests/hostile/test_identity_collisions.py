"""Identities that collide across the two apps, over real loopback HTTP: the admin's email in JumpCloud, and
emails that one app would fold together and the other would not."""

import pytest

from tests.loop.helpers import Harness

ADMIN = ("root@strongdm.test", "root password 1")


@pytest.fixture
def loop():
    harness = Harness(users=4, groups=1)
    yield harness
    harness.stop()


def bound_user(loop, email: str) -> dict:
    user = loop.new_user(email)
    loop.directory.change_binding(loop.app_id, "add", "user", user["_id"])
    return user


def test_a_jumpcloud_user_with_the_administrators_email_does_not_take_over_or_suspend_the_admin(loop):
    admin = loop.sdm.ensure_admin(*ADMIN)
    loop.connect()
    intruder = bound_user(loop, ADMIN[0].upper())
    status = loop.wait()
    stored = loop.sdm.accounts.get_user(admin["id"])
    assert (stored["managed_by"], stored["suspended"], stored["external_id"]) == ("", False, None)
    reasons = [str(f) for f in status["failing"]]
    assert any("native StrongDM Administrator" in r for r in reasons), status["failing"]
    loop.directory.set_user_state(intruder["_id"], "SUSPENDED")
    loop.wait()
    assert not loop.sdm.accounts.get_user(admin["id"])["suspended"]
    assert loop.sdm.org.check_password(admin["id"], ADMIN[1])


def test_two_jumpcloud_users_whose_emails_differ_only_by_case_folding_get_two_strongdm_accounts(loop):
    loop.connect()
    sharp = bound_user(loop, "straße.rt@example.test")
    plain = bound_user(loop, "strasse.rt@example.test")
    loop.wait()
    accounts = loop.sdm.accounts
    first, second = accounts.find_user_by_email(sharp["email"]), accounts.find_user_by_email(plain["email"])
    assert first["id"] != second["id"]
    assert (first["external_id"], second["external_id"]) == (sharp["_id"], plain["_id"])
    loop.directory.set_user_state(sharp["_id"], "SUSPENDED")
    loop.wait()
    assert accounts.get_user(first["id"])["suspended"] and not accounts.get_user(second["id"])["suspended"]
    loop.assert_converged()


def test_an_account_provisioned_for_one_jumpcloud_user_is_not_merged_into_another(loop):
    loop.connect()
    owner = bound_user(loop, "shared@example.test")
    loop.wait()
    account = loop.sdm.accounts.find_user_by_email("shared@example.test")
    # A new JumpCloud user with the same email finds the old account by userName and tries to take it over.
    loop.directory.delete_user(owner["_id"])
    loop.wait()
    assert loop.sdm.accounts.get_user(account["id"])["suspended"]  # the app deactivates (the default)
    bound_user(loop, "shared@example.test")
    status = loop.wait()
    stored = loop.sdm.accounts.get_user(account["id"])
    assert stored["external_id"] == owner["_id"] and stored["suspended"]
    assert any("is provisioned for externalId" in str(f) for f in status["failing"]), status["failing"]
