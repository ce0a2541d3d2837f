"""Run the mock JumpCloud alone: open its state, seed it once, serve it on loopback."""

from sim.jumpcloud import create_app
from sim.jumpcloud.state import seed_if_empty
from sim.run.serving import serve_app
from sim.run.state.credentials import remember
from sim.run.state.credentials import remembered
from sim.store import open_store


def start_jumpcloud(state_dir: str | None, *, host: str = "127.0.0.1", port: int = 0, seed: int = 42,
                    users: int = 50, groups: int = 8, settings: dict | None = None,
                    previous: dict | None = None, make_directory=None, synchronous: str | None = None):
    """Serve JumpCloud; returns (server, credentials) where credentials carry the API key and admin login.

    API keys are stored hashed, so the key shown at seeding is kept in the state (sim.run.state.credentials);
    `previous` (an older endpoints.json) fills in for a state from before that.
    `make_directory` and `synchronous` are the seams of `create_app` and `open_store`.
    """
    store = open_store(state_dir, "jumpcloud", synchronous=synchronous)
    app = create_app(store, settings=settings, make_directory=make_directory)
    jc = app.extensions["jumpcloud"]
    seeded = seed_if_empty(jc, seed=seed, users=users, groups=groups)
    credentials = {**(previous or {}), **remembered(store)}
    if seeded:
        credentials.update(seeded)
    remember(store, **{k: credentials.get(k) for k in ("api_key", "admin")})
    credentials.update(org_id=jc.org.id, users=jc.directory.user_count(), seeded_now=bool(seeded))
    server = serve_app(app, host, port)
    credentials["url"] = server.url
    return server, credentials
