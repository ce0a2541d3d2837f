"""The receiver's health drives retries: a recovery makes backed-off rows due, bounded for a flapping receiver."""

from sim.jumpcloud.pusher.health import ReceiverHealth


def test_random_failures_keep_the_backoff_exponent_small():
    health = ReceiverHealth(0.5, 240)
    health.failed(0)
    assert health.exponent(9) == 1  # the row failed nine times, but the receiver is answering
    health.succeeded(1)
    assert health.exponent(9) == 0


def test_the_receiver_is_answering_while_most_recent_pushes_were_answered():
    health = ReceiverHealth(0.5, 240)
    for t in range(12):  # two good answers for each failure
        health.succeeded(t) if t % 3 else health.failed(t)
    health.failed(12.0)
    health.failed(12.1)  # the last unlucky row, failing again and again
    assert health.answering()
    for t in range(20):
        health.failed(13.0 + t)
    assert not health.answering()  # now it is the receiver


def test_a_receiver_that_is_down_grows_the_exponent_to_the_rows_attempts():
    health = ReceiverHealth(0.5, 240)
    for t in range(20):
        health.failed(t)
    assert health.exponent(6) == 6


def test_random_failures_among_successes_never_look_down():
    health = ReceiverHealth(0.5, 240)
    health.failed(0.0)
    assert health.succeeded(0.01)
    t = 1.0
    for _ in range(100):  # four workers: runs of six failures within 60 ms, then a success
        for _ in range(6):
            t += 0.01
            health.failed(t)
        t += 0.01
        health.succeeded(t)
    assert health.gap == 0.5


def test_a_success_after_failures_is_a_recovery_at_most_once_per_gap():
    health = ReceiverHealth(0.5, 240)
    health.failed(10.0)
    assert health.succeeded(10.1) is True
    health.failed(10.2)
    assert health.succeeded(10.3) is False  # inside the gap
    health.failed(10.4)
    assert health.succeeded(10.7) is True


def test_a_flapping_receiver_doubles_the_gap_and_a_recovery_that_holds_halves_it():
    health = ReceiverHealth(0.5, 240)
    now, gaps = 100.0, []
    for _ in range(5):  # up for a moment, then down again: nothing but failures for a whole gap
        health.failed(now)
        assert health.succeeded(now + health.gap)
        now += health.gap
        health.failed(now)
        now += health.gap
        health.failed(now)
        gaps.append(health.gap)
    assert gaps == [1.0, 2.0, 4.0, 8.0, 16.0]
    now += health.gap
    assert health.succeeded(now)  # this one holds: no down streak before the next
    health.failed(now + 16)
    assert health.succeeded(now + 16)
    assert health.gap == 8.0


def test_probes_come_after_the_gap_then_doubling_until_a_success():
    health = ReceiverHealth(0.5, 4)
    health.failed(0.0)
    assert not health.probe_due(0.2)
    assert health.probe_due(0.5)
    assert not health.probe_due(1.0)
    assert health.probe_due(1.5)  # then 2 s
    assert health.probe_due(3.5)  # then 4 s (the cap)
    assert not health.probe_due(7.0)
    assert health.probe_due(7.5)
    health.succeeded(8.0)
    assert health.next_probe() is None
