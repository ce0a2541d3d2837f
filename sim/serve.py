"""Run Flask apps on loopback ports in background threads (werkzeug's threaded server, or waitress)."""

import functools
import io
import logging
import sys
import threading

from werkzeug.serving import ThreadedWSGIServer
from werkzeug.serving import WSGIRequestHandler

from sim import config

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERVERS = ("werkzeug", "waitress")
# werkzeug's threaded server starts a thread per connection with no cap, and one that sends nothing holds its
# thread for good (2,000 idle connections made 2,015 threads). Past MAX_CONNECTIONS a new connection is closed
# at once; a connection silent for IDLE_SECONDS is closed.
MAX_CONNECTIONS = 256
IDLE_SECONDS = 30.0


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


class ServerThread:
    """One WSGI app served on host:port from a daemon thread; `port=0` picks a free port.

    `server="waitress"` (optional dependency) serves with waitress's thread pool instead of a thread per
    connection; `sim bench --server` compares the two. Unset, the SIM_SERVER environment variable decides.
    werkzeug's server is capped at `max_connections` threads and closes connections idle for `idle_seconds`;
    either server refuses a chunked body past the app's MAX_CONTENT_LENGTH (BoundedBody).
    """

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True,
                 server: str | None = None, threads: int = 8, max_connections: int = MAX_CONNECTIONS,
                 idle_seconds: float = IDLE_SECONDS):
        if host not in LOOPBACK:
            print(f"warning: binding to {host}, not loopback: anyone who can reach it can call the API",
                  file=sys.stderr)
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = server or config.wsgi_server()
        if server not in SERVERS:
            raise ValueError(f"unknown server {server!r}; choose one of {', '.join(SERVERS)}")
        self.app = app
        self.kind = server
        limit = body_limit(app)
        served = BoundedBody(app, limit) if limit else app
        if server == "waitress":
            from waitress.server import create_server

            if quiet:
                logging.getLogger("waitress").setLevel(logging.ERROR)
            self.server = create_server(served, host=host, port=port, threads=threads, ident="sim")
            self.port = self.server.effective_port
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

            if self._thread.is_alive():
                server.trigger.pull_trigger(close_all)
                self._thread.join(timeout=5)
            else:
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
