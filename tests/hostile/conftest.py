"""Fixtures for the hostile-input tests: both apps with a little state, once per module."""

import pytest

from tests.hostile.helpers import Apps


@pytest.fixture(scope="module")
def apps():
    apps = Apps()
    yield apps
    apps.close()
