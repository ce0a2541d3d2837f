"""JumpCloud API errors: raised deep in the model, rendered once per app in JumpCloud's wire shapes.

v1 bodies follow the v1 spec's `ErrorDetails` ({code, message, status, details}); v2 and Directory
Insights bodies follow the v2 `Error` schema ({code, message, status}) with a lowerCamel `status`.
"""

from http import HTTPStatus


class JumpCloudError(Exception):
    """Base of every API error; `status` is the HTTP status, `code` the v2 lowerCamel machine code."""

    status = 400
    code = "badRequest"
    default_message = "Bad Request"

    def __init__(self, message: str | None = None, *, details: list | None = None, headers: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details or []
        self.headers = headers or {}
        super().__init__(self.message)

    def v1_body(self) -> dict:
        """The v1 `ErrorDetails` body; `status` is the HTTP reason phrase."""
        return {
            "code": self.status,
            "message": self.message,
            "status": HTTPStatus(self.status).phrase,
            "details": self.details,
        }

    def v2_body(self) -> dict:
        """The v2 `Error` body: {code, message, status} with a lowerCamel status."""
        return {"code": self.status, "message": self.message, "status": self.code}


class BadRequestError(JumpCloudError):
    """Malformed input: bad JSON, wrong types, missing required fields, bad query parameters."""


class InvalidFilterError(BadRequestError):
    """A `filter` parameter that does not parse or names an unsupported operator."""

    code = "invalidFilter"


class InvalidSortError(BadRequestError):
    """A `sort` field the collection does not allow."""

    code = "invalidSortField"


class AlreadyExistsError(BadRequestError):
    """A unique value taken: JumpCloud answers 400 on v1 systemusers ("User already exists or Bad Request")."""

    code = "alreadyExists"


class UnauthorizedError(JumpCloudError):
    """Missing or unknown API key; the body is `{"message": "Unauthorized"}` on every API (see v1_body)."""

    status = 401
    code = "unauthorized"
    default_message = "Unauthorized"

    def v1_body(self) -> dict:
        """A bare `{"message": ...}`: JumpCloud answers a bad key 401 with JSON whose `message` is the reason.

        Source: a third-party JumpCloud client's notes (`assertNotLoginPage`, measured 2026-08-18); the
        "API Key" section of https://docs.jumpcloud.com/api/1.0/index.html names no body for it.
        """
        return {"message": self.message}


class ForbiddenError(JumpCloudError):
    """The key's administrator role does not allow this operation."""

    status = 403
    code = "forbidden"
    default_message = "Forbidden"


class NotFoundError(JumpCloudError):
    """No object with that id (or no such route)."""

    status = 404
    code = "notFound"
    default_message = "Not Found"


class MethodNotAllowedError(JumpCloudError):
    """The route exists but not for this HTTP method."""

    status = 405
    code = "methodNotAllowed"
    default_message = "Method Not Allowed"


class ConflictError(JumpCloudError):
    """The change conflicts with current state (duplicate association, deleting a manager without cascade)."""

    status = 409
    code = "conflict"
    default_message = "Conflict"


class PayloadTooLargeError(JumpCloudError):
    """The request body is larger than MAX_CONTENT_LENGTH."""

    status = 413
    code = "payloadTooLarge"
    default_message = "Request Entity Too Large"


class InternalError(JumpCloudError):
    """An unexpected failure; the body never carries a traceback."""

    status = 500
    code = "internalError"
    default_message = "Internal Server Error"
