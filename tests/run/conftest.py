"""Fixtures for tests/run: `start`, which runs `sim up`'s pair on tmp_path (small, free ports) and stops it after."""

import pytest

from sim.run import up
from tests.run.helpers import CACHED_DIRECTORY
from tests.run.helpers import SMALL


@pytest.fixture
def start(tmp_path):
    loops = []

    def start(**options):
        loop = up.start(state_dir=str(tmp_path), make_directory=CACHED_DIRECTORY, synchronous="NORMAL",
                        **{**SMALL, **options})
        loops.append(loop)
        return loop

    yield start
    for loop in loops:
        if not loop.jumpcloud.app.extensions["jumpcloud"].store._closed:
            loop.stop()
