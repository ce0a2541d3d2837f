"""Start apps on loopback, write endpoints.json, and block until Ctrl-C."""

import json
import os
import secrets
import signal
import threading

from sim.run.dotenv import write_env
from sim.serve import ServerThread
from sim.store import open_store


def wait_for_interrupt() -> None:
    """Block until SIGINT or SIGTERM."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def read_endpoints(state_dir: str) -> dict:
    """The endpoints.json of a state dir, or {}."""
    path = os.path.join(state_dir, "endpoints.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def write_endpoints(state_dir: str, endpoints: dict) -> str:
    """Write endpoints.json and endpoints.env (mode 0600: they hold credentials); returns endpoints.json's path."""
    os.makedirs(state_dir, exist_ok=True)
    path = os.path.join(state_dir, "endpoints.json")
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(endpoints, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(path + ".tmp", path)
    write_env(state_dir, endpoints)
    return path


def start_strongdm(state_dir: str | None, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                   profile: str = "strongdm", admin: dict | None = None, settings: dict | None = None,
                   synchronous: str | None = None):
    """Open StrongDM's state, make sure an admin exists, serve it; returns (server, admin credentials)."""
    from sim.strongdm import create_app

    store = open_store(state_dir, "strongdm", synchronous=synchronous)
    app = create_app(store, profile=profile, token=token, settings=settings)
    sdm = app.extensions["strongdm"]
    admin = dict(admin or {})
    admin.setdefault("email", "admin@strongdm.example")
    admin.setdefault("password", secrets.token_urlsafe(12))
    sdm.ensure_admin(admin["email"], admin["password"])
    server = ServerThread(app, host, port).start()
    return server, admin


def serve_strongdm(state_dir: str, *, host: str, port: int, token: str | None, profile: str, grpc_port: int,
                   settings: dict | None = None):
    """`sim strongdm`: serve StrongDM and its SDK API, keeping admin and token in endpoints.json across restarts.

    Returns (server, SDK API server or None, the endpoints.json entry written for StrongDM).
    """
    from sim.strongdm.sdk.serve import start_sdk_api

    endpoints = read_endpoints(state_dir)
    previous = endpoints.get("strongdm", {})
    server, admin = start_strongdm(state_dir, host=host, port=port, token=token, profile=profile,
                                   admin=previous.get("admin"), settings=settings)
    endpoints["strongdm"] = {"url": server.url, "scim_base_url": f"{server.url}/provisioning/generic/v2",
                             "scim_token": token or previous.get("scim_token"), "admin": admin}
    sdk = start_sdk_api(server.app.extensions["strongdm"], host, grpc_port, previous=previous)
    endpoints["strongdm"].update(sdk.endpoints() if sdk else {})
    write_endpoints(state_dir, endpoints)
    return server, sdk, endpoints["strongdm"]


def serve_jumpcloud(state_dir: str, *, host: str, port: int, seed: int, users: int, groups: int,
                    settings: dict | None = None):
    """`sim jumpcloud`: serve JumpCloud, seeded once, keeping its API key and admin in endpoints.json.

    Returns (server, credentials as written to endpoints.json, whether the directory was seeded now).
    """
    from sim.run.jumpcloud import start_jumpcloud

    endpoints = read_endpoints(state_dir)
    previous = endpoints.get("jumpcloud", {})
    server, creds = start_jumpcloud(state_dir, host=host, port=port, seed=seed, users=users, groups=groups,
                                    settings=settings,
                                    previous={k: previous[k] for k in ("api_key", "admin") if k in previous})
    seeded = creds.pop("seeded_now", False)
    endpoints["jumpcloud"] = creds
    write_endpoints(state_dir, endpoints)
    return server, creds, seeded
