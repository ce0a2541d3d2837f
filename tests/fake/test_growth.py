"""Growing a directory adds people and never replaces them: prefixes, username style, groups."""

import pytest

from sim.fake.directory import make_directory
from sim.fake.people import username_style


@pytest.mark.parametrize("seed", [7, 8])
def test_the_first_users_are_identical_whatever_the_size(seed):
    small, large = make_directory(seed, 50, 8), make_directory(seed, 500, 40)
    assert large.users[:50] == small.users
    assert large.org_id == small.org_id


def test_growth_keeps_managers_and_offices_of_the_prefix():
    small, large = make_directory(3, 130, 0), make_directory(3, 700, 0)
    ids = {u["_id"] for u in small.users}
    assert all(u["manager"] is None or u["manager"] in ids for u in large.users[:130])
    assert [u["location"] for u in large.users[:130]] == [u["location"] for u in small.users]


def test_one_username_style_per_seed_at_every_size():
    for seed in (7, 8, 9):
        style = username_style(seed)
        for n in (30, 300):
            dotted = ["." in u["username"] for u in make_directory(seed, n, 0).users]
            assert all(dotted) if style == "dotted" else not any(dotted), (seed, n)


@pytest.mark.parametrize("style", ["dotted", "initial"])
def test_the_username_style_can_be_chosen(style):
    users = make_directory(7, 40, 0, username_style=style).users
    assert all(("." in u["username"]) == (style == "dotted") for u in users)


def test_an_unknown_username_style_is_refused():
    with pytest.raises(ValueError, match="username style"):
        make_directory(7, 10, 0, username_style="camel")


def test_groups_keep_their_ids_and_members_only_grow():
    small, large = make_directory(5, 60, 6), make_directory(5, 400, 6)
    ids = {g["name"]: g["id"] for g in large.groups}
    shared = [g for g in small.groups if g["name"] in ids]
    assert shared and all(ids[g["name"]] == g["id"] for g in shared)
    all_staff = {uid for gid, uid in small.memberships if gid == small.groups[0]["id"]}
    assert all_staff <= {uid for gid, uid in large.memberships if gid == large.groups[0]["id"]}
