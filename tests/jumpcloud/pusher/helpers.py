"""Helpers for the pusher tests: a hostile SCIM server on a raw loopback socket."""

import socket
import threading
import time


class HostileServer:
    """Accepts connections and answers each request with `behaviour(conn)`: trickle, flood or silence."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.sent = 0  # bytes the behaviour managed to send
        self.requests = 0
        self.closing = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            try:
                conn.recv(65536)  # the request (small: headers and a SCIM body)
                self.requests += 1
                self.behaviour(self, conn)
            except OSError:
                pass  # the client hung up: what a guarded client does

    def send(self, conn, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def stop(self):
        self.closing.set()
        self.sock.close()


def trickle(server, conn, every: float = 0.2):
    """One byte of the status line and headers at a time, for far longer than any test runs."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Slow: " + b"z" * 10_000:
        if server.closing.is_set():
            return
        server.send(conn, bytes([byte]))
        time.sleep(every)


def flood(server, conn, size: int = 50 * 1024 * 1024, declared: bool = False):
    """A 200 whose JSON body is `size` bytes, chunked (or with its Content-Length when `declared`)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    block = b" " * 65536
    if declared:
        server.send(conn, head + f"Content-Length: {size}\r\n\r\n".encode())
        for _ in range(size // len(block)):
            server.send(conn, block)
        return
    server.send(conn, head + b"Transfer-Encoding: chunked\r\n\r\n")
    for _ in range(size // len(block)):
        server.send(conn, f"{len(block):x}\r\n".encode() + block + b"\r\n")
    server.send(conn, b"0\r\n\r\n")


def nested(server, conn, status: str = "200 OK", depth: int = 200_000):
    """An answer of `depth` open brackets: valid-looking JSON that would exhaust a recursive decoder."""
    body = b"[" * depth
    server.send(conn, f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                      "Connection: close\r\n\r\n".encode() + body)


class Trickler:
    """WSGI middleware: once `on` is set, SCIM requests get a 200 whose body trickles a byte every 0.5 s
    (inside any read timeout) until `release` is set."""

    def __init__(self, app, when=None):
        self.app = app
        self.when = when  # optional `when(environ)`: the first request it accepts turns trickling on
        self.on = threading.Event()
        self.release = threading.Event()
        self.held = 0

    def __call__(self, environ, start_response):
        if self.when is not None and not self.on.is_set() and self.when(environ):
            self.on.set()
        if not (self.on.is_set() and environ.get("PATH_INFO", "").startswith("/provisioning/")):
            return self.app(environ, start_response)
        self.held += 1
        start_response("200 OK", [("Content-Type", "application/scim+json")])
        return self._drip()

    def _drip(self):
        while not self.release.wait(0.5):
            yield b" "
        yield b"{}"
