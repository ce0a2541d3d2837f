"""Edge-case people, in pools per kind, and where a seed plants them (pure, no Faker).

Every directory of `GUARANTEE_BY` users or more has each kind among its first hires (positions and people
drawn from the seed); beyond that each hire is an edge case with the `EDGE_SHARES` probability of the
chosen level, so their number grows with the directory.
"""

import random
from typing import NamedTuple


class EdgePerson(NamedTuple):
    """A deliberately awkward person: names as written, plus the ASCII used for the username."""

    firstname: str
    lastname: str
    first_ascii: str
    last_ascii: str
    family_first: bool = False


def _people(*rows: tuple) -> tuple[EdgePerson, ...]:
    return tuple(EdgePerson(*row) for row in rows)


# Invented combinations of common names; none is meant to be a real, known person.
POOLS: dict[str, tuple[EdgePerson, ...]] = {
    # Non-Latin scripts written left to right.
    "script": _people(
        ("Νίκος", "Παπαδόπουλος", "nikos", "papadopoulos"), ("Ελένη", "Γεωργίου", "eleni", "georgiou"),
        ("Γιώργος", "Δημητρίου", "giorgos", "dimitriou"), ("Дмитрий", "Иванов", "dmitry", "ivanov"),
        ("Ольга", "Смирнова", "olga", "smirnova"), ("Олена", "Коваленко", "olena", "kovalenko"),
        ("Иван", "Петров", "ivan", "petrov"), ("ნინო", "ბერიძე", "nino", "beridze"),
        ("Արամ", "Պետրոսյան", "aram", "petrosyan"), ("प्रिया", "शर्मा", "priya", "sharma"),
        ("สมชาย", "ใจดี", "somchai", "jaidee"), ("Ануш", "Саргсян", "anush", "sargsyan"),
    ),
    "diacritics": _people(
        ("Zoë", "Müller", "zoe", "muller"), ("José", "García", "jose", "garcia"),
        ("Łukasz", "Wiśniewski", "lukasz", "wisniewski"), ("François", "Lefèvre", "francois", "lefevre"),
        ("Søren", "Jørgensen", "soren", "jorgensen"), ("Åsa", "Ström", "asa", "strom"),
        ("Ayşe", "Yılmaz", "ayse", "yilmaz"), ("Jiří", "Dvořák", "jiri", "dvorak"),
        ("Guðrún", "Þórsdóttir", "gudrun", "thorsdottir"), ("Małgorzata", "Wójcik", "malgorzata", "wojcik"),
        ("Chloé", "Bénard", "chloe", "benard"), ("Núria", "Peñalver", "nuria", "penalver"),
    ),
    "apostrophe": _people(
        ("Siobhán", "O'Brien", "siobhan", "obrien"), ("Patrick", "O'Neill", "patrick", "oneill"),
        ("Marco", "D'Angelo", "marco", "dangelo"), ("Aïcha", "N'Diaye", "aicha", "ndiaye"),
        ("Fiona", "O'Sullivan", "fiona", "osullivan"), ("Luca", "Dell'Acqua", "luca", "dellacqua"),
        ("Ciarán", "Mac Giolla Phádraig", "ciaran", "macgiollaphadraig"), ("D'Arcy", "Williams", "darcy", "williams"),
        ("Renée", "L'Heureux", "renee", "lheureux"), ("Keʻala", "Kahananui", "keala", "kahananui"),
    ),
    "hyphen": _people(
        ("Emma", "Smith-Jones", "emma", "smith-jones"), ("Jean-Pierre", "Dubois", "jean-pierre", "dubois"),
        ("Anna-Lena", "Schmidt-Weber", "anna-lena", "schmidt-weber"),
        ("Mary-Kate", "Lloyd-Davies", "mary-kate", "lloyd-davies"), ("Hans-Jürgen", "Becker", "hans-jurgen", "becker"),
        ("Ana-María", "López-Ortega", "ana-maria", "lopez-ortega"), ("Marie-Claire", "Roux", "marie-claire", "roux"),
        ("Tom", "Baker-Wright", "tom", "baker-wright"), ("Ewa", "Nowak-Kowalska", "ewa", "nowak-kowalska"),
    ),
    # Display names over 60 characters.
    "long": _people(
        ("Maria Fernanda Alejandra", "de la Santísima Trinidad Rodríguez-Villanueva", "maria", "rodriguez-villanueva"),
        ("Wolfgang Maximilian Alexander", "von und zu Hohenberg-Lichtenstein", "wolfgang", "hohenberg"),
        ("Venkata Subrahmanya Lakshmi", "Narasimha Chakravarthula Ramachandran", "venkata", "chakravarthula"),
        ("Anne-Sophie Charlotte Éléonore", "de Montmorency-Laval de la Rochefoucauld", "anne-sophie", "montmorency"),
        ("Keanuenue Kalanikupuaikalani", "Kawānanakoa-Kahanamoku Kealoha-Kalani", "keanuenue", "kealoha"),
        ("Oluwaseun Adebayo Oluwatobiloba", "Adeyemi-Ogunleye Babatunde-Olanrewaju", "oluwaseun", "adeyemi-ogunleye"),
    ),
    # Right-to-left scripts (logical order, as stored).
    "rtl": _people(
        ("محمد", "العلي", "mohammed", "alali"), ("فاطمة", "الزهراني", "fatima", "alzahrani"),
        ("נועה", "כהן", "noa", "cohen"), ("יוסי", "לוי", "yossi", "levi"), ("سارا", "رضایی", "sara", "rezaei"),
        ("عائشہ", "خان", "ayesha", "khan"), ("דניאל", "מזרחי", "daniel", "mizrahi"), ("علی", "حسینی", "ali", "hosseini"),
    ),
    # Chinese, Japanese and Korean names, displayed family name first.
    "cjk": _people(
        ("陽翔", "佐藤", "haruto", "sato", True), ("花子", "鈴木", "hanako", "suzuki", True),
        ("健太", "高橋", "kenta", "takahashi", True), ("伟", "张", "wei", "zhang", True),
        ("芳", "王", "fang", "wang", True), ("娜", "李", "na", "li", True), ("민준", "김", "minjun", "kim", True),
        ("서연", "이", "seoyeon", "lee", True), ("秀英", "陈", "xiuying", "chen", True),
    ),
    # Common names shared by two people (and, beyond the guaranteed pair, copies of earlier hires).
    "namesake": _people(
        ("John", "Smith", "john", "smith"), ("Maria", "Garcia", "maria", "garcia"), ("Anna", "Nowak", "anna", "nowak"),
        ("James", "Brown", "james", "brown"), ("Sarah", "Johnson", "sarah", "johnson"),
        ("Thomas", "Müller", "thomas", "muller"), ("Priya", "Patel", "priya", "patel"),
    ),
}
# A plus-addressed email (`jdoe+sso@…`) is a kind with no name of its own: the person comes from the pools.
KINDS: tuple[str, ...] = ("script", "diacritics", "apostrophe", "hyphen", "long", "plus", "namesake", "rtl", "cjk")
PLUS_TAGS: tuple[str, ...] = ("sso", "jumpcloud", "it", "okta")
EDGE_SHARES = {"none": 0.0, "default": 0.02, "heavy": 0.12}
GUARANTEE_BY = 20  # every kind among the first 20 hires (namesakes as a pair)


class Edge(NamedTuple):
    """What makes one hire an edge case: the kind, the person (None for `plus`) and the earlier twin if any."""

    kind: str
    person: EdgePerson | None
    twin_of: int = -1


def planted(seed: int, level: str) -> dict[int, Edge]:
    """Hire index -> guaranteed edge case: each kind once (namesakes twice) among hires 1..19, drawn from `seed`."""
    if level not in EDGE_SHARES:
        raise ValueError(f"edge level must be one of {', '.join(EDGE_SHARES)}, not {level!r}")
    if level == "none":
        return {}
    rng = random.Random(f"{seed}:edge-plan")
    slots = sorted(rng.sample(range(1, GUARANTEE_BY), len(KINDS) + 1))
    kinds = list(KINDS)
    rng.shuffle(kinds)
    # The namesake's twin takes the last slot, so it always comes after the first of the pair.
    first_namesake = slots[kinds.index("namesake")]
    out: dict[int, Edge] = {}
    for slot, kind in zip(slots, kinds, strict=False):
        out[slot] = Edge(kind, rng.choice(POOLS[kind]) if kind != "plus" else None)
    out[slots[-1]] = Edge("namesake", out[first_namesake].person, first_namesake)
    return out


def drawn(rng: random.Random, i: int, share: float) -> Edge | None:
    """A random edge case for hire `i` (not a planted one), or None: one draw from the hire's own stream."""
    if rng.random() >= share:
        return None
    kind = rng.choice(KINDS)
    if kind == "plus":
        return Edge(kind, None)
    if kind == "namesake" and i > 1:
        return Edge(kind, None, rng.randrange(1, i))  # the name of an earlier hire
    return Edge(kind, rng.choice(POOLS[kind]))
