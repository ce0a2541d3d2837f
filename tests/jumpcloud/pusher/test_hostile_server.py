"""A hostile SCIM server cannot wedge the pusher: answers are capped, each request has a total deadline, and
stop() cuts requests in flight (issue #15, item 12)."""

import functools
import signal
import subprocess
import sys
import threading

import pytest

from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError
from sim.store import open_store
from sim.strongdm import create_app as strongdm_app
from tests.jumpcloud.pusher.helpers import HostileServer
from tests.jumpcloud.pusher.helpers import Trickler
from tests.jumpcloud.pusher.helpers import flood
from tests.jumpcloud.pusher.helpers import nested
from tests.jumpcloud.pusher.helpers import trickle
from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness
from tests.loop.helpers import Served


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


@pytest.mark.parametrize("hostile", [nested, functools.partial(nested, status="500 Internal Server Error")],
                         indirect=True, ids=["200", "500"])
def test_an_answer_nested_too_deep_is_a_failed_request_not_a_crash(hostile):
    recorded = []
    client = ScimClient(hostile.url, TOKEN, recorder=recorded.append)
    with pytest.raises(ScimClientError) as caught:
        client.find_users("ada@example.com")
    assert caught.value.status in (200, 500) and len(caught.value.detail) < 5000
    assert recorded and isinstance(recorded[0]["response_body"], str)  # kept as text, not parsed
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


def first_sync_lookup(environ) -> bool:
    """The first request of the first sync: a user lookup that is not the connection test's."""
    query = environ.get("QUERY_STRING", "")
    return "filter=" in query and "scim-test" not in query


def test_sigterm_stops_sim_jumpcloud_while_the_scim_server_trickles(tmp_path):
    receiver = strongdm_app(open_store(str(tmp_path / "sdm"), "strongdm", synchronous="OFF"), token=TOKEN)
    trickler = Trickler(receiver.wsgi_app, when=first_sync_lookup)
    receiver.wsgi_app = trickler
    served = Served(receiver).start()
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "jumpcloud", "--port", "0", "--state-dir", str(tmp_path / "jc"),
         "--users", "6", "--groups", "2", "--scim-url", f"{served.url}/provisioning/generic/v2",
         "--scim-token", TOKEN], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            if trickler.held or process.poll() is not None:
                break
            threading.Event().wait(0.05)
        assert trickler.held, process.stderr.read().decode() if process.poll() is not None else "no push reached it"
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)  # a bound, not a speed: unfixed, the process never exits
        except subprocess.TimeoutExpired:
            code = None
        assert code is not None, "sim jumpcloud did not stop on SIGTERM"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        trickler.release.set()
        served.stop()
