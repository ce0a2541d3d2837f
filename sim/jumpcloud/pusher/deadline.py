"""A total time limit per SCIM request, and an abort for every request in flight.

`requests`' timeout bounds each socket read, not a request: a server that trickles one byte every
10 s never trips a 30 s read timeout. Each connection the client's pools make registers itself with a
`Watchdog` when a request starts on it; at the request's deadline (or on `abort_all()`, which the
pusher's stop calls) the watchdog shuts the socket down, and the blocked read returns at once.
"""

import socket
import threading
import time

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.connectionpool import HTTPSConnectionPool

IDLE_EXIT = 5.0  # seconds the watchdog thread waits for the next request before it exits


class Watchdog:
    """Deadlines of the requests in flight, by thread; one daemon thread enforces them while any is set."""

    def __init__(self):
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._connections: dict[int, object] = {}
        self._expired: set[int] = set()
        self._thread: threading.Thread | None = None
        self.aborting = False

    def begin(self, seconds: float) -> None:
        """The calling thread starts a request that must end within `seconds`."""
        me = threading.get_ident()
        with self._lock:
            when = time.monotonic() + seconds
            earliest = min(self._deadlines.values(), default=None)
            self._deadlines[me] = when
            self._expired.discard(me)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="scim-deadlines", daemon=True)
                self._thread.start()
            elif earliest is None or when < earliest:
                self._lock.notify_all()  # the watchdog sleeps past this deadline: wake it to reschedule

    def end(self) -> bool:
        """The calling thread's request is over; True if the watchdog cut it off."""
        me = threading.get_ident()
        with self._lock:
            self._deadlines.pop(me, None)
            self._connections.pop(me, None)
            expired = me in self._expired
            self._expired.discard(me)
            return expired

    def attach(self, connection) -> None:
        """A pooled connection is about to send the calling thread's request."""
        me = threading.get_ident()
        with self._lock:
            if me in self._deadlines:
                self._connections[me] = connection
            cut = self.aborting
        if cut:
            self._cut(connection)

    def abort_all(self) -> None:
        """Cut every request in flight now (they fail as lost connections); later requests are cut at once."""
        with self._lock:
            self.aborting = True
            victims = list(self._connections.items())
            self._expired.update(t for t, _ in victims)
        for _, connection in victims:
            self._cut(connection)

    def resume(self) -> None:
        """Allow requests again after `abort_all()`."""
        with self._lock:
            self.aborting = False

    @staticmethod
    def _cut(connection) -> None:
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

    def _run(self) -> None:
        with self._lock:
            while True:
                if not self._deadlines:
                    # Linger a while: a thread per request would cost more than the requests' own work.
                    self._lock.wait(IDLE_EXIT)
                    if not self._deadlines:
                        break
                now = time.monotonic()
                late = [t for t, when in self._deadlines.items() if when <= now and t not in self._expired]
                for thread in late:
                    self._expired.add(thread)
                    connection = self._connections.get(thread)
                    if connection is not None:
                        self._cut(connection)
                upcoming = [w for t, w in self._deadlines.items() if t not in self._expired]
                self._lock.wait(max(0.01, min(upcoming) - now) if upcoming else 0.5)
            self._thread = None


def guarded_adapter(watchdog: Watchdog, pool_size: int) -> HTTPAdapter:
    """An HTTPAdapter whose connections register with `watchdog` before each request."""

    class Connection(HTTPConnection):
        def request(self, *args, **kwargs):
            watchdog.attach(self)
            return super().request(*args, **kwargs)

    class SecureConnection(HTTPSConnection):
        def request(self, *args, **kwargs):
            watchdog.attach(self)
            return super().request(*args, **kwargs)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
    adapter.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}
    return adapter
