"""The only Faker import: a deterministic, realistic JumpCloud directory (systemusers, user groups) from a seed.

Faker is slow per call, so it fills small pools once (names per locale, office streets, agencies) and a
seeded `random.Random` combines them. Same seed and same Faker version give the same directory.
"""

import contextlib
import copy
import datetime as dt
import gc
import random
import re
from collections import Counter
from dataclasses import dataclass

from faker import Faker

from sim.fake.data import NAME_LOCALES
from sim.fake.data import OFFICES
from sim.fake.groups import make_groups
from sim.fake.model import SystemUser
from sim.fake.model import UserGroup
from sim.fake.org import organise
from sim.fake.people import ObjectIds
from sim.fake.people import Pools
from sim.fake.people import ascii_fold
from sim.fake.people import make_users
from sim.fake.times import iso_ms

DEFAULT_NOW = "2026-01-01T00:00:00.000Z"
ORG_AGE = dt.timedelta(days=6 * 365)
POOL_DRAWS = 1500  # per locale; draws keep Faker's name frequencies, so common names stay common
AGENCY_COUNT = 12
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_COMPANY_NOISE = frozenset({"and", "ltd", "llc", "inc", "plc", "group", "sons", "co", "s", "a", "sa", "gmbh"})


@dataclass
class Directory:
    """A generated JumpCloud organisation: v1 systemusers, v2 user groups and their static memberships.

    `users` and `groups` hold the wire documents (dicts); `systemusers()` and `usergroups()` give the same
    as typed objects, and `to_dict()` the whole directory as JSON-ready data.
    """

    seed: int
    org_id: str
    company: str
    domain: str
    now: str
    users: list[dict]
    groups: list[dict]
    memberships: list[tuple[str, str]]  # (group id, user id), sorted

    def systemusers(self) -> list[SystemUser]:
        """Every user, typed, in hire order."""
        return [SystemUser.from_dict(u) for u in self.users]

    def usergroups(self) -> list[UserGroup]:
        """Every group, typed, with its members' ids."""
        members: dict[str, list[str]] = {}
        for group_id, user_id in self.memberships:
            members.setdefault(group_id, []).append(user_id)
        return [UserGroup.from_dict(g, members.get(g["id"], ())) for g in self.groups]

    def to_dict(self) -> dict:
        """JSON-ready: the organisation, the v1 users, the v2 groups and `memberships` as `[group id, user id]`."""
        return {"seed": self.seed, "org_id": self.org_id, "company": self.company, "domain": self.domain,
                "now": self.now, "users": copy.deepcopy(self.users), "groups": copy.deepcopy(self.groups),
                "memberships": [list(m) for m in self.memberships]}


def _seeded(seed: int, locales=NAME_LOCALES) -> tuple[Faker, random.Random]:
    """One Faker seeded per instance (never `Faker.seed`, which is global) and one Random, both from `seed`."""
    fake = Faker(list(locales))
    fake.seed_instance(seed)
    return fake, random.Random(seed)


def _identity(en) -> dict:
    """Company, domain and admin name: the first Faker draws, so `admin_identity` can repeat them cheaply."""
    company = en.company()
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", company) if w.lower() not in _COMPANY_NOISE]
    # A subdomain of RFC 2606's example.com: valid to every email validator, owned by no one real.
    domain = "-".join(words[:2] or ["acme"]) + ".example.com"
    return {
        "company": company,
        "domain": domain,
        "firstname": en.first_name(),
        "lastname": en.last_name(),
        "email": f"admin@{domain}",
    }


def admin_identity(seed: int) -> dict:
    """The console admin of the directory `make_directory(seed, …)` builds: email, first and last name, company."""
    # Each locale's generator is seeded on its own, so en_US alone repeats the multi-locale draws.
    fake, _ = _seeded(seed, ("en_US",))
    return _identity(fake["en_US"])


def _street(gen, locale: str) -> str:
    """A street address written the way the locale writes it."""
    if locale == "ja_JP":
        return f"{gen.town()}{gen.chome()}{gen.ban()}{gen.gou()}"
    name, number = gen.street_name(), gen.building_number()
    if locale in ("en_US", "en_GB", "fr_FR"):
        return f"{number} {name}"
    if locale == "es_ES":
        return f"{name}, {number}"
    return f"{name} {number}"


def _pools(fake: Faker) -> Pools:
    """Draw every pool from Faker once; the draws do not depend on directory size, so sizes share a prefix."""
    folded: dict[str, str] = {}

    def pair(name: str, first: bool) -> tuple[str, str]:
        key = name.split()[0] if first else name
        if key not in folded:
            folded[key] = ascii_fold(key)
        return name, folded[key]

    firsts, lasts = {}, {}
    for locale in NAME_LOCALES:
        gen = fake[locale]
        if locale == "ja_JP":
            # Kanji for display, Faker's paired romanisation for the ASCII username.
            firsts[locale] = [(k, r.lower()) for k, _, r in (gen.first_name_pair() for _ in range(POOL_DRAWS))]
            lasts[locale] = [(k, r.lower()) for k, _, r in (gen.last_name_pair() for _ in range(POOL_DRAWS))]
        else:
            firsts[locale] = [pair(gen.first_name(), True) for _ in range(POOL_DRAWS)]
            lasts[locale] = [pair(gen.last_name(), False) for _ in range(POOL_DRAWS)]
    streets = [_street(fake[office.locale], office.locale) for office in OFFICES]
    agencies = [fake["en_US"].company() for _ in range(AGENCY_COUNT)]
    return Pools(firsts, lasts, streets, agencies)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic collector: it rescans the growing heap of 100,000 acyclic documents (~40% of run time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def make_directory(seed: int, users: int, groups: int, *, now: str = DEFAULT_NOW,
                   org_id: str | None = None, edge: str = "default", username_style: str = "auto") -> Directory:
    """Generate `users` systemusers and exactly `groups` user groups for an organisation, deterministically.

    Prefix-stable: the first N users are identical in every directory of the seed with N or more users.
    `edge` (none, default, heavy) sets how many edge-case names there are; `username_style` (auto, dotted
    for `jane.doe`, initial for `jdoe`) the house style, drawn from the seed when auto.
    """
    if users < 0 or groups < 0:
        raise ValueError("users and groups must be >= 0")
    fake, rng = _seeded(seed)
    identity = _identity(fake["en_US"])
    pools = _pools(fake)
    ids = ObjectIds(rng)
    now_t = dt.datetime.fromisoformat(now)
    if now_t.tzinfo is None:
        now_t = now_t.replace(tzinfo=dt.UTC)
    now_ms = (now_t - _EPOCH) // dt.timedelta(milliseconds=1)
    start_ms = now_ms - ORG_AGE // dt.timedelta(milliseconds=1)
    org_id = org_id or ids.next(start_ms // 1000)
    with _gc_paused():
        org = organise(seed, users)
        people = make_users(org, ids, pools, identity, org_id, start_ms, now_ms, seed=seed, edge=edge,
                            style=username_style)
        group_docs, memberships = make_groups(rng, ids, org, people, identity, groups, start_ms, now_ms,
                                                 seed=seed)
    return Directory(seed, org_id, identity["company"], identity["domain"], iso_ms(now_ms), people, group_docs,
                     memberships)


def directory_summary(d: Directory) -> dict:
    """Counts for CLI output: users by state, department, location and type; groups; memberships."""
    sizes = Counter(gid for gid, _ in d.memberships)

    def count(key: str) -> dict:
        return dict(sorted(Counter(u[key] for u in d.users).items()))

    return {
        "seed": d.seed,
        "org_id": d.org_id,
        "company": d.company,
        "domain": d.domain,
        "users": len(d.users),
        "groups": len(d.groups),
        "memberships": len(d.memberships),
        "empty_groups": sum(1 for g in d.groups if not sizes[g["id"]]),
        "managers": len({u["manager"] for u in d.users if u["manager"]}),
        "states": count("state"),
        "departments": count("department"),
        "locations": count("location"),
        "employee_types": count("employeeType"),
    }
