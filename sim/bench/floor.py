"""The floor every bench figure stands beside: a trivial route on the app itself, and the User body all post.

Shared by the server processes (`sim.bench.server`), the loop figure (`sim.bench.loop`) and the parent
(`sim.bench.run`), so it imports nothing of theirs.
"""

from flask import Response
from flask import request

from sim.scim.schemas import USER_URN

# Under /_sim, outside the Admin UI (no session, no CSRF check), as the control endpoints are.
FLOOR_PATH = "/_sim/bench-ping"
FLOOR_BODY = b'{"ok":true}'


def add_floor(app) -> None:
    """A trivial route on the app itself: same server, same Flask, same middleware; no work."""
    def ping():
        request.get_data()  # read the body as a real view would
        return Response(FLOOR_BODY, mimetype="application/json")

    app.add_url_rule(FLOOR_PATH, "bench_ping", ping, methods=["GET", "POST"])


def user_body(n: int, tag: str = "seed") -> dict:
    """A SCIM User like the one JumpCloud's pusher sends (RFC 7643 §4.1), numbered to stay unique."""
    email = f"{tag}.user{n:06d}@bench.example.com"
    return {
        "schemas": [USER_URN],
        "userName": email,
        "externalId": f"{tag}{n:020x}",
        "name": {"givenName": f"Given{n}", "familyName": f"Family{n}"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
