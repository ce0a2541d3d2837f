"""`GET /_sim/exchanges`: the inspector's exchanges as JSON (or exchanges.jsonl lines), with the app's credential."""

from dataclasses import dataclass

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from sim.inspect.exchange import jsonl_text
from sim.inspect.ring import MAX_TERM
from sim.inspect.ring import ExchangeRing

bp = Blueprint("sim_exchanges", __name__, url_prefix="/_sim/exchanges")
MAX_SIZE = 500
DEFAULT_SIZE = 50


@dataclass
class Inspector:
    """What `app.extensions["inspector"]` holds: the ring, and `authorize(request)` as the factory says.

    `authorize` answers True, False (no credential: 401), or a sentence saying why this credential may not (403).
    """

    ring: ExchangeRing
    authorize: object


def install(app, ring: ExchangeRing, *, authorize) -> None:
    """Show `ring` in `app`'s inspector (`app.extensions["inspector"]`) and at `/_sim/exchanges`."""
    app.extensions["inspector"] = Inspector(ring, authorize)
    app.register_blueprint(bp)


def tee(*recorders):
    """One recorder that hands each exchange to every recorder given (None ones skipped)."""
    live = [r for r in recorders if r is not None]

    def record(doc: dict) -> None:
        for recorder in live:
            recorder(doc)
    return record


def _invalid(detail: str):
    return jsonify({"error": "invalid", "detail": detail}), 400


@bp.before_request
def require_credential():
    """The credential the app's factory accepts (as for /_sim/faults)."""
    verdict = current_app.extensions["inspector"].authorize(request)
    if isinstance(verdict, str):
        return jsonify({"error": "forbidden", "detail": verdict}), 403
    if not verdict:
        return jsonify({"error": "unauthorized", "detail": "Send the app's credential."}), 401
    return None


def _number(name: str, default: int, top: int) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    # isascii: "²".isdigit() is True but int("²") fails.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= top:
        return None
    return int(raw)


@bp.get("")
def get_exchanges():
    """Recent exchanges newest first, paged (`page`, `size`), filtered (`user`, `group`); `format=jsonl` gives every
    matching exchange oldest first as exchanges.jsonl lines."""
    ring = current_app.extensions["inspector"].ring
    filters = {name: request.args.get(name) or None for name in ("user", "group")}
    if any(value is not None and len(value) > MAX_TERM for value in filters.values()):
        return _invalid(f"user and group are at most {MAX_TERM} characters")
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "jsonl"):
        return _invalid("format is json or jsonl")
    if fmt == "jsonl":
        lines = jsonl_text(e.to_dict() for e in ring.select(**filters))
        return Response(lines, mimetype="application/x-ndjson")
    page = _number("page", 1, 1_000_000)
    size = _number("size", DEFAULT_SIZE, MAX_SIZE)
    if page is None or size is None:
        return _invalid(f"page is a whole number from 1, size one from 1 to {MAX_SIZE}")
    items, total = ring.page(**filters, offset=(page - 1) * size, limit=size)
    return jsonify({"exchanges": items, "total": total, "page": page, "size": size, "capacity": ring.size,
                    "recorded": ring.recorded, "max_body": ring.max_body})
