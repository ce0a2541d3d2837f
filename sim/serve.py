"""Run Flask apps on loopback ports in background threads: waitress by default, werkzeug's server as fallback.

waitress (https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html) keeps connections alive,
answers from a fixed pool of `threads` and holds idle connections in its event loop, not on threads; werkzeug's
development server closes every connection after one response and starts a thread per connection. `sim bench`
records the figures behind the choice (README, Benchmark).
"""

import errno
import functools
import io
import logging
import sys
import threading
import time

from werkzeug.serving import ThreadedWSGIServer
from werkzeug.serving import WSGIRequestHandler

from sim import config

try:
    from waitress.server import TcpWSGIServer
except ImportError:  # installed without its dependencies: werkzeug's server still serves
    TcpWSGIServer = None

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERVERS = ("waitress", "werkzeug")
# werkzeug's threaded server starts a thread per connection with no cap, and one that sends nothing holds its
# thread for good (2,000 idle connections made 2,015 threads). Past MAX_CONNECTIONS a new connection is closed
# at once; a connection silent for IDLE_SECONDS is closed. waitress gets the same two limits.
MAX_CONNECTIONS = 256
IDLE_SECONDS = 30.0
THREADS = 8


def default_server() -> str:
    """The server ServerThread uses when not told: SIM_SERVER, else waitress when installed, else werkzeug."""
    chosen = config.wsgi_server()
    if chosen:
        return chosen
    return "waitress" if TcpWSGIServer is not None else "werkzeug"


class BoundedBody:
    """WSGI wrapper: a body without Content-Length (chunked) is read up to `limit`; one byte more is a 413.

    werkzeug's server de-chunks the body and its `LimitedStream` then stops at MAX_CONTENT_LENGTH without
    saying so (https://werkzeug.palletsprojects.com, "get_input_stream": "the remaining contents of the stream
    cannot be read safely"), so a 3 MiB chunked POST arrived as its first 2 MiB and was accepted.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        if environ.get("CONTENT_LENGTH") or not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)
        stream = environ["wsgi.input"]
        body = bytearray()
        while len(body) <= self.limit:
            piece = stream.read(min(65536, self.limit + 1 - len(body)))
            if not piece:
                break
            body += piece
        if len(body) > self.limit:
            environ["wsgi.input"] = io.BytesIO()
            environ["CONTENT_LENGTH"] = str(self.limit + 1)  # the app's own 413, in its own error shape
        else:
            environ["wsgi.input"] = io.BytesIO(bytes(body))
            environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("wsgi.input_terminated", None)
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


class NoHopByHop:
    """WSGI wrapper for waitress: drops a `Connection` header the app sets (the truncate fault's close).

    PEP 3333 ("Other HTTP Features") forbids hop-by-hop headers from an application and waitress enforces it
    with an AssertionError; werkzeug passes them through. waitress closes the connection itself after a body
    shorter than its Content-Length, which is all the truncate fault needs.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def without_connection(status, headers, exc_info=None):
            return start_response(status, [(k, v) for k, v in headers if k.lower() != "connection"], exc_info)

        return self.app(environ, without_connection)


def body_limit(app) -> int | None:
    """The app's MAX_CONTENT_LENGTH, when it is a Flask app that has one."""
    limit = getattr(app, "config", {}).get("MAX_CONTENT_LENGTH")
    return int(limit) if limit else None


class BoundedThreadedServer(ThreadedWSGIServer):
    """werkzeug's thread-per-connection server with at most `max_connections` threads and an idle timeout."""

    def __init__(self, host: str, port: int, app, *, max_connections: int, idle_seconds: float):
        # socketserver.StreamRequestHandler applies `timeout` to the connection's socket; werkzeug's handler
        # treats a timed-out read as a dropped connection.
        handler = type("IdleTimeoutHandler", (WSGIRequestHandler,), {"timeout": idle_seconds})
        super().__init__(host, port, app, handler)
        self.slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address):
        """Serve on a new thread while a slot is free; otherwise close the connection (never block the loop)."""
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        """The connection's thread; its slot is freed when it ends."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


if TcpWSGIServer is not None:
    class CappedWaitress(TcpWSGIServer):
        """waitress with werkzeug's limits: past `max_connections` a new connection is closed at once (waitress
        itself would stop accepting and leave it waiting in the backlog), and one idle for `idle_seconds`
        (float, checked every loop turn) is closed."""

        def __init__(self, app, *, max_connections: int, idle_seconds: float, **adjustments):
            self.max_connections = max_connections
            super().__init__(app, **adjustments)
            # Adjustments parses these as whole seconds; set after, so tests may use a fraction of one.
            self.adj.channel_timeout = idle_seconds
            self.adj.cleanup_interval = min(idle_seconds, 1.0)
            self.adj.asyncore_loop_timeout = min(idle_seconds, 1.0)

        def readable(self):
            """Always accept (handle_accept enforces the cap); run the idle sweep on schedule."""
            now = time.time()
            if now >= self.next_channel_cleanup:
                self.next_channel_cleanup = now + self.adj.cleanup_interval
                self.maintenance(now)
            return self.accepting

        def handle_accept(self):
            """Accept; close the connection at once when `max_connections` are open already."""
            if len(self.active_channels) < self.max_connections:
                return super().handle_accept()
            try:
                accepted = self.accept()
            except OSError:
                return
            if accepted is not None:
                accepted[0].close()


class ServerThread:
    """One WSGI app served on host:port from a daemon thread; `port=0` picks a free port.

    `server="waitress"` (the default) serves from a pool of `threads` threads with keep-alive; `"werkzeug"` with
    a thread per connection; unset, `default_server()` decides. Either server holds at most `max_connections`
    connections and closes those idle for `idle_seconds`, and refuses a chunked body past the app's
    MAX_CONTENT_LENGTH (BoundedBody).
    """

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True,
                 server: str | None = None, threads: int = THREADS, max_connections: int = MAX_CONNECTIONS,
                 idle_seconds: float = IDLE_SECONDS):
        if host not in LOOPBACK:
            print(f"warning: binding to {host}, not loopback: anyone who can reach it can call the API",
                  file=sys.stderr)
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = server or default_server()
        if server not in SERVERS:
            raise ValueError(f"unknown server {server!r}; choose one of {', '.join(SERVERS)}")
        if server == "waitress" and TcpWSGIServer is None:
            raise ValueError("server 'waitress' is not installed (pip install waitress), or choose 'werkzeug'")
        self.app = app
        self.kind = server
        limit = body_limit(app)
        served = BoundedBody(app, limit) if limit else app
        if server == "waitress":
            if quiet:
                logging.getLogger("waitress").setLevel(logging.ERROR)
            try:
                # poll(), not select(): select() cannot watch a descriptor past 1024.
                self.server = CappedWaitress(NoHopByHop(served), max_connections=max_connections,
                                             idle_seconds=idle_seconds, host=host, port=port, threads=threads,
                                             ident="sim", asyncore_use_poll=True)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                # What werkzeug's server says and does (werkzeug.serving.make_server), so callers see one behaviour.
                print(f"Address already in use\nPort {port} is in use by another program. Either identify and stop "
                      "that program, or start the server with a different port.", file=sys.stderr)
                sys.exit(1)
            self.port = int(self.server.effective_port)
            run = self.server.run
        else:
            self.server = BoundedThreadedServer(host, port, served, max_connections=max_connections,
                                                idle_seconds=idle_seconds)
            self.server.daemon_threads = True
            self.port = self.server.server_port
            # A short poll makes stop() prompt (the default 0.5 s adds up across a test suite).
            run = functools.partial(self.server.serve_forever, poll_interval=0.05)
        self.host = host
        self._thread = threading.Thread(target=run, name=f"http-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        """The base URL clients use."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> "ServerThread":
        """Start serving; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self.kind == "waitress":
            # Close every socket from inside waitress's own loop thread (closing them from here races its
            # select()); an empty socket map then ends the loop.
            server = self.server

            def close_all():
                for dispatcher in list(server._map.values()):
                    dispatcher.close()

            try:
                alive = self._thread.is_alive()
                if alive:
                    server.trigger.pull_trigger(close_all)
                    self._thread.join(timeout=5)
            except OSError:  # the trigger's pipe is gone (its loop ended meanwhile): close from here
                alive = False
            if not alive:
                close_all()
            server.task_dispatcher.shutdown(timeout=5)
        else:
            self.server.shutdown()
            self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
