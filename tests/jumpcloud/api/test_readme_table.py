"""The README's JumpCloud API table names every route the mock serves, and only those (its "no" row aside)."""

import re
from pathlib import Path

import pytest

from sim.jumpcloud import create_app
from tests.jumpcloud.api.helpers import route_key
from tests.jumpcloud.api.helpers import served_routes

README = Path(__file__).parents[3] / "README.md"
SPAN = re.compile(r"`([A-Z]+(?:/[A-Z]+)*) (/[^`?\s]*)[^`]*`")  # `GET/POST /api/x/{id}?targets=…`


def table_rows() -> list[tuple[str, str]]:
    """(endpoint cell, simulated cell) of every row of the table under "## The JumpCloud API"."""
    section = README.read_text().split("## The JumpCloud API", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 3 and cells[0] not in ("endpoint", "---"):
            rows.append((cells[0], cells[1]))
    return rows


def listed_routes() -> set[str]:
    """Route keys of every `METHOD[/METHOD…] /path` in the rows the table marks simulated."""
    keys = set()
    for endpoint, simulated in table_rows():
        if simulated != "no":
            for methods, path in SPAN.findall(endpoint):
                keys.update(route_key(m, path) for m in methods.split("/"))
    return keys


@pytest.fixture(scope="module")
def served():
    app = create_app()
    yield served_routes(app)
    app.extensions["jumpcloud"].pusher.stop()


def test_the_table_has_a_no_row_and_rows_that_name_routes():
    simulated = [s for _, s in table_rows()]
    assert simulated.count("no") == 1 and len(listed_routes()) > 40


def test_every_served_route_is_in_the_table(served):
    assert served - listed_routes() == set(), "served but not in the README's JumpCloud API table"


def test_every_route_in_the_table_is_served(served):
    assert listed_routes() - served == set(), "in the README's JumpCloud API table but not served"
