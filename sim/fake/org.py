"""The shape of a generated company, without Faker: offices, departments, the manager tree, titles and states."""

import random
from dataclasses import dataclass

from sim.fake.data import DEPARTMENTS
from sim.fake.data import EMPLOYEE_TYPES
from sim.fake.data import EXECUTIVE
from sim.fake.data import OFFICE_EVERY
from sim.fake.data import OFFICES
from sim.fake.data import Department
from sim.fake.data import Office

STATE_SHARE = 0.03  # of hires from FOUNDERS on, each for STAGED and SUSPENDED
FOUNDERS = 8  # the first hires are all active and never an edge case of state
PLANTED_BEFORE = 20  # one STAGED and one SUSPENDED hire among the first 20, wherever the seed puts them


@dataclass
class Org:
    """The shape of the company: who is where, in which department, reporting to whom, with what title.

    Hire `i` draws only from its own stream (`rngs[i]`) and from what earlier hires did, so the first N
    hires are the same in every directory of N or more: growing a directory adds people, never replaces them.
    """

    offices: list[Office]
    office: list[int]
    departments: list[Department]
    dept: list[int]  # index into departments; -1 for the CEO (Executive)
    manager: list[int]  # -1 for the CEO
    reports: list[int]
    title: list[str]
    employee_type: list[str]
    state: list[str]
    rngs: list[random.Random]


def hire_stream(seed: int, i: int) -> random.Random:
    """Hire `i`'s own random stream (string seeds are hashed with SHA-512: stable across processes)."""
    return random.Random(f"{seed}:hire:{i}")


def _office_plan(seed: int) -> tuple[list[Office], list[int]]:
    """Every office in opening order (a US headquarters first) with its hiring weight."""
    rng = random.Random(f"{seed}:offices")
    hq = rng.choice([o for o in OFFICES if o.us])
    others = rng.sample([o for o in OFFICES if o is not hq], len(OFFICES) - 1)
    return [hq, *others], [5] + [rng.randint(1, 3) for _ in others]


def _department_plan(seed: int) -> tuple[list[Department], list[int]]:
    """Every department in founding order (weighted, Efraimidis-Spirakis) and its span of control."""
    rng = random.Random(f"{seed}:departments")
    keyed = sorted(DEPARTMENTS, key=lambda d: rng.random() ** (1 / d.weight), reverse=True)
    return keyed, [rng.randint(5, 9) for _ in keyed]


def founded_at(j: int) -> int:
    """The hire who founds (and heads) department `j`: about sqrt(n) departments at n hires."""
    return 1 + j * j


def organise(seed: int, n: int) -> Org:
    """Hire by hire: CEO, then department heads as departments are founded, each hire joining a team with room."""
    offices, office_weights = _office_plan(seed)
    planned, spans = _department_plan(seed)
    founders = {founded_at(j): j for j in range(len(planned))}
    plan = random.Random(f"{seed}:states")
    planted = dict(zip(("STAGED", "SUSPENDED"), plan.sample(range(FOUNDERS, PLANTED_BEFORE), 2), strict=True))
    thresholds = _cumulative(EMPLOYEE_TYPES)
    rngs = [hire_stream(seed, i) for i in range(n)]
    office, dept, manager, title = [0] * n, [-1] * n, [-1] * n, [""] * n
    employee_type, state = ["Full-time"] * n, ["ACTIVATED"] * n
    team_leads: list[list[int]] = [[] for _ in planned]  # per department, leads in hire order
    reports = [0] * n
    pending = []  # planted states whose hire index has passed, waiting for an individual contributor
    for i in range(n):
        rng = rngs[i]
        opened = 1 + min(len(offices) - 1, i // OFFICE_EVERY)
        office[i] = 0 if i == 0 else rng.choices(range(opened), office_weights[:opened])[0]
        if i == 0:
            title[i] = EXECUTIVE.head
            continue
        if i in founders:
            j = founders[i]
            dept[i], manager[i], title[i] = j, 0, planned[j].head
            team_leads[j].append(i)
            reports[0] += 1
            continue
        live = [j for j in range(len(planned)) if founded_at(j) < i]
        j = rng.choices(live, [planned[k].weight for k in live])[0]
        d = planned[j]
        dept[i] = j
        leads = team_leads[j]
        boss = next((m for m in leads if reports[m] < spans[j]), leads[-1])
        manager[i] = boss
        reports[boss] += 1
        if rng.random() < 1 / spans[j]:
            leads.append(i)
            title[i] = d.director if manager[boss] == 0 else d.manager
            continue
        kind = _pick(rng.random(), thresholds)
        employee_type[i] = kind
        title[i] = d.intern if kind == "Intern" else rng.choice(d.titles)
        pending += [s for s, at in planted.items() if at == i]
        r = rng.random()
        if pending:
            state[i] = pending.pop(0)
        elif i >= FOUNDERS and r < 2 * STATE_SHARE:
            state[i] = "STAGED" if r < STATE_SHARE else "SUSPENDED"
    # Departments are listed in table order, as a directory's own list would be.
    used = sorted({j for j in dept if j >= 0}, key=lambda j: DEPARTMENTS.index(planned[j]))
    renumber = {j: k for k, j in enumerate(used)}
    dept = [renumber[j] if j >= 0 else -1 for j in dept]
    used_offices = sorted(set(office))
    at = {k: x for x, k in enumerate(used_offices)}
    return Org([offices[k] for k in used_offices], [at[k] for k in office], [planned[j] for j in used], dept,
               manager, reports, title, employee_type, state, rngs)


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
