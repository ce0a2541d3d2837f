"""Generated systemusers without Faker: ASCII folding, ObjectIds, phone numbers, names, usernames and documents."""

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass

from sim.fake.data import ASCII_FOLD
from sim.fake.data import EDGE_PEOPLE
from sim.fake.data import EXECUTIVE
from sim.fake.data import FOREIGN_NAME_SHARE
from sim.fake.data import FOREIGN_NAME_WEIGHTS
from sim.fake.data import NAME_LOCALES
from sim.fake.data import OFFICES
from sim.fake.data import PERSONAL_DOMAINS
from sim.fake.data import PLUS_TAGS
from sim.fake.org import Org

MAX_USERNAME = 40
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens for usernames: diacritics dropped, `Ł` to `l`, spaces and `'` removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    return re.sub(r"[^a-z0-9-]", "", decomposed.encode("ascii", "ignore").decode().lower())


class ObjectIds:
    """MongoDB-style ObjectIds: 4-byte timestamp, 5 bytes fixed per directory, 3-byte counter (unique below 2**24)."""

    def __init__(self, rng: random.Random):
        self._machine = f"{rng.getrandbits(40):010x}"
        self._counter = rng.getrandbits(24)

    def next(self, ts: int) -> str:
        """Return a new 24-hex id stamped with `ts` (seconds since the epoch)."""
        self._counter = (self._counter + 1) & 0xFFFFFF
        return f"{ts:08x}{self._machine}{self._counter:06x}"


@dataclass
class Pools:
    """What Faker contributes: (display, ascii) names per locale, a street per office, staffing agencies."""

    firsts: dict[str, list[tuple[str, str]]]
    lasts: dict[str, list[tuple[str, str]]]
    streets: list[str]
    agencies: list[str]


def iso_ms(ms: int) -> str:
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


def _names(rng: random.Random, org: Org, pools: Pools, n: int) -> list[tuple]:
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


def make_users(rng, ids, org, pools, identity, org_id, start_ms, now_ms) -> list[dict]:
    """Assemble systemuser documents in the v1 wire shape (`systemuserreturn`, JumpCloud API v1 spec, docs/api/1.0/index.yaml)."""
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
            "created": iso_ms(created[i]),
            "account_locked": False,
            "password_expired": False,
            "mfa": {"configured": False, "exclusion": False},
            "attributes": [],
            "tags": [],
            "organization": org_id,
        })
    return users
