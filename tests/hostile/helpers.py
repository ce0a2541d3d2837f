"""Helpers for the hostile-input tests: the two apps with a little state, a state fingerprint, the corpus loader."""

import base64
import hashlib
import json
import re
from pathlib import Path

from sim.jumpcloud import create_app as create_jumpcloud
from sim.jumpcloud.state import seed_if_empty
from sim.store import Store
from sim.strongdm import create_app as create_strongdm

HERE = Path(__file__).parent
TOKEN = "hostile-test-token-0123456789abcdef"
CSRF = "hostile-test-csrf-token"
ADMIN = ("admin@strongdm.test", "hostile admin password")
# `⟦text×n⟧` in a corpus string stands for `text` repeated n times (keeps the data files small).
REPEAT = re.compile(r"⟦(.*?)×(\d+)⟧", re.S)
SCIM = "/provisioning/generic/v2"
# Tables that log what happened rather than hold state (a refused request may still be logged there).
LOG_TABLES = {"faults_log"}


class Apps:
    """Both apps over temporary stores, each with a user and a group, and the credentials to call them."""

    def __init__(self):
        self.strongdm = create_strongdm(Store(None, synchronous="OFF"), token=TOKEN)
        self.admin_id = self.strongdm.extensions["strongdm"].ensure_admin(*ADMIN)["id"]
        self.jumpcloud = create_jumpcloud(Store(None, synchronous="OFF"))
        seeded = seed_if_empty(self.jumpcloud.extensions["jumpcloud"], seed=5, users=4, groups=2)
        self.api_key = seeded["api_key"]
        self.jc_admin = seeded["admin"]
        client = self.strongdm.test_client()
        auth = {"Authorization": f"Bearer {TOKEN}"}
        user = client.post(f"{SCIM}/Users", headers=auth, json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada@example.test",
            "name": {"givenName": "Ada", "familyName": "Lovelace"}}).json
        group = client.post(f"{SCIM}/Groups", headers=auth, json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering",
            "members": [{"value": user["id"]}]}).json
        self.ids = {"user_id": user["id"], "group_id": group["id"], "admin_id": self.admin_id,
                    "jc_user_id": _first_id(self.jumpcloud, "/api/systemusers", self.api_key),
                    "jc_group_id": _first_id(self.jumpcloud, "/api/v2/usergroups", self.api_key),
                    "jc_reader_key": self._reader_key()}

    def _reader_key(self) -> str:
        org = self.jumpcloud.extensions["jumpcloud"].org
        return org.create_api_key(org.create_admin("reader@example.test", "reader password", role="Read Only")["_id"])

    def console_user(self, name: str) -> str:
        """The id a console session of app `name` signs in as: its Administrator."""
        if name == "strongdm":
            return self.admin_id
        org = self.jumpcloud.extensions["jumpcloud"].org
        return next(a["_id"] for a in org.admins() if a["email"] == self.jc_admin["email"])

    def app(self, name: str):
        """The Flask app called `name` ("strongdm" or "jumpcloud")."""
        return {"strongdm": self.strongdm, "jumpcloud": self.jumpcloud}[name]

    def credentials(self, name: str) -> dict:
        """The headers that authenticate to an app's API."""
        return {"Authorization": f"Bearer {TOKEN}"} if name == "strongdm" else {"x-api-key": self.api_key}

    def close(self):
        """Delete the temporary stores."""
        for app in (self.strongdm, self.jumpcloud):
            for ext in ("strongdm", "jumpcloud"):
                if ext in app.extensions:
                    app.extensions[ext].store.close()


def _first_id(app, path: str, key: str) -> str:
    body = app.test_client().get(path, headers={"x-api-key": key}).json
    items = body["results"] if isinstance(body, dict) else body
    return items[0].get("_id") or items[0]["id"]


def fingerprint(app) -> str:
    """A digest of every state table of an app's store (log tables aside)."""
    ext = app.extensions.get("strongdm") or app.extensions.get("jumpcloud")
    db = ext.store.read()
    digest = hashlib.sha256()
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        if table in LOG_TABLES:
            continue
        digest.update(table.encode())
        for row in db.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def expand(value):
    """Expand `⟦text×n⟧` markers in every string of a case."""
    if isinstance(value, str):
        return REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), value)
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        return {expand(k): expand(v) for k, v in value.items()}
    return value


def load_cases() -> list[dict]:
    """Every case of every corpus file under tests/hostile/, each tagged with its file."""
    cases = []
    for path in sorted(HERE.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append({**case, "file": path.stem})
    return cases


def request_kwargs(case: dict, ids: dict) -> dict:
    """Turn a case into Flask test client keyword arguments (body as JSON, text, base64 or a generated blob)."""
    path = case["path"].format(**ids)
    headers = {k: v.format(**ids) if "{" in v else v for k, v in case.get("headers", {}).items()}
    kwargs = {"method": case["method"], "path": path, "headers": headers}
    if "json" in case:
        kwargs["data"] = json.dumps(case["json"]).encode()
        kwargs["headers"].setdefault("Content-Type", "application/json")
    elif "text" in case:
        kwargs["data"] = case["text"].encode("utf-8", "surrogatepass")
    elif "base64" in case:
        kwargs["data"] = base64.b64decode(case["base64"])
    elif "generate" in case:
        g = case["generate"]
        kwargs["data"] = (g.get("prefix", "") + g["repeat"] * g["times"] + g.get("suffix", "")).encode()
    elif "form" in case:
        kwargs["data"] = case["form"]
    if "query" in case:
        kwargs["query_string"] = case["query"]
    return kwargs


def status_matches(status: int, expect: str) -> bool:
    """`2xx`, `4xx`, `not5xx`, an exact code such as `413`, or alternatives `4xx|3xx`."""
    if "|" in expect:
        return any(status_matches(status, e) for e in expect.split("|"))
    if expect == "not5xx":
        return status < 500
    if expect.endswith("xx"):
        return status // 100 == int(expect[0])
    return status == int(expect)


def sign_in(app, client, user_id: str) -> None:
    """Give `client` a console session for `user_id` as a sign-in would: a live session id and a CSRF token."""
    sid = app.extensions["web_sessions"].open(user_id)
    with client.session_transaction() as session:
        session["uid"], session["sid"], session["csrf_token"] = user_id, sid, CSRF
