"""The rate limiter is told who is calling: it counts per the factory's `identify`, and never counts a request
`identify` does not recognise."""

from flask import Flask

from sim.faults import ratelimit


def counted_app(identify):
    app = Flask(__name__)
    app.add_url_rule("/w", "w", lambda: "ok", methods=["POST"])
    limiter = ratelimit.install(app, identify, writes=2, org_writes=3)
    return app, limiter


def test_requests_count_under_the_key_identify_returns_and_unknown_callers_are_not_counted():
    app, _ = counted_app(lambda environ: {"good": "caller-1"}.get(environ.get("HTTP_X_WHO")))
    client = app.test_client()
    assert [client.post("/w", headers={"X-Who": "junk"}).status_code for _ in range(10)] == [200] * 10
    assert [client.post("/w", headers={"X-Who": "good"}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_org_quota_counts_only_identified_callers():
    app, limiter = counted_app(lambda environ: environ.get("HTTP_X_WHO") or None)
    client = app.test_client()
    for _ in range(20):
        client.post("/w")
    assert [client.post("/w", headers={"X-Who": w}).status_code for w in ("a", "a", "b", "c")] == [200, 200, 200, 429]
