"""One recorded SCIM exchange, the line format of `sim export`'s exchanges.jsonl (its one home).

A line is a compact, key-sorted JSON object: `method`, `path`, `headers` (never the credential), `body` (the
request's JSON, a string when it was not JSON, null when there was none), `status` (null when no answer came)
and `response_body` (likewise).
"""

import json


def exchange(method: str, path: str, headers: dict, body, status: int | None, response_body) -> dict:
    """An exchange in the exchanges.jsonl shape."""
    return {"method": method, "path": path, "headers": headers, "body": body, "status": status,
            "response_body": response_body}


def decode_body(text: str | None):
    """A body as recorded: its JSON when it parses, else the text itself, None when empty."""
    if text is None or not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or a hostile `[[[[…`: shown as the text it is
        return text


def json_line(doc) -> str:
    """One document as one compact, key-sorted JSON line (no newline): exchanges.jsonl and the NDJSON exports."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def jsonl_text(docs) -> str:
    """Documents as JSON lines, each ended by a newline."""
    return "".join(json_line(d) + "\n" for d in docs)
