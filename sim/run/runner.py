"""Start apps on loopback, write endpoints.json, and block until Ctrl-C."""

import json
import os
import secrets
import signal
import threading

from sim.run.dotenv import write_env
from sim.run.preflight import check_ports
from sim.run.serving import serve_app
from sim.run.state.credentials import remember
from sim.run.state.credentials import remembered
from sim.run.state.private import write_private
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
    path = write_private(os.path.join(state_dir, "endpoints.json"), json.dumps(endpoints, indent=2, sort_keys=True)
                         + "\n")
    write_env(state_dir, endpoints)
    return path


def start_strongdm(state_dir: str | None, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                   profile: str = "strongdm", admin: dict | None = None, settings: dict | None = None,
                   synchronous: str | None = None, password: str | None = None):
    """Open StrongDM's state, make sure an admin exists, serve it; returns (server, admin credentials).

    The admin login is the one kept in the state (sim.run.state.credentials), else `admin` (a previous
    endpoints.json), else a new one; `password` fixes the password.
    """
    from sim.strongdm import create_app

    store = open_store(state_dir, "strongdm", synchronous=synchronous)
    app = create_app(store, profile=profile, token=token, settings=settings)
    sdm = app.extensions["strongdm"]
    admin = {**(admin or {}), **(remembered(store).get("admin") or {})}
    admin.setdefault("email", "admin@strongdm.example")
    if password:
        admin["password"] = password
    if not admin.get("password"):
        admin["password"] = secrets.token_urlsafe(12)
    sdm.ensure_admin(admin["email"], admin["password"])
    remember(store, admin=admin)
    server = serve_app(app, host, port)
    return server, admin


def serve_strongdm(state_dir: str, *, host: str, port: int, token: str | None, profile: str, grpc_port: int,
                   settings: dict | None = None):
    """`sim strongdm`: serve StrongDM and its SDK API, keeping admin and token in endpoints.json across restarts.

    Returns (server, SDK API server or None, the endpoints.json entry written for StrongDM).
    """
    from sim.strongdm.sdk.serve import sdk_available
    from sim.strongdm.sdk.serve import start_sdk_api

    check_ports(host, [(port, "--port"), (grpc_port if sdk_available() else None, "--grpc-port")])
    endpoints = read_endpoints(state_dir)
    previous = endpoints.get("strongdm", {})
    server, admin = start_strongdm(state_dir, host=host, port=port, token=token, profile=profile,
                                   admin=previous.get("admin"), settings=settings)
    store = server.app.extensions["strongdm"].store
    kept = remembered(store)
    scim_token = token or kept.get("scim_token") or previous.get("scim_token")
    if token:
        remember(store, scim_token=token)
    endpoints["strongdm"] = {"url": server.url, "scim_base_url": f"{server.url}/provisioning/generic/v2",
                             "scim_token": scim_token, "admin": admin}
    sdk = start_sdk_api(server.app.extensions["strongdm"], host, grpc_port,
                        previous={**previous, **kept.get("sdk", {})})
    if sdk:
        endpoints["strongdm"].update(sdk.endpoints())
        remember(store, sdk={k: v for k, v in sdk.endpoints().items() if k != "grpc"})
    write_endpoints(state_dir, endpoints)
    return server, sdk, endpoints["strongdm"]


def serve_jumpcloud(state_dir: str, *, host: str, port: int, seed: int, users: int, groups: int,
                    settings: dict | None = None):
    """`sim jumpcloud`: serve JumpCloud, seeded once, keeping its API key and admin in endpoints.json.

    Returns (server, credentials as written to endpoints.json, whether the directory was seeded now).
    """
    from sim.run.jumpcloud import start_jumpcloud

    check_ports(host, [(port, "--port")])
    endpoints = read_endpoints(state_dir)
    previous = endpoints.get("jumpcloud", {})
    server, creds = start_jumpcloud(state_dir, host=host, port=port, seed=seed, users=users, groups=groups,
                                    settings=settings,
                                    previous={k: previous[k] for k in ("api_key", "admin") if k in previous})
    seeded = creds.pop("seeded_now", False)
    endpoints["jumpcloud"] = creds
    write_endpoints(state_dir, endpoints)
    return server, creds, seeded
