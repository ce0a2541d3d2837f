"""Creates whose outcome is unknown ("maybe created"): which failures leave the question open, and the lookup
that settles it.

A `POST /Users` that timed out, lost its connection, got a 5xx or 408, or whose 2xx answer was unreadable
may have been applied (RFC 7231 §4.2.2: POST is not idempotent, and a lost response says nothing about
the effect). When that user must then not exist or be active, the pusher looks the account up, by
`userName` and then by `externalId` (RFC 7644 §3.4.2.2), and deprovisions what it finds.
"""

from sim.jumpcloud.pusher.client import ScimClient
from sim.jumpcloud.pusher.client import ScimClientError

# What a PUT of a found account keeps when no POSTed body was recorded (a user found by the reconcile).
KEPT = ("schemas", "userName", "externalId", "name", "displayName", "emails", "title")


def outcome_unknown(exc: ScimClientError) -> bool:
    """A failed create that may nevertheless have been applied: no answer, 408, 5xx, or an unreadable 2xx."""
    status = exc.status
    return status is None or status == 408 or status >= 500 or 200 <= status < 300


def ours(resource: dict, external_id: str) -> bool:
    """An account we may have created: our externalId, or none at all (a provider that drops it)."""
    return resource.get("externalId") in (None, "", external_id)


def find_account(client: ScimClient, user_name: str | None, external_id: str) -> dict | None:
    """The provider's account for a JumpCloud user: by userName, then by externalId; None when there is none.

    A provider that refuses the externalId filter (400, e.g. StrongDM's profile: only `userName eq`) has
    answered by userName alone.
    """
    if user_name:
        for resource in client.find_users(user_name):
            if ours(resource, external_id):
                return resource
    try:
        found = client.find_users_by_external_id(external_id)
    except ScimClientError as exc:
        if exc.status in (400, 403, 501):
            return None
        raise
    return next((r for r in found if r.get("externalId") == external_id), None)


def base_payload(resource: dict) -> dict:
    """A found account as the body a deprovisioning PUT starts from (server-side attributes dropped)."""
    return {k: resource[k] for k in KEPT if k in resource}
