"""Record a Flask request and its response in the inspector: the StrongDM receiver's hook (told the ring)."""

import logging

from flask import Request
from flask import Response
from werkzeug.exceptions import HTTPException

from sim.inspect.exchange import decode_body
from sim.inspect.exchange import exchange
from sim.inspect.ring import ExchangeRing

# Bodies longer than this are kept as their start, unparsed: parsing a 2 MB hostile body twice per request costs
# more than the inspector is worth.
PARSE_LIMIT_FACTOR = 4
MIN_SECRET = 8  # shorter credentials are not scrubbed from bodies: they would blot out ordinary words
log = logging.getLogger(__name__)


def _text(data: bytes, secret: str | None) -> str:
    text = data.decode("utf-8", errors="replace")  # whole, so `truncated` tells its true length (MAX_CONTENT_LENGTH)
    if secret and len(secret) >= MIN_SECRET:  # a client that echoes its token in a body or query must not show it here
        text = text.replace(secret, "[redacted]")
    return text


def _body(data: bytes, secret: str | None, ring: ExchangeRing):
    text = _text(data, secret)
    if len(data) > ring.max_body * PARSE_LIMIT_FACTOR:
        return text  # the ring caps it further and marks it truncated
    return decode_body(text)


def record_response(ring: ExchangeRing, request: Request, response: Response) -> Response:
    """Add this request and `response` to `ring`; returns `response` unchanged (an `after_request` hook)."""
    secret = request.headers.get("Authorization", "").strip().partition(" ")[2].strip() or None
    try:
        # 413s were refused unread; a body the view never read is read here, within MAX_CONTENT_LENGTH.
        data = b"" if response.status_code == 413 else request.get_data(cache=True)
    except (HTTPException, OSError, ValueError):
        data = b""
    answer = b"" if response.is_streamed or response.direct_passthrough else response.get_data()
    path = request.full_path.rstrip("?") if request.query_string else request.path
    if secret and len(secret) >= MIN_SECRET:
        path = path.replace(secret, "[redacted]")
    try:
        ring.record(exchange(request.method, path, dict(request.headers), _body(data, secret, ring),
                             response.status_code, _body(answer, secret, ring)))
    except Exception:  # a fault in an aid must not turn the receiver's answer into a 500
        log.exception("the request inspector could not record %s %s", request.method, request.path)
    return response
