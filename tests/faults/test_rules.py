"""The fault rule syntax: compact text and JSON rules, their fields, round trips and error messages."""

import datetime as dt

import pytest

from sim.faults.rules import FaultSyntaxError
from sim.faults.rules import parse_rule
from sim.faults.rules import rule_from
from tests.faults.helpers import NOW

# -- the compact syntax -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("503:0.2@POST /provisioning/*", {"kind": "503", "status": 503, "rate": 0.2, "method": "POST",
                                      "path": "/provisioning/*"}),
    ("500", {"kind": "500", "status": 500, "rate": 1.0, "method": "*", "path": None}),
    ("502:25%", {"status": 502, "rate": 0.25}),
    ("429:0.1:retry-after=2", {"status": 429, "rate": 0.1, "retry_after": 2}),
    ("429", {"status": 429, "retry_after": 1}),
    ("latency:50ms±20ms", {"kind": "latency", "ms": 50.0, "jitter_ms": 20.0, "status": None}),
    ("latency:1s+-250ms:rate=0.5", {"ms": 1000.0, "jitter_ms": 250.0, "rate": 0.5}),
    ("latency:80", {"ms": 80.0, "jitter_ms": 0.0}),
    ("outage:30s", {"kind": "outage", "status": 503, "start": NOW, "end": NOW + 30}),
    ("outage:2m:status=502", {"status": 502, "end": NOW + 120}),
    ("outage", {"start": None, "end": None}),
    ("revoked", {"kind": "revoked", "status": 401}),
    ("truncate:0.5:keep=0.1", {"kind": "truncate", "rate": 0.5, "keep": 0.1}),
    ("slow:2s@GET /api/*", {"kind": "slow", "ms": 2000.0, "method": "GET", "path": "/api/*"}),
    ("500:after@PATCH,PUT", {"after": True, "method": "PATCH,PUT", "path": None}),
    ("503@/provisioning/generic/v2/Groups*", {"method": "*", "path": "/provisioning/generic/v2/Groups*"}),
])
def test_compact_rules_parse_into_their_fields(text, expected):
    rule = parse_rule(text, now=NOW)
    assert {k: getattr(rule, k) for k in expected} == expected


def test_an_outage_between_times_parses_iso_8601():
    rule = parse_rule("outage:2026-05-01T10:00:00Z..2026-05-01T10:05:00Z")
    assert rule.start == dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC).timestamp()
    assert rule.end - rule.start == 300


@pytest.mark.parametrize("text", ["503:0.2@POST /provisioning/*", "latency:50ms±20ms", "429:0.1:retry-after=2",
                                  "truncate:0.3:keep=0.2", "500:after@DELETE", "slow:300ms@/api/*",
                                  "outage:30s:status=502", "revoked:0.5"])
def test_every_rule_reads_back_from_its_text_and_its_json(text):
    rule = parse_rule(text, now=NOW)
    assert parse_rule(rule.text(), now=NOW) == rule
    assert rule_from(rule.to_dict(), now=NOW) == rule


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("404", "unknown fault kind '404'"),
    ("503:x", "rate 'x' is not a number"),
    ("503:1.5", "between 0 and 1"),
    ("latency", "latency needs a duration"),
    ("latency:fast", "duration 'fast'"),
    ("slow", "slow needs a duration"),
    ("outage:2026-05-01T10:05:00Z..2026-05-01T10:00:00Z", "must end after it starts"),
    ("outage:yesterday..", "not ISO 8601"),
    ("429:retry-after=soon", "whole seconds"),
    ("503:keep=0.5", "does not apply to 503"),
    ("503@FETCH /x", "unknown method 'FETCH'"),
    ("503@GET provisioning", "must start with /"),
    ("503@GET /a /b", "must be `METHOD PATH`"),
])
def test_bad_rules_fail_with_a_message_naming_the_problem(text, message):
    with pytest.raises(FaultSyntaxError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse_rule(text)


@pytest.mark.parametrize("data, message", [
    ({"kind": "teapot"}, "unknown fault kind"),
    ({"kind": "503", "rate": "0.5"}, "rate must be a number"),
    ({"kind": "503", "colour": "red"}, "unknown rule field 'colour'"),
    ({"kind": "latency", "ms": -1}, "ms must be a number"),
    ({"kind": "429", "retry_after": 1.5}, "whole seconds"),
    ({"kind": "503", "method": ["GET"]}, "must be strings"),
    ([1], "string or a JSON object"),
])
def test_bad_json_rules_fail_with_a_message(data, message):
    with pytest.raises(FaultSyntaxError, match=message):
        rule_from(data)
