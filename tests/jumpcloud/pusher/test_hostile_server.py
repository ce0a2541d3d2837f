"""A hostile SCIM server cannot wedge the pusher: answers are capped, each request has a total deadline, and
stop() cuts requests in flight (issue #15, item 12)."""

import functools
import threading

import pytest

from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError
from tests.jumpcloud.pusher.helpers import HostileServer
from tests.jumpcloud.pusher.helpers import Trickler
from tests.jumpcloud.pusher.helpers import flood
from tests.jumpcloud.pusher.helpers import trickle
from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness


@pytest.fixture
def hostile(request):
    server = HostileServer(request.param)
    yield server
    server.stop()


@pytest.mark.parametrize("hostile", [trickle], indirect=True)
def test_a_server_trickling_its_headers_is_cut_off_at_the_request_deadline(hostile):
    # Each byte arrives well inside the read timeout: only a deadline on the whole request ends it.
    client = ScimClient(hostile.url, TOKEN, timeout=5.0, deadline=1.0)
    with pytest.raises(ScimClientError) as caught:
        client.find_users("ada@example.com")
    assert caught.value.status is None
    assert "no complete answer within 1s" in caught.value.detail
    client.close()


@pytest.mark.parametrize("hostile", [flood, functools.partial(flood, declared=True)], indirect=True,
                         ids=["chunked", "content-length"])
def test_an_oversized_answer_is_refused_without_reading_it_all(hostile):
    client = ScimClient(hostile.url, TOKEN, max_response=1024 * 1024)
    with pytest.raises(ScimClientError) as caught:
        client.find_users("ada@example.com")
    assert "refused" in caught.value.detail
    assert hostile.sent < 50 * 1024 * 1024  # the client hung up long before the 50 MB were sent
    client.close()


def test_stop_cuts_a_request_the_server_trickles_forever_and_keeps_the_row(tmp_path):
    trickler = None

    def wrap(app):
        nonlocal trickler
        trickler = Trickler(app)
        return trickler

    loop = Harness(state_dir=str(tmp_path), wrap=wrap)
    try:
        loop.connect()
        trickler.on.set()
        loop.new_user("held@example.com")
        loop.directory.change_membership(loop.directory.bound_group_ids(loop.app_id)[0], "add",
                                         loop.directory.find_user(email="held@example.com")["_id"])
        for _ in range(400):
            if trickler.held:
                break
            threading.Event().wait(0.05)
        assert trickler.held, "the pusher never reached the trickling server"
        loop.pusher.stop()
        assert not [t for t in threading.enumerate() if t.name == "jumpcloud-pusher" and t.is_alive()]
        assert loop.pusher.status()["pending"] > 0  # nothing dropped: the cut row waits for the next start
    finally:
        trickler.release.set()
        loop.stop()
