"""Edge-case people drawn from the seed: every kind in every seed, different people per seed, share by size."""

import pytest

from sim.fake.directory import make_directory
from sim.fake.edge import POOLS

POOLED = {kind: {(p.firstname, p.lastname) for p in people} for kind, people in POOLS.items()}


def kinds_in(d) -> dict[str, set]:
    """Kind -> the (first, last) names of that kind present in a directory (plus-addressed by email)."""
    names = [(u["firstname"], u["lastname"]) for u in d.users]
    found = {kind: {n for n in names if n in pool} for kind, pool in POOLED.items() if kind != "namesake"}
    found["plus"] = {n for n, u in zip(names, d.users, strict=True) if "+" in u["email"].partition("@")[0]}
    found["namesake"] = {n for n in names if names.count(n) > 1}
    return found


@pytest.mark.parametrize("seed", range(12))
def test_every_seed_has_every_kind_from_twenty_users(seed):
    found = kinds_in(make_directory(seed, 20, 0))
    assert all(found.values()), {k: v for k, v in found.items() if not v}


def test_different_seeds_have_different_edge_people():
    people = [frozenset().union(*kinds_in(make_directory(seed, 20, 0)).values()) for seed in range(6)]
    assert len(set(people)) == 6


def test_the_edge_share_grows_with_size_and_the_level():
    def count(n, edge):
        return sum(map(len, kinds_in(make_directory(4, n, 0, edge=edge)).values()))

    assert count(2000, "default") > count(100, "default")
    assert count(1000, "heavy") > 2 * count(1000, "default")


def test_no_edge_people_at_level_none():
    users = make_directory(4, 300, 0, edge="none").users
    assert not any("+" in u["email"].partition("@")[0] for u in users)
    for kind in ("script", "rtl", "long", "apostrophe"):
        assert not {(u["firstname"], u["lastname"]) for u in users} & POOLED[kind], kind


def test_cjk_names_are_displayed_family_name_first():
    users = make_directory(2, 20, 0).users
    cjk = [u for u in users if (u["firstname"], u["lastname"]) in POOLED["cjk"]]
    assert cjk and all(u["displayname"] == f"{u['lastname']} {u['firstname']}" for u in cjk)


def test_an_unknown_edge_level_is_refused():
    with pytest.raises(ValueError, match="edge level"):
        make_directory(1, 10, 0, edge="extreme")


def test_every_long_name_is_over_sixty_characters():
    assert all(len(f"{p.firstname} {p.lastname}") > 60 for p in POOLS["long"])
