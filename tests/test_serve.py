"""Serving over real HTTP: a chunked body past the app's MAX_CONTENT_LENGTH is a 413, never cut and accepted;
connections are capped and idle ones closed."""

import http.client
import socket
import threading
import time

import pytest
from flask import Flask
from flask import request

from sim.serve import ServerThread

LIMIT = 1024


@pytest.fixture(scope="module")
def echo():
    """An app that answers with the length of the body it read."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT

    @app.post("/echo")
    def length():
        return {"length": len(request.get_data())}, 201

    with ServerThread(app) as server:
        yield server


def post_chunked(server, size: int, chunk: int = 100) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    body = (b"x" * min(chunk, size - i) for i in range(0, size, chunk))
    try:
        connection.request("POST", "/echo", body=body, encode_chunked=True,
                           headers={"Transfer-Encoding": "chunked", "Content-Type": "application/octet-stream"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_chunked_body_over_the_limit_is_refused_whole(echo):
    status, _ = post_chunked(echo, LIMIT * 3)
    assert status == 413


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(echo):
    status, body = post_chunked(echo, LIMIT)
    assert status == 201 and b'"length":1024' in body.replace(b" ", b"")


def test_a_body_with_a_content_length_over_the_limit_is_refused(echo):
    connection = http.client.HTTPConnection("127.0.0.1", echo.port, timeout=10)
    connection.request("POST", "/echo", body=b"x" * (LIMIT + 1))
    assert connection.getresponse().status == 413
    connection.close()


def idle_connection(server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def get_status(server) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", "/missing")
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_connection_that_sends_nothing_is_closed_by_the_server():
    with ServerThread(Flask(__name__), idle_seconds=0.2) as server:
        sock = idle_connection(server)
        try:
            assert sock.recv(1) == b""  # closed by the server (a client-side timeout would raise instead)
        finally:
            sock.close()


def test_past_the_connection_cap_a_new_connection_is_closed_and_served_again_once_one_frees_up():
    with ServerThread(Flask(__name__), max_connections=2, idle_seconds=30) as server:
        idle = [idle_connection(server) for _ in range(2)]
        extra = idle_connection(server)  # accepted after the two above, which hold both slots
        try:
            assert extra.recv(1) == b""
        finally:
            extra.close()
        for sock in idle:
            sock.close()
        for _ in range(100):  # the two threads end when they see their connections close
            try:
                if get_status(server) == 404:
                    break
            except (ConnectionError, http.client.HTTPException):
                time.sleep(0.05)
        else:
            raise AssertionError("the server never served again after the idle connections closed")


def test_many_idle_connections_hold_no_threads_and_a_request_is_still_served():
    """The hostile review held 2,000 idle connections on 2,015 threads: the default server answers from its fixed
    pool, so 300 silent connections add no thread, and a real request beside them is answered."""
    with ServerThread(Flask(__name__), max_connections=400) as server:
        get_status(server)  # the pool is up
        before = threading.active_count()
        idle = [idle_connection(server) for _ in range(300)]
        try:
            for _ in range(3):
                assert get_status(server) == 404
            assert threading.active_count() <= before
        finally:
            for sock in idle:
                sock.close()


def test_the_default_server_keeps_a_connection_alive_across_requests():
    with ServerThread(Flask(__name__)) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            for _ in range(3):
                connection.request("GET", "/missing")
                response = connection.getresponse()
                response.read()
                assert response.status == 404 and not response.will_close
        finally:
            connection.close()


def test_a_port_in_use_exits_with_the_reason_as_the_fallback_server_does(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stopped:
            ServerThread(Flask(__name__), port=port)
    assert stopped.value.code == 1
    assert f"Port {port} is in use by another program" in capsys.readouterr().err
