"""Tests for sim.fake.directory's people: titles, the manager tree, usernames, offices, states and edge-case names."""

import re
from collections import Counter

import pytest

from sim.fake.data import DEPARTMENTS
from sim.fake.data import EXECUTIVE
from sim.fake.data import OFFICES
from sim.fake.directory import make_directory
from sim.fake.people import ascii_fold

USERNAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
STATES = {"ACTIVATED", "STAGED", "SUSPENDED"}
TITLES = {d.name: d.all_titles() for d in (*DEPARTMENTS, EXECUTIVE)}
CODES = {d.name: d.code for d in (*DEPARTMENTS, EXECUTIVE)}


@pytest.fixture(scope="module")
def directory():
    """A mid-sized directory with several offices and departments."""
    return make_directory(42, 600, 60)


@pytest.fixture(scope="module")
def smallest_with_edges():
    """The smallest size that promises every edge case."""
    return make_directory(5, 20, 10)


def test_every_user_holds_a_title_of_their_own_department(directory):
    for u in directory.users:
        assert u["jobTitle"] in TITLES[u["department"]], (u["department"], u["jobTitle"])


def test_several_departments_are_staffed(directory):
    assert len({u["department"] for u in directory.users}) >= 8


def test_the_manager_tree_has_one_root_no_cycles_and_only_existing_managers(directory):
    by_id = {u["_id"]: u for u in directory.users}
    roots = [u for u in directory.users if u["manager"] is None]
    assert [r["jobTitle"] for r in roots] == ["Chief Executive Officer"]
    for u in directory.users:
        seen = set()
        node = u
        while node["manager"] is not None:
            assert node["_id"] not in seen, "cycle"
            seen.add(node["_id"])
            node = by_id[node["manager"]]
        assert node is roots[0]


def test_department_heads_report_to_the_ceo_and_everyone_else_within_their_department(directory):
    by_id = {u["_id"]: u for u in directory.users}
    ceo = next(u for u in directory.users if u["manager"] is None)
    heads = {d.name: d.head for d in DEPARTMENTS}
    for u in directory.users:
        if u is ceo:
            continue
        boss = by_id[u["manager"]]
        if boss is ceo:
            assert u["jobTitle"] == heads[u["department"]]
        else:
            assert boss["department"] == u["department"]


def test_usernames_emails_employee_ids_and_ids_are_unique_ignoring_case(directory):
    for key in ("_id", "username", "email", "employeeIdentifier"):
        values = [u[key].lower() for u in directory.users]
        assert len(set(values)) == len(values), key


def test_usernames_are_ascii_even_for_non_latin_names(directory):
    assert all(USERNAME.match(u["username"]) for u in directory.users)


def test_emails_are_the_username_at_the_company_domain(directory):
    for u in directory.users:
        local, _, domain = u["email"].partition("@")
        assert domain == directory.domain
        assert local.split("+")[0] == u["username"]


def test_the_company_is_one_name_for_the_whole_directory(directory):
    assert {u["company"] for u in directory.users} == {directory.company}


def test_each_location_has_one_work_address_and_its_own_cost_centres(directory):
    offices = {o.city: o for o in OFFICES}
    addresses: dict[str, set] = {}
    for u in directory.users:
        a = u["addresses"][0]
        addresses.setdefault(u["location"], set()).add(
            (a["streetAddress"], a["locality"], a["region"], a["postalCode"], a["country"])
        )
        office = offices[u["location"]]
        assert a["locality"] == office.city and a["country"] == office.country
        assert u["costCenter"] == f"{office.code}-{CODES[u['department']]}"
    assert len(addresses) > 1
    assert all(len(v) == 1 for v in addresses.values())


def test_phone_numbers_use_the_office_country_code(directory):
    offices = {o.city: o for o in OFFICES}
    for u in directory.users:
        if not offices[u["location"]].work_phone:
            assert u["phoneNumbers"] == []
            continue
        prefix = offices[u["location"]].work_phone.split()[0]
        assert all(p["number"].startswith(prefix + " ") for p in u["phoneNumbers"])


def test_activated_and_suspended_flags_agree_with_state(directory):
    for u in directory.users:
        assert u["state"] in STATES
        assert u["activated"] == (u["state"] != "STAGED")
        assert u["suspended"] == (u["state"] == "SUSPENDED")


@pytest.mark.parametrize("users", [20, 21, 100, 600])
def test_most_users_are_activated_with_at_least_one_staged_and_one_suspended(users):
    states = Counter(u["state"] for u in make_directory(11, users, 0).users)
    assert states["STAGED"] >= 1 and states["SUSPENDED"] >= 1
    assert states["ACTIVATED"] >= 0.85 * users


def test_nobody_with_reports_is_staged_or_suspended(directory):
    managers = {u["manager"] for u in directory.users}
    for u in directory.users:
        if u["_id"] in managers:
            assert u["state"] == "ACTIVATED"


def test_staged_and_suspended_users_are_never_founders(directory):
    # Growth keeps the first hires as they are, so "recent" cannot be relative to the size; the first
    # eight hires (CEO and founding heads among them) are always active instead.
    assert all(u["state"] == "ACTIVATED" for u in directory.users[:8])


EDGE_CASES = {
    "apostrophe": lambda u: "'" in u["lastname"],
    "hyphenated family name": lambda u: "-" in u["lastname"],
    "diacritics": lambda u: any(0xC0 <= ord(c) <= 0x24F for c in u["firstname"] + u["lastname"]),
    "non-Latin script": lambda u: any(ord(c) > 0x36F for c in u["firstname"] + u["lastname"]),
    "name longer than 60": lambda u: len(u["displayname"]) > 60,
    "plus-addressed email": lambda u: "+" in u["email"].partition("@")[0],
}


@pytest.fixture(scope="module", params=[1, 2, 3])
def twenty_users(request):
    """Directories at the edge-case threshold, for a few seeds."""
    return make_directory(request.param, 20, 0)


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_every_edge_case_is_present_from_twenty_users(twenty_users, case):
    assert any(EDGE_CASES[case](u) for u in twenty_users.users)


def test_non_latin_names_get_ascii_usernames(smallest_with_edges):
    people = [u for u in smallest_with_edges.users if any(ord(c) > 0x24F for c in u["firstname"] + u["lastname"])]
    assert len(people) >= 3  # script, right-to-left and CJK kinds at least
    assert all(USERNAME.match(u["username"]) for u in people)


def test_namesakes_share_a_name_but_not_a_username(smallest_with_edges):
    names = Counter((u["firstname"], u["lastname"]) for u in smallest_with_edges.users)
    twins = [u for u in smallest_with_edges.users if names[(u["firstname"], u["lastname"])] > 1]
    assert len(twins) >= 2
    assert len({u["username"] for u in twins}) == len(twins)
    assert any(u["username"][-1].isdigit() for u in twins)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Łukasz", "lukasz"), ("Zoë", "zoe"), ("O'Brien", "obrien"), ("Smith-Jones", "smith-jones"),
     ("de la Fuente", "delafuente"), ("Straße", "strasse"), ("Иванов", "")],
)
def test_ascii_fold_keeps_only_username_characters(text, folded):
    assert ascii_fold(text) == folded
