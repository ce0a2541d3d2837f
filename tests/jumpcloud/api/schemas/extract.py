"""Regenerate console.json and insights.json from JumpCloud's specs (run by hand when a route is added).

    python tests/jumpcloud/api/schemas/extract.py CONSOLE_YAML INSIGHTS_YAML [EXTRA_SCHEMA ...]

CONSOLE_YAML and INSIGHTS_YAML are docs/new/console/index.yaml and docs/new/api/insights/directory/index.yaml of
TheJumpCloud/jumpcloud-docs-public. The named component schemas and everything they reference are copied as
JSON Schema 2020-12 `$defs`, without descriptions and examples; EXTRA_SCHEMA names more console roots.
"""

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
KEEP = ("type", "properties", "items", "required", "enum", "const", "allOf", "anyOf", "oneOf", "additionalProperties",
        "minimum", "maximum", "maxLength", "minLength", "format", "$ref", "title")
CONSOLE_ROOTS = ["systemuserslist", "systemuserreturn", "systemUsersSearchlist", "applicationslist", "application",
                 "UserGroup", "Error", "ErrorDetails", "GraphConnection", "GraphObjectWithPaths", "organizationslist",
                 "organization", "job-id", "job-workresult", "scheduled-userstate-result", "MemberSuggestion",
                 "MemberSuggestionsPostResult", "importUsersResponse", "RoleList",
                 "jumpcloud.service_accounts.ListServiceAccountsResponse",
                 "jumpcloud.service_accounts.CreateServiceAccountResponse", "jumpcloud.service_accounts.ServiceAccount",
                 "jumpcloud.service_accounts.DeleteServiceAccountResponse"]
INSIGHTS_ROOTS = ["ErrorMessage", "EventCount"]
# The answers the spec writes inline in its operations, named so routes.json can point at them.
CONSOLE_LISTS = {"UserGroupList": "UserGroup", "GraphConnectionList": "GraphConnection",
                 "GraphObjectWithPathsList": "GraphObjectWithPaths",
                 "JobWorkresultList": "job-workresult", "ScheduledUserstateResultList": "scheduled-userstate-result",
                 "MemberSuggestionList": "MemberSuggestion"}
INSIGHTS_INLINE = {"EventList": "/v1/events", "EventDistinct": "/v1/events/distinct",
                   "EventInterval": "/v1/events/interval"}


def clean(node, refs: set):
    """`node` with only the validation keywords, its `#/components/schemas/X` references made `#/$defs/X`."""
    if isinstance(node, list):
        return [clean(v, refs) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            name = value.split("/")[-1]
            refs.add(name)
            out[key] = f"#/$defs/{name}"
        elif key == "properties":
            out[key] = {name: clean(schema, refs) for name, schema in value.items()}
        elif key in KEEP:
            out[key] = clean(value, refs)
    return out


def closure(spec: dict, roots: list[str]) -> dict:
    """The named component schemas and all they reference, cleaned."""
    defs, todo = {}, list(roots)
    while todo:
        name = todo.pop()
        if name not in defs:
            refs: set = set()
            defs[name] = clean(spec["components"]["schemas"][name], refs)
            todo.extend(refs - set(defs))
    return defs


def write(name: str, source: str, defs: dict) -> None:
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"urn:jumpcloud-spec:{name}",
                "$comment": f"From TheJumpCloud/jumpcloud-docs-public {source} @ 2d46aa0 (2026-08-21): "
                            "components/schemas, descriptions and examples dropped.",
                "$defs": dict(sorted(defs.items()))}
    (HERE / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")


def main(console_yaml: str, insights_yaml: str, *extra: str) -> None:
    console, insights = (yaml.safe_load(Path(p).read_text()) for p in (console_yaml, insights_yaml))
    console_defs = closure(console, CONSOLE_ROOTS + list(extra))
    console_defs.update({name: {"type": "array", "items": {"$ref": f"#/$defs/{item}"}} for name, item in CONSOLE_LISTS.items()})
    insights_defs = closure(insights, INSIGHTS_ROOTS)
    for name, path in INSIGHTS_INLINE.items():
        insights_defs[name] = clean(insights["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"], set())
    write("console", "docs/new/console/index.yaml", console_defs)
    write("insights", "docs/new/api/insights/directory/index.yaml", insights_defs)


if __name__ == "__main__":
    main(*sys.argv[1:])
