"""Directory Insights-style event log: one row per directory change or provisioning attempt, and its queries.

Event names follow the DI spec's "Event Types" tables (docs/new/api/insights/directory/index.yaml in
TheJumpCloud/jumpcloud-docs-public): `user_create`, `user_update`, `user_delete`, the state changes
`user_activated`, `user_suspended`, `user_unsuspended`, `group_*`, `association_change`, `application_*`, and the
pusher's `user_create_provision` etc. Documents carry `@version` "1" as the spec's example event does (its
attribute table says integer 1: medium confidence). The queries (`/events`, `/count`, `/distinct`, `/interval`)
take the spec's bodies; `search_term` is compiled to SQL here, the only module that reads `di_events`.
"""

import datetime as dt
import math
import re

from sim.jumpcloud.errors import BadRequestError
from sim.store import Store
from sim.store import dumps
from sim.store import iso
from sim.store import loads

DDL = """
CREATE TABLE IF NOT EXISTS di_events (
    id TEXT PRIMARY KEY,
    timestamp TEXT NOT NULL,
    service TEXT NOT NULL,
    event_type TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS di_events_time ON di_events(timestamp, id);
CREATE INDEX IF NOT EXISTS di_events_service_time ON di_events(service, timestamp, id);
"""

# Bounds on what one query may ask for (the service documents none; "extremely complex searches may result in
# HTTP 500 errors"): a refused query is a 400, never unbounded work.
DEFAULT_LIMIT = 1000  # rows per /events answer unless `limit` says otherwise (DI spec, "Row Size Limit")
MAX_TERMS = 100
MAX_TERM_VALUES = 1000
MAX_VALUE_LENGTH = 1024
MAX_BUCKETS = 10000
DISTINCT_BUCKETS = 100  # assumed: how many values /distinct returns (the rest are summed in sum_other_doc_count)
FIELD = re.compile(r"^@?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$")
STRING_OPERATORS = {"eq", "ne", "contains", "startsWith", "endsWith", "in", "not_in"}
ORDER_OPERATORS = {"lt": "<", "gt": ">", "lte": "<=", "gte": ">=", "before": "<", "after": ">"}
INTERVAL_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
MONDAY = 4 * 86400  # 1970-01-05, the first Monday after the epoch: weeks start on Mondays
STATE_FIELDS = frozenset({"state", "suspended", "activated"})
NO_TERMS = ("1", [])


class Insights:
    """The event log over one store; the directory writes events inside its own transactions."""

    def __init__(self, store: Store, org_id_source=None):
        self.store = store
        self._org_id_source = org_id_source or (lambda: store.get_meta("jumpcloud.org_id"))
        store.schema(DDL)

    def write(self, db, service: str, event_type: str, **fields) -> dict:
        """Insert one event on `db` (the caller's transaction) and return it."""
        event = {
            "id": self.store.new_hex("di_event", 24),
            "timestamp": fields.pop("timestamp", None) or self.store.now(),
            "service": service,
            "event_type": event_type,
            "organization": self._org_id_source(),
            "@version": "1",
            "success": fields.pop("success", True),
            "initiated_by": fields.pop("initiated_by", None) or {"type": "system"},
            "client_ip": fields.pop("client_ip", None),
        }
        event.update(fields)
        db.execute(
            "INSERT INTO di_events(id, timestamp, service, event_type, doc) VALUES (?, ?, ?, ?, ?)",
            (event["id"], event["timestamp"], service, event_type, dumps(event)),
        )
        return event

    def record_event(self, service: str, event_type: str, **fields) -> dict:
        """Record one event in its own transaction (the pusher's `user_create_provision` etc.)."""
        with self.store.write() as db:
            return self.write(db, service, event_type, **fields)

    def query(self, *, service=("all",), start_time: str, end_time: str | None = None,
              limit: int = DEFAULT_LIMIT, search_after=None, sort: str = "ASC", terms=NO_TERMS, skip: int = 0,
              fields=None) -> list[dict]:
        """Events in [start_time, end_time), by (timestamp, id); `search_after` is the last row's pair, `terms`
        a compiled `search_term`, `fields` the dotted paths each row keeps (all when None)."""
        where, params = scope(service, start_time, end_time, terms)
        desc = sort.upper() == "DESC"
        if search_after:
            where.append(f"(timestamp, id) {'<' if desc else '>'} (?, ?)")
            params.extend(search_after)
        direction = "DESC" if desc else "ASC"
        rows = self.store.read().execute(
            f"SELECT doc FROM di_events WHERE {' AND '.join(where)} "
            f"ORDER BY timestamp {direction}, id {direction} LIMIT ? OFFSET ?",
            [*params, limit, skip],
        ).fetchall()
        docs = [loads(r["doc"]) for r in rows]
        return [project(d, fields) for d in docs] if fields else docs

    def count(self, *, service=("all",), start_time: str, end_time: str | None = None, terms=NO_TERMS) -> int:
        """How many events the same query matches (paging and projection do not count)."""
        where, params = scope(service, start_time, end_time, terms)
        return self.store.read().execute(f"SELECT COUNT(*) FROM di_events WHERE {' AND '.join(where)}",
                                         params).fetchone()[0]

    def distinct(self, *, field: str, service=("all",), start_time: str, end_time: str | None = None,
                 terms=NO_TERMS) -> dict:
        """`/events/distinct`: the values of `field` with their counts, most frequent first (a terms aggregation)."""
        where, params = scope(service, start_time, end_time, terms)
        rows = self._distinct_rows(json_path(field), where, params)
        buckets = [{"key": r[0], "doc_count": r[1]} for r in rows[:DISTINCT_BUCKETS]]
        return {"buckets": buckets, "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": sum(r[1] for r in rows[DISTINCT_BUCKETS:])}

    def _distinct_rows(self, path: str, where: list[str], params: list) -> list:
        # JSON booleans read back as 1/0: keep them "true"/"false", as the stored document has them.
        key = ("CASE json_type(doc, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
               "ELSE CAST(json_extract(doc, ?) AS TEXT) END")
        return self.store.read().execute(
            f"SELECT {key} AS k, COUNT(*) AS n FROM di_events WHERE {' AND '.join(where)} "
            "AND json_type(doc, ?) NOT IN ('null') GROUP BY k ORDER BY n DESC, k ASC",
            [path, path, *params, path]).fetchall()

    def interval(self, *, interval_unit: str, interval_value: int = 1, timezone=dt.UTC, service=("all",),
                 start_time: str, end_time: str | None = None, terms=NO_TERMS) -> dict:
        """`/events/interval`: event counts per time bucket (a date histogram), empty buckets between filled."""
        where, params = scope(service, start_time, end_time, terms)
        stamps = [r[0] for r in self.store.read().execute(
            f"SELECT timestamp FROM di_events WHERE {' AND '.join(where)} ORDER BY timestamp", params)]
        return {"buckets": histogram(stamps, INTERVAL_SECONDS[interval_unit] * interval_value, interval_unit,
                                     timezone)}

    def for_application(self, app_id: str, *, limit: int = 50, offset: int = 0, failed_only: bool = False) -> list[dict]:
        """Newest first: an application's provisioning events and its Identity Management (de)activations."""
        failed = " AND json_extract(doc, '$.success') = 0" if failed_only else ""
        rows = self.store.read().execute(
            "SELECT doc FROM di_events WHERE (json_extract(doc, '$.application.id') = ?1 OR "
            "(event_type IN ('integration_activate', 'integration_deactivate') AND json_extract(doc, '$.resource.id') = ?1))"
            f"{failed} ORDER BY timestamp DESC, id DESC LIMIT ?2 OFFSET ?3", (app_id, limit, offset)).fetchall()
        return [loads(r["doc"]) for r in rows]


def scope(service, start_time: str, end_time: str | None, terms) -> tuple[list[str], list]:
    """The WHERE clauses every DI query shares: the time range, the services and the compiled search terms."""
    where = ["timestamp >= ?"]
    params: list = [start_time]
    if end_time:
        where.append("timestamp < ?")
        params.append(end_time)
    services = [s for s in service if s != "all"]
    if services and "all" not in service:
        where.append(f"service IN ({','.join('?' * len(services))})")
        params.extend(services)
    where.append(terms[0])
    params.extend(terms[1])
    return where, params


def json_path(field: str) -> str:
    """SQLite's JSON path for a validated dotted field name (`resource.type` -> `$."resource"."type"`)."""
    return "$" + "".join(f'."{part}"' for part in field.split("."))


def project(doc: dict, fields: list[str]) -> dict:
    """Only the dotted `fields` of an event document, nested as they are in it."""
    out: dict = {}
    for field in fields:
        node, parts = doc, field.split(".")
        for part in parts:
            node = node.get(part, KeyError) if isinstance(node, dict) else KeyError
            if node is KeyError:
                break
        if node is KeyError:
            continue
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = node
    return out


def user_state_events(changes: list[dict]) -> list[tuple[str, list[dict]]]:
    """The DI events of one change to a user: a state change gets its own type (`user_activated` from STAGED,
    `user_suspended`, `user_unsuspended`) with the state fields; other fields go in a `user_update`."""
    state = next((c for c in changes if c["field"] == "state"), None)
    kind = None
    if state is not None and state["to"] == "SUSPENDED":
        kind = "user_suspended"
    elif state is not None and state["to"] == "ACTIVATED":
        kind = "user_unsuspended" if state["from"] == "SUSPENDED" else "user_activated"
    if kind is None:
        return [("user_update", changes)] if changes else []
    rest = [c for c in changes if c["field"] not in STATE_FIELDS]
    return [(kind, [c for c in changes if c["field"] in STATE_FIELDS])] + ([("user_update", rest)] if rest else [])


def histogram(stamps: list[str], width: int, unit: str, tz) -> list[dict]:
    """Date-histogram buckets of `width` seconds in `tz` (weeks from Monday), from the first event's to the last's."""
    if not stamps:
        return []
    shift = MONDAY if unit == "w" else 0
    epoch = dt.datetime(1970, 1, 1)

    def local_floor(stamp: str) -> int:
        local = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(tz).replace(tzinfo=None)
        seconds = int((local - epoch).total_seconds())
        return (seconds - shift) // width * width + shift

    first, last = local_floor(stamps[0]), local_floor(stamps[-1])
    if (last - first) // width + 1 > MAX_BUCKETS:
        raise BadRequestError(f"the interval makes more than {MAX_BUCKETS} buckets; use a longer one or a shorter time range")
    counts: dict[int, int] = {}
    for stamp in stamps:
        start = local_floor(stamp)
        counts[start] = counts.get(start, 0) + 1
    buckets = []
    for start in range(first, last + 1, width):
        local = (epoch + dt.timedelta(seconds=start)).replace(tzinfo=tz)
        offset = local.strftime("%z")
        suffix = "Z" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
        buckets.append({"key": int(local.timestamp()) * 1000, "key_as_string": local.strftime("%Y-%m-%dT%H:%M:%S.000") + suffix,
                        "doc_count": counts.get(start, 0)})
    return buckets


def search_terms(search) -> tuple[str, list]:
    """Compile `search_term` {and: [...], or: [...], not: [...]} into SQL over the documents (all must hold).

    Each term is `{field: value}` (a list of values means any of them) or `{field, operator, value}` with the
    documented operators; string comparisons ignore case, as the service lowercases values on insert.
    """
    if search is None:
        return NO_TERMS
    if not isinstance(search, dict) or not set(search) <= {"and", "or", "not"}:
        raise BadRequestError("search_term must be an object with and, or, not lists")
    clauses, params, count = [], [], 0
    for name in ("and", "or", "not"):
        if name not in search:
            continue
        items = search[name]
        items = [{k: v} for k, v in items.items()] if isinstance(items, dict) else items
        if not isinstance(items, list) or not all(isinstance(t, dict) for t in items):
            raise BadRequestError(f"search_term.{name} must be a list of objects")
        compiled = []
        for item in items:
            for sql, values in term_clauses(item):
                count += 1
                if count > MAX_TERMS:
                    raise BadRequestError(f"search_term has more than {MAX_TERMS} terms")
                compiled.append(sql)
                params.extend(values)
        if compiled:
            joined = (" AND " if name == "and" else " OR ").join(f"({c})" for c in compiled)
            clauses.append(f"NOT ({joined})" if name == "not" else f"({joined})")
    return (" AND ".join(clauses) or "1"), params


def term_clauses(item: dict) -> list[tuple[str, list]]:
    """One search-term object as SQL conditions: the operator form, or one condition per field it names."""
    if "operator" in item or set(item) == {"field", "value"}:
        if not set(item) <= {"field", "operator", "value"}:
            raise BadRequestError("an operator search term has field, operator and value")
        return [condition(item.get("field"), item.get("operator", "in" if isinstance(item.get("value"), list)
                                                              else "eq"), item.get("value"))]
    return [condition(field, "in" if isinstance(value, list) else "eq", value) for field, value in item.items()]


def condition(field, operator, value) -> tuple[str, list]:
    """`field operator value` as one SQL condition on the document (400 for a bad field, operator or value)."""
    if not isinstance(field, str) or not FIELD.match(field):
        raise BadRequestError("a search term field must be a dotted event field name")
    if not isinstance(operator, str) or (operator not in STRING_OPERATORS and operator not in ORDER_OPERATORS):
        raise BadRequestError(f"unsupported search term operator: {str(operator)[:40]}")
    values = value if isinstance(value, list) else [value]
    if operator in ("in", "not_in") and not isinstance(value, list):
        raise BadRequestError(f"the {operator} operator takes a list of values")
    if not values or len(values) > MAX_TERM_VALUES:
        raise BadRequestError(f"a search term takes 1 to {MAX_TERM_VALUES} values")
    for v in values:
        if isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH:
            continue
        if isinstance(v, bool) or (isinstance(v, int | float) and math.isfinite(v)):
            continue
        raise BadRequestError(f"search term values are strings (at most {MAX_VALUE_LENGTH} characters), numbers or booleans")
    path, x = json_path(field), "json_extract(doc, ?)"
    if operator in ORDER_OPERATORS:
        if len(values) != 1 or isinstance(values[0], bool):
            raise BadRequestError(f"the {operator} operator takes one number or time")
        v = values[0]
        if operator in ("before", "after"):
            v = rfc3339(v, "a before/after value")
        return f"{x} {ORDER_OPERATORS[operator]} ?", [path, v]
    if operator in ("in", "not_in"):
        marks = ",".join("lower(?)" for _ in values)
        sql = f"lower({x}) IN ({marks})" if operator == "in" else f"({x} IS NULL OR lower({x}) NOT IN ({marks}))"
        return sql, [path, *([path] if operator == "not_in" else []), *values]
    v = values[0]
    if len(values) != 1:
        raise BadRequestError(f"the {operator} operator takes one value")
    if operator in ("contains", "startsWith", "endsWith") and not isinstance(v, str):
        raise BadRequestError(f"the {operator} operator takes a string")
    return {
        "eq": (f"lower({x}) = lower(?)", [path, v]),
        "ne": (f"({x} IS NULL OR lower({x}) != lower(?))", [path, path, v]),
        "contains": (f"instr(lower({x}), lower(?)) > 0", [path, v]),
        "startsWith": (f"substr(lower({x}), 1, length(?)) = lower(?)", [path, v, v]),
        "endsWith": (f"substr(lower({x}), -length(?)) = lower(?)", [path, v, v]),
    }[operator]


def rfc3339(value, name: str) -> str:
    """Normalise an RFC 3339 time to the stored form, so string order is time order."""
    if not isinstance(value, str):
        raise BadRequestError(f"{name} must be an RFC 3339 string")
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRequestError(f"{name} must be an RFC 3339 string") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    try:
        return iso(t)
    except (OverflowError, ValueError):  # e.g. year 1 with a positive offset falls before year 1 in UTC
        raise BadRequestError(f"{name} is out of range") from None
