"""Snapshots for the pytest plugin: each distinct loop (or server) is built once per session, then copied per test.

The copy is page by page with SQLite's backup API (`sim.store.copy_database`), served on fresh loopback ports.
The first sync, the seeding and the console password hashes happened once, in the template; a copy starts from
exactly the state a freshly built one would have after its first sync, with its own files, so tests stay as
isolated as before.
"""

import copy
import os
from dataclasses import dataclass

from sim.store import copy_database

STATE_FILES = ("jumpcloud", "strongdm")


@dataclass(frozen=True)
class Template:
    """A stopped, synced state dir and the endpoints it was served with."""

    state_dir: str
    endpoints: dict


def copy_state(template: Template, state_dir: str) -> None:
    """Copy the template's state files into `state_dir` (which must hold none of them yet)."""
    os.makedirs(state_dir, exist_ok=True)
    for name in STATE_FILES:
        source = os.path.join(template.state_dir, f"{name}.sqlite3")
        if os.path.exists(source):
            copy_database(source, os.path.join(state_dir, f"{name}.sqlite3"))


def rebased(endpoints: dict, jumpcloud_url: str | None, strongdm_url: str | None) -> dict:
    """The template's endpoints with the copy's URLs (credentials unchanged: the copy holds the same ones)."""
    out = copy.deepcopy(endpoints)
    if jumpcloud_url is not None:
        out["jumpcloud"]["url"] = jumpcloud_url
    if strongdm_url is not None:
        out["strongdm"]["url"] = strongdm_url
        out["strongdm"]["scim_base_url"] = f"{strongdm_url}/provisioning/generic/v2"
    return out


def restore_loop(template: Template, state_dir: str, *, settings: dict, synchronous: str, make_directory=None):
    """Both apps over a copy of a synced loop, on fresh ports, the pusher pointed at the new receiver: a `Loop`.

    No connection test and no first sync: the copy holds the template's, against the same receiver state.
    Receiver faults in `settings` are in force from the start (there is no connection test to spare them).
    """
    from sim.jumpcloud import create_app as create_jumpcloud
    from sim.jumpcloud.pusher.settings import move_base_url
    from sim.run import runner
    from sim.run.up import Loop
    from sim.serve import ServerThread
    from sim.store import open_store
    from sim.strongdm import create_app as create_strongdm

    copy_state(template, state_dir)
    sdm_store = open_store(state_dir, "strongdm", synchronous=synchronous)
    sdm_server = ServerThread(create_strongdm(sdm_store, settings=settings)).start()
    endpoints = rebased(template.endpoints, None, sdm_server.url)
    jc_store = open_store(state_dir, "jumpcloud", synchronous=synchronous)
    move_base_url(jc_store, template.endpoints["strongdm"]["scim_base_url"], endpoints["strongdm"]["scim_base_url"])
    jc_server = ServerThread(create_jumpcloud(jc_store, settings=settings, make_directory=make_directory)).start()
    endpoints = rebased(endpoints, jc_server.url, None)
    runner.write_endpoints(state_dir, endpoints)
    return Loop(jc_server, sdm_server, endpoints, state_dir)


def restore_strongdm(template: Template, state_dir: str, *, settings: dict | None, synchronous: str):
    """The mock StrongDM over a copy of a template's state on a fresh port: a `ServerThread`."""
    from sim.serve import ServerThread
    from sim.store import open_store
    from sim.strongdm import create_app as create_strongdm

    copy_state(template, state_dir)
    store = open_store(state_dir, "strongdm", synchronous=synchronous)
    return ServerThread(create_strongdm(store, settings=settings)).start()


def restore_jumpcloud(template: Template, state_dir: str, *, settings: dict, synchronous: str, make_directory=None):
    """The mock JumpCloud over a copy of a template's state on a fresh port: a `ServerThread`."""
    from sim.jumpcloud import create_app as create_jumpcloud
    from sim.serve import ServerThread
    from sim.store import open_store

    copy_state(template, state_dir)
    store = open_store(state_dir, "jumpcloud", synchronous=synchronous)
    return ServerThread(create_jumpcloud(store, settings=settings, make_directory=make_directory)).start()
