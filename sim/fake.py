"""The only Faker import: a deterministic, realistic JumpCloud directory (systemusers, user groups) from a seed.

Faker is slow per call, so it fills small pools once (names per locale, office streets, agencies) and a
seeded `random.Random` combines them. Same seed and same Faker version give the same directory.
"""

import contextlib
import datetime as dt
import gc
import random
import re
import unicodedata
from collections import Counter
from collections import deque
from dataclasses import dataclass

from faker import Faker

from sim.fake_data import ASCII_FOLD
from sim.fake_data import DEPARTMENTS
from sim.fake_data import EDGE_PEOPLE
from sim.fake_data import EMPLOYEE_TYPES
from sim.fake_data import EMPTY_GROUP
from sim.fake_data import EXECUTIVE
from sim.fake_data import FOREIGN_NAME_SHARE
from sim.fake_data import FOREIGN_NAME_WEIGHTS
from sim.fake_data import NAME_LOCALES
from sim.fake_data import OFFICES
from sim.fake_data import PERSONAL_DOMAINS
from sim.fake_data import PLUS_TAGS
from sim.fake_data import PROJECT_ADJECTIVES
from sim.fake_data import PROJECT_NOUNS
from sim.fake_data import Department
from sim.fake_data import Office

DEFAULT_NOW = "2026-01-01T00:00:00.000Z"
ORG_AGE = dt.timedelta(days=6 * 365)
POOL_DRAWS = 1500  # per locale; draws keep Faker's name frequencies, so common names stay common
AGENCY_COUNT = 12
MAX_GROUPS_PER_USER = 4
MAX_USERNAME = 40
STATE_SHARE = 0.03  # of users, each for STAGED and SUSPENDED
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_COMPANY_NOISE = frozenset({"and", "ltd", "llc", "inc", "plc", "group", "sons", "co", "s", "a", "sa", "gmbh"})


@dataclass
class Directory:
    """A generated JumpCloud organisation: v1 systemusers, v2 user groups and their static memberships."""

    seed: int
    org_id: str
    company: str
    domain: str
    now: str
    users: list[dict]
    groups: list[dict]
    memberships: list[tuple[str, str]]


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


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens for usernames: diacritics dropped, `Ł` to `l`, spaces and `'` removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    return re.sub(r"[^a-z0-9-]", "", decomposed.encode("ascii", "ignore").decode().lower())


class _ObjectIds:
    """MongoDB-style ObjectIds: 4-byte timestamp, 5 bytes fixed per directory, 3-byte counter (unique below 2**24)."""

    def __init__(self, rng: random.Random):
        self._machine = f"{rng.getrandbits(40):010x}"
        self._counter = rng.getrandbits(24)

    def next(self, ts: int) -> str:
        """Return a new 24-hex id stamped with `ts` (seconds since the epoch)."""
        self._counter = (self._counter + 1) & 0xFFFFFF
        return f"{ts:08x}{self._machine}{self._counter:06x}"


@dataclass
class _Pools:
    """What Faker contributes: (display, ascii) names per locale, a street per office, staffing agencies."""

    firsts: dict[str, list[tuple[str, str]]]
    lasts: dict[str, list[tuple[str, str]]]
    streets: list[str]
    agencies: list[str]


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


def _pools(fake: Faker) -> _Pools:
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
    return _Pools(firsts, lasts, streets, agencies)


def _iso(ms: int) -> str:
    """Milliseconds since the epoch as JumpCloud writes times: ISO 8601, milliseconds, `Z`."""
    # isoformat is C-fast where strftime is not, and 100,000 users each need one.
    return (_NAIVE_EPOCH + dt.timedelta(milliseconds=ms)).isoformat(timespec="milliseconds") + "Z"


class _Phones:
    """Fill each `#` of an office's phone pattern with a seeded digit."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._compiled: dict[str, tuple[str, int]] = {}

    def number(self, pattern: str) -> str:
        """A number in `pattern`'s format."""
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = (pattern.replace("#", "{}"), pattern.count("#"))
        template, k = compiled
        return template.format(*f"{self._rng.randrange(10**k):0{k}d}")


@dataclass
class _Org:
    """The shape of the company: who is where, in which department, reporting to whom, with what title."""

    offices: list[Office]
    office: list[int]
    departments: list[Department]
    dept: list[int]  # index into departments; -1 for the CEO (Executive)
    manager: list[int]  # -1 for the CEO
    reports: list[int]
    title: list[str]
    employee_type: list[str]
    state: list[str]


def _choose_offices(rng: random.Random, n: int) -> tuple[list[Office], list[int]]:
    """A US headquarters plus more offices as the company grows, with a weight per office."""
    count = max(1, min(len(OFFICES), 1 + n // 60))
    hq = rng.choice([o for o in OFFICES if o.us])
    others = rng.sample([o for o in OFFICES if o is not hq], count - 1)
    return [hq, *others], [5] + [rng.randint(1, 3) for _ in others]


def _choose_departments(rng: random.Random, n: int) -> list[Department]:
    """Roughly sqrt(n) departments, drawn by weight (Efraimidis-Spirakis), listed in table order."""
    count = 0 if n <= 1 else max(1, min(len(DEPARTMENTS), round((n - 1) ** 0.5)))
    keyed = sorted(DEPARTMENTS, key=lambda d: rng.random() ** (1 / d.weight), reverse=True)
    chosen = set(keyed[:count])
    return [d for d in DEPARTMENTS if d in chosen]


def _organise(rng: random.Random, n: int) -> _Org:
    """Build the manager tree: CEO, a head per department, then a span-of-control tree inside each department."""
    offices, office_weights = _choose_offices(rng, n)
    office = rng.choices(range(len(offices)), office_weights, k=n)
    departments = _choose_departments(rng, n)
    k = len(departments)
    # Users are in hire order; the first hires after the CEO head the departments.
    rest = rng.choices(range(k), [d.weight for d in departments], k=n - 1 - k) if k else []
    dept = ([-1] + list(range(k)) + rest)[:n]
    if n:
        office[0] = 0  # the CEO works at headquarters
    manager = [-1] * n
    members: list[list[int]] = [[] for _ in departments]
    for i in range(1, n):
        members[dept[i]].append(i)
    for people in members:
        span = rng.randint(5, 9)
        manager[people[0]] = 0
        for j in range(1, len(people)):
            manager[people[j]] = people[(j - 1) // span]
    reports = [0] * n
    for m in manager:
        if m >= 0:
            reports[m] += 1
    # A manager whose reports manage others is a director.
    grand = [False] * n
    for i, m in enumerate(manager):
        if m >= 0 and reports[i]:
            grand[m] = True
    title, employee_type = [""] * n, ["Full-time"] * n
    thresholds = _cumulative(EMPLOYEE_TYPES)
    for i in range(n):
        d = EXECUTIVE if i == 0 else departments[dept[i]]
        if i == 0 or manager[i] == 0:
            title[i] = d.head
        elif grand[i]:
            title[i] = d.director
        elif reports[i]:
            title[i] = d.manager
        else:
            kind = _pick(rng.random(), thresholds)
            employee_type[i] = kind
            title[i] = d.intern if kind == "Intern" else rng.choice(d.titles)
    state = _states(rng, n, reports)
    return _Org(offices, office, departments, dept, manager, reports, title, employee_type, state)


def _cumulative(weighted: tuple[tuple[str, float], ...]) -> list[tuple[float, str]]:
    """Running totals for picking from a weighted table with one random number."""
    total, out = 0.0, []
    for name, share in weighted:
        total += share
        out.append((total, name))
    return out


def _pick(r: float, thresholds: list[tuple[float, str]]) -> str:
    """The entry whose running total first exceeds `r`."""
    for limit, name in thresholds:
        if r < limit:
            return name
    return thresholds[-1][1]


def _states(rng: random.Random, n: int, reports: list[int]) -> list[str]:
    """Mostly ACTIVATED; a few recent hires STAGED and a few SUSPENDED, never anyone with reports."""
    state = ["ACTIVATED"] * n
    leaves = [i for i in range(1, n) if not reports[i]]
    count = max(1, round(n * STATE_SHARE)) if n >= 20 else 0
    recent = leaves[-max(count, len(leaves) // 5):] if count else []
    staged = set(rng.sample(recent, min(count, len(recent))))
    rest = [i for i in leaves if i not in staged]
    for i in staged:
        state[i] = "STAGED"
    for i in rng.sample(rest, min(count, len(rest))):
        state[i] = "SUSPENDED"
    return state


def _names(rng: random.Random, org: _Org, pools: _Pools, n: int) -> list[tuple]:
    """(first, middle, last, first_ascii, last_ascii, family_first) per user, edge people placed by the seed."""
    names = []
    for i in range(n):
        locale = org.offices[org.office[i]].locale
        if rng.random() < FOREIGN_NAME_SHARE:
            locale = rng.choices(NAME_LOCALES, FOREIGN_NAME_WEIGHTS)[0]
        first, first_ascii = rng.choice(pools.firsts[locale])
        last, last_ascii = rng.choice(pools.lasts[locale])
        middle = ""
        family_first = locale == "ja_JP"
        if not family_first:
            r = rng.random()
            if r < 0.1:
                middle = rng.choice(pools.firsts[locale])[0]
            elif r < 0.12:
                other, other_ascii = rng.choice(pools.lasts[locale])
                if other != last:
                    last, last_ascii = f"{last}-{other}", f"{last_ascii}-{other_ascii}"
        names.append((first, middle, last, first_ascii, last_ascii, family_first))
    if n >= 20:
        for i, person in zip(rng.sample(range(1, n), len(EDGE_PEOPLE)), EDGE_PEOPLE, strict=True):
            names[i] = (person.firstname, "", person.lastname, person.first_ascii, person.last_ascii,
                        person.family_first)
    return names


def _usernames(rng: random.Random, names: list[tuple]) -> list[str]:
    """Unique lower-case usernames in one house style (`jane.doe` or `jdoe`); namesakes get 2, 3, …"""
    dotted = rng.random() < 0.6
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    out = []
    for _, _, _, first_ascii, last_ascii, _ in names:
        base = f"{first_ascii}.{last_ascii}" if dotted else f"{first_ascii[:1]}{last_ascii}"
        base = base[:MAX_USERNAME].strip(".-") or "user"
        name = base
        while name in taken:
            suffix = next_suffix.get(base, 2)
            next_suffix[base] = suffix + 1
            name = f"{base}{suffix}"
        taken.add(name)
        out.append(name)
    return out


def _users(rng, ids, org, pools, identity, org_id, start_ms, now_ms) -> list[dict]:
    """Assemble systemuser documents in the v1 wire shape (§2.2 of the JumpCloud notes)."""
    n = len(org.dept)
    names = _names(rng, org, pools, n)
    usernames = _usernames(rng, names)
    plus = rng.randrange(1, n) if n >= 20 else -1
    span = max(1, now_ms - start_ms)
    created = sorted(start_ms + int(rng.random() * span) for _ in range(n))
    if n:
        created[0] = start_ms
    domain, company = identity["domain"], identity["company"]
    user_ids = [ids.next(ms // 1000) for ms in created]
    phones = _Phones(rng)
    cost_centres: dict[tuple[str, str], str] = {}
    users = []
    for i in range(n):
        first, middle, last, first_ascii, last_ascii, family_first = names[i]
        office = org.offices[org.office[i]]
        d = EXECUTIVE if i == 0 else org.departments[org.dept[i]]
        ts = created[i] // 1000
        state = org.state[i]
        email = f"{usernames[i]}+{rng.choice(PLUS_TAGS)}@{domain}" if i == plus else f"{usernames[i]}@{domain}"
        alternate = None
        if rng.random() < 0.35:
            alternate = f"{first_ascii}.{last_ascii}{rng.randrange(10, 100)}@{rng.choice(PERSONAL_DOMAINS)}"
        kind = org.employee_type[i]
        if kind == "Contractor":
            description = f"Contractor via {rng.choice(pools.agencies)}"
        elif kind == "Intern":
            description = "Internship"
        else:
            description = ""
        manager = org.manager[i]
        users.append({
            "_id": user_ids[i],
            "username": usernames[i],
            "email": email,
            "firstname": first,
            "middlename": middle,
            "lastname": last,
            "displayname": f"{last} {first}" if family_first else f"{first} {last}",
            "state": state,
            "activated": state != "STAGED",
            "suspended": state == "SUSPENDED",
            "department": d.name,
            "jobTitle": org.title[i],
            "employeeIdentifier": f"E{i + 1:06d}",
            "employeeType": kind,
            "company": company,
            "costCenter": cost_centres.setdefault((office.code, d.code), f"{office.code}-{d.code}"),
            "location": office.city,
            "manager": user_ids[manager] if manager >= 0 else None,
            "phoneNumbers": [
                {"id": ids.next(ts), "number": phones.number(office.work_phone), "type": "work"},
                {"id": ids.next(ts), "number": phones.number(office.mobile_phone), "type": "mobile"},
            ],
            "addresses": [{
                "id": ids.next(ts),
                "type": "work",
                "streetAddress": pools.streets[OFFICES.index(office)],
                "locality": office.city,
                "region": office.region,
                "postalCode": office.postal_code,
                "country": office.country,
            }],
            "alternateEmail": alternate,
            "description": description,
            "created": _iso(created[i]),
            "account_locked": False,
            "password_expired": False,
            "mfa": {"configured": False, "exclusion": False},
            "attributes": [],
            "tags": [],
            "organization": org_id,
        })
    return users


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


def _group_specs(rng: random.Random, org: _Org, users: list[dict], domain: str, company: str, count: int):
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


def _groups(rng, ids, org, users, identity, count, start_ms, now_ms):
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
        gid = ids.next(rng.randrange(start_ms, now_ms + 1) // 1000)
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


def _queues(rng: random.Random, org: _Org, load: list[int]) -> list[deque]:
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
                   org_id: str | None = None) -> Directory:
    """Generate `users` systemusers and exactly `groups` user groups for an organisation, deterministically."""
    if users < 0 or groups < 0:
        raise ValueError("users and groups must be >= 0")
    fake, rng = _seeded(seed)
    identity = _identity(fake["en_US"])
    pools = _pools(fake)
    ids = _ObjectIds(rng)
    now_t = dt.datetime.fromisoformat(now)
    if now_t.tzinfo is None:
        now_t = now_t.replace(tzinfo=dt.UTC)
    now_ms = (now_t - _EPOCH) // dt.timedelta(milliseconds=1)
    start_ms = now_ms - ORG_AGE // dt.timedelta(milliseconds=1)
    org_id = org_id or ids.next(start_ms // 1000)
    with _gc_paused():
        org = _organise(rng, users)
        people = _users(rng, ids, org, pools, identity, org_id, start_ms, now_ms)
        group_docs, memberships = _groups(rng, ids, org, people, identity, groups, start_ms, now_ms)
    return Directory(seed, org_id, identity["company"], identity["domain"], _iso(now_ms), people, group_docs,
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
