"""Directory Insights-style event log: one row per directory change or provisioning attempt.

Event names follow JumpCloud's DI catalogue where known (`user_create`, `user_update`, `user_delete`,
`group_create`, `group_update`, `group_delete`, `association_change`, `application_create|update|delete`,
and the pusher's `user_create_provision` etc.); `user_update` covers state changes, as the real
service reports suspension as a change of the `state`/`suspended` fields.
"""

import datetime as dt

from sim.jumpcloud.errors import BadRequestError
from sim.scim import wire
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

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
MAX_SEARCH_AFTER = 512  # characters of a search_after string; the pair is ~60
SERVICES = {"all", "directory", "sso", "radius", "systems", "ldap", "mdm", "password_manager",
            "software", "object_storage", "access_management", "alerts", "reports", "provisioning"}


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
            "version": "1",
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
              limit: int = DEFAULT_LIMIT, search_after=None, sort: str = "ASC") -> list[dict]:
        """Events in [start_time, end_time), by (timestamp, id); `search_after` is the last row's pair."""
        where = ["timestamp >= ?"]
        params: list = [start_time]
        if end_time:
            where.append("timestamp < ?")
            params.append(end_time)
        services = [s for s in service if s != "all"]
        if services and "all" not in service:
            where.append(f"service IN ({','.join('?' * len(services))})")
            params.extend(services)
        desc = sort.upper() == "DESC"
        if search_after:
            where.append(f"(timestamp, id) {'<' if desc else '>'} (?, ?)")
            params.extend(search_after)
        direction = "DESC" if desc else "ASC"
        rows = self.store.read().execute(
            f"SELECT doc FROM di_events WHERE {' AND '.join(where)} "
            f"ORDER BY timestamp {direction}, id {direction} LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [loads(r["doc"]) for r in rows]

    def for_application(self, app_id: str, *, limit: int = 50, offset: int = 0, failed_only: bool = False) -> list[dict]:
        """Newest first: an application's provisioning events and its Identity Management (de)activations."""
        failed = " AND json_extract(doc, '$.success') = 0" if failed_only else ""
        rows = self.store.read().execute(
            "SELECT doc FROM di_events WHERE (json_extract(doc, '$.application.id') = ?1 OR "
            "(event_type IN ('integration_activate', 'integration_deactivate') AND json_extract(doc, '$.resource.id') = ?1))"
            f"{failed} ORDER BY timestamp DESC, id DESC LIMIT ?2 OFFSET ?3", (app_id, limit, offset)).fetchall()
        return [loads(r["doc"]) for r in rows]


def parse_query(body) -> dict:
    """Validate a DI query body into `Insights.query` keyword arguments (400 on anything odd)."""
    if not isinstance(body, dict):
        raise BadRequestError("request body must be a JSON object")
    service = body.get("service")
    if service is None:
        raise BadRequestError("service is required")
    if isinstance(service, str):
        service = [service]
    if not isinstance(service, list) or not service or not all(isinstance(s, str) for s in service):
        raise BadRequestError("service must be a list of strings")
    unknown = [s for s in service if s not in SERVICES]
    if unknown:
        raise BadRequestError(f"invalid service: {unknown[0][:40]}")
    if not body.get("start_time"):
        raise BadRequestError("start_time is required")
    start_time = rfc3339(body["start_time"], "start_time")
    end_time = rfc3339(body["end_time"], "end_time") if body.get("end_time") is not None else None
    limit = body.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise BadRequestError(f"limit must be an integer from 1 to {MAX_LIMIT}")
    search_after = body.get("search_after")
    if isinstance(search_after, str):  # clients may echo the X-Search_after header verbatim
        # A [timestamp, id] pair is short: a long string is refused before parsing, as deep nesting would
        # exhaust the JSON decoder's recursion.
        if len(search_after) > MAX_SEARCH_AFTER:
            raise BadRequestError("search_after must be the [timestamp, id] pair from X-Search_after")
        try:
            search_after = wire.loads(search_after)
        except (ValueError, RecursionError):
            raise BadRequestError("search_after must be a list") from None
    if search_after is not None and (
        not isinstance(search_after, list) or len(search_after) != 2
        or not all(isinstance(v, str) for v in search_after)
    ):
        raise BadRequestError("search_after must be the [timestamp, id] pair from X-Search_after")
    sort = body.get("sort", "ASC")
    if not isinstance(sort, str) or sort.upper() not in ("ASC", "DESC"):
        raise BadRequestError("sort must be ASC or DESC")
    return {"service": service, "start_time": start_time, "end_time": end_time, "limit": limit,
            "search_after": search_after, "sort": sort}


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
