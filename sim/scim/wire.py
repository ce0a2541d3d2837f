"""JSON text as RFC 8259 defines it, for every body the simulator reads from outside.

Python's `json.loads` accepts `NaN`, `Infinity` and `-Infinity`, and turns `1e999` into an infinite float;
none of them is JSON (RFC 8259 §6: "Numeric values that cannot be represented ... such as Infinity and NaN
are not permitted"). Stored, they make every later page holding the record invalid JSON for strict clients.
"""

import json
import math


def _constant(name: str):
    raise ValueError(f"{name} is not a JSON number (RFC 8259 §6)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large for a finite double (RFC 8259 §6)")
    return value


def loads(text: str | bytes):
    """`json.loads`, refusing non-finite numbers with ValueError (callers already turn that into their 400)."""
    return json.loads(text, parse_constant=_constant, parse_float=_finite)
