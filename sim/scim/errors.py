"""SCIM errors (RFC 7644 §3.12): one exception class per scimType, status as a class attribute."""

from sim.scim.schemas import ERROR_URN


class ScimError(Exception):
    """Base of every SCIM error; `to_dict()` is the wire body."""

    status = 400
    scim_type: str | None = None
    default_detail = "Bad request."

    def __init__(self, detail: str | None = None, *, headers: dict | None = None):
        self.detail = detail if detail is not None else self.default_detail
        self.headers = headers or {}
        super().__init__(self.detail)

    def to_dict(self) -> dict:
        """Return the RFC 7644 §3.12 body; `status` is a string, as StrongDM sends it."""
        body = {"schemas": [ERROR_URN], "detail": self.detail, "status": str(self.status)}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


class BadRequestError(ScimError):
    """A 400 with no scimType (StrongDM sends most of its 400s this way)."""


class InvalidFilterError(ScimError):
    """The filter syntax was invalid or the attribute and comparison combination is not supported."""

    scim_type = "invalidFilter"
    default_detail = "The specified filter syntax was invalid."


class TooManyError(ScimError):
    """The filter yields too many results for the server to process."""

    scim_type = "tooMany"
    default_detail = "The specified filter yields many more results than the server is willing to process."


class UniquenessError(ScimError):
    """A value is already in use (StrongDM's exact detail string)."""

    status = 409
    scim_type = "uniqueness"
    default_detail = "One or more of the attribute values are already in use or are reserved."


class MutabilityError(ScimError):
    """The attempted modification is not compatible with the attribute's mutability."""

    scim_type = "mutability"
    default_detail = "The attempted modification is not compatible with the target attribute's mutability."


class InvalidSyntaxError(ScimError):
    """The request body structure was invalid or did not conform to the schema."""

    scim_type = "invalidSyntax"
    default_detail = "The request body message structure was invalid."


class InvalidPathError(ScimError):
    """The PATCH path attribute was invalid or malformed."""

    scim_type = "invalidPath"
    default_detail = "The path attribute was invalid or malformed."


class NoTargetError(ScimError):
    """The PATCH path did not yield an attribute or value that could be operated on."""

    scim_type = "noTarget"
    default_detail = "The specified path did not yield an attribute or attribute value that could be operated on."


class InvalidValueError(ScimError):
    """A required value was missing or the value was not compatible with the attribute type."""

    scim_type = "invalidValue"
    default_detail = "A required value was missing, or the value specified was not compatible."


class InvalidVersionError(ScimError):
    """The specified SCIM protocol version is not supported."""

    scim_type = "invalidVers"
    default_detail = "The specified SCIM protocol version is not supported."


class SensitiveError(ScimError):
    """The request cannot be completed because sensitive information was in the URI."""

    scim_type = "sensitive"
    default_detail = "The specified request cannot be completed, due to the passing of sensitive information in a request URI."


class UnauthorizedError(ScimError):
    """Missing, wrong, rotated or deactivated bearer token (RFC 7644 §3.12, 401)."""

    status = 401
    default_detail = "Authorization failure. The authorization header is invalid or missing."

    def __init__(self, detail: str | None = None):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="SCIM"'})


class ForbiddenError(ScimError):
    """The client is not permitted to perform the operation."""

    status = 403
    default_detail = "Operation is not permitted."


class NotFoundError(ScimError):
    """The resource does not exist (StrongDM: `Resource <id> not found.`)."""

    status = 404
    default_detail = "Resource not found."

    @classmethod
    def for_id(cls, resource_id: str) -> "NotFoundError":
        """Return StrongDM's exact 404 for an id."""
        return cls(f"Resource {resource_id} not found.")


class MethodNotAllowedError(ScimError):
    """The endpoint does not support the HTTP method."""

    status = 405
    default_detail = "The HTTP method is not supported on this endpoint."


class PreconditionFailedError(ScimError):
    """If-Match did not match the resource's current version (RFC 7644 §3.14)."""

    status = 412
    default_detail = "Failed to update. Resource changed on the server."


class PayloadTooLargeError(ScimError):
    """The body exceeds the server's maximum payload size."""

    status = 413
    default_detail = "The request body is larger than the server accepts."


class UnsupportedMediaTypeError(ScimError):
    """The Content-Type is neither JSON nor SCIM JSON."""

    status = 415
    default_detail = "Content-Type must be application/scim+json or application/json."


class TooManyRequestsError(ScimError):
    """Rate limited; `Retry-After` says when to come back."""

    status = 429
    default_detail = "Too many requests."

    def __init__(self, detail: str | None = None, retry_after: int = 1):
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class NotImplementedScimError(ScimError):
    """The operation is not supported by this service provider (RFC 7644 §3.12, 501)."""

    status = 501
    default_detail = "Not implemented."
