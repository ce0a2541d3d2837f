"""Building blocks of the mock's OpenAPI document: parameters, bodies and answers as JumpCloud's spec names them.

Source: the console spec (docs/new/console/index.yaml in TheJumpCloud/jumpcloud-docs-public), whose
parameter traits (`trait_multiTenantRequestHeaders_x-org-id`, `trait_limit_limit`, …) and error answers
(`ErrorDetails` under /api, `Error` under /api/v2) these mirror.
"""


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array_of(name: str) -> dict:
    """An array of a component schema (the v2 API answers bare arrays)."""
    return {"type": "array", "items": ref(name)}


def path_param(name: str, description: str = "") -> dict:
    """A required string path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            **({"description": description} if description else {})}


def query(name: str, schema: dict, description: str = "", required: bool = False) -> dict:
    """A query parameter."""
    return {"name": name, "in": "query", "schema": schema, **({"required": True} if required else {}),
            **({"description": description} if description else {})}


X_ORG_ID = {"name": "x-org-id", "in": "header", "schema": {"type": "string"},
            "description": "The organization id; when given it must be this org's (400 Malformed ID, 404 Organization ID Not Found)."}
LIMIT_10 = query("limit", {"type": "integer", "default": 10, "minimum": 0, "maximum": 100},
                 "The number of records to return at once (the mock caps it at 100).")
SKIP = query("skip", {"type": "integer", "default": 0, "minimum": 0}, "The offset into the records to return.")
V2_FILTER = query("filter", {"type": "array", "items": {"type": "string"}},
                  "`field:op:value` (ops eq, ne, gt, ge, lt, le, search, in, between `a,b`), repeatable: filters AND together.")
V2_SORT = query("sort", {"type": "array", "items": {"type": "string"}},
                "Comma-separated fields, `-` prefix for descending.")
V2_FIELDS = query("fields", {"type": "array", "items": {"type": "string"}}, "Comma-separated fields to return.")


def json_body(schema: dict, required: bool = True) -> dict:
    """An application/json request body."""
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def answer(description: str, schema: dict | None = None, headers: dict | None = None) -> dict:
    """A response object (no content when `schema` is None)."""
    out: dict = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    if headers:
        out["headers"] = headers
    return out


def v1_errors() -> dict:
    """The error answers under /api: `ErrorDetails` (a wrong key's 401 is a bare `{"message"}`, which it allows)."""
    return {"4XX": answer("Bad request, unauthorized, forbidden, not found or conflict", ref("ErrorDetails")),
            "5XX": answer("Server error", ref("ErrorDetails"))}


def v2_errors() -> dict:
    """The error answers under /api/v2: `Error` {code, message, status}."""
    return {"4XX": answer("Bad request, unauthorized, forbidden, not found or conflict", ref("Error")),
            "5XX": answer("Server error", ref("Error"))}


def operation(operation_id: str, summary: str, tag: str, responses: dict, *, parameters=(), body=None,
              errors=v1_errors) -> dict:
    """One operation with JumpCloud's operationId, the x-org-id header and the error answers of its API."""
    out = {"operationId": operation_id, "summary": summary, "tags": [tag],
           "parameters": [*parameters, X_ORG_ID], "responses": {**responses, **errors()}}
    if body is not None:
        out["requestBody"] = body
    return out
