"""A dynamic group's definition checked as data: `membershipMethod`, `memberQuery` and `memberQueryExemptions`.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), schemas
`GroupMembershipMethodType`, `MemberQuery` (v1: `queryType` FilterQuery or Filter with `filters` of
{field, operator, value}; v2, header x-query-dsl: v2, omits queryType and names the key `operation`) and
`MemberQueryExemption` ({type, id}). The operators are the v2 list filter's (eq ne gt ge lt le in search);
`Search` queries are not simulated. Compiling a query to SQL is dynamic.py's job.
"""

from sim.jumpcloud.directory.query import FIELD_RE
from sim.jumpcloud.directory.query import V2_OPS
from sim.jumpcloud.errors import BadRequestError

METHODS = ("NOTSET", "STATIC", "DYNAMIC_REVIEW_REQUIRED", "DYNAMIC_AUTOMATED")
DYNAMIC = frozenset({"DYNAMIC_REVIEW_REQUIRED", "DYNAMIC_AUTOMATED"})
QUERY_TYPES = frozenset({"FilterQuery", "Filter"})
OPERATORS = frozenset(V2_OPS) - {"between"}
MAX_FILTERS = 20
MAX_EXEMPTIONS = 1000
MAX_IN = 100  # values of one `in` filter (assumed; SQLite caps the variables of one statement)
# Fields a query may not read: a password is never stored, and matching on one would leak it.
UNQUERYABLE = frozenset({"password", "password_date"})


def refuse(message: str, field: str):
    raise BadRequestError(message, details=[{"field": field}])


def clean_filter(item, n: int) -> dict:
    """One {field, operator, value} (`operation` accepted for v2) as the v1 shape we store."""
    where = f"memberQuery.filters[{n}]"
    if not isinstance(item, dict):
        refuse(f"{where} must be an object", "memberQuery")
    field = item.get("field")
    op = item.get("operator", item.get("operation"))
    value = item.get("value")
    if not isinstance(field, str) or not FIELD_RE.match(field) or len(field) > 128:
        refuse(f"{where}.field must be a user attribute name", "memberQuery")
    if field in UNQUERYABLE:
        refuse(f"{where}.field cannot be {field}", "memberQuery")
    if op not in OPERATORS:
        refuse(f"{where}.operator must be one of: {', '.join(sorted(OPERATORS))}", "memberQuery")
    scalar = (str, int, float, bool)
    if op == "in":
        if not (isinstance(value, list) and value and all(isinstance(v, scalar) for v in value)) \
                and not (isinstance(value, str) and value):
            refuse(f"{where}.value must be a non-empty list (or a |-separated string) for in", "memberQuery")
        if len(value if isinstance(value, list) else value.split("|")) > MAX_IN:
            refuse(f"{where}.value takes at most {MAX_IN} values", "memberQuery")  # each is one SQL variable
    elif not isinstance(value, scalar) and value is not None:
        refuse(f"{where}.value must be a string, number or boolean", "memberQuery")
    if isinstance(value, str) and len(value) > 1024:
        refuse(f"{where}.value is too long", "memberQuery")
    return {"field": field, "operator": op, "value": value}


def clean_query(query) -> dict:
    """A `MemberQuery` with 1 to 20 filters; the stored form is v1 (queryType FilterQuery)."""
    if not isinstance(query, dict):
        refuse("memberQuery must be an object", "memberQuery")
    query_type = query.get("queryType", "FilterQuery")
    if query_type == "Search":
        refuse("memberQuery queryType Search is not simulated: use FilterQuery", "memberQuery")
    if query_type not in QUERY_TYPES:
        refuse("memberQuery.queryType must be FilterQuery or Filter", "memberQuery")
    filters = query.get("filters")
    if not isinstance(filters, list) or not filters:
        refuse("memberQuery.filters must be a non-empty array", "memberQuery")
    if len(filters) > MAX_FILTERS:
        refuse(f"memberQuery takes at most {MAX_FILTERS} filters", "memberQuery")
    return {"queryType": query_type, "filters": [clean_filter(f, n) for n, f in enumerate(filters)]}


def clean_exemptions(items, object_id) -> list[dict]:
    """`memberQueryExemptions`: [{type, id}] (`object_id` is the ObjectId pattern the caller uses)."""
    if not isinstance(items, list):
        refuse("memberQueryExemptions must be an array", "memberQueryExemptions")
    if len(items) > MAX_EXEMPTIONS:
        refuse(f"memberQueryExemptions takes at most {MAX_EXEMPTIONS} items", "memberQueryExemptions")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str) \
                or not isinstance(item.get("id"), str) or not object_id.match(item["id"]):
            refuse("each memberQueryExemption needs a type and a 24-hex id", "memberQueryExemptions")
        out.append({k: item[k] for k in ("type", "id", "organizationId") if isinstance(item.get(k), str)})
    return out


def clean_membership(body: dict, *, object_id) -> dict:
    """The membership fields of a group body, checked together: a dynamic method needs a memberQuery."""
    out = {}
    method = body.get("membershipMethod")
    if method is not None:
        if method not in METHODS:
            refuse(f"membershipMethod must be one of: {', '.join(METHODS)}", "membershipMethod")
        out["membershipMethod"] = method
    if body.get("memberQuery") is not None:
        out["memberQuery"] = clean_query(body["memberQuery"])
    if method in DYNAMIC and "memberQuery" not in out:
        refuse(f"a {method} group needs a memberQuery", "memberQuery")
    if body.get("memberQueryExemptions") is not None:
        out["memberQueryExemptions"] = clean_exemptions(body["memberQueryExemptions"], object_id)
    return out
