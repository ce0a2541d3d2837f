"""Generated v2 user groups without Faker: departments, offices, roles, project teams and static memberships."""

import random
import re
from collections import deque

from sim.fake.data import EMPTY_GROUP
from sim.fake.data import PROJECT_ADJECTIVES
from sim.fake.data import PROJECT_NOUNS
from sim.fake.org import Org
from sim.fake.people import ascii_fold

MAX_GROUPS_PER_USER = 4


def _slug(text: str) -> str:
    """A group email local part from a name: `Customer Success` → `customer-success`."""
    return re.sub(r"-+", "-", ascii_fold(text.replace(" ", "-").replace("&", "and"))).strip("-")


def _project_names(rng: random.Random):
    """Endless distinct project names: nouns first, then adjective + noun, then numbered."""
    nouns = rng.sample(PROJECT_NOUNS, len(PROJECT_NOUNS))
    yield from (f"Project {noun}" for noun in nouns)
    pairs = [f"{a} {noun}" for a in PROJECT_ADJECTIVES for noun in PROJECT_NOUNS]
    yield from (f"Project {pair}" for pair in rng.sample(pairs, len(pairs)))
    k = 2
    while True:
        yield from (f"Project {noun} {k}" for noun in nouns)
        k += 1


def _group_specs(rng: random.Random, org: Org, users: list[dict], domain: str, company: str, count: int):
    """Groups in priority order as (name, description, email, attributes, members or a project marker)."""
    n = len(users)
    yield "All Staff", f"Everyone at {company}", f"all-staff@{domain}", {}, range(n)
    by_dept: list[list[int]] = [[] for _ in org.departments]
    for i in range(1, n):
        by_dept[org.dept[i]].append(i)
    ranked = sorted(range(len(org.departments)), key=lambda k: -len(by_dept[k]))
    # From three groups up, the empty group always gets a slot, even if departments must give one up.
    before_empty = len(ranked) if count < 3 else min(len(ranked), count - 2)
    for position, k in enumerate(ranked):
        if position == before_empty:
            yield EMPTY_GROUP[0], EMPTY_GROUP[1], "", None, ()
        d = org.departments[k]
        yield d.name, f"Members of the {d.name} department", f"{_slug(d.name)}@{domain}", {}, by_dept[k]
    if before_empty == len(ranked):
        yield EMPTY_GROUP[0], EMPTY_GROUP[1], "", None, ()
    by_office: list[list[int]] = [[] for _ in org.offices]
    for i in range(n):
        by_office[org.office[i]].append(i)
    for k in sorted(range(len(org.offices)), key=lambda k: -len(by_office[k])):
        if by_office[k]:
            city = org.offices[k].city
            yield (f"{city} Office", f"Staff based in the {city} office", f"office-{_slug(city)}@{domain}", {},
                   by_office[k])
    managers = [i for i in range(n) if org.reports[i]]
    if managers:
        yield "People Managers", "Everyone with direct reports", f"people-managers@{domain}", {}, managers
    contractors = [i for i in range(n) if org.employee_type[i] == "Contractor"]
    if contractors:
        yield "Contractors", "External contractors", f"contractors@{domain}", {}, contractors
    for name in _project_names(rng):
        yield name, f"{name} working group", f"{_slug(name)}@{domain}", None, None


GROUP_SLOTS = 0x800000  # the upper half of the ObjectId counter: users never reach it


def group_id(ids, seed: int, name: str, start_ms: int, now_ms: int) -> str:
    """A group's id from its name: the same group keeps its id whatever the directory's size."""
    rng = random.Random(f"{seed}:group:{name}")
    return ids.at(rng.randrange(start_ms, now_ms + 1) // 1000, GROUP_SLOTS + rng.getrandbits(23) - 2)


def make_groups(rng, ids, org, users, identity, count, start_ms, now_ms, *, seed: int):
    """Exactly `count` v2 UserGroups and memberships; nobody joins more than four groups."""
    groups: list[dict] = []
    memberships: list[tuple[str, str]] = []
    load = [0] * len(users)
    # Project teams draw from per-department queues of people with room for another group.
    queues: list[deque] | None = None

    def add(gid: str, i: int) -> bool:
        if load[i] >= MAX_GROUPS_PER_USER:
            return False
        load[i] += 1
        memberships.append((gid, users[i]["_id"]))
        return True

    specs = _group_specs(rng, org, users, identity["domain"], identity["company"], count)
    for _ in range(count):
        name, description, email, attributes, members = next(specs)
        gid = group_id(ids, seed, name, start_ms, now_ms)
        groups.append({
            "id": gid,
            "name": name,
            "type": "user_group",
            "description": description,
            "email": email,
            "attributes": attributes,
            "membershipMethod": "STATIC",
        })
        if members is not None:
            for i in members:
                add(gid, i)
            continue
        if queues is None:
            queues = _queues(rng, org, load)
        _staff_project(rng, queues, load, gid, add)
    memberships.sort()
    return groups, memberships


def _queues(rng: random.Random, org: Org, load: list[int]) -> list[deque]:
    """Shuffled per-department queues of users who can still join a group."""
    queues: list[deque] = [deque() for _ in org.departments]
    order = [i for i in range(1, len(load)) if load[i] < MAX_GROUPS_PER_USER]
    rng.shuffle(order)
    for i in order:
        queues[org.dept[i]].append(i)
    return queues


def _staff_project(rng: random.Random, queues: list[deque], load: list[int], gid: str, add) -> None:
    """Fill one project team: mostly one home department, some people from elsewhere."""
    live = [k for k, q in enumerate(queues) if q]
    if not live:
        return
    home = rng.choices(live, [len(queues[k]) for k in live])[0]
    for _ in range(rng.randint(3, 12)):
        k = home if rng.random() < 0.7 or len(live) == 1 else rng.choice(live)
        if not queues[k]:
            k = next((j for j in live if queues[j]), None)
            if k is None:
                return
        i = queues[k].popleft()
        add(gid, i)
        if load[i] < MAX_GROUPS_PER_USER:
            queues[k].append(i)
