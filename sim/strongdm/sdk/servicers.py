"""StrongDM's SDK API over gRPC: v1.Roles and v1.AccountAttachments over the SCIM state (v1.Accounts is in
sdk/accounts.py, the Groups services in sdk/groups.py).

Servicers are the wheel's own generated classes (strongdm/*_pb2_grpc.py), so the unmodified SDK talks
to them with `strongdm.Client(key, secret, host="127.0.0.1:PORT", insecure=True)`. Every call is
authenticated by the SDK's HMAC signature (sdk/auth.py); errors carry the status-details trailer
so the SDK raises its typed exceptions (sdk/errors.py). Reads and changes go through the same
accounts.py methods as SCIM, so they write the same activities, with the API key as the actor.
"""

import logging
from concurrent import futures

import grpc
from strongdm import account_attachments_pb2
from strongdm import account_attachments_pb2_grpc
from strongdm import accounts_pb2_grpc
from strongdm import roles_pb2
from strongdm import roles_pb2_grpc

from sim.scim import wire
from sim.scim.errors import NotFoundError as ModelNotFound
from sim.scim.errors import UniquenessError
from sim.serve import LOOPBACK
from sim.strongdm.admins import LastAdministratorError
from sim.strongdm.api_keys import ApiKeys
from sim.strongdm.api_keys import actor_for
from sim.strongdm.scopes import scope_for
from sim.strongdm.sdk import auth as grpc_auth
from sim.strongdm.sdk import convert as grpc_convert
from sim.strongdm.sdk import filters as grpc_filters
from sim.strongdm.sdk import paging as grpc_paging
from sim.strongdm.sdk.accounts import AccountsServicer
from sim.strongdm.sdk.accounts import refuse_managed
from sim.strongdm.sdk.errors import AlreadyExistsError
from sim.strongdm.sdk.errors import ApiError
from sim.strongdm.sdk.errors import BadRequestError
from sim.strongdm.sdk.errors import InternalError
from sim.strongdm.sdk.errors import NotFoundError
from sim.strongdm.sdk.errors import PermissionError
from sim.strongdm.sdk.errors import abort
from sim.strongdm.sdk.groups import add_group_servicers

log = logging.getLogger(__name__)


class Api:
    """What every servicer shares: the StrongDM state, API keys and the call wrapper."""

    def __init__(self, sdm, api_keys: ApiKeys, *, check_signature: bool = True, today=None):
        self.sdm = sdm
        self.accounts = sdm.accounts
        self.api_keys = api_keys
        self.check_signature = check_signature
        self.today = today

    def call(self, method: str, request, context, handler):
        """Authenticate `request` for `method` (e.g. "Accounts.List"), run `handler(actor)`, map errors."""
        try:
            access_key = grpc_auth.verify(context.invocation_metadata(), method, request.SerializeToString(),
                                          self.api_keys.signing_secret, today=self.today() if self.today else None,
                                          check_signature=self.check_signature)
            key = self.api_keys.find_api_key(access_key)
            if key is None:  # revoked between the two reads
                raise grpc_auth.AuthenticationError("invalid API access key")
            if key["account_type"] != "api":  # admin tokens are for the sdm CLI (api_keys.py)
                raise grpc_auth.AuthenticationError(f"{access_key} is an admin token, not an API key")
            if self.api_keys.is_expired(key):
                raise grpc_auth.AuthenticationError(f"API key {access_key} expired at {key['expires_at']}")
            needed = scope_for(method)
            if key["scopes"] is not None and needed not in key["scopes"]:
                raise PermissionError(f"access denied: API key {access_key} lacks the {needed} permission")
            if asks_for_snapshot(request):
                raise BadRequestError("snapshot_at is not simulated: the simulator keeps no history")
            return handler(actor_for(key))
        except ApiError as exc:
            error = exc
        except grpc_filters.FilterError as exc:
            error = BadRequestError(str(exc))
        except ModelNotFound as exc:
            error = NotFoundError(exc.detail)
        except UniquenessError:
            error = AlreadyExistsError("one or more of the attribute values are already in use")
        except LastAdministratorError as exc:
            error = BadRequestError(exc.detail)
        except Exception:
            log.exception("unexpected error in %s", method)
            error = InternalError("internal error: see the simulator's log")
        abort(context, error)

    # -- reads ------------------------------------------------------------------------------------------

    def user(self, user_id: str) -> dict:
        """A user by id, or NotFoundError."""
        user = self.accounts.find_user(user_id) if user_id else None
        if user is None:
            raise NotFoundError(f"cannot find account {user_id!r}")
        return user

    def role(self, role_id: str) -> dict:
        """A role by id, or NotFoundError."""
        role = self.accounts.find_role(role_id) if role_id else None
        if role is None:
            raise NotFoundError(f"cannot find role {role_id!r}")
        return role


def asks_for_snapshot(request) -> bool:
    """True when a read asks for a historical snapshot (`client.snapshot_at(...)`)."""
    meta = request.meta if request.HasField("meta") else None
    return meta is not None and "snapshot_at" in meta.DESCRIPTOR.fields_by_name and meta.HasField("snapshot_at")


class RolesServicer(roles_pb2_grpc.RolesServicer):
    """v1.Roles: list and get every role; create, update and delete roles no SCIM provider manages."""

    def __init__(self, api: Api):
        self.api = api

    def List(self, request, context):
        """List roles matching a filter, a page at a time."""
        def handler(actor):
            page = grpc_paging.paginate(self.api.accounts.role_rows(), grpc_filters.role_filter(request.filter), request.meta)
            response = roles_pb2.RoleListResponse(roles=[grpc_convert.role_message(r) for r in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("Roles.List", request, context, handler)

    def Get(self, request, context):
        """Read one role by id."""
        def handler(actor):
            return roles_pb2.RoleGetResponse(role=grpc_convert.role_message(self.api.role(request.id)))
        return self.api.call("Roles.Get", request, context, handler)

    def Create(self, request, context):
        """Create a StrongDM-managed role (no access rules are simulated)."""
        def handler(actor):
            role = self.api.accounts.create_role(role_fields(request.role), [], actor=actor)
            return roles_pb2.RoleCreateResponse(role=grpc_convert.role_message(role))
        return self.api.call("Roles.Create", request, context, handler)

    def Update(self, request, context):
        """Rename or re-tag a role that no SCIM provider manages."""
        def handler(actor):
            current = self.api.role(request.id or request.role.id)
            refuse_managed("role", current)
            role = self.api.accounts.update_role({**current, **role_fields(request.role)}, actor=actor)
            return roles_pb2.RoleUpdateResponse(role=grpc_convert.role_message(role))
        return self.api.call("Roles.Update", request, context, handler)

    def Delete(self, request, context):
        """Delete a role that no SCIM provider manages."""
        def handler(actor):
            refuse_managed("role", self.api.role(request.id))
            self.api.accounts.delete_role(request.id, actor=actor)
            return roles_pb2.RoleDeleteResponse()
        return self.api.call("Roles.Delete", request, context, handler)


def role_fields(message: roles_pb2.Role) -> dict:
    """The writable fields of a `v1.Role`; BadRequestError for a blank name or bad access rules."""
    name = message.name.strip()
    if not name:
        raise BadRequestError("name cannot be empty")
    if len(name) > 255 or "\x00" in name:
        raise BadRequestError("name must be at most 255 characters and contain no NUL")
    try:
        rules = wire.loads(message.access_rules) if message.access_rules else []
    except (ValueError, RecursionError):
        raise BadRequestError("access_rules must be JSON") from None
    return {"name": name, "tags": grpc_convert.tags_dict(message.tags), "access_rules": rules}


class AccountAttachmentsServicer(account_attachments_pb2_grpc.AccountAttachmentsServicer):
    """v1.AccountAttachments: who holds which role."""

    def __init__(self, api: Api):
        self.api = api

    def List(self, request, context):
        """List attachments matching a filter, a page at a time."""
        def handler(actor):
            page = grpc_paging.paginate(self.api.accounts.attachment_rows(), grpc_filters.attachment_filter(request.filter),
                                        request.meta)
            response = account_attachments_pb2.AccountAttachmentListResponse(
                account_attachments=[grpc_convert.attachment_message(a) for a in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("AccountAttachments.List", request, context, handler)

    def Get(self, request, context):
        """Read one attachment by id."""
        def handler(actor):
            attachment = self.api.accounts.find_attachment(request.id) if request.id else None
            if attachment is None:
                raise NotFoundError(f"cannot find account attachment {request.id!r}")
            return account_attachments_pb2.AccountAttachmentGetResponse(
                account_attachment=grpc_convert.attachment_message(attachment))
        return self.api.call("AccountAttachments.Get", request, context, handler)

    def Create(self, request, context):
        """Attach an account to a role whose membership no SCIM provider manages."""
        def handler(actor):
            wanted = request.account_attachment
            self.api.user(wanted.account_id)
            role = self.api.role(wanted.role_id)
            # The IdP owns a provisioned role's membership (inferred: StrongDM documents SCIM-managed
            # roles as not editable in StrongDM).
            refuse_managed("role", role)
            if not self.api.accounts.add_members(role["id"], [wanted.account_id], actor=actor):
                raise AlreadyExistsError(f"account {wanted.account_id} is already attached to role {role['id']}")
            attachment = self.api.accounts.find_attachment(account_id=wanted.account_id, role_id=role["id"])
            return account_attachments_pb2.AccountAttachmentCreateResponse(
                account_attachment=grpc_convert.attachment_message(attachment))
        return self.api.call("AccountAttachments.Create", request, context, handler)

    def Delete(self, request, context):
        """Detach an account from a role whose membership no SCIM provider manages."""
        def handler(actor):
            attachment = self.api.accounts.find_attachment(request.id) if request.id else None
            if attachment is None:
                raise NotFoundError(f"cannot find account attachment {request.id!r}")
            refuse_managed("role", self.api.role(attachment["role_id"]))
            self.api.accounts.remove_members(attachment["role_id"], [attachment["account_id"]], actor=actor)
            return account_attachments_pb2.AccountAttachmentDeleteResponse()
        return self.api.call("AccountAttachments.Delete", request, context, handler)


def start_grpc(sdm, host: str = "127.0.0.1", port: int = 0, *, api_keys: ApiKeys | None = None,
               check_signature: bool = True, max_workers: int = 8, today=None) -> tuple[grpc.Server, int]:
    """Serve the SDK API for `sdm` (a StrongDM state) on host:port (0 picks a free port); returns (server, port)."""
    if host not in LOOPBACK:
        log.warning("gRPC API bound to %s, not loopback: anyone who can reach it can call the API", host)
    api = Api(sdm, api_keys or ApiKeys(sdm.store, sdm.activities), check_signature=check_signature, today=today)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sdm-grpc"))
    accounts_pb2_grpc.add_AccountsServicer_to_server(AccountsServicer(api), server)
    roles_pb2_grpc.add_RolesServicer_to_server(RolesServicer(api), server)
    account_attachments_pb2_grpc.add_AccountAttachmentsServicer_to_server(AccountAttachmentsServicer(api), server)
    add_group_servicers(api, server)
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    bound = server.add_insecure_port(address)
    if not bound:
        raise OSError(f"cannot bind the gRPC API to {address}")
    server.start()
    return server, bound
