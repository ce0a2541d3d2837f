"""The pusher's lifecycle under concurrency: one worker, atomic activation, kept settings, no spinning while paused."""

import threading
import time

import pytest

from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.pusher import settings as identity_management
from tests.loop.helpers import TOKEN
from tests.loop.helpers import Harness


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


def pusher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "jumpcloud-pusher" and t.is_alive()]


def test_concurrent_starts_run_exactly_one_worker(loop):
    loop.connect()
    loop.pusher.stop()
    before = len(pusher_threads())
    barrier = threading.Barrier(8)

    def start():
        barrier.wait()
        loop.pusher.start()

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pusher_threads()) == before + 1


def test_saving_without_update_method_or_delete_mode_keeps_the_stored_ones(loop):
    loop.connect(update_method="PATCH", delete_mode="delete")
    loop.pusher.configure(loop.app_id, base_url=loop.base_url)  # what the console's Save sends
    config = loop.pusher.idm.get(loop.app_id)
    assert (config["update_method"], config["delete_mode"]) == ("PATCH", "delete")


def test_the_first_sync_is_queued_in_the_transaction_that_activates(loop):
    loop.bind_all_groups()
    loop.pusher.configure(loop.app_id, base_url=loop.base_url, token=TOKEN, test_user_email="t@example.com")

    def crash(db):
        raise RuntimeError("the process dies before the reconcile commits")

    with pytest.raises(RuntimeError):
        loop.pusher.idm.activate(loop.app_id, on_active=crash)
    assert loop.pusher.idm.get(loop.app_id)["status"] != "active"


def test_settings_saved_during_the_connection_test_refuse_the_activation(loop, monkeypatch):
    loop.pusher.configure(loop.app_id, base_url=loop.base_url, token=TOKEN, test_user_email="t@example.com")
    real_test = identity_management.connection_test

    def test_while_an_admin_saves(client, email, config, steps, suffix):
        real_test(client, email, config, steps, suffix)
        loop.pusher.configure(loop.app_id, base_url=loop.base_url, token="another-token-0123456789")

    monkeypatch.setattr(identity_management, "connection_test", test_while_an_admin_saves)
    with pytest.raises(JumpCloudError, match="changed while the connection test ran"):
        loop.pusher.activate(loop.app_id)
    assert loop.pusher.idm.get(loop.app_id)["status"] == "configured"


def test_a_paused_app_sleeps_until_its_pause_ends_instead_of_spinning(loop):
    loop.connect()
    loop.pusher.stop()
    user_id = loop.directory.users_bound_to_app(loop.app_id)[0]["_id"]
    loop.directory.update_user(user_id, {"lastname": "Waiting"})
    loop.pusher.feed()
    loop.pusher._paused[loop.app_id] = time.time() + 3  # as after a 429 with Retry-After: 3
    assert loop.pusher.run_once() == 0
    assert loop.pusher._sleep_time() > 2


def test_deleting_the_application_drops_its_queued_work(loop):
    loop.connect()
    loop.pusher.stop()
    user_id = loop.directory.users_bound_to_app(loop.app_id)[0]["_id"]
    loop.directory.update_user(user_id, {"lastname": "NeverPushed"})
    loop.pusher.feed()
    assert loop.pusher.state.pending({loop.app_id}) == 1
    loop.directory.delete_app(loop.app_id)
    loop.pusher.feed()
    queued = loop.jc.store.read().execute("SELECT COUNT(*) FROM idm_queue WHERE app_id = ?", (loop.app_id,))
    assert queued.fetchone()[0] == 0


def test_waiting_for_idle_reads_the_failing_rows_once_for_its_answer(loop):
    from sim.faults import middleware as faults

    loop.connect()
    loop.wait()
    faults.set_faults(loop.sdm_app, ["503@* /provisioning/*"])
    loop.pusher.reconcile()
    reads = []
    failing = loop.pusher.state.failing
    loop.pusher.state.failing = lambda *a, **kw: reads.append(1) or failing(*a, **kw)  # a spy on the instance
    status = loop.pusher.wait_idle(0.5)
    assert not status["idle"] and status["pending"] > 0
    assert len(reads) == 1  # polled every 50 ms, it read 100 failing rows each time
    faults.clear_faults(loop.sdm_app)


def test_move_base_url_points_a_configuration_elsewhere_and_keeps_it_active(loop):
    loop.connect()
    old = loop.pusher.idm.get(loop.app_id)
    assert identity_management.move_base_url(loop.jc.store, old["base_url"], "http://127.0.0.1:9/scim/v2") == 1
    moved = loop.pusher.idm.get(loop.app_id)
    assert moved == {**old, "base_url": "http://127.0.0.1:9/scim/v2"}
    assert identity_management.move_base_url(loop.jc.store, "http://elsewhere/", "http://127.0.0.1:9/x") == 0
    with pytest.raises(JumpCloudError):
        identity_management.move_base_url(loop.jc.store, moved["base_url"], "ftp://nope")
    assert loop.pusher.idm.get(loop.app_id) == moved  # a bad URL changes nothing
