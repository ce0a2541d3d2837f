"""StrongDM looks emails and role names up by sim.scim.names' rule, and re-keys a state file written before it."""

import pytest

from sim.scim.errors import UniquenessError
from sim.store import Store
from sim.strongdm.state import make_strongdm


def user(email):
    return {"email": email, "first_name": "S", "last_name": "R"}


def test_emails_that_differ_only_by_case_folding_are_two_accounts_and_case_still_collides(tmp_path):
    store = Store(tmp_path / "strongdm.sqlite3")
    sdm = make_strongdm(store)
    sharp = sdm.accounts.create_user(user("straße.rt@example.test"))
    plain = sdm.accounts.create_user(user("strasse.rt@example.test"))
    assert sharp["id"] != plain["id"]
    assert sdm.accounts.find_user_by_email("STRAẞE.RT@example.test")["id"] == sharp["id"]
    with pytest.raises(UniquenessError):
        sdm.accounts.create_user(user("Strasse.RT@example.test"))
    assert sdm.accounts.count_users(search="straße") == 1
    role = sdm.accounts.create_role({"name": "Straße"}, [])
    assert sdm.accounts.create_role({"name": "Strasse"}, [])["id"] != role["id"]
    store.close()


def test_a_state_file_keyed_by_casefold_is_rekeyed_when_opened(tmp_path):
    path = tmp_path / "strongdm.sqlite3"
    store = Store(path)
    sdm = make_strongdm(store)
    sharp = sdm.accounts.create_user(user("straße.rt@example.test"))
    sdm.accounts.create_role({"name": "Straße"}, [])
    # What the simulator wrote before the rule was shared: casefolded keys and no rule recorded.
    with store.write() as db:
        db.execute("UPDATE users SET email_lower = 'strasse.rt@example.test'")
        db.execute("UPDATE roles SET name_lower = 'strasse'")
        db.execute("DELETE FROM meta WHERE key = 'accounts.key_rule'")
    store.close()
    store = Store(path)
    sdm = make_strongdm(store)
    assert sdm.accounts.find_user_by_email("straße.rt@example.test")["id"] == sharp["id"]
    assert sdm.accounts.find_user_by_email("strasse.rt@example.test") is None
    assert sdm.accounts.find_role_by_name("STRAẞE") is not None
    with pytest.raises(UniquenessError):
        sdm.accounts.create_user(user("Straße.rt@example.test"))
    store.close()
