"""Fixtures for the classroom tests: a small class of blank seats and its signed-in trainer page."""

import pytest

from sim.classroom.seats import start_classroom
from sim.classroom.trainer import create_trainer_app
from sim.run.serving import serve_app
from sim.store import open_store
from tests.classroom.helpers import TRAINER_PASSWORD
from tests.classroom.helpers import small_class


@pytest.fixture
def room(tmp_path):
    room = start_classroom(**small_class(tmp_path))
    yield room
    room.stop()


@pytest.fixture
def trainer(room, tmp_path):
    server = serve_app(create_trainer_app(room, open_store(str(tmp_path), "trainer"), TRAINER_PASSWORD),
                       "127.0.0.1", 0)
    yield server
    server.stop()
