"""How one app's SCIM receiver is doing, as the pusher sees it: retries follow the receiver, not the row.

Per-row exponential backoff alone lets the unluckiest row set the time: under 30% random 503s a row that
failed six times waits a minute while the receiver answers most requests. So (our policy; JumpCloud's is
undocumented):

- while the receiver answers most pushes (of the last `WINDOW`), a failed row was unlucky: it retries
  after about the recovery interval, whatever its attempts (the pusher's few workers bound the load);
- otherwise a transient failure's backoff exponent is the row's attempts, capped by the receiver's
  current streak of consecutive failures (a receiver that is down grows the streak);
- a success after failures is a recovery: every backed-off row of the app becomes due at once, but at
  most once per `gap`, and the gap doubles each time the receiver goes down again after a recovery (it
  answered nothing for a whole gap), halving back when a recovery holds, so a flapping receiver is not
  hammered (random failures among successes never look "down": successes keep coming);
- while rows wait and nothing succeeds, one row is tried early as a probe, after `gap`, then doubling.
"""

import threading
from collections import deque

WINDOW = 20  # recent pushes that say whether the receiver is mostly answering
MIN_SAMPLES = 5

class ReceiverHealth:
    """One app's receiver: failure streak, recovery gap and probe schedule (times are epoch seconds)."""

    def __init__(self, interval: float, cap: float):
        self.interval = interval
        self.cap = max(cap, interval)
        self.streak = 0
        self.recent: deque[bool] = deque(maxlen=WINDOW)  # True: the receiver answered the push
        self.failing_since: float | None = None  # the first failure since the last success
        self.gap = interval
        self.last_recovery = float("-inf")
        self.held = True  # no "down again" since the last recovery
        self.probe_at: float | None = None
        self.probe_gap = interval
        self._lock = threading.Lock()

    def exponent(self, attempts: int) -> int:
        """The backoff exponent for a row that failed `attempts` times before."""
        with self._lock:
            return min(attempts, self.streak)

    def answering(self) -> bool:
        """True when most of the receiver's recent pushes were answered (enough of them to say)."""
        with self._lock:
            return len(self.recent) >= MIN_SAMPLES and self.recent.count(False) * 2 < len(self.recent)

    def failed(self, now: float) -> None:
        """A transient failure (5xx, 408, no answer)."""
        with self._lock:
            self.streak += 1
            self.recent.append(False)
            if self.failing_since is None:
                self.failing_since = now
            # Down again after a recovery: nothing but failures for a whole gap (not a count: concurrent
            # workers see runs of random failures that say nothing about the receiver).
            if self.held and self.last_recovery > float("-inf") and now - self.failing_since >= self.gap:
                self.held = False
                self.gap = min(self.cap, self.gap * 2)
            if self.probe_at is None:
                self.probe_at = now + self.probe_gap

    def succeeded(self, now: float) -> bool:
        """A success; True when it is a recovery that should make the app's backed-off rows due now."""
        with self._lock:
            recovering = self.streak > 0
            self.recent.append(True)
            self.streak = 0
            self.failing_since = None
            self.probe_at = None
            self.probe_gap = self.interval
            if not recovering or now - self.last_recovery < self.gap:
                return False
            if self.held:
                self.gap = max(self.interval, self.gap / 2)
            self.held = True
            self.last_recovery = now
            return True

    def probe_due(self, now: float) -> bool:
        """True (once per probe gap, doubling) when a waiting row should be tried early."""
        with self._lock:
            if self.probe_at is None or now < self.probe_at:
                return False
            self.probe_gap = min(self.cap, self.probe_gap * 2)
            self.probe_at = now + self.probe_gap
            return True

    def next_probe(self) -> float | None:
        """When the next probe is due, if one is scheduled."""
        with self._lock:
            return self.probe_at


class Receivers:
    """The health of each app's receiver, made on first use."""

    def __init__(self, interval: float, cap: float):
        self.interval = interval
        self.cap = cap
        self._by_app: dict[str, ReceiverHealth] = {}
        self._lock = threading.Lock()

    def of(self, app_id: str) -> ReceiverHealth:
        """The app's receiver."""
        with self._lock:
            if app_id not in self._by_app:
                self._by_app[app_id] = ReceiverHealth(self.interval, self.cap)
            return self._by_app[app_id]

    def probes(self, apps: set[str]) -> list[float]:
        """When the next probes of these apps are due."""
        with self._lock:
            found = [h for a, h in self._by_app.items() if a in apps]
        return [t for t in (h.next_probe() for h in found) if t is not None]

    def known(self, app_id: str) -> ReceiverHealth | None:
        """The app's receiver if any push has reported on it."""
        with self._lock:
            return self._by_app.get(app_id)
