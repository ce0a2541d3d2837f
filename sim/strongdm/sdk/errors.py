"""API errors as gRPC statuses with the `grpc-status-details-bin` trailer the SDK needs to type them.

The SDK (strongdm/plumbing.py `convert_error_to_porcelain`) raises its typed errors only when the
trailing metadata carries a serialized `google.rpc.Status`; without it the caller gets a bare RPCError.
"""

import grpc
from google.rpc import status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class ApiError(Exception):
    """An error the API returns; `code` picks the SDK's exception class."""

    code = grpc.StatusCode.UNKNOWN

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequestError(ApiError):
    """The SDK's BadRequestError (INVALID_ARGUMENT)."""

    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFoundError(ApiError):
    """The SDK's NotFoundError (NOT_FOUND)."""

    code = grpc.StatusCode.NOT_FOUND


class AlreadyExistsError(ApiError):
    """The SDK's AlreadyExistsError (ALREADY_EXISTS)."""

    code = grpc.StatusCode.ALREADY_EXISTS


class PermissionError(ApiError):  # noqa: A001 - named after the SDK's class it produces
    """The SDK's PermissionError (PERMISSION_DENIED)."""

    code = grpc.StatusCode.PERMISSION_DENIED


class AuthenticationError(ApiError):
    """The SDK's AuthenticationError (UNAUTHENTICATED)."""

    code = grpc.StatusCode.UNAUTHENTICATED


class InternalError(ApiError):
    """The SDK's InternalError (INTERNAL); the SDK retries these up to three times."""

    code = grpc.StatusCode.INTERNAL


def abort(context: grpc.ServicerContext, error: ApiError) -> None:
    """End the call with `error`'s status and the status-details trailer (raises, as grpc's abort does)."""
    status = status_pb2.Status(code=error.code.value[0], message=error.message)
    context.set_trailing_metadata(((STATUS_DETAILS_KEY, status.SerializeToString()),))
    context.abort(error.code, error.message)
