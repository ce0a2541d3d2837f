"""Fixtures for the fake directory tests: one mid-sized directory per module (generating one takes seconds)."""

import pytest

from sim.fake.directory import make_directory


@pytest.fixture(scope="module")
def directory():
    """A mid-sized directory with several offices and departments."""
    return make_directory(42, 600, 60)
