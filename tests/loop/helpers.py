"""Helpers for the pusher and loop tests: both apps on loopback, a tiny second SCIM server, a faulty middleware."""

import functools
import json
import logging
import random
import threading
import uuid

from flask import Flask
from flask import jsonify
from flask import request
from werkzeug.serving import make_server

from sim.fake import directory as fake
from sim.jumpcloud import create_app as jumpcloud_app
from sim.store import open_store
from sim.strongdm import create_app as strongdm_app

TOKEN = "loop-test-token-0123456789abcdef"
FAST = {"PUSH_RETRY_BASE": 0.01, "PUSH_RETRY_CAP": 0.05, "PUSH_SEED": 7}


class Served:
    """A WSGI app on an ephemeral loopback port; stops within 20 ms (sim.serve polls every 0.5 s)."""

    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def start(self) -> "Served":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


@functools.lru_cache
def directory(seed: int, users: int, groups: int):
    """Generating costs most of a second; the directory object is only read when seeding."""
    return fake.make_directory(seed, users, groups)


class Harness:
    """JumpCloud (seeded) and a SCIM receiver (StrongDM unless `receiver` is given), both served on port 0."""

    def __init__(self, *, users: int = 12, groups: int = 3, seed: int = 7, state_dir=None, settings=None,
                 receiver=None, wrap=None):
        self.state_dir = state_dir
        self.sdm_app = None
        if receiver is None:
            self.sdm_app = strongdm_app(open_store(state_dir, "strongdm", synchronous="OFF"), token=TOKEN)
            receiver = self.sdm_app
            self.base_url_path = "/provisioning/generic/v2"
        else:
            self.base_url_path = ""
        if wrap is not None:
            receiver.wsgi_app = wrap(receiver.wsgi_app)
        self.receiver = receiver
        self.receiver_server = Served(receiver).start()
        self.settings = {**FAST, **(settings or {})}
        self._open_jumpcloud(seed, users, groups)

    def _open_jumpcloud(self, seed=7, users=12, groups=3):
        self.jc_app = jumpcloud_app(open_store(self.state_dir, "jumpcloud", synchronous="OFF"),
                                    settings=self.settings)
        self.jc = self.jc_app.extensions["jumpcloud"]
        if self.jc.is_empty():
            self.api_key = self.jc.seed(directory(seed, users, groups), {"password": "admin-password-1"})
        self.jc_server = Served(self.jc_app).start()
        self.pusher = self.jc.pusher
        self.directory = self.jc.directory
        self.app_id = self.directory.find_app("strongdm")["_id"]

    def restart_jumpcloud(self):
        """Stop JumpCloud (pusher, server, store) and open it again on the same state dir."""
        self.stop_jumpcloud()
        self._open_jumpcloud()

    def stop_jumpcloud(self):
        self.pusher.close()
        self.jc_server.stop()
        self.jc.store.close()

    @property
    def base_url(self) -> str:
        return self.receiver_server.url + self.base_url_path

    @property
    def sdm(self):
        return self.sdm_app.extensions["strongdm"]

    def bind_all_groups(self):
        for group_id in self.group_ids():
            if group_id not in self.directory.bound_ids(self.app_id, "user_group"):
                self.directory.change_binding(self.app_id, "add", "user_group", group_id)

    def group_ids(self) -> list[str]:
        return [r[0] for r in self.jc.store.read().execute("SELECT id FROM jc_groups ORDER BY id")]

    def connect(self, *, bind=True, token=TOKEN, **options):
        """Bind every group, configure Identity Management, activate and wait for the first sync."""
        if bind:
            self.bind_all_groups()
        options.setdefault("group_management", True)
        options.setdefault("test_user_email", "scim-test@example.com")
        self.pusher.configure(self.app_id, base_url=self.base_url, token=token, **options)
        self.pusher.activate(self.app_id)
        return self.wait()

    def wait(self, timeout: float = 60.0) -> dict:
        status = self.pusher.wait_idle(timeout)
        assert status["idle"], status
        return status

    def new_user(self, email: str, **fields) -> dict:
        local = email.split("@")[0]
        doc = {"username": local, "email": email, "firstname": "New", "lastname": "Person", **fields}
        return self.directory.create_user(doc)

    def events(self, event_type: str | None = None) -> list[dict]:
        rows = self.jc.store.read().execute("SELECT doc FROM di_events ORDER BY rowid").fetchall()
        docs = [json.loads(r[0]) for r in rows]
        return [d for d in docs if event_type is None or d["event_type"] == event_type]

    def stop(self):
        self.stop_jumpcloud()
        self.receiver_server.stop()
        if self.sdm_app is not None:
            self.sdm.store.close()

    # -- what should be and what is ------------------------------------------------------------------

    def expected(self) -> tuple[dict, dict]:
        """(email -> JumpCloud user) for users that must be active, and (group name -> member emails)."""
        active = {u["email"].lower(): u for u in self.directory.users_bound_to_app(self.app_id)
                  if u["state"] == "ACTIVATED" and u.get("firstname") and u.get("lastname")}
        by_id = {u["_id"]: e for e, u in active.items()}
        groups = {}
        for group in self.directory.groups_bound_to_app(self.app_id):
            members = {by_id[m] for m in group["members"] if m in by_id}
            groups[group["name"]] = members
        return active, groups

    def strongdm_state(self) -> tuple[dict, dict]:
        """(email -> StrongDM user) of SCIM-managed users, and (role name -> member emails)."""
        accounts = self.sdm.accounts
        users = {u["email"].lower(): u for u in accounts.all_users() if u.get("managed_by")}
        roles = {}
        for role in accounts.list_roles(0, 10_000):
            roles[role["name"]] = {user["email"].lower() for user, *_ in accounts.members(role["id"])}
        return users, roles

    def assert_converged(self):
        active, groups = self.expected()
        users, roles = self.strongdm_state()
        live = {e for e, u in users.items() if not u["suspended"]}
        assert live == set(active)
        for email, user in active.items():
            assert users[email]["external_id"] == user["_id"]
            assert (users[email]["first_name"], users[email]["last_name"]) == (user["firstname"], user["lastname"])
        for name, members in groups.items():
            if members or name in roles:
                assert roles.get(name) == members, name


class ScimDouble:
    """A small, standard SCIM 2.0 server (not our receiver) with switchable misbehaviour and a request log."""

    def __init__(self, *, int_ids=False, groups=True, user_delete=True, token=TOKEN):
        self.users: dict = {}
        self.groups: dict = {}
        self.log: list[tuple[str, str]] = []
        self.headers: dict = {}
        self.int_ids = int_ids
        self.fail: dict = {}  # (method, path prefix) -> (status, body)
        self.lock = threading.Lock()
        self.counter = 0
        app = self.app = Flask(__name__)

        @app.before_request
        def gate():
            self.log.append((request.method, request.path))
            self.headers = dict(request.headers)
            if request.headers.get("Authorization") != f"Bearer {token}":
                return scim_error(401, "Invalid bearer token")
            for (method, prefix), (status, body) in self.fail.items():
                if request.method == method and request.path.startswith(prefix):
                    return scim_error(status, body)
            if not groups and request.path.startswith("/Groups"):
                return scim_error(404, "Groups are not supported")
            if not user_delete and request.method == "DELETE" and request.path.startswith("/Users/"):
                return scim_error(405, "DELETE is not supported")
            return None

        @app.get("/Users")
        def list_users():
            return listing(self.users, "userName")

        @app.post("/Users")
        def create_user():
            body = request.get_json(force=True)
            if any(u["userName"].lower() == body["userName"].lower() for u in self.users.values()):
                return scim_error(409, "userName taken")
            return self._store(self.users, body), 201

        @app.put("/Users/<rid>")
        def put_user(rid):
            if rid not in self.users:
                return scim_error(404, "no such user")
            self.users[rid] = {**request.get_json(force=True), "id": self.users[rid]["id"]}
            return jsonify(self.users[rid])

        @app.patch("/Users/<rid>")
        def patch_user(rid):
            if rid not in self.users:
                return scim_error(404, "no such user")
            for op in request.get_json(force=True)["Operations"]:
                target = self.users[rid]
                path = op["path"]
                if path.startswith("name."):
                    target = target.setdefault("name", {})
                    path = path[5:]
                if op["op"] == "remove":
                    target.pop(path, None)
                else:
                    target[path] = op["value"]
            return jsonify(self.users[rid])

        @app.delete("/Users/<rid>")
        def delete_user(rid):
            if self.users.pop(rid, None) is None:
                return scim_error(404, "no such user")
            for group in self.groups.values():
                group["members"] = [m for m in group["members"] if m["value"] != rid]
            return "", 204

        @app.get("/Groups")
        def list_groups():
            return listing(self.groups, "displayName")

        @app.get("/Groups/<rid>")
        def get_group(rid):
            if rid not in self.groups:
                return scim_error(404, "no such group")
            return jsonify(self.groups[rid])

        @app.post("/Groups")
        def create_group():
            body = request.get_json(force=True)
            body.setdefault("members", [])
            return self._store(self.groups, body), 201

        @app.patch("/Groups/<rid>")
        def patch_group(rid):
            group = self.groups.get(rid)
            if group is None:
                return scim_error(404, "no such group")
            for op in request.get_json(force=True)["Operations"]:
                if op["path"] == "displayName":
                    group["displayName"] = op["value"]
                elif op["op"] == "add":
                    have = {m["value"] for m in group["members"]}
                    group["members"] += [{"value": v["value"]} for v in op["value"] if v["value"] not in have]
                elif op["op"] == "remove":
                    gone = {v["value"] for v in op["value"]}
                    group["members"] = [m for m in group["members"] if m["value"] not in gone]
            return "", 204

        @app.delete("/Groups/<rid>")
        def delete_group(rid):
            if self.groups.pop(rid, None) is None:
                return scim_error(404, "no such group")
            return "", 204

        def listing(collection, attribute):
            wanted = request.args.get("filter", "")
            found = list(collection.values())
            if wanted:
                name, op, value = wanted.split(" ", 2)
                assert name == attribute and op == "eq", wanted
                value = json.loads(value)
                found = [r for r in found if str(r.get(attribute, "")).lower() == value.lower()]
            return jsonify({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                            "totalResults": len(found), "Resources": found})

    def _store(self, collection, body):
        with self.lock:
            self.counter += 1
            rid = self.counter if self.int_ids else str(uuid.UUID(int=self.counter))
        collection[str(rid)] = {**body, "id": rid}
        return jsonify(collection[str(rid)])

    def user_by_name(self, user_name: str) -> dict | None:
        return next((u for u in self.users.values() if u["userName"].lower() == user_name.lower()), None)


def scim_error(status: int, detail: str):
    response = jsonify({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(status),
                        "detail": detail})
    response.status_code = status
    return response


class Flaky:
    """WSGI middleware failing a seeded share of SCIM requests: 503 before, 502 after the app ran, or 429."""

    def __init__(self, app, *, rate: float = 0.3, seed: int = 1):
        self.app = app
        self.rate = rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.injected = {"before": 0, "after": 0, "throttled": 0}

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith("/provisioning/"):
            return self.app(environ, start_response)
        with self.lock:
            draw, kind = self.rng.random(), self.rng.choice(["before", "after", "throttled"])
        if draw >= self.rate:
            return self.app(environ, start_response)
        self.injected[kind] += 1
        if kind == "after":  # the receiver applied the change but the answer is lost: the client must cope
            body = b"".join(self.app(environ, lambda *a, **k: None))
            del body
        status = "429 Too Many Requests" if kind == "throttled" else (
            "503 Service Unavailable" if kind == "before" else "502 Bad Gateway")
        headers = [("Content-Type", "application/scim+json")] + ([("Retry-After", "0")] if kind == "throttled" else [])
        start_response(status, headers)
        return [json.dumps({"detail": f"injected {kind}", "status": status[:3]}).encode()]
