"""A ring of the last N SCIM exchanges, redacted and with capped bodies, filterable by user or group.

Memory is bounded: at most `size` entries, each with at most `max_body` characters per body, `MAX_HEADERS`
headers of `MAX_HEADER_VALUE` characters and a filter index of bounded size; older entries fall off as new
ones arrive. Recording copies and caps; the index is built on the first filtered read.
"""

import datetime as dt
import itertools
import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from dataclasses import field

from sim.inspect.exchange import exchange

# Header values never shown (RFC 9110 §11.6.2 Authorization, RFC 6265 cookies, API keys): the name stays, so a
# reader still sees that a credential was sent, and the scheme, which tells Basic from Bearer.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
REDACTED = "[redacted]"
MAX_HEADERS = 30
MAX_HEADER_NAME = 100
MAX_HEADER_VALUE = 200
MAX_TERM = 200  # a filter value longer than any userName worth matching
MAX_RESOURCES = 40  # of a ListResponse, looked at for filter terms
MAX_TERMS = 32  # identifying values kept per exchange, each cut to MAX_TERM
MAX_MEMBERS = 1000  # member ids kept per Group exchange: the pusher sends at most 1000 per PATCH
MAX_ID = 64  # longer "ids" are no SCIM id a filter would follow (StrongDM's are 18 characters)
MEMBER_BUDGET = 20_000  # characters of member ids kept per exchange: a 1000-member PATCH of StrongDM ids fits
TERM_KEYS = ("id", "userName", "displayName", "externalId")


def redact_header(name: str, value: str) -> str:
    """A secret header's scheme word (`Bearer`, `Basic`) and REDACTED; other values capped."""
    if name.lower() not in SECRET_HEADERS:
        return value[:MAX_HEADER_VALUE]
    scheme, _, rest = value.strip().partition(" ")
    if rest and scheme.isalpha() and len(scheme) <= 20:
        return f"{scheme} {REDACTED}"
    return REDACTED


def redact_headers(headers: dict) -> dict:
    """The first MAX_HEADERS headers, secrets redacted."""
    items = itertools.islice(((str(k), str(v)) for k, v in (headers or {}).items()), MAX_HEADERS)
    return {name[:MAX_HEADER_NAME]: redact_header(name, value) for name, value in items}


def _capped(value, limit: int) -> tuple[str | None, int | None]:
    """(JSON text of the value, or of its first `limit` characters; original length when cut, else None)."""
    if value is None:
        return None, None
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if not isinstance(value, str) else None
    if text is not None and len(text) <= limit:
        return text, None
    raw = value if isinstance(value, str) else text
    if len(raw) <= limit:
        return json.dumps(raw, ensure_ascii=False), None
    # An ASCII marker: one "…" would store the whole kept text at two bytes a character.
    return json.dumps(raw[:limit] + " ...", ensure_ascii=False), len(raw)


def _strings(doc, keys=TERM_KEYS) -> set[str]:
    """Identifying values of a SCIM resource (or of a ListResponse's resources), lower-cased."""
    docs = doc.get("Resources") if isinstance(doc, dict) and isinstance(doc.get("Resources"), list) else [doc]
    out = set()
    for item in docs[:MAX_RESOURCES]:
        if not isinstance(item, dict):
            continue
        out.update(item[k].lower() for k in keys if isinstance(item.get(k), str))
        emails = item.get("emails") if isinstance(item.get("emails"), list) else []
        for email in emails[:MAX_TERMS]:
            if isinstance(email, dict) and isinstance(email.get("value"), str):
                out.add(email["value"].lower())
    return out


def _member_ids(body) -> set[str]:
    """User ids a Group body or PatchOp names as members (RFC 7644 §3.5.2: `members` values and filters)."""
    if not isinstance(body, dict):
        return set()
    values = []
    for op in [body, *(body.get("Operations") or [] if isinstance(body.get("Operations"), list) else [])]:
        if not isinstance(op, dict):
            continue
        for item in (op.get("members"), op.get("value")):
            if isinstance(item, list):
                values += [m.get("value") for m in item if isinstance(m, dict)]
            elif isinstance(item, dict) and isinstance(item.get("members"), list):
                values += [m.get("value") for m in item["members"] if isinstance(m, dict)]
        path = op.get("path")
        if isinstance(path, str) and '"' in path:  # members[value eq "a-1"]
            values.append(path.split('"')[1])
    out, budget = set(), MEMBER_BUDGET
    for value in values[:MAX_MEMBERS]:
        if isinstance(value, str) and len(value) <= MAX_ID and budget >= len(value):
            out.add(value.lower())
            budget -= len(value)
    return out


def _subject(path: str) -> tuple[str | None, str | None, str]:
    """(resource type `Users`/`Groups` or None, the path's resource id, the decoded query) of a SCIM path."""
    try:
        url = urllib.parse.urlsplit(path)
    except ValueError:  # "//[…" reads as a bad IPv6 host: nothing a filter could name
        return None, None, ""
    segments = [urllib.parse.unquote(s) for s in url.path.split("/") if s]
    for i, segment in enumerate(segments):
        if segment in ("Users", "Groups"):
            return segment, segments[i + 1] if i + 1 < len(segments) else None, urllib.parse.unquote(url.query)
    return None, None, urllib.parse.unquote(url.query)


@dataclass
class Index:
    """What the filters look at in one exchange, worked out on the first filtered read (recording stays cheap)."""

    kind: str | None  # "Users", "Groups" or None
    # One string each, values joined by newlines: a set of a thousand small strings costs five times their text.
    terms: str  # lower-cased identifying values
    members: str  # user ids a Group exchange names
    ids: frozenset  # ids of the resources the exchange is about (its path's, its answer's)


@dataclass
class Entry:
    """One exchange as the ring keeps it: JSON texts, not live objects, so nothing the caller mutates shows."""

    id: int
    at: float  # seconds since the epoch
    method: str
    path: str
    headers: dict
    body: str | None
    status: int | None
    response_body: str | None
    truncated: dict
    members: str | None = None  # a cut Group body's member ids, taken before the cut
    cached: Index | None = field(default=None, repr=False)

    @property
    def time(self) -> str:
        """When it was recorded, ISO 8601 UTC to the millisecond."""
        return _iso(self.at)

    def index(self) -> Index:
        """The filter index, from the kept bodies (a body cut to `max_body` names nothing but its members)."""
        if self.cached is None:  # two readers may both build it: the same value, so no lock
            self.cached = _index(self.path, _load(self.body), _load(self.response_body), self.members)
        return self.cached

    def to_dict(self) -> dict:
        """The exchanges.jsonl shape, with `id`, `time` and (when a body was cut) `truncated` added."""
        doc = exchange(self.method, self.path, self.headers, _load(self.body), self.status, _load(self.response_body))
        doc.update(id=self.id, time=self.time)
        if self.truncated:
            doc["truncated"] = dict(self.truncated)
        return doc


def _index(path: str, body, answer, members: str | None) -> Index:
    kind, path_id, query = _subject(path)
    if kind is None:
        return Index(None, "", "", frozenset())
    terms = _strings(body) | _strings(answer)
    ids = {path_id.lower()} if path_id and len(path_id) <= MAX_ID else set()
    ids |= {r["id"].lower() for r in _resources(answer) if isinstance(r.get("id"), str) and len(r["id"]) <= MAX_ID}
    terms |= ids
    if query:
        terms.add(query.lower())
    if members is None:
        members = "\n".join(sorted(_member_ids(body))) if kind == "Groups" else ""
    return Index(kind, "\n".join(_bounded(terms)), members, frozenset(_bounded(ids)))


def _load(text: str | None):
    return None if text is None else json.loads(text)


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ExchangeRing:
    """The last `size` exchanges (thread-safe); `record` takes one in the exchanges.jsonl shape."""

    def __init__(self, size: int = 500, max_body: int = 8192, *, clock=time.time):
        if size < 1 or max_body < 1:
            raise ValueError("the inspector needs a size and a body cap of 1 or more")
        self.size = size
        self.max_body = max_body
        self.clock = clock  # wall time, never a store's clock: reading a FixedClock would move an export's times
        self._entries: deque[Entry] = deque(maxlen=size)
        self._recorded = 0
        self._lock = threading.Lock()

    def __call__(self, doc: dict) -> None:
        """Record one exchange (a recorder for the pusher's SCIM client)."""
        self.record(doc)

    def record(self, doc: dict) -> None:
        """Keep a redacted, capped copy of `doc` (`method`, `path`, `headers`, `body`, `status`, `response_body`)."""
        body, body_cut = _capped(doc.get("body"), self.max_body)
        answer, answer_cut = _capped(doc.get("response_body"), self.max_body)
        path = str(doc.get("path") or "")[:2048]
        # A big membership PATCH is cut before the filters could read it: its member ids are taken now.
        members = "\n".join(sorted(_member_ids(doc.get("body")))) if body_cut and "/Groups" in path else None
        status = doc.get("status")
        truncated = {k: v for k, v in (("body", body_cut), ("response_body", answer_cut)) if v is not None}
        with self._lock:
            self._recorded += 1
            self._entries.append(Entry(self._recorded, self.clock(), str(doc.get("method") or "")[:16], path,
                                       redact_headers(doc.get("headers") or {}), body,
                                       status if isinstance(status, int) else None, answer, truncated, members))

    @property
    def recorded(self) -> int:
        """How many exchanges were recorded since start (the ring holds the last `size`)."""
        with self._lock:
            return self._recorded

    def select(self, *, user: str | None = None, group: str | None = None) -> list[Entry]:
        """The entries about `user` and `group` (case-insensitive substrings; None matches all), oldest first.

        A user matches the Users exchanges naming it (id, userName, externalId, displayName, emails, the filter of
        a lookup), those on an id one of them named (a PATCH of `active` names no userName), and the Groups
        exchanges that add or remove such an id as a member. A group matches likewise, by displayName or id.
        """
        with self._lock:
            entries = list(self._entries)
        if user:
            ids = _ids_of(entries, "Users", user)
            entries = [e for e in entries if _names(e, "Users", user) or _about(e, "Users", ids)
                       or (_is(e, "Groups") and e.index().members and not ids.isdisjoint(e.index().members.split("\n")))]
        if group:
            ids = _ids_of(entries, "Groups", group)
            entries = [e for e in entries if _names(e, "Groups", group) or _about(e, "Groups", ids)]
        return entries

    def page(self, *, user: str | None = None, group: str | None = None, offset: int = 0,
             limit: int = 50) -> tuple[list[dict], int]:
        """(one page of the matching exchanges newest first, as dicts; how many match)."""
        entries = self.select(user=user, group=group)
        newest = entries[::-1][offset:offset + limit]
        return [e.to_dict() for e in newest], len(entries)

    def clear(self) -> None:
        """Forget every exchange (ids keep counting)."""
        with self._lock:
            self._entries.clear()


def _bounded(values: set[str]) -> list[str]:
    """At most MAX_TERMS values of at most MAX_TERM characters: what a hostile body names cannot grow the ring."""
    return sorted({v[:MAX_TERM].replace("\n", " ") for v in sorted(values)[:MAX_TERMS]})


def _names(entry: Entry, kind: str, needle: str) -> bool:
    """True when `entry` is a `kind` exchange with `needle` in one of its identifying values."""
    needle = needle.lower()[:MAX_TERM]
    return _is(entry, kind) and needle.replace("\n", " ") in entry.index().terms


def _is(entry: Entry, kind: str) -> bool:
    return entry.index().kind == kind


def _about(entry: Entry, kind: str, ids: frozenset) -> bool:
    """True when `entry` is a `kind` exchange on one of `ids`."""
    return _is(entry, kind) and not ids.isdisjoint(entry.index().ids)


def _ids_of(entries: list[Entry], kind: str, needle: str) -> frozenset:
    """The resource ids of the `kind` exchanges naming `needle`."""
    return frozenset().union(*(e.index().ids for e in entries if _names(e, kind, needle)))


def _resources(doc) -> list[dict]:
    if isinstance(doc, dict) and isinstance(doc.get("Resources"), list):
        return [r for r in doc["Resources"][:MAX_RESOURCES] if isinstance(r, dict)]
    return [doc] if isinstance(doc, dict) else []
