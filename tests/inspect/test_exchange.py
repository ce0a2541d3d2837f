"""The exchanges.jsonl line format has one home, and `sim export`'s committed file is written in it."""

import json

from sim.inspect.exchange import decode_body
from sim.inspect.exchange import exchange
from sim.inspect.exchange import json_line
from sim.inspect.exchange import jsonl_text
from tests.paths import ROOT


def test_a_committed_exchanges_line_reads_back_to_the_same_line():
    first = (ROOT / "fixtures" / "exchanges.jsonl").read_text().splitlines()[0]
    doc = json.loads(first)
    assert json_line(exchange(doc["method"], doc["path"], doc["headers"], doc["body"], doc["status"],
                              doc["response_body"])) == first


def test_lines_are_compact_sorted_and_end_with_a_newline():
    assert jsonl_text([{"b": 1, "a": "é"}, {}]) == '{"a":"é","b":1}\n{}\n'


def test_a_body_is_its_json_else_its_text_else_none():
    assert decode_body('{"a": 1}') == {"a": 1}
    assert decode_body("not json") == "not json"
    assert decode_body("  ") is None
    assert decode_body(None) is None
    assert decode_body("[" * 100_000) == "[" * 100_000  # too deep for the decoder: kept as text, no RecursionError
