"""Defaults for both apps, overridable with SIM_* environment variables."""

import os

DEFAULTS = {
    "HOST": "127.0.0.1",
    "JUMPCLOUD_PORT": 8400,
    "STRONGDM_PORT": 8401,
    "STATE_DIR": ".sim",
    "SEED": 42,
    "USERS": 50,
    "GROUPS": 8,
    # SCIM listing: the page size when `count` is absent, and the most we return in one page.
    "SCIM_DEFAULT_COUNT": 100,
    "SCIM_MAX_COUNT": 1000,
    # Largest request body either app reads; bigger ones get 413.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # StrongDM's org model: "groups" (orgs created on or after 2 October 2025: SCIM Groups become StrongDM Groups)
    # or "roles" (a legacy org: SCIM Groups become roles). Recorded in the state on first use.
    "STRONGDM_ORG_MODEL": "groups",
    # JumpCloud without an x-api-key: "401" (default), or "redirect" for the 302 -> /login one third party measured.
    "JUMPCLOUD_MISSING_KEY": "401",
}


def env_overrides(defaults: dict | None = None, prefix: str = "SIM_") -> dict:
    """Return the keys of `defaults` (DEFAULTS when None) overridden in the environment, with the default's type."""
    out = {}
    for key, default in (DEFAULTS if defaults is None else defaults).items():
        raw = os.environ.get(prefix + key)
        if raw is None:
            continue
        out[key] = type(default)(raw) if not isinstance(default, str) else raw
    return out


def settings(**overrides) -> dict:
    """DEFAULTS, then environment, then explicit overrides."""
    merged = dict(DEFAULTS)
    merged.update(env_overrides())
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return merged


def sqlite_synchronous() -> str | None:
    """SIM_SQLITE_SYNC: the `PRAGMA synchronous` of stores opened without one (None when unset or empty)."""
    return os.environ.get("SIM_SQLITE_SYNC") or None


def wsgi_server() -> str | None:
    """SIM_SERVER: the WSGI server `sim.serve.ServerThread` uses when not told (None when unset: it picks)."""
    return os.environ.get("SIM_SERVER") or None
