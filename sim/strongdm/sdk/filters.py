"""The StrongDM API's filter language: `field:value` terms, quoted values, `*` wildcards, all ANDed.

StrongDM documents filters for the CLI and SDKs (docs.strongdm.com/references/cli/filters): terms are
separated by spaces and all must match, matching ignores case, and `*` matches any run of characters.
The SDK's `?` placeholders arrive as JSON string literals (strongdm/plumbing.py `quote_filter_args`),
so a quoted value is decoded as JSON, also when it is only part of a term (`tags:team="platform"`). What the real server does with unknown fields is undocumented;
here they are a bad request, so a typo fails loudly rather than matching everything.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

# Fields each service filters on (github.com/strongdm/terraform-provider-sdm: sdm/data_source_account.go,
# sdm/data_source_role.go, sdm/data_source_account_attachment.go).
ACCOUNT_FIELDS = ("type", "email", "firstname", "lastname", "id", "name", "suspended", "tags")
ROLE_FIELDS = ("name", "id", "tags")
ATTACHMENT_FIELDS = ("accountid", "roleid", "id")

BOOLEANS = {"true": True, "false": False}
TAG_FIELDS = ("tags", "tag")  # `tag:` is the Terraform provider's spelling


class FilterError(ValueError):
    """A filter the server cannot parse (the API answers BadRequestError)."""


@dataclass(frozen=True)
class Term:
    """One `field:value` term; `value` is already unquoted."""

    field: str
    value: str
    segments: tuple = dataclass_field(default=(), compare=False)  # ((text, quoted), ...): how the value was written, for `tags:"k"="v"`


def tokenize(text: str) -> list[Term]:
    """Split a filter into terms, decoding JSON-quoted values; raise FilterError on bad syntax."""
    terms = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        colon = text.find(":", i)
        space = _next_space(text, i)
        if colon == -1 or (space != -1 and space < colon):
            raise FilterError(f"invalid filter term {text[i:space if space != -1 else n]!r}: expected field:value")
        field = text[i:colon].strip().casefold()
        if not field or not re.fullmatch(r"[a-z_][a-z0-9_.]*", field):
            raise FilterError(f"invalid filter field {text[i:colon]!r}")
        segments, i = _value(text, colon + 1)
        if len(segments) > 1 and field not in TAG_FIELDS:  # only a tag's name=value has two halves to quote
            if segments[0][1]:
                raise FilterError("invalid filter: terms must be separated by spaces")
            raise FilterError(f"invalid filter value {text[colon + 1:i]!r}: quotes must enclose the whole value")
        terms.append(Term(field, "".join(part for part, _ in segments), tuple(segments)))
    return terms


def _value(text: str, i: int) -> tuple[list[tuple[str, bool]], int]:
    """A value up to the next space: unquoted runs and JSON-quoted strings side by side, as the SDK's `?`
    arguments and the Terraform provider write them (`tags:team="platform"`, `tag:"team"="platform"`)."""
    segments, n = [], len(text)
    while i < n and not text[i].isspace():
        if text[i] == '"':
            part, i = _quoted(text, i)
            segments.append((part, True))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        segments.append((text[i:end], False))
        i = end
    return segments or [("", False)], i


def _next_space(text: str, start: int) -> int:
    match = re.compile(r"\s").search(text, start)
    return -1 if match is None else match.start()


def _quoted(text: str, start: int) -> tuple[str, int]:
    """Decode the JSON string literal at `start`; returns (value, index after it)."""
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        raise FilterError("invalid filter: unterminated or malformed quoted value") from None
    if not isinstance(value, str):
        raise FilterError("invalid filter: a quoted value must be a string")
    return value, end


class Wildcard:
    """A case-insensitive whole-value match where `*` matches any run of characters.

    Matched piece by piece, leftmost first, in linear time: a regex of `.*` runs backtracks exponentially
    on values such as `*a*a*a*a*b` (a request could tie up every worker).
    """

    def __init__(self, value: str):
        self.pieces = value.casefold().split("*")

    def fullmatch(self, text: str) -> bool:
        """True when the whole of `text` matches."""
        text = text.casefold()
        first, *middle, last = self.pieces if len(self.pieces) > 1 else (self.pieces[0], None)
        if last is None:
            return text == first
        if not text.startswith(first) or len(text) < len(first) + len(last) or not text.endswith(last):
            return False
        at, end = len(first), len(text) - len(last)
        for piece in middle:
            found = text.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True


def pattern(value: str) -> Wildcard:
    """A case-insensitive whole-value matcher where `*` matches any run of characters."""
    return Wildcard(value)


def compile_filter(text: str, fields: tuple[str, ...], getter: Callable[[dict, str], object]) -> Callable[[dict], bool]:
    """Parse `text` for a service whose filterable `fields` are read from an item by `getter`."""
    checks = []
    for term in tokenize(text or ""):
        if term.field == "tag" and "tags" in fields:  # the Terraform provider's `tag:"k"="v"`
            term = Term("tags", term.value, term.segments)
        if term.field not in fields:
            raise FilterError(f"invalid filter field {term.field!r}: use one of {', '.join(fields)}")
        checks.append(_check(term, getter))
    return lambda item: all(check(item) for check in checks)


def _check(term: Term, getter) -> Callable[[dict], bool]:
    if term.field == "suspended":
        wanted = BOOLEANS.get(term.value.casefold())
        if wanted is None:
            raise FilterError(f"invalid filter value {term.value!r} for suspended: use true or false")
        return lambda item: bool(getter(item, "suspended")) is wanted
    if term.field == "tags":
        # `tags:key=value` (value may use wildcards); `tags:key` asks only that the tag exists.
        key, has_value, value = _tag_parts(term.segments or ((term.value, False),))
        if not key:
            raise FilterError("invalid filter value for tags: use tags:name=value")
        key_match = pattern(key)
        value_match = pattern(value) if has_value else None
        return lambda item: any(key_match.fullmatch(k) and (value_match is None or value_match.fullmatch(v or ""))
                                for k, v in (getter(item, "tags") or {}).items())
    match = pattern(term.value)
    return lambda item: match.fullmatch(str(getter(item, term.field) or ""))


def _tag_parts(segments) -> tuple[str, bool, str]:
    """(key, whether a value was given, value): split at the first `=` outside quotes."""
    key, value, seen = [], [], False
    for part, quoted in segments:
        if not seen and not quoted and "=" in part:
            before, _, after = part.partition("=")
            key.append(before)
            value.append(after)
            seen = True
        else:
            (value if seen else key).append(part)
    return "".join(key), seen, "".join(value)


def account_field(account: dict, field: str):
    """The value an account filter field reads from a stored user, service account or token (`kind`, default user)."""
    kind = account.get("kind", "user")
    if kind != "user":  # services and tokens have a name and no email or person's names
        return {"type": kind, "email": "", "firstname": "", "lastname": "", "id": account.get("id"),
                "name": account.get("name"), "suspended": account.get("suspended", False),
                "tags": account.get("tags") or {}}[field]
    return {
        "type": "user",
        "email": account.get("email"),
        "firstname": account.get("first_name"),
        "lastname": account.get("last_name"),
        "id": account.get("id"),
        "name": f"{account.get('first_name', '')} {account.get('last_name', '')}".strip(),
        "suspended": account.get("suspended"),
        "tags": account.get("tags") or {},
    }[field]


def role_field(role: dict, field: str):
    """The value a role filter field reads from a stored role."""
    return {"name": role.get("name"), "id": role.get("id"), "tags": role.get("tags") or {}}[field]


def attachment_field(attachment: dict, field: str):
    """The value an account-attachment filter field reads from a stored attachment."""
    return {"accountid": attachment.get("account_id"), "roleid": attachment.get("role_id"),
            "id": attachment.get("id")}[field]


def account_filter(text: str) -> Callable[[dict], bool]:
    """A predicate over stored accounts for an Accounts.List filter (`type:` is user, service or token)."""
    return compile_filter(text, ACCOUNT_FIELDS, account_field)


def role_filter(text: str) -> Callable[[dict], bool]:
    """A predicate over stored roles for a Roles.List filter."""
    return compile_filter(text, ROLE_FIELDS, role_field)


def attachment_filter(text: str) -> Callable[[dict], bool]:
    """A predicate over stored attachments for an AccountAttachments.List filter."""
    return compile_filter(text, ATTACHMENT_FIELDS, attachment_field)
