"""How one app's SCIM receiver is doing, as the pusher sees it: retries follow the receiver, not the row.

Per-row exponential backoff alone lets the unluckiest row set the time: under 30% random 503s a row that
failed six times waits a minute while the receiver answers most requests. So (our policy; JumpCloud's is
undocumented):

- a transient failure's backoff exponent is the row's attempts, capped by the receiver's current streak
  of consecutive failures (a receiver that is down grows the streak; one that flaps randomly does not);
- a success after failures is a recovery: every backed-off row of the app becomes due at once, but at
  most once per `gap`, and the gap doubles each time the receiver goes down again (a streak of
  `DOWN_STREAK`) after a recovery, halving back when a recovery holds, so a flapping receiver is not hammered;
- while rows wait and nothing succeeds, one row is tried early as a probe, after `gap`, then doubling.
"""

import threading

DOWN_STREAK = 5  # consecutive transient failures that mean "down again", not bad luck


class ReceiverHealth:
    """One app's receiver: failure streak, recovery gap and probe schedule (times are epoch seconds)."""

    def __init__(self, interval: float, cap: float):
        self.interval = interval
        self.cap = max(cap, interval)
        self.streak = 0
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

    def failed(self, now: float) -> None:
        """A transient failure (5xx, 408, no answer)."""
        with self._lock:
            self.streak += 1
            if self.streak >= DOWN_STREAK and self.held and self.last_recovery > float("-inf"):
                self.held = False
                self.gap = min(self.cap, self.gap * 2)
            if self.probe_at is None:
                self.probe_at = now + self.probe_gap

    def succeeded(self, now: float) -> bool:
        """A success; True when it is a recovery that should make the app's backed-off rows due now."""
        with self._lock:
            recovering = self.streak > 0
            self.streak = 0
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
