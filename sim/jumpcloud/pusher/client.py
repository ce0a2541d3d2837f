"""A plain SCIM 2.0 client (RFC 7644) over one keep-alive `requests.Session`: the pusher's only I/O.

Nothing here knows our receiver: only standard endpoints, filters and bodies are used, so the
pusher works against any SCIM 2.0 service provider.
"""

import datetime as dt
import email.utils
import json
import urllib.parse

import requests

from sim.inspect.exchange import decode_body
from sim.inspect.exchange import exchange
from sim.jumpcloud.pusher.deadline import Watchdog
from sim.jumpcloud.pusher.deadline import guarded_adapter
from sim.scim.messages import eq_filter
from sim.scim.messages import group_filter
from sim.scim.messages import patch_body
from sim.scim.messages import user_filter

# JumpCloud's real User-Agent and Content-Type are undocumented (its Custom SCIM Identity Management article
# names only the bearer token): both are settings.
DEFAULT_USER_AGENT = "JumpCloud-IdentityManagement/1.0 (jumpcloud-strongdm-sim)"
DEFAULT_CONTENT_TYPE = "application/scim+json"
MAX_DETAIL = 500
# A hostile or broken server must not take the pusher's memory or its workers (issue #15): answers larger
# than this are refused unread, and a request ends, whatever the server trickles, after its deadline.
DEFAULT_MAX_RESPONSE = 8 * 1024 * 1024
DEFAULT_DEADLINE = 60.0


class ScimClientError(Exception):
    """A failed SCIM request: HTTP status (None when the server was unreachable), `detail`, raw body."""

    def __init__(self, method: str, path: str, status: int | None, detail: str, body: str = "",
                 retry_after: float | None = None):
        super().__init__(f"{method} {path}: {status or 'no response'}: {detail}")
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        self.body = body
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Worth retrying: unreachable, 408, 429 or 5xx. Other 4xx wait until the object changes."""
        return self.status is None or self.status in (408, 429) or self.status >= 500


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def parse_json(text: str):
    """A receiver's JSON body; ValueError for anything that is not JSON, nesting too deep for the decoder included."""
    try:
        return json.loads(text)
    except RecursionError:  # a hostile server's `[[[[…`: not an answer, and not a reason to crash the worker
        raise ValueError("JSON nested too deep") from None


def error_detail(text: str) -> str:
    """The receiver's error `detail` (RFC 7644 §3.12), else the start of its body."""
    try:
        doc = parse_json(text)
    except ValueError:
        return text[:MAX_DETAIL]
    if isinstance(doc, dict):
        for key in ("detail", "message", "error"):
            if isinstance(doc.get(key), str) and doc[key]:
                return doc[key][:MAX_DETAIL]
    return text[:MAX_DETAIL]


class ScimClient:
    """One SCIM service provider at `base_url`, authenticated by a bearer token."""

    def __init__(self, base_url: str, token: str, *, user_agent: str = DEFAULT_USER_AGENT,
                 content_type: str = DEFAULT_CONTENT_TYPE, timeout: float = 30.0, pool_size: int = 8,
                 recorder=None, deadline: float = DEFAULT_DEADLINE, max_response: int = DEFAULT_MAX_RESPONSE):
        self.base_url = base_url
        # Optional `recorder(exchange)`, called after every request: `sim export` writes exchanges.jsonl from it.
        self.recorder = recorder
        self.timeout = timeout  # each connect and read
        self.deadline = max(0.001, deadline)  # the whole request, headers and body
        self.max_response = max_response
        self.watchdog = Watchdog()
        self.answers = 0  # responses that show the server working (2xx and 4xx but 408/429): the pusher's health
        self.session = requests.Session()
        adapter = guarded_adapter(self.watchdog, pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.trust_env = False  # a loopback receiver must not go through a proxy from the environment
        self.content_type = content_type  # sent only with a body
        # The headers we choose (not requests' own defaults, which vary by install); recorded without the token.
        self.public_headers = {"Accept": "application/scim+json, application/json", "User-Agent": user_agent}
        self.session.headers.update({"Authorization": f"Bearer {token}", **self.public_headers})

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def abort(self) -> None:
        """Cut every request in flight, and refuse new ones until `resume()` (the pusher is stopping)."""
        self.watchdog.abort_all()

    def resume(self) -> None:
        """Send requests again after `abort()`."""
        self.watchdog.resume()

    def request(self, method: str, path: str, body: dict | None = None, *, query: dict | None = None) -> tuple[int, dict | None]:
        """Send one request; (status, parsed JSON or None) on 2xx, else ScimClientError."""
        url = self.base_url + path
        if query:
            # %20, not '+', for spaces: some servers do not decode '+' in the query (RFC 3986 §3.4).
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = None if data is None else {"Content-Type": self.content_type}
        if self.watchdog.aborting:
            raise ScimClientError(method, path, None, "not sent: the pusher is stopping")
        self.watchdog.begin(self.deadline)
        cut = False
        try:
            try:
                response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout,
                                                allow_redirects=False, stream=True)
                try:
                    raw = self._read_body(method, path, response)
                finally:
                    response.close()
            finally:
                cut = self.watchdog.end()
        except requests.RequestException as exc:
            self._record(method, url, body, headers, None, None)
            raise ScimClientError(method, path, None, self._failure(exc, cut)) from None
        if cut:  # cut off as the last bytes arrived: the answer cannot be trusted whole
            self._record(method, url, body, headers, None, None)
            raise ScimClientError(method, path, None, self._failure(None, True))
        text = raw.decode(response.encoding or "utf-8", errors="replace")
        if response.status_code < 500 and response.status_code not in (408, 429):
            self.answers += 1  # a race between workers can lose a count: only "did it change" matters
        self._record(method, url, body, headers, response.status_code, text)
        if not 200 <= response.status_code < 300:
            raise ScimClientError(method, path, response.status_code, error_detail(text) or response.reason or "",
                                  text[:4000], retry_after_seconds(response.headers.get("Retry-After")))
        if not text.strip():
            return response.status_code, None
        try:
            doc = parse_json(text)
        except ValueError:
            raise ScimClientError(method, path, response.status_code, "response body is not JSON", text[:4000]) from None
        return response.status_code, doc if isinstance(doc, dict) else None

    def _read_body(self, method: str, path: str, response) -> bytes:
        """The body, refused once it passes `max_response` bytes (declared or read)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_response:
            raise ScimClientError(method, path, response.status_code,
                                  f"response of {int(declared)} bytes refused (limit {self.max_response})")
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_response:
                raise ScimClientError(method, path, response.status_code,
                                      f"response larger than {self.max_response} bytes refused")
            chunks.append(chunk)
        return b"".join(chunks)

    def _failure(self, exc, cut: bool) -> str:
        """Why a request got no usable answer."""
        if cut and self.watchdog.aborting:
            return "cut off: the pusher is stopping"
        if cut:
            return f"no complete answer within {self.deadline:g}s"
        if isinstance(exc, requests.Timeout):
            return f"no answer within {self.timeout:g}s"
        if isinstance(exc, requests.ConnectionError):
            return f"connection refused or lost: {type(exc).__name__}"
        return f"request failed: {type(exc).__name__}"

    def _record(self, method: str, url: str, body, headers, status: int | None, text: str | None) -> None:
        """Hand one exchange to the recorder: path relative to the base URL, never the Authorization header."""
        if self.recorder is None:
            return
        self.recorder(exchange(method, url[len(self.base_url):], {**self.public_headers, **(headers or {})}, body,
                               status, decode_body(text)))

    def _resource(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        """A request whose answer must be a resource with a string `id` (RFC 7643 §3.1): (status, resource)."""
        status, doc = self.request(method, path, body)
        if doc is None or "id" not in doc:
            raise ScimClientError(method, path, status, "the response has no resource id")
        if not isinstance(doc["id"], str):
            raise ScimClientError(method, path, status,
                                  f"the resource id is a {type(doc['id']).__name__}, not a string (RFC 7643 §3.1)")
        return status, doc

    def _search(self, resource: str, scim_filter: str) -> list[dict]:
        path = f"/{resource}"
        _, doc = self.request("GET", path, query={"filter": scim_filter})
        found = (doc or {}).get("Resources") or []
        if not isinstance(found, list):
            raise ScimClientError("GET", path, 200, "Resources is not a list")
        for item in found:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise ScimClientError("GET", path, 200, "a listed resource has no string id (RFC 7643 §3.1)")
        return found

    def find_users(self, user_name: str) -> list[dict]:
        """GET /Users?filter=userName eq "…"."""
        return self._search("Users", user_filter(user_name))

    def find_users_by_external_id(self, external_id: str) -> list[dict]:
        """GET /Users?filter=externalId eq "…" (RFC 7644 §3.4.2.2; a provider may refuse the filter with a 400)."""
        return self._search("Users", eq_filter("externalId", external_id))

    def create_user(self, body: dict) -> tuple[int, dict]:
        """POST /Users: (status, created resource)."""
        return self._resource("POST", "/Users", body)

    def replace_user(self, scim_id: str, body: dict) -> int:
        """PUT /Users/{id} with the full resource."""
        return self.request("PUT", f"/Users/{quote(scim_id)}", body)[0]

    def patch_user(self, scim_id: str, operations: list[dict]) -> int:
        """PATCH /Users/{id}."""
        return self.request("PATCH", f"/Users/{quote(scim_id)}", patch_body(operations))[0]

    def delete_user(self, scim_id: str) -> int:
        """DELETE /Users/{id}."""
        return self.request("DELETE", f"/Users/{quote(scim_id)}")[0]

    def find_groups(self, name: str) -> list[dict]:
        """GET /Groups?filter=displayName eq "…"."""
        return self._search("Groups", group_filter(name))

    def get_group(self, scim_id: str) -> dict:
        """GET /Groups/{id}."""
        _, doc = self.request("GET", f"/Groups/{quote(scim_id)}")
        return doc or {}

    def create_group(self, body: dict) -> tuple[int, dict]:
        """POST /Groups: (status, created resource)."""
        return self._resource("POST", "/Groups", body)

    def patch_group(self, scim_id: str, operations: list[dict]) -> int:
        """PATCH /Groups/{id}."""
        return self.request("PATCH", f"/Groups/{quote(scim_id)}", patch_body(operations))[0]

    def delete_group(self, scim_id: str) -> int:
        """DELETE /Groups/{id}."""
        return self.request("DELETE", f"/Groups/{quote(scim_id)}")[0]


def quote(scim_id: str) -> str:
    """A resource id as one path segment."""
    return urllib.parse.quote(scim_id, safe="")


def member_ids(group: dict) -> list[str]:
    """The member values of a SCIM Group resource (strings only)."""
    members = group.get("members") or []
    if not isinstance(members, list):
        return []
    return [m["value"] for m in members if isinstance(m, dict) and isinstance(m.get("value"), str)]
