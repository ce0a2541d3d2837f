"""Who administers a StrongDM org, and the rule that one active Administrator always remains.

StrongDM documents the permission levels (Administrator, …; "Users", https://www.strongdm.com/docs/admin/users/)
but not what happens when the last Administrator is removed; refusing it is our assumption (README).
"""

from sim.scim.errors import ScimError

# "root-admin" is how an org's owner reads in the SDK.
ADMIN_LEVELS = frozenset({"admin", "root-admin"})


class LastAdministratorError(ScimError):
    """A change that would leave the org without an active Administrator (an assumed 409)."""

    status = 409

    def __init__(self, user: dict, verb: str):
        super().__init__(f"Cannot {verb} {user['email']}: it is the organization's last active Administrator. "
                         "Give another user the Administrator permission level first.")


def is_active_admin(user: dict) -> bool:
    """Able to sign in, with an Administrator level: what the org must always keep one of."""
    return not user.get("suspended") and user.get("permission_level") in ADMIN_LEVELS


def is_native_admin(user: dict) -> bool:
    """An Administrator made in StrongDM itself (Admin UI, SDK, `sim up`), not by a SCIM provider."""
    return not user.get("managed_by") and user.get("permission_level") in ADMIN_LEVELS
