"""Run Flask apps on loopback ports in background threads (werkzeug's threaded server)."""

import logging
import sys
import threading

from werkzeug.serving import make_server

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ServerThread:
    """One WSGI app served on host:port from a daemon thread; `port=0` picks a free port."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True):
        if host not in LOOPBACK:
            print(f"warning: binding to {host}, not loopback: anyone who can reach it can call the API",
                  file=sys.stderr)
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.app = app
        self.server = make_server(host, port, app, threaded=True)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever, name=f"http-{self.port}", daemon=True)

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
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
