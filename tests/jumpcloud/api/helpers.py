"""Named helpers for the JumpCloud API tests."""

import datetime as dt
import threading


class SettableClock:
    """A clock that stands still until a test moves it (token expiry, scheduled jobs): no sleeping in tests."""

    def __init__(self, start: dt.datetime | None = None):
        self.t = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        self.lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self.lock:
            return self.t

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.t += dt.timedelta(seconds=seconds)


def v1_error(response, status: int) -> bool:
    """True if `response` is a v1 `ErrorDetails` body with this status."""
    body = response.json()
    return response.status_code == status and body.get("code") == status and "message" in body


def v2_error(response, status: int) -> bool:
    """True if `response` is a v2 `Error` body {code, message, status} with this status."""
    body = response.json()
    return response.status_code == status and set(body) == {"code", "message", "status"} and body["code"] == status
