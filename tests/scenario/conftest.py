"""Fixtures for the scenario tests: a small wired loop (both apps on loopback, first sync done, pusher running)."""

import pytest

from sim.export.fixtures import start_loop
from sim.export.fixtures import wait_for_sync


@pytest.fixture
def loop(tmp_path):
    """Seed 42, 30 users, 6 groups, synced; the pusher keeps running, as under `sim up`."""
    running = start_loop(str(tmp_path), seed=42, users=30, groups=6)
    wait_for_sync(running)
    running.jc.pusher.start()
    yield running
    running.stop()
