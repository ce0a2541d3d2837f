"""Generated systemusers without Faker: ASCII folding, ObjectIds, phone numbers, names, usernames and documents."""

import random
import re
import unicodedata
from dataclasses import dataclass

from sim.fake.data import ASCII_FOLD
from sim.fake.data import EXECUTIVE
from sim.fake.data import FOREIGN_NAME_SHARE
from sim.fake.data import FOREIGN_NAME_WEIGHTS
from sim.fake.data import NAME_LOCALES
from sim.fake.data import OFFICES
from sim.fake.data import PERSONAL_DOMAINS
from sim.fake.edge import EDGE_SHARES
from sim.fake.edge import PLUS_TAGS
from sim.fake.edge import Edge
from sim.fake.edge import drawn
from sim.fake.edge import planted
from sim.fake.org import Org
from sim.fake.times import iso_ms
from sim.fake.traits import Security
from sim.fake.traits import custom_attributes
from sim.fake.traits import ssh_keys

MAX_USERNAME = 40


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens for usernames: diacritics dropped, `Ł` to `l`, spaces and `'` removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    return re.sub(r"[^a-z0-9-]", "", decomposed.encode("ascii", "ignore").decode().lower())


class ObjectIds:
    """MongoDB-style ObjectIds: 4-byte timestamp, 5 bytes fixed per directory, 3-byte counter (unique below 2**24)."""

    def __init__(self, rng: random.Random):
        self._machine = f"{rng.getrandbits(40):010x}"
        self._counter = self._base = rng.getrandbits(24)

    def next(self, ts: int) -> str:
        """Return a new 24-hex id stamped with `ts` (seconds since the epoch)."""
        self._counter = (self._counter + 1) & 0xFFFFFF
        return f"{ts:08x}{self._machine}{self._counter:06x}"

    def at(self, ts: int, slot: int) -> str:
        """The id in counter position `slot` (past the directory's base): the same whatever else was made."""
        return f"{ts:08x}{self._machine}{(self._base + 2 + slot) & 0xFFFFFF:06x}"


@dataclass
class Pools:
    """What Faker contributes: (display, ascii) names per locale, a street per office, staffing agencies."""

    firsts: dict[str, list[tuple[str, str]]]
    lasts: dict[str, list[tuple[str, str]]]
    streets: list[str]
    agencies: list[str]


class _Phones:
    """Fill each `#` of an office's phone pattern with seeded digits."""

    def __init__(self):
        self._compiled: dict[str, tuple[str, int]] = {}

    def number(self, rng: random.Random, pattern: str) -> str:
        """A number in `pattern`'s format."""
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = (pattern.replace("#", "{}"), pattern.count("#"))
        template, k = compiled
        return template.format(*f"{rng.randrange(10**k):0{k}d}")


def _names(org: Org, pools: Pools, edges: dict[int, Edge], share: float) -> tuple[list[tuple], list[Edge | None]]:
    """(first, middle, last, first_ascii, last_ascii, family_first) per hire, and the hire's edge case if any."""
    names: list[tuple] = []
    kinds: list[Edge | None] = []
    for i, rng in enumerate(org.rngs):
        locale = org.offices[org.office[i]].locale
        if rng.random() < FOREIGN_NAME_SHARE:
            locale = rng.choices(NAME_LOCALES, FOREIGN_NAME_WEIGHTS)[0]
        first, first_ascii = rng.choice(pools.firsts[locale])
        last, last_ascii = rng.choice(pools.lasts[locale])
        middle = ""
        family_first = locale == "ja_JP"
        r = rng.random()
        if not family_first:
            if r < 0.1:
                middle = rng.choice(pools.firsts[locale])[0]
            elif r < 0.12:
                other, other_ascii = rng.choice(pools.lasts[locale])
                if other != last:
                    last, last_ascii = f"{last}-{other}", f"{last_ascii}-{other_ascii}"
        edge = edges.get(i) or (drawn(rng, i, share) if i else None)
        if edge and edge.twin_of >= 0:
            first, _, last, first_ascii, last_ascii, family_first = names[edge.twin_of]
            middle = ""
        elif edge and edge.person:
            p = edge.person
            first, middle, last, first_ascii, last_ascii, family_first = (
                p.firstname, "", p.lastname, p.first_ascii, p.last_ascii, p.family_first)
        names.append((first, middle, last, first_ascii, last_ascii, family_first))
        kinds.append(edge)
    return names, kinds


USERNAME_STYLES = ("auto", "dotted", "initial")


def username_style(seed: int, style: str = "auto") -> str:
    """`dotted` (jane.doe) or `initial` (jdoe): one house style per directory, from the seed unless chosen."""
    if style not in USERNAME_STYLES:
        raise ValueError(f"username style must be one of {', '.join(USERNAME_STYLES)}, not {style!r}")
    if style != "auto":
        return style
    return "dotted" if random.Random(f"{seed}:username-style").random() < 0.6 else "initial"


def _usernames(style: str, names: list[tuple]) -> list[str]:
    """Unique lower-case usernames in one house style; namesakes get 2, 3, … in hire order."""
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    out = []
    for _, _, _, first_ascii, last_ascii, _ in names:
        base = f"{first_ascii}.{last_ascii}" if style == "dotted" else f"{first_ascii[:1]}{last_ascii}"
        base = base[:MAX_USERNAME].strip(".-") or "user"
        name = base
        while name in taken:
            suffix = next_suffix.get(base, 2)
            next_suffix[base] = suffix + 1
            name = f"{base}{suffix}"
        taken.add(name)
        out.append(name)
    return out


HIRE_CURVE = 60  # hire i joins at fraction (i + u) / (i + u + 60) of the company's age: growth speeds up
ID_SLOTS = 5  # ObjectId counter values per hire: the user, two phones, the address, an SSH key


def hired_at(rng: random.Random, i: int, start_ms: int, span: int) -> int:
    """Hire `i`'s creation time: later than every earlier hire's, before now, whatever the directory's size."""
    if i == 0:
        return start_ms
    x = i + rng.random()
    return start_ms + int(span * x / (x + HIRE_CURVE))


def make_users(org, ids, pools, identity, org_id, start_ms, now_ms, *, seed: int, edge: str = "default",
               style: str = "auto") -> list[dict]:
    """Assemble systemuser documents in the v1 wire shape (`systemuserreturn`, JumpCloud API v1 spec, docs/api/1.0/index.yaml)."""
    n = len(org.dept)
    names, edges = _names(org, pools, planted(seed, edge), EDGE_SHARES[edge])
    usernames = _usernames(username_style(seed, style), names)
    span = max(1, now_ms - start_ms)
    domain, company = identity["domain"], identity["company"]
    phones = _Phones()
    security = Security(seed)
    cost_centres: dict[tuple[str, str], str] = {}
    users = []
    for i in range(n):
        rng = org.rngs[i]
        first, middle, last, first_ascii, last_ascii, family_first = names[i]
        office = org.offices[org.office[i]]
        d = EXECUTIVE if i == 0 else org.departments[org.dept[i]]
        created = hired_at(rng, i, start_ms, span)
        ts = created // 1000
        slot = i * ID_SLOTS
        state = org.state[i]
        plus = edges[i] is not None and edges[i].kind == "plus"
        tag = rng.choice(PLUS_TAGS)
        email = f"{usernames[i]}+{tag}@{domain}" if plus else f"{usernames[i]}@{domain}"
        alternate = None
        r, k, pick = rng.random(), rng.randrange(10, 100), rng.choice(PERSONAL_DOMAINS)
        if r < 0.35:
            alternate = f"{first_ascii}.{last_ascii}{k}@{pick}"
        kind = org.employee_type[i]
        agency = rng.choice(pools.agencies)
        if kind == "Contractor":
            description = f"Contractor via {agency}"
        elif kind == "Intern":
            description = "Internship"
        else:
            description = ""
        manager = org.manager[i]
        numbers = [(office.work_phone, "work", 1), (office.mobile_phone, "mobile", 2)]
        drawn_numbers = [(phones.number(rng, pattern), kind_, n_) for pattern, kind_, n_ in numbers if pattern]
        user = {
            "_id": ids.at(ts, slot),
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
            "manager": None,  # filled below, once every id is known
            "phoneNumbers": [{"id": ids.at(ts, slot + k_), "number": number, "type": kind_}
                             for number, kind_, k_ in drawn_numbers],
            "addresses": [{
                "id": ids.at(ts, slot + 3),
                "type": "work",
                "streetAddress": pools.streets[OFFICES.index(office)],
                "locality": office.city,
                "region": office.region,
                "postalCode": office.postal_code,
                "country": office.country,
            }],
            "alternateEmail": alternate,
            "description": description,
            "created": iso_ms(created),
            "organization": org_id,
        }
        user.update(security(rng, state, i, created, now_ms))
        user["attributes"] = custom_attributes(rng, office, user["created"])
        user["ssh_keys"] = ssh_keys(rng, d.name, usernames[i], ids.at(ts, slot + 4), user["created"])
        user["tags"] = []
        users.append(user)
        if manager >= 0:
            user["manager"] = users[manager]["_id"]
    return users
