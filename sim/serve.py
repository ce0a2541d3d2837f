"""Run Flask apps on loopback ports in background threads (werkzeug's threaded server, or waitress)."""

import functools
import logging
import sys
import threading

from werkzeug.serving import make_server

from sim import config

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERVERS = ("werkzeug", "waitress")


class ServerThread:
    """One WSGI app served on host:port from a daemon thread; `port=0` picks a free port.

    `server="waitress"` (optional dependency) serves with waitress's thread pool instead of a thread per
    connection; `sim bench --server` compares the two. Unset, the SIM_SERVER environment variable decides.
    """

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True,
                 server: str | None = None, threads: int = 8):
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
        if server == "waitress":
            from waitress.server import create_server

            if quiet:
                logging.getLogger("waitress").setLevel(logging.ERROR)
            self.server = create_server(app, host=host, port=port, threads=threads, ident="sim")
            self.port = self.server.effective_port
            run = self.server.run
        else:
            self.server = make_server(host, port, app, threaded=True)
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
