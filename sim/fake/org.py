"""The shape of a generated company, without Faker: offices, departments, the manager tree, titles and states."""

import random
from dataclasses import dataclass

from sim.fake.data import DEPARTMENTS
from sim.fake.data import EMPLOYEE_TYPES
from sim.fake.data import EXECUTIVE
from sim.fake.data import OFFICES
from sim.fake.data import Department
from sim.fake.data import Office

STATE_SHARE = 0.03  # of users, each for STAGED and SUSPENDED


@dataclass
class Org:
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


def organise(rng: random.Random, n: int) -> Org:
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
    return Org(offices, office, departments, dept, manager, reports, title, employee_type, state)


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
