"""Fault rules: the compact `--fault` syntax, its JSON form, and their validation (no Flask, no I/O)."""

import datetime as dt
import fnmatch
import re
import time
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field

SYNTAX = """\
KIND[:ARG][:OPTION...][@[METHOD ]PATH]
  500 | 502 | 503 | 504 [:RATE][:retry-after=S][:after]   error status with probability RATE (0.2 or 20%)
  429[:RATE][:retry-after=S]                             rate limited, Retry-After S seconds (default 1)
  latency:DURATION[±JITTER][:rate=R]                     added delay, e.g. latency:50ms±20ms (or +-)
  outage[:DURATION | :START..END][:status=503]           every request fails for DURATION from now, or between times
  revoked[:RATE]                                         401, as if the credential were wrong
  truncate[:RATE][:keep=0.5]                             the response body is cut short (connection closed)
  slow:DURATION[:rate=R]                                 the response body trickles out over DURATION
  METHOD is GET, POST, ... or a comma list; PATH is a glob (`*` crosses `/`), e.g. @POST /provisioning/*
  `after` applies the request, then answers with the error (the write happened; the client cannot know)."""

STATUS_KINDS = {"500", "502", "503", "504", "429"}
KINDS = STATUS_KINDS | {"latency", "outage", "revoked", "truncate", "slow"}
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
MAX_SECONDS = 86400 * 365  # the longest outage or duration a rule may name
MAX_DELAY_MS = 600_000  # the longest added latency or trickle
UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
OPTION = re.compile(r"^[a-z][a-z-]*=")
FLAGS = {"after"}


class FaultSyntaxError(ValueError):
    """A rule that does not parse; the message says what was expected."""


@dataclass(frozen=True)
class FaultRule:
    """One fault: what happens (kind and its numbers) and to which requests (method, path glob)."""

    kind: str
    rate: float = 1.0
    method: str = "*"
    path: str | None = None
    ms: float = 0.0
    jitter_ms: float = 0.0
    retry_after: int | None = None
    start: float | None = None
    end: float | None = None
    keep: float = 0.5
    after: bool = False
    status: int | None = field(default=None)

    def __post_init__(self):
        if self.status is None:
            object.__setattr__(self, "status", default_status(self.kind))

    def matches(self, method: str, path: str, default_paths: tuple[str, ...]) -> bool:
        """True if this rule targets the request (a rule without a path targets the app's API paths)."""
        if self.method != "*" and method not in self.method.split(","):
            return False
        patterns = (self.path,) if self.path else default_paths
        return any(fnmatch.fnmatchcase(path, p) for p in patterns)

    def live(self, now: float) -> bool:
        """False only outside an outage window."""
        return (self.start is None or now >= self.start) and (self.end is None or now < self.end)

    def expired(self, now: float) -> bool:
        """True once an outage window has passed (it no longer shows as active)."""
        return self.end is not None and now >= self.end

    def text(self) -> str:
        """The rule in the compact `--fault` syntax."""
        parts = [self.kind]
        if self.kind == "latency":
            parts.append(f"{self.ms:g}ms" + (f"±{self.jitter_ms:g}ms" if self.jitter_ms else ""))
        elif self.kind == "slow":
            parts.append(f"{self.ms:g}ms")
        elif self.kind == "outage":
            if self.start is not None or self.end is not None:
                parts.append(f"{_iso(self.start)}..{_iso(self.end)}")
            if self.status != 503:
                parts.append(f"status={self.status}")
        elif self.rate != 1.0:
            parts.append(f"{self.rate:g}")
        if self.kind in ("latency", "slow") and self.rate != 1.0:
            parts.append(f"rate={self.rate:g}")
        if self.retry_after is not None:
            parts.append(f"retry-after={self.retry_after}")
        if self.kind == "truncate" and self.keep != 0.5:
            parts.append(f"keep={self.keep:g}")
        if self.after:
            parts.append("after")
        target = " ".join(t for t in (None if self.method == "*" else self.method, self.path) if t)
        return ":".join(parts) + (f"@{target}" if target else "")

    def to_dict(self) -> dict:
        """JSON form (times as ISO 8601); `from_dict` reads it back."""
        out = {k: v for k, v in asdict(self).items() if v is not None and k not in ("start", "end")}
        if self.start is not None:
            out["start"] = _iso(self.start)
        if self.end is not None:
            out["end"] = _iso(self.end)
        out["text"] = self.text()
        return out


def default_status(kind: str) -> int | None:
    """The HTTP status a kind answers with (None for latency, truncate and slow)."""
    if kind in STATUS_KINDS:
        return int(kind)
    return {"outage": 503, "revoked": 401}.get(kind)


def _iso(t: float | None) -> str:
    return "" if t is None else dt.datetime.fromtimestamp(t, dt.UTC).isoformat().replace("+00:00", "Z")


def _rate(text: str) -> float:
    text = text.strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise FaultSyntaxError(f"rate {text!r} is not a number like 0.2 or 20%") from None
    if not 0.0 <= value <= 1.0:
        raise FaultSyntaxError(f"rate {text!r} must be between 0 and 1 (or 0% and 100%)")
    return value


def duration(text: str, default_unit: str = "s") -> float:
    """Seconds in `50ms`, `2s`, `1.5m`, `1h` (a bare number is in `default_unit`)."""
    m = DURATION.match(text)
    if not m:
        raise FaultSyntaxError(f"duration {text!r} is not like 50ms, 2s, 1.5m or 1h")
    seconds = float(m.group(1)) * UNITS[m.group(2) or default_unit]
    if not seconds <= MAX_SECONDS:  # also refuses inf and nan; past a year the rule's end cannot be shown
        raise FaultSyntaxError(f"duration {text[:40]!r} is longer than a year")
    return seconds


def _time(text: str) -> float:
    try:
        t = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise FaultSyntaxError(f"time {text!r} is not ISO 8601, e.g. 2026-05-01T10:00:00Z") from None
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).timestamp()


def _target(text: str) -> tuple[str, str | None]:
    words = text.split()
    if len(words) == 1 and words[0].startswith("/"):
        return "*", words[0]
    if len(words) in (1, 2):
        methods = words[0].upper()
        unknown = [m for m in methods.split(",") if m not in METHODS and m != "*"]
        if unknown:
            raise FaultSyntaxError(f"unknown method {unknown[0]!r} (use GET, POST, PUT, PATCH, DELETE or *)")
        path = words[1] if len(words) == 2 else None
        if path is not None and not path.startswith(("/", "*")):
            raise FaultSyntaxError(f"path {path!r} must start with / (a glob, e.g. /provisioning/*)")
        return methods, (None if path == "*" else path)
    raise FaultSyntaxError(f"target {text!r} must be `METHOD PATH`, `METHOD` or `PATH`")


def parse_rule(text: str, now: float | None = None) -> FaultRule:
    """Parse one `--fault` string (see SYNTAX); relative outages start at `now`."""
    if not isinstance(text, str) or not text.strip():
        raise FaultSyntaxError("empty fault rule")
    now = time.time() if now is None else now
    head, _, target = text.strip().partition("@")
    method, path = _target(target) if target else ("*", None)
    parts = head.strip().split(":")
    kind = parts[0].strip().lower()
    if kind not in KINDS:
        raise FaultSyntaxError(f"unknown fault kind {kind!r}; expected one of {', '.join(sorted(KINDS))}")
    options = {}
    while len(parts) > 1 and (OPTION.match(parts[-1].strip()) or parts[-1].strip() in FLAGS):
        key, eq, value = parts.pop().strip().partition("=")
        options[key] = value if eq else True
    arg = ":".join(parts[1:]).strip()
    fields = {"kind": kind, "method": method, "path": path}
    try:
        fields.update(_kind_fields(kind, arg, options, now))
    except FaultSyntaxError as exc:
        raise FaultSyntaxError(f"{text.strip()!r}: {exc}") from None
    if options:
        raise FaultSyntaxError(f"{text.strip()!r}: option {sorted(options)[0]!r} does not apply to {kind}")
    return FaultRule(**fields)


def _kind_fields(kind: str, arg: str, options: dict, now: float) -> dict:
    out = {}
    if "rate" in options:
        out["rate"] = _rate(options.pop("rate"))
    if kind in STATUS_KINDS or kind in ("revoked", "truncate"):
        if arg:
            out["rate"] = _rate(arg)
    elif kind == "latency":
        m = re.match(r"^([^±~+]+)(?:(?:±|\+-|~)(.+))?$", arg)
        if not m:
            raise FaultSyntaxError("latency needs a duration, e.g. latency:50ms or latency:50ms±20ms")
        out["ms"] = duration(m.group(1), "ms") * 1000
        out["jitter_ms"] = duration(m.group(2), "ms") * 1000 if m.group(2) else 0.0
    elif kind == "slow":
        if not arg:
            raise FaultSyntaxError("slow needs a duration, e.g. slow:2s")
        out["ms"] = duration(arg, "ms") * 1000
    elif kind == "outage" and arg:
        if ".." in arg:
            start, _, end = arg.partition("..")
            out["start"] = _time(start) if start.strip() else now
            out["end"] = _time(end) if end.strip() else None
            if out["end"] is not None and out["end"] <= out["start"]:
                raise FaultSyntaxError("an outage must end after it starts")
        else:
            out["start"], out["end"] = now, now + duration(arg)
    for key in ("ms", "jitter_ms"):
        if out.get(key, 0) > MAX_DELAY_MS:  # the same limit as the JSON form: a request may wait 10 minutes at most
            raise FaultSyntaxError(f"{kind} delays are at most {MAX_DELAY_MS // 1000} s")
    if kind in ("429", "503", "outage") and "retry-after" in options:
        value = options.pop("retry-after")
        if not str(value).isdigit():
            raise FaultSyntaxError(f"retry-after {value!r} must be whole seconds")
        out["retry_after"] = int(value)
    elif kind == "429":
        out["retry_after"] = 1
    if kind == "outage" and "status" in options:
        value = options.pop("status")
        if value not in STATUS_KINDS:
            raise FaultSyntaxError(f"status {value!r} must be one of {', '.join(sorted(STATUS_KINDS))}")
        out["status"] = int(value)
    if kind == "truncate" and "keep" in options:
        out["keep"] = _rate(options.pop("keep"))
    if kind in STATUS_KINDS and options.pop("after", False):
        out["after"] = True
    return out


def rule_from(value, now: float | None = None) -> FaultRule:
    """A rule from a `--fault` string, a JSON object (`to_dict` form) or a FaultRule."""
    if isinstance(value, FaultRule):
        return value
    if isinstance(value, str):
        return parse_rule(value, now)
    if not isinstance(value, dict):
        raise FaultSyntaxError("each rule must be a string or a JSON object")
    if isinstance(value.get("text"), str):
        return parse_rule(value["text"], now)
    return _rule_from_dict(value, now)


def _rule_from_dict(data: dict, now: float | None) -> FaultRule:
    now = time.time() if now is None else now
    kind = str(data.get("kind", ""))
    if kind not in KINDS:
        raise FaultSyntaxError(f"unknown fault kind {kind[:40]!r}; expected one of {', '.join(sorted(KINDS))}")
    allowed = set(FaultRule.__dataclass_fields__) | {"seconds"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise FaultSyntaxError(f"unknown rule field {unknown[0][:40]!r}")
    numbers = {"rate": (0, 1), "ms": (0, MAX_DELAY_MS), "jitter_ms": (0, MAX_DELAY_MS), "keep": (0, 1),
               "seconds": (0, MAX_SECONDS)}
    fields = {"kind": kind}
    for key, (low, high) in numbers.items():
        if key in data:
            v = data[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high:
                raise FaultSyntaxError(f"{key} must be a number from {low} to {high}")
            fields[key] = float(v)
    if "seconds" in fields:
        fields["start"], fields["end"] = now, now + fields.pop("seconds")
    for key in ("start", "end"):
        if data.get(key):
            fields[key] = _time(str(data[key]))
    if "retry_after" in data:
        if isinstance(data["retry_after"], bool) or not isinstance(data["retry_after"], int) or data["retry_after"] < 0:
            raise FaultSyntaxError("retry_after must be whole seconds")
        fields["retry_after"] = data["retry_after"]
    if "status" in data:
        if str(data["status"]) not in STATUS_KINDS | {"401"}:
            raise FaultSyntaxError(f"status must be one of {', '.join(sorted(STATUS_KINDS))}")
        fields["status"] = int(data["status"])
    if "after" in data:
        fields["after"] = bool(data["after"])
    method, path = data.get("method", "*"), data.get("path")
    if not isinstance(method, str) or (path is not None and not isinstance(path, str)):
        raise FaultSyntaxError("method and path must be strings")
    fields["method"], fields["path"] = _target(f"{method} {path}" if path else method)
    if kind == "429" and "retry_after" not in fields:
        fields["retry_after"] = 1
    return FaultRule(**fields)
