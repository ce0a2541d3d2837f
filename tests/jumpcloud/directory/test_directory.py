"""Directory model: seeding, users, groups, memberships, apps, bindings, the change outbox and DI events."""

import sqlite3
import types

import pytest

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.schema import USER_SPACE
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import AlreadyExistsError
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import ConflictError
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.state import JumpCloud
from sim.jumpcloud.state import seed_if_empty
from sim.store import FixedClock
from sim.store import Store

ORG = "a" * 24


def tiny_directory():
    """Three users, two groups, hand-written so these tests do not depend on the generator's choices."""
    users = [
        {"_id": f"{i:024x}", "username": name, "email": f"{name}@example.com", "firstname": name.title(),
         "lastname": "Test", "displayname": f"{name.title()} Test", "state": state,
         "employeeIdentifier": f"E{i}", "manager": None if i == 1 else f"{1:024x}"}
        for i, name, state in ((1, "alice", "ACTIVATED"), (2, "bob", "ACTIVATED"), (3, "carol", "STAGED"))
    ]
    groups = [{"id": f"{10 + i:024x}", "name": name} for i, name in enumerate(("Engineering", "Sales"))]
    memberships = [(groups[0]["id"], users[0]["_id"]), (groups[0]["id"], users[2]["_id"]),
                   (groups[1]["id"], users[1]["_id"])]
    return types.SimpleNamespace(org_id=ORG, company="Tiny Co", users=users, groups=groups, memberships=memberships)


@pytest.fixture
def jc(tmp_path):
    store = Store(tmp_path / "jc.sqlite3", clock=FixedClock(), id_salt="test", synchronous="OFF")
    state = JumpCloud(store)
    state.seed(tiny_directory(), {"email": "admin@example.com", "password": "pw"})
    yield state
    store.close()


@pytest.fixture
def directory(jc):
    return jc.directory


def new_user(directory, name="dave", **extra):
    return directory.create_user(clean_user_input({"username": name, "email": f"{name}@example.com", **extra},
                                                  create=True))


def test_seed_writes_no_changes_and_no_events(jc):
    assert jc.directory.changes_since(0) == []
    assert jc.insights.query(start_time="2000-01-01T00:00:00.000Z") == []


def test_seeded_users_get_every_systemuser_field_and_the_org(directory):
    user = directory.get_user(f"{1:024x}")
    assert user["organization"] == ORG
    assert {"sudo", "mfaEnrollment", "unix_uid", "recoveryEmail", "creationSource"} <= set(user)


def test_seed_creates_the_catalog_with_strongdm_first_by_name(directory):
    app = directory.find_app("strongdm")
    assert app["displayLabel"] == "StrongDM"
    assert app["learnMore"].startswith("https://")


@pytest.mark.parametrize(("state", "activated", "suspended"), [
    ("STAGED", False, False), ("ACTIVATED", True, False), ("SUSPENDED", True, True)])
def test_created_state_sets_consistent_flags(directory, state, activated, suspended):
    user = new_user(directory, state=state)
    assert (user["state"], user["activated"], user["suspended"]) == (state, activated, suspended)


def test_create_defaults_to_activated_and_records_one_change_and_event(jc, directory):
    user = new_user(directory)
    assert user["state"] == "ACTIVATED"
    [change] = directory.changes_since(0)
    assert (change["object_type"], change["object_id"], change["action"]) == ("user", user["_id"], "create")
    [event] = jc.insights.query(start_time="2000-01-01T00:00:00Z")
    assert (event["event_type"], event["resource"]["id"]) == ("user_create", user["_id"])


@pytest.mark.parametrize("clash", [{"username": "ALICE"}, {"email": "Alice@Example.com"},
                                   {"employeeIdentifier": "E1"}])
def test_duplicates_are_refused_case_insensitively_without_a_change(directory, clash):
    body = {"username": "zed", "email": "zed@example.com", **clash}
    with pytest.raises(AlreadyExistsError, match="User already exists"):
        directory.create_user(clean_user_input(body, create=True))
    assert directory.changes_since(0) == []


def test_update_merges_and_lists_changed_fields(directory):
    uid = f"{2:024x}"
    user = directory.update_user(uid, clean_user_input({"jobTitle": "CTO"}, create=False))
    assert (user["jobTitle"], user["firstname"]) == ("CTO", "Bob")
    [change] = directory.changes_since(0)
    assert change["detail"]["fields"] == ["jobTitle"]


def test_an_update_that_changes_nothing_writes_nothing(directory):
    directory.update_user(f"{2:024x}", clean_user_input({"firstname": "Bob"}, create=False))
    assert directory.changes_since(0) == []


def test_suspend_then_activate_moves_state_and_keeps_flags_consistent(directory):
    uid = f"{2:024x}"
    assert directory.set_user_state(uid, "SUSPENDED")["suspended"] is True
    user = directory.set_user_state(uid, "ACTIVATED")
    assert (user["state"], user["activated"], user["suspended"]) == ("ACTIVATED", True, False)
    assert [c["detail"]["state"] for c in directory.changes_since(0)] == ["SUSPENDED", "ACTIVATED"]


def test_deleting_a_manager_needs_cascade_which_clears_reports(directory):
    with pytest.raises(ConflictError):
        directory.delete_user(f"{1:024x}")
    directory.delete_user(f"{1:024x}", cascade_manager=True)
    assert directory.get_user(f"{2:024x}")["manager"] is None
    actions = [(c["object_type"], c["action"]) for c in directory.changes_since(0)]
    assert actions[-1] == ("user", "delete") and actions.count(("user", "update")) == 2


def test_delete_records_groups_and_bound_apps_of_the_user(directory):
    app = directory.find_app("strongdm")
    directory.change_binding(app["_id"], "add", "user_group", f"{10:024x}")
    directory.delete_user(f"{3:024x}")
    change = directory.changes_since(0)[-1]
    assert change["detail"]["groups"] == [f"{10:024x}"]
    assert change["detail"]["applications"] == [app["_id"]]


@pytest.mark.parametrize(("call", "error"), [
    (lambda d: d.get_user("nope"), BadRequestError),
    (lambda d: d.get_user("f" * 24), NotFoundError),
    (lambda d: d.get_group("f" * 24), NotFoundError),
    (lambda d: d.get_app("f" * 24), NotFoundError),
])
def test_malformed_ids_are_400_and_unknown_ids_404(directory, call, error):
    with pytest.raises(error):
        call(directory)


def test_membership_add_remove_and_their_errors(directory):
    gid, uid = f"{11:024x}", f"{1:024x}"
    directory.change_membership(gid, "add", uid)
    with pytest.raises(ConflictError):
        directory.change_membership(gid, "add", uid)
    assert uid in directory.group_member_ids(gid)
    directory.change_membership(gid, "remove", uid)
    with pytest.raises(NotFoundError):
        directory.change_membership(gid, "remove", uid)
    rows = directory.changes_since(0)
    assert [(r["object_type"], r["action"], r["detail"]) for r in rows] == [
        ("membership", "add", {"group_id": gid, "user_id": uid}),
        ("membership", "remove", {"group_id": gid, "user_id": uid})]


def test_users_bound_directly_or_through_groups_with_state(directory):
    app_id = directory.find_app("strongdm")["_id"]
    directory.change_binding(app_id, "add", "user_group", f"{10:024x}")  # alice, carol (STAGED)
    directory.change_binding(app_id, "add", "user", f"{1:024x}")  # alice again, directly
    users = directory.users_bound_to_app(app_id)
    assert [(u["username"], u["state"]) for u in users] == [("alice", "ACTIVATED"), ("carol", "STAGED")]
    paths = {p["id"]: len(p["paths"]) for p in directory.app_user_paths(app_id)}
    assert paths == {f"{1:024x}": 2, f"{3:024x}": 1}
    [group] = directory.groups_bound_to_app(app_id)
    assert group["members"] == [f"{1:024x}", f"{3:024x}"]
    assert directory.is_user_bound(app_id, f"{3:024x}") and not directory.is_user_bound(app_id, f"{2:024x}")


def test_binding_rows_carry_both_ids(directory):
    app_id = directory.find_app("slack")["_id"]
    directory.change_binding(app_id, "add", "user", f"{2:024x}")
    [row] = directory.changes_since(0)
    assert (row["object_type"], row["object_id"], row["action"]) == ("association", app_id, "add")
    assert row["detail"] == {"application_id": app_id, "target_type": "user", "target_id": f"{2:024x}"}


def test_group_delete_lists_members_and_apps_and_removes_bindings(directory):
    app_id = directory.find_app("zoom")["_id"]
    directory.change_binding(app_id, "add", "user_group", f"{10:024x}")
    directory.delete_group(f"{10:024x}")
    assert directory.users_bound_to_app(app_id) == []
    detail = directory.changes_since(0)[-1]["detail"]
    assert detail["members"] == [f"{1:024x}", f"{3:024x}"] and detail["applications"] == [app_id]


def test_group_names_are_unique_case_insensitively(directory):
    with pytest.raises(ConflictError):
        directory.create_group({"name": "engineering"})


def test_replace_group_clears_omitted_fields(directory):
    gid = directory.create_group({"name": "Ops", "description": "on call"})["id"]
    group = directory.replace_group(gid, {"name": "Ops"})
    assert group["description"] == ""


def test_subscribers_are_called_after_commit_with_the_rows(directory):
    seen = []
    other = sqlite3.connect(directory.store.path)  # another connection sees only committed rows
    unsubscribe = directory.subscribe(lambda rows: seen.append(
        (rows, other.execute("SELECT COUNT(*) FROM changes").fetchone()[0])))
    user = new_user(directory)
    unsubscribe()
    new_user(directory, "erin")
    other.close()
    [(rows, committed)] = seen
    assert rows[0]["object_id"] == user["_id"] and committed == 1


def test_a_failing_subscriber_does_not_fail_the_change(directory):
    directory.subscribe(lambda rows: 1 / 0)
    assert new_user(directory)["username"] == "dave"


def test_changes_since_pages_by_sequence(directory):
    for name in ("u1", "u2", "u3"):
        new_user(directory, name)
    first = directory.changes_since(0, limit=2)
    rest = directory.changes_since(first[-1]["seq"])
    assert [r["detail"]["username"] for r in first + rest] == ["u1", "u2", "u3"]
    assert directory.last_seq() == rest[-1]["seq"]


def test_record_event_for_the_pusher_is_queryable_by_service(jc):
    jc.insights.record_event("sso", "user_create_provision", success=False, status_code=409)
    new_user(jc.directory)
    [event] = jc.insights.query(service=["sso"], start_time="2000-01-01T00:00:00Z")
    assert (event["event_type"], event["success"], event["status_code"]) == ("user_create_provision", False, 409)


def test_api_keys_are_hashed_revocable_and_role_bound(jc):
    admin = jc.org.admins()[0]
    key = jc.org.create_api_key(admin["_id"])
    assert len(key) == 40
    assert key not in str(jc.store.read().execute("SELECT * FROM jc_api_keys").fetchall())
    assert jc.org.authenticate(key)["_id"] == admin["_id"]
    assert jc.org.revoke_api_key(key) and jc.org.authenticate(key) is None


def test_admin_passwords_are_checked_against_a_hash(jc):
    assert jc.org.check_password("ADMIN@example.com", "pw")["role"] == "Administrator"
    assert jc.org.check_password("admin@example.com", "wrong") is None


def test_seeding_the_same_seed_twice_gives_the_same_directory(tmp_path):
    dumps = []
    for n in range(2):
        state = JumpCloud(Store(tmp_path / f"{n}.sqlite3", clock=FixedClock(), synchronous="OFF"))
        seed_if_empty(state, seed=5, users=25, groups=4)
        db = state.store.read()
        dumps.append([db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                      for t in ("jc_users", "jc_groups", "jc_memberships", "jc_apps")])
        dumps[-1] = [[tuple(r) for r in rows] for rows in dumps[-1]]
    assert dumps[0] == dumps[1] and len(dumps[0][0]) == 25


def test_seed_if_empty_does_nothing_the_second_time(jc):
    assert seed_if_empty(jc, seed=1, users=5, groups=2) is None
    assert jc.directory.user_count() == 3



@pytest.mark.parametrize("args", [{"filter": "username:$eq:alice"}, {"filter": "email:$eq:alice@example.com"},
                                  {"filter": "state:$eq:STAGED"}, {"sort": "username"}, {}, {"sort": "-created"}])
def test_lookups_and_sorts_on_indexed_fields_neither_scan_nor_sort_the_whole_table(directory, args):
    query = q.v1_query(USER_SPACE, args)
    sql = f"SELECT doc FROM jc_users{query.where_sql()}{query.order_sql(USER_SPACE)} LIMIT 10"
    plan = [row[-1] for row in directory.store.read().execute(f"EXPLAIN QUERY PLAN {sql}", query.params)]
    assert not any(step == "SCAN jc_users" or step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in plan), plan


def test_setting_group_bindings_binds_and_unbinds_among_the_shown_groups(directory):
    app_id = directory.find_app("zoom")["_id"]
    first, second = f"{10:024x}", f"{11:024x}"
    directory.change_binding(app_id, "add", "user_group", first)
    assert directory.set_group_bindings(app_id, {first, second}, {second}) == (1, 1)
    assert directory.bound_ids(app_id, "user_group") == [second]


def test_setting_group_bindings_with_an_unknown_group_changes_nothing(directory):
    app_id = directory.find_app("zoom")["_id"]
    before = directory.last_seq()
    with pytest.raises(JumpCloudError):
        directory.set_group_bindings(app_id, {f"{10:024x}", "f" * 24}, {f"{10:024x}", "f" * 24})
    assert directory.bound_ids(app_id, "user_group") == []
    assert directory.last_seq() == before
