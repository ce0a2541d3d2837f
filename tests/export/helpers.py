"""Named helpers for the export tests: reading an export back and classifying its SCIM traffic."""

import json


def read_tree(root) -> dict[str, bytes]:
    """Every file under `root`, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def exchange_lines(out) -> list[dict]:
    """exchanges.jsonl, one dict per line."""
    return [json.loads(line) for line in (out / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()]


def _ops(body) -> list[dict]:
    return (body or {}).get("Operations") or []


def request_kind(exchange: dict) -> str | None:
    """The kind of SCIM request JumpCloud sent, in the words of the issue (None for a plain read)."""
    method, path, body = exchange["method"], exchange["path"], exchange.get("body")
    resource = path.lstrip("/").split("/")[0].split("?")[0]
    has_id = "/" in path.lstrip("/")
    if method == "GET" and "filter=" in path:
        return f"GET {resource} filter"
    if method == "POST":
        return f"POST {resource}"
    if method == "PUT" and resource == "Users":
        return "PUT user active false" if body.get("active") is False else "PUT user update"
    if method == "DELETE" and has_id:
        return f"DELETE {resource}"
    if method == "PATCH" and resource == "Users":
        ops = _ops(body)
        if ops and all(o.get("path") == "active" for o in ops):
            return f"PATCH user active {str(ops[0]['value']).lower()}"
        if any(o.get("path") == "active" and o.get("value") is False for o in ops):
            return "PATCH user active false"
        return "PATCH user update"
    if method == "PATCH" and resource == "Groups":
        ops = _ops(body)
        if any(o.get("path") == "displayName" for o in ops):
            return "PATCH group rename"
        return f"PATCH group {ops[0]['op']} members" if ops else None
    return None


def segment_of(played: dict, step_kind: str) -> dict:
    """The scenario segment that holds the first step of this kind."""
    return next(s for s in played["segments"] if any(x["do"] == step_kind for x in s["steps"]))


def kinds_in(lines: list[dict], segment: dict) -> set[str]:
    """The request kinds among a segment's lines of exchanges.jsonl."""
    span = segment["exchanges"]
    return {request_kind(e) for e in lines[span["first"] - 1:span["last"]]} - {None}
