"""Collection query parameters (limit, skip, sort, fields, filter, search) parsed into SQL fragments.

v1 (`/api`) takes `field:$op:value` filters (also `field:op:value`, which clients such as saltext send),
space- or comma-separated `sort`/`fields`, and `filter[n]` / `filter[or][n]`. v2 (`/api/v2`) takes
`field:op:value` with its own operator names and comma-separated `sort`/`fields`.
Field names are checked against a pattern and become JSON paths, so no input reaches SQL as text.
"""

import contextlib
import re
import sqlite3
import time
from dataclasses import dataclass
from dataclasses import field as dc_field

import regex

from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import InvalidFilterError
from sim.jumpcloud.errors import InvalidSortError

SQLITE_INT = 2**63

FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# `\|` escapes a literal bar inside a `|`-separated value list (v1 spec, filter description).
BAR_SPLIT = re.compile(r"(?<!\\)\|")

V1_OPS = {"$eq", "$ne", "$in", "$nin", "$lt", "$lte", "$gt", "$gte", "$sw", "$ew", "$co", "$nco"}
V1_BARE_OPS = {op[1:]: op for op in V1_OPS}
# v2 names (`ge`/`le`, `search`) mapped onto the same internal operators.
V2_OPS = {"eq": "$eq", "ne": "$ne", "gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte", "in": "$in",
          "search": "$co", "between": "between"}
SQL_CMP = {"$eq": "=", "$ne": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


@dataclass
class Space:
    """How one collection's fields map onto SQL: indexed columns, then JSON paths into `doc`."""

    columns: dict[str, str]
    booleans: frozenset = frozenset()
    integers: frozenset = frozenset()
    lowered: frozenset = frozenset()  # columns stored lower-cased: compare case-insensitively
    sortable: frozenset | None = None  # None: any valid field
    default_search: tuple = ()

    def expr(self, name: str) -> str:
        """The SQL expression for a field (an indexed column when there is one)."""
        if name in self.columns:
            return self.columns[name]
        if not FIELD_RE.match(name):
            raise InvalidFilterError(f"invalid field name: {name[:80]}")
        path = "$" + "".join(f'."{part}"' for part in name.split("."))
        return f"json_extract(doc, '{path}')"

    def value(self, name: str, raw):
        """Coerce a filter value to the field's stored type (JSON booleans are 1/0 in SQLite)."""
        if name in self.booleans:
            if raw in (True, False):
                return int(raw)
            if str(raw).lower() in ("true", "false"):
                return int(str(raw).lower() == "true")
            raise InvalidFilterError(f"{name} must be true or false")
        if name in self.integers:
            try:
                raw = int(raw)
            except (TypeError, ValueError, OverflowError):
                raise InvalidFilterError(f"{name} must be an integer") from None
        if isinstance(raw, int) and not isinstance(raw, bool) and not -SQLITE_INT <= raw < SQLITE_INT:
            raise InvalidFilterError(f"{name}: {str(raw)[:30]} is out of range")  # SQLite integers are 64-bit
        if isinstance(raw, float) and raw != raw:  # NaN never compares; refuse it rather than match nothing
            raise InvalidFilterError(f"{name}: NaN is not a value")
        if isinstance(raw, bool | int | float):
            return raw
        text = str(raw).replace("\\|", "|")
        return text.lower() if name in self.lowered else text


@dataclass
class Query:
    """A parsed list request: WHERE clauses (ANDed), ORDER BY, paging and projection."""

    where: list[str] = dc_field(default_factory=list)
    params: list = dc_field(default_factory=list)
    order: list[tuple[str, bool]] = dc_field(default_factory=list)
    limit: int = 10
    skip: int = 0
    fields: list[str] | None = None
    exclude: bool = False

    def add(self, sql_and_params: tuple[str, list]) -> None:
        """AND one more clause."""
        sql, params = sql_and_params
        self.where.append(sql)
        self.params.extend(params)

    def where_sql(self) -> str:
        """`WHERE …` or nothing."""
        return (" WHERE " + " AND ".join(f"({w})" for w in self.where)) if self.where else ""

    def order_sql(self, space: Space, tiebreak: str = "id") -> str:
        """`ORDER BY …` always ending on the primary key, so skip-paging is stable."""
        parts = [f"{space.expr(name)} {'DESC' if desc else 'ASC'}" for name, desc in self.order]
        parts.append(f"{tiebreak} ASC")
        return " ORDER BY " + ", ".join(parts)


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (with ESCAPE '\\').

    SQLite's LIKE reads its pattern as a C string: a NUL ends it, so `%\0%` would be `%` and match every row.
    """
    if "\0" in text:
        raise InvalidFilterError("a filter or search value cannot contain a NUL character")
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def condition(space: Space, name: str, op: str, raw) -> tuple[str, list]:
    """One comparison as SQL; `raw` is a string (query string) or a JSON value (search body)."""
    expr = space.expr(name)
    if op in ("$in", "$nin"):
        items = raw if isinstance(raw, list) else BAR_SPLIT.split(str(raw))
        values = [space.value(name, v) for v in items]
        if not values:
            return ("0", []) if op == "$in" else ("1", [])
        marks = ",".join("?" * len(values))
        neg = "NOT " if op == "$nin" else ""
        return f"{expr} {neg}IN ({marks})", values
    if op in ("$eq", "$ne") and (raw is None or raw == "null"):  # `manager:$ne:null`, as in MongoDB
        return f"{expr} IS {'NOT ' if op == '$ne' else ''}NULL", []
    if op in SQL_CMP:
        value = space.value(name, raw)
        if op == "$ne":  # JSON-missing fields are "not equal" too, as in MongoDB
            return f"({expr} IS NULL OR {expr} != ?)", [value]
        return f"{expr} {SQL_CMP[op]} ?", [value]
    if op in ("$sw", "$ew", "$co", "$nco"):
        value = str(space.value(name, raw))
        pattern = {"$sw": "{}%", "$ew": "%{}", "$co": "%{}%", "$nco": "%{}%"}[op].format(like_escape(value))
        neg = "NOT " if op == "$nco" else ""
        return f"COALESCE({expr}, '') {neg}LIKE ? ESCAPE '\\'", [pattern]
    if op == "between":
        parts = str(raw).split(",")
        if len(parts) != 2:
            raise InvalidFilterError("between takes two comma-separated values")
        return f"{expr} BETWEEN ? AND ?", [space.value(name, parts[0]), space.value(name, parts[1])]
    raise InvalidFilterError(f"unsupported operator: {op[:20]}")


def parse_filter(space: Space, text: str, *, v2: bool) -> tuple[str, list]:
    """Parse `field:$op:value` (v1; `field:op:value` also accepted) or `field:op:value` (v2)."""
    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[0]:
        raise InvalidFilterError(f"invalid filter: {text[:120]}")
    name, op, raw = parts
    if v2:
        if op not in V2_OPS:
            raise InvalidFilterError(f"invalid filter operator: {op[:20]}")
        op = V2_OPS[op]
    elif op not in V1_OPS:
        if op not in V1_BARE_OPS:  # the spec calls the `$`-less form undefined; clients use it
            raise InvalidFilterError(f"invalid filter operator: {op[:20]}")
        op = V1_BARE_OPS[op]
    return condition(space, name, op, raw)


def parse_int(args, name: str, default: int, *, maximum: int | None = None, clamp: bool = False) -> int:
    """A non-negative integer query parameter; over `maximum` clamps (v1) or is a 400 (v2)."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequestError(f"{name} must be a non-negative integer") from None
    if value < 0:
        raise BadRequestError(f"{name} must be a non-negative integer")
    if maximum is not None and value > maximum:
        if clamp:
            return maximum
        raise BadRequestError(f"{name} must be less than or equal to {maximum}")
    return min(value, 2**31)  # past SQLite's 64-bit integers is a 500; nothing lies that far anyway


def split_list(text: str, *, v2: bool) -> list[str]:
    """Split `sort`/`fields`: v2 is comma-separated; v1 is space-separated and also takes commas."""
    pattern = r"," if v2 else r"[\s,]+"
    return [p.strip() for p in re.split(pattern, text) if p.strip()]


def parse_sort(space: Space, text: str | None, *, v2: bool) -> list[tuple[str, bool]]:
    """`a -b` (v1) or `a,-b` (v2) into [(field, descending)]."""
    order = []
    for item in split_list(text or "", v2=v2):
        desc = item.startswith("-")
        name = item.lstrip("-+")
        if space.sortable is not None and name not in space.sortable:
            raise InvalidSortError(f"invalid sort field: {name[:80]}")
        if not FIELD_RE.match(name):
            raise InvalidSortError(f"invalid sort field: {name[:80]}")
        order.append((name, desc))
    return order


def parse_fields(text: str | None, *, v2: bool) -> tuple[list[str] | None, bool]:
    """`fields` into (names, exclude): all `-`-prefixed names mean "everything but these"."""
    names = split_list(text or "", v2=v2)
    if not names:
        return None, False
    if all(n.startswith("-") for n in names):
        return [n[1:] for n in names], True
    return [n.lstrip("+") for n in names if not n.startswith("-")], False


def project(doc: dict, fields: list[str] | None, exclude: bool, id_key: str) -> dict:
    """Apply a `fields` projection; the id is always kept, as JumpCloud does."""
    if fields is None:
        return doc
    if exclude:
        return {k: v for k, v in doc.items() if k not in fields or k == id_key}
    return {k: v for k, v in doc.items() if k in fields or k == id_key}


def search_clause(space: Space, term: str, fields: list[str] | None) -> tuple[str, list]:
    """Case-insensitive substring match of `term` over `fields` (default: the collection's name fields)."""
    names = fields or list(space.default_search)
    pattern = "%" + like_escape(term.lower()) + "%"
    parts = [f"lower(COALESCE({space.expr(n)}, '')) LIKE ? ESCAPE '\\'" for n in names]
    return " OR ".join(parts), [pattern] * len(parts)


def v1_query(space: Space, args, *, default_limit: int = 10, max_limit: int = 100) -> Query:
    """Parse v1 list parameters from a query-string mapping (werkzeug MultiDict or dict)."""
    q = Query()
    q.limit = parse_int(args, "limit", default_limit, maximum=max_limit, clamp=True)
    q.skip = parse_int(args, "skip", 0)
    q.order = parse_sort(space, args.get("sort"), v2=False)
    q.fields, q.exclude = parse_fields(args.get("fields"), v2=False)
    getlist = args.getlist if hasattr(args, "getlist") else (lambda k: [args[k]] if k in args else [])
    ors = []
    for key in sorted(args.keys()):
        if key == "filter" or re.fullmatch(r"filter\[(and\]\[)?\d+\]", key):
            for text in getlist(key):
                q.add(parse_filter(space, text, v2=False))
        elif re.fullmatch(r"filter\[or\]\[\d+\]", key):
            ors.extend(parse_filter(space, text, v2=False) for text in getlist(key))
        elif key.startswith("filter"):
            raise InvalidFilterError(f"invalid filter parameter: {key[:40]}")
    if ors:
        q.add((" OR ".join(f"({sql})" for sql, _ in ors), [p for _, params in ors for p in params]))
    term = args.get("search") or args.get("search[searchTerm]")
    if term:
        names = split_list(args.get("search[fields]") or "", v2=False) or None
        q.add(search_clause(space, term, names))
    return q


def v2_query(space: Space, args, *, default_limit: int = 10, max_limit: int = 100) -> Query:
    """Parse v2 list parameters: `limit` over 100 is a 400 ("Limited to 100"), filters AND when repeated."""
    q = Query()
    q.limit = parse_int(args, "limit", default_limit, maximum=max_limit)
    q.skip = parse_int(args, "skip", 0)
    q.order = parse_sort(space, args.get("sort"), v2=True)
    q.fields, q.exclude = parse_fields(args.get("fields"), v2=True)
    getlist = args.getlist if hasattr(args, "getlist") else (lambda k: [args[k]] if k in args else [])
    for text in getlist("filter"):
        q.add(parse_filter(space, text, v2=True))
    return q


MAX_REGEX = 200
# `$regex` runs on the `regex` module (https://pypi.org/project/regex/, "timeout" in its README): each match
# stops after REGEX_SECONDS, and SQLite's progress handler stops the whole statement after SEARCH_SECONDS,
# so no pattern (nested repetition, stacked `.*`, backreferences) can hold a core for longer than that.
REGEX_SECONDS = 0.25
SEARCH_SECONDS = 2.0
PROGRESS_OPCODES = 1_000  # how often (SQLite VM steps) the progress handler looks at the clock
SEARCH_OPS = {"$eq", "$ne", "$in", "$nin", "$lt", "$lte", "$gt", "$gte", "$regex", "$exists"}


def body_filter(space: Space, node) -> tuple[str, list]:
    """The `/search/systemusers` body filter: {and|or: [{field: value | {$op: value}}]} as SQL."""
    if not isinstance(node, dict):
        raise InvalidFilterError("filter must be an object")
    clauses = []
    for key, value in node.items():
        if key in ("and", "or", "$and", "$or"):
            if not isinstance(value, list):
                raise InvalidFilterError(f"{key} must be a list")
            subs = [body_filter(space, item) for item in value]
            if not subs:
                continue
            joiner = " AND " if key.lstrip("$") == "and" else " OR "
            clauses.append((joiner.join(f"({s})" for s, _ in subs), [p for _, ps in subs for p in ps]))
        elif isinstance(value, dict):
            for op, operand in value.items():
                clauses.append(body_operator(space, key, op, operand))
        else:
            clauses.append(condition(space, key, "$eq", value))
    if not clauses:
        return "1", []
    return " AND ".join(f"({s})" for s, _ in clauses), [p for _, ps in clauses for p in ps]


def body_operator(space: Space, name: str, op: str, operand) -> tuple[str, list]:
    """One MongoDB-style operator from a search body."""
    if op not in SEARCH_OPS:
        raise InvalidFilterError(f"unsupported operator: {str(op)[:20]}")
    if op == "$regex":
        if not isinstance(operand, str):
            raise InvalidFilterError("$regex takes a string")
        if len(operand) > MAX_REGEX:
            raise InvalidFilterError(f"$regex must be at most {MAX_REGEX} characters")
        try:
            regex.compile(operand)
        except (regex.error, OverflowError, RecursionError):
            raise InvalidFilterError("invalid $regex") from None
        return f"jc_regexp(?, {space.expr(name)})", [operand]
    if op == "$exists":
        return f"{space.expr(name)} IS {'NOT ' if operand else ''}NULL", []
    if op in ("$in", "$nin") and not isinstance(operand, list):
        raise InvalidFilterError(f"{op} takes a list")
    return condition(space, name, op, operand)


class RegexTimeout(Exception):
    """One `$regex` match ran past REGEX_SECONDS (SQLite reports it as an OperationalError)."""


def regexp(pattern: str, value, timeout: float = REGEX_SECONDS) -> bool:
    """SQLite function behind `$regex` (Python `re` syntax, `(?i)` as in MongoDB), each match time-limited.

    `concurrent=True` releases the GIL while matching, so a slow pattern does not stall the other app's threads.
    """
    if value is None:
        return False
    try:
        return regex.search(pattern, str(value), timeout=timeout, concurrent=True) is not None
    except regex.error:
        return False
    except TimeoutError:
        raise RegexTimeout(pattern[:40]) from None


@contextlib.contextmanager
def bounded(db: sqlite3.Connection, seconds: float = SEARCH_SECONDS, clock=time.monotonic):
    """Run a search's statements on `db` for at most `seconds` in all; past that it is a 400 and the work stops.

    The progress handler interrupts SQLite itself (a LIKE over large documents, many `$regex` rows); a
    `$regex` match that times out raises inside the statement. Either way SQLite raises OperationalError.
    """
    deadline = clock() + seconds
    expired = []

    def check() -> int:
        if clock() > deadline:
            expired.append(True)
            return 1
        return 0

    def timed_regexp(pattern: str, value) -> bool:
        # Many rows each just under REGEX_SECONDS would add up (and SQLite steps few opcodes per row, so the
        # progress handler may not run): each match gets only what is left of the search's time.
        remaining = deadline - clock()
        if remaining <= 0:
            expired.append(True)
            raise RegexTimeout(pattern[:40])
        return regexp(pattern, value, min(REGEX_SECONDS, remaining))

    db.set_progress_handler(check, PROGRESS_OPCODES)
    db.create_function("jc_regexp", 2, timed_regexp)
    try:
        yield db
    except sqlite3.OperationalError as error:
        text = str(error)
        if expired or "interrupted" in text or "user-defined function raised exception" in text:
            raise BadRequestError(f"the search took too long (over {seconds:g} s) and was stopped: narrow the "
                                  "filter or simplify the $regex") from None
        raise
    finally:
        db.set_progress_handler(None, 0)
        db.create_function("jc_regexp", 2, regexp, deterministic=True)
