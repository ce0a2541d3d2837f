"""Tests for sim.fake.directory's directory: determinism, ids, wire fields, groups, sizes, admin identity and summary."""

import dataclasses
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter

import pytest

from sim.fake.data import DEPARTMENTS
from sim.fake.data import EXECUTIVE
from sim.fake.data import OFFICES
from sim.fake.directory import admin_identity
from sim.fake.directory import directory_summary
from sim.fake.directory import make_directory

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
USER_KEYS = {
    "_id", "username", "email", "firstname", "middlename", "lastname", "displayname", "state", "activated",
    "suspended", "department", "jobTitle", "employeeIdentifier", "employeeType", "company", "costCenter",
    "location", "manager", "phoneNumbers", "addresses", "alternateEmail", "description", "created",
    "account_locked", "password_expired", "mfa", "attributes", "tags", "organization",
    "account_locked_date", "mfaEnrollment", "totp_enabled", "ssh_keys",
}
GROUP_KEYS = {"id", "name", "type", "description", "email", "attributes", "membershipMethod"}
TITLES = {d.name: d.all_titles() for d in (*DEPARTMENTS, EXECUTIVE)}


def canonical(d) -> str:
    """The directory as sorted JSON, the form exports compare."""
    return json.dumps(dataclasses.asdict(d), sort_keys=True, ensure_ascii=False)


def group_sizes(d) -> Counter:
    """Members per group id."""
    return Counter(gid for gid, _ in d.memberships)


def groups_per_user(d) -> Counter:
    """Groups per user id."""
    return Counter(uid for _, uid in d.memberships)


def test_the_same_seed_gives_a_byte_identical_directory():
    assert canonical(make_directory(7, 300, 25)) == canonical(make_directory(7, 300, 25))


def test_a_different_seed_gives_a_different_directory():
    a, b = make_directory(7, 300, 25), make_directory(8, 300, 25)
    assert canonical(a) != canonical(b)
    assert {u["_id"] for u in a.users}.isdisjoint(u["_id"] for u in b.users)


def test_output_does_not_depend_on_string_hash_randomisation():
    # Set or dict iteration order leaking into the output would differ between these two processes.
    script = (
        "import dataclasses, hashlib, json; from sim.fake.directory import make_directory; "
        "d = make_directory(21, 200, 20); "
        "print(hashlib.sha256(json.dumps(dataclasses.asdict(d), sort_keys=True).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    local = hashlib.sha256(json.dumps(dataclasses.asdict(make_directory(21, 200, 20)), sort_keys=True).encode())
    assert digests == {local.hexdigest()}


def test_global_random_state_neither_affects_nor_is_touched_by_generation():
    random.seed(1)
    before = random.getstate()
    first = canonical(make_directory(3, 100, 10))
    assert random.getstate() == before
    random.seed(999)
    assert canonical(make_directory(3, 100, 10)) == first


def test_now_moves_created_times_and_ids_but_not_people():
    a = make_directory(3, 50, 5)
    b = make_directory(3, 50, 5, now="2027-06-01T12:00:00.000Z")
    assert [u["username"] for u in a.users] == [u["username"] for u in b.users]
    assert a.users[1]["created"] != b.users[1]["created"]
    assert b.now == "2027-06-01T12:00:00.000Z"


def test_an_org_id_passed_in_is_used_on_every_user():
    d = make_directory(3, 30, 3, org_id="5f0c1d2e3f4a5b6c7d8e9f00")
    assert d.org_id == "5f0c1d2e3f4a5b6c7d8e9f00"
    assert {u["organization"] for u in d.users} == {"5f0c1d2e3f4a5b6c7d8e9f00"}


def test_the_org_id_is_derived_from_the_seed(directory):
    assert OBJECT_ID.match(directory.org_id)
    assert make_directory(42, 1, 0).org_id == directory.org_id
    assert {u["organization"] for u in directory.users} == {directory.org_id}


def test_every_object_id_is_24_lowercase_hex_and_unique(directory):
    ids = [directory.org_id]
    ids += [g["id"] for g in directory.groups]
    for u in directory.users:
        ids.append(u["_id"])
        ids += [p["id"] for p in u["phoneNumbers"]]
        ids += [a["id"] for a in u["addresses"]]
        ids += [k["_id"] for k in u["ssh_keys"]]
    assert all(OBJECT_ID.match(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_user_ids_carry_their_creation_second_like_mongodb_object_ids(directory):
    for u in directory.users:
        created = dt.datetime.fromisoformat(u["created"])
        assert int(u["_id"][:8], 16) == int(created.timestamp())


def test_users_have_exactly_the_systemuser_wire_fields(directory):
    for u in directory.users:
        assert set(u) == USER_KEYS
        assert [p["type"] for p in u["phoneNumbers"]] in (["work", "mobile"], [])
        assert [set(a) for a in u["addresses"]] == [
            {"id", "type", "streetAddress", "locality", "region", "postalCode", "country"}
        ]
        assert u["addresses"][0]["type"] == "work"
        assert isinstance(u["account_locked"], bool) and isinstance(u["password_expired"], bool)
        assert set(u["mfa"]) == {"configured", "exclusion", "exclusionDays"}
        assert [a["name"] for a in u["attributes"]][:3] == ["locale", "timezone", "preferredLanguage"]
        assert u["tags"] == []


def test_nested_documents_are_not_shared_between_users(directory):
    # Callers may edit one user's document in place; no other user may change with it.
    a, b = directory.users[1], directory.users[2]
    assert a["mfa"] is not b["mfa"]
    assert a["attributes"] is not b["attributes"]
    assert a["addresses"][0] is not b["addresses"][0]


def test_groups_have_exactly_the_v2_user_group_wire_fields(directory):
    for g in directory.groups:
        assert set(g) == GROUP_KEYS
        assert g["type"] == "user_group"
        assert g["membershipMethod"] == "STATIC"
        assert g["attributes"] in ({}, None)


def test_created_times_are_iso_milliseconds_and_not_after_now(directory):
    assert all(ISO_MS.match(u["created"]) for u in directory.users)
    assert max(u["created"] for u in directory.users) <= directory.now


@pytest.mark.parametrize(("users", "groups"), [(0, 0), (0, 4), (1, 1), (5, 0), (5, 3), (30, 2), (50, 200), (600, 60)])
def test_exactly_the_requested_number_of_groups_is_returned(users, groups):
    d = make_directory(2, users, groups)
    assert len(d.groups) == groups
    assert len({g["name"] for g in d.groups}) == groups


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (1, ["All Staff"]),
        (2, ["All Staff", "Engineering"]),
        (3, ["All Staff", "Engineering", "Legacy VPN Users"]),
    ],
)
def test_few_groups_are_all_staff_then_departments_then_the_empty_group(groups, expected):
    # Engineering carries the largest weight, so it is the biggest department at this size.
    assert [g["name"] for g in make_directory(4, 400, groups).groups] == expected


def test_department_groups_come_before_the_empty_group_when_there_is_room(directory):
    names = [g["name"] for g in directory.groups]
    departments = {u["department"] for u in directory.users} - {"Executive"}
    assert set(names[1:1 + len(departments)]) == departments
    assert names[1 + len(departments)] == "Legacy VPN Users"


def test_all_staff_holds_every_user(directory):
    all_staff = next(g for g in directory.groups if g["name"] == "All Staff")
    members = {uid for gid, uid in directory.memberships if gid == all_staff["id"]}
    assert members == {u["_id"] for u in directory.users}


def test_exactly_one_group_is_empty(directory):
    sizes = group_sizes(directory)
    assert [g["name"] for g in directory.groups if not sizes[g["id"]]] == ["Legacy VPN Users"]


def test_department_location_and_project_groups_are_all_present(directory):
    names = {g["name"] for g in directory.groups}
    assert {"Engineering", "People Managers"} <= names
    assert any(n.endswith(" Office") for n in names)
    assert any(n.startswith("Project ") for n in names)


def test_department_and_location_groups_hold_exactly_their_people(directory):
    by_id = {u["_id"]: u for u in directory.users}
    members: dict[str, set] = {}
    for gid, uid in directory.memberships:
        members.setdefault(gid, set()).add(uid)
    for g in directory.groups:
        if g["name"] in TITLES:
            expected = {u["_id"] for u in directory.users if u["department"] == g["name"]}
        elif g["name"].endswith(" Office"):
            expected = {u["_id"] for u in directory.users if u["location"] == g["name"].removesuffix(" Office")}
        else:
            continue
        assert members[g["id"]] == expected, g["name"]
        assert all(by_id[uid] for uid in expected)


def test_each_user_is_in_one_to_four_groups(directory):
    counts = groups_per_user(directory)
    assert {u["_id"] for u in directory.users} == set(counts)
    assert 1 <= min(counts.values()) and max(counts.values()) <= 4


def test_memberships_are_sorted_unique_and_refer_to_existing_objects(directory):
    group_ids = {g["id"] for g in directory.groups}
    user_ids = {u["_id"] for u in directory.users}
    assert directory.memberships == sorted(set(directory.memberships))
    assert all(gid in group_ids and uid in user_ids for gid, uid in directory.memberships)


@pytest.mark.parametrize("users", [0, 1, 5])
@pytest.mark.parametrize("groups", [0, 1])
def test_tiny_directories_are_well_formed(users, groups):
    d = make_directory(9, users, groups)
    assert len(d.users) == users and len(d.groups) == groups
    assert sum(u["manager"] is None for u in d.users) == min(users, 1)
    assert all(u["state"] == "ACTIVATED" for u in d.users)
    if groups:
        assert d.groups[0]["name"] == "All Staff"
        assert len(d.memberships) == users
    else:
        assert d.memberships == []


def test_a_single_user_is_the_ceo():
    (ceo,) = make_directory(9, 1, 1).users
    assert ceo["jobTitle"] == "Chief Executive Officer" and ceo["manager"] is None


@pytest.mark.parametrize(("users", "groups"), [(-1, 0), (0, -1)])
def test_negative_sizes_are_refused(users, groups):
    with pytest.raises(ValueError):
        make_directory(1, users, groups)


def test_admin_identity_is_deterministic_and_belongs_to_the_directory(directory):
    admin = admin_identity(42)
    assert admin == admin_identity(42)
    assert admin["email"] == f"admin@{directory.domain}"
    assert admin["company"] == directory.company
    assert admin["firstname"] and admin["lastname"]
    assert admin_identity(43)["email"] != admin["email"] or admin_identity(43)["firstname"] != admin["firstname"]


def test_the_company_domain_is_under_example_com(directory):
    # RFC 2606: generated addresses must never reach a real mailbox.
    assert directory.domain.endswith(".example.com")


def test_directory_summary_counts_add_up(directory):
    s = directory_summary(directory)
    assert s["users"] == len(directory.users) == sum(s["states"].values()) == sum(s["departments"].values())
    assert sum(s["locations"].values()) == sum(s["employee_types"].values()) == s["users"]
    assert s["groups"] == len(directory.groups) and s["memberships"] == len(directory.memberships)
    assert s["empty_groups"] == 1
    assert s["company"] == directory.company and s["org_id"] == directory.org_id
    json.dumps(s)


def test_twenty_thousand_users_stay_unique():
    # How fast they generate is `make bench`'s business, not a timed test's.
    d = make_directory(13, 20_000, 400)
    assert len({u["email"].lower() for u in d.users}) == 20_000
    assert len({u["username"] for u in d.users}) == 20_000
    counts = groups_per_user(d)
    assert len(counts) == 20_000 and max(counts.values()) <= 4
    assert len(d.groups) == 400
    assert len({u["location"] for u in d.users}) == len(OFFICES)
