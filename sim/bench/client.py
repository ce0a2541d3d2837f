"""The benchmark's HTTP client: keep-alive `http.client` connections, latency series and throughput runs.

One client for every figure and its floor, so the ratio between them measures the server alone.
`http.client` rather than `requests`: it costs the client process a fraction of the CPU per request,
which matters when client and server share two cores.
"""

import http.client
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

# A request as the load functions take it: (method, path, body bytes or None).
Request = tuple[str, str, bytes | None]


class Client:
    """One keep-alive HTTP/1.1 connection to `base_url`, sending fixed headers."""

    def __init__(self, base_url: str, headers: dict | None = None, timeout: float = 60.0):
        parts = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.headers = dict(headers or {})

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """Send one request and read the whole response; returns (status, body)."""
        headers = self.headers
        if body is not None:
            headers = {**headers, "Content-Type": "application/scim+json"}
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; values need not be sorted."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Latency:
    """Sequential requests on one connection: per-request seconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        """Median seconds per request."""
        return statistics.median(self.samples)

    @property
    def p90(self) -> float:
        """90th percentile seconds per request."""
        return percentile(self.samples, 90)

    def as_dict(self) -> dict:
        """Milliseconds, for the report."""
        return {"n": len(self.samples), "median_ms": self.median * 1000, "p90_ms": self.p90 * 1000,
                "mean_ms": statistics.fmean(self.samples) * 1000}


def latency(base_url: str, headers: dict, requests: list[Request], *, expect: int = 200,
            warmup: int = 20) -> Latency:
    """Time each request, one after another, on one keep-alive connection."""
    client = Client(base_url, headers)
    try:
        for method, path, body in requests[:warmup]:
            _check(client.call(method, path, body), expect, path)
        samples = []
        clock = time.perf_counter
        for method, path, body in requests:
            start = clock()
            status, data = client.call(method, path, body)
            samples.append(clock() - start)
            _check((status, data), expect, path)
        return Latency(samples)
    finally:
        client.close()


def throughput(base_url: str, headers: dict, make_request: Callable[[int], Request], total: int, clients: int,
               *, expect: int = 200) -> dict:
    """Send `total` requests from `clients` threads, each on its own keep-alive connection; requests/s."""
    counter = iter(range(total))
    lock = threading.Lock()
    errors: list[str] = []
    connections = [Client(base_url, headers) for _ in range(clients)]
    ready = threading.Barrier(clients + 1)

    def worker(client: Client) -> None:
        ready.wait()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            method, path, body = make_request(n)
            try:
                _check(client.call(method, path, body), expect, path)
            except Exception as exc:  # report, do not hang the other threads
                errors.append(str(exc))
                return

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in connections]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for c in connections:
        c.close()
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed: {errors[0]}")
    return {"requests": total, "clients": clients, "seconds": elapsed, "rps": total / elapsed}


def _check(result: tuple[int, bytes], expect: int, path: str) -> None:
    status, data = result
    if status != expect:
        raise RuntimeError(f"{path}: expected {expect}, got {status}: {data[:200]!r}")
