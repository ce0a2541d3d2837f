"""v1.Accounts for every account kind: users, service accounts (`v1.Service`) and tokens (`v1.Token`).

SDK 18.4 svc.py `Accounts`: "Users", "Service Accounts ... authenticated using a service token" and "Tokens ... access
keys with permissions"; the unmodified SDK creates, reads, updates, deletes and lists all three through one service
(strongdm-sdk-python-examples 2_managing_accounts/create_service_account.py, create_token.py, rotate_token.py,
delete_token.py). Tokens are the org's API keys (api_keys.py, the rows Principals › Tokens lists), so a key made
here signs SDK calls with its `access_key`/`secret_key` and its permissions. SDK 18.x has no rotate call: a token is
rotated as rotate_token.py does (rename, create the successor, delete the old one).
"""

from strongdm import accounts_pb2
from strongdm import accounts_pb2_grpc

from sim.strongdm.api_keys import ApiKeyError
from sim.strongdm.api_keys import ApiKeyNameTaken
from sim.strongdm.scopes import SCOPES
from sim.strongdm.sdk import convert as grpc_convert
from sim.strongdm.sdk import filters as grpc_filters
from sim.strongdm.sdk import paging as grpc_paging
from sim.strongdm.sdk.errors import AlreadyExistsError
from sim.strongdm.sdk.errors import BadRequestError
from sim.strongdm.sdk.errors import NotFoundError
from sim.strongdm.sdk.errors import PermissionError

# Keyset positions of the three tables in one listing: users, then service accounts, then tokens, each by seq.
KIND_STRIDE = 10**12


def refuse_managed(kind: str, item: dict) -> None:
    """SCIM-provisioned users and roles are changed only by their IdP.

    StrongDM: provisioned users "are not able to be individually edited within StrongDM" (Okta SCIM
    provisioning guide, https://www.strongdm.com/docs/admin/identity-providers/okta-scim-provisioning/), and
    users or roles used in a SCIM request are "marked as managed by an external party" (SCIM spec, General
    Notes, https://www.strongdm.com/docs/architecture/scim-spec).
    """
    if item.get("managed_by"):
        raise PermissionError(f"{kind} {item['id']} is managed by SCIM provider {item['managed_by']!r}; "
                              "change it in the identity provider")


class AccountsServicer(accounts_pb2_grpc.AccountsServicer):
    """v1.Accounts: users, service accounts and tokens."""

    def __init__(self, api):
        self.api = api
        self.accounts = api.accounts
        self.keys = api.api_keys

    # -- reads ------------------------------------------------------------------------------------------

    def rows(self) -> list[tuple[int, dict]]:
        """Every account as (keyset position, doc with its `kind`): users, then service accounts, then tokens."""
        rows = [(seq, user) for seq, user in self.accounts.user_rows()]
        rows += [(KIND_STRIDE + seq, {**service, "kind": "service"}) for seq, service in self.accounts.service_rows()]
        rows += [(2 * KIND_STRIDE + seq, {**key, "kind": "token"}) for seq, key in self.keys.key_rows()]
        return rows

    def find(self, account_id: str) -> dict:
        """Any account by id (with its `kind`), or NotFoundError."""
        if account_id:
            if (user := self.accounts.find_user(account_id)) is not None:
                return user
            if (service := self.accounts.find_service(account_id)) is not None:
                return {**service, "kind": "service"}
            if (key := self.keys.find_api_key(account_id)) is not None:
                return {**key, "kind": "token"}
        raise NotFoundError(f"cannot find account {account_id!r}")

    def message(self, account: dict) -> accounts_pb2.Account:
        return grpc_convert.account_message(account, SCOPES)

    # -- the service --------------------------------------------------------------------------------------

    def List(self, request, context):
        """List accounts of every kind matching a filter, a page at a time."""
        def handler(actor):
            page = grpc_paging.paginate(self.rows(), grpc_filters.account_filter(request.filter), request.meta)
            response = accounts_pb2.AccountListResponse(accounts=[self.message(a) for a in page.items])
            response.meta.next_cursor, response.meta.total = page.next_cursor, page.total
            return response
        return self.api.call("Accounts.List", request, context, handler)

    def Get(self, request, context):
        """Read one account by id."""
        def handler(actor):
            return accounts_pb2.AccountGetResponse(account=self.message(self.find(request.id)))
        return self.api.call("Accounts.Get", request, context, handler)

    def Create(self, request, context):
        """Create a StrongDM-managed user, a service account (with its token) or a token (with its keys)."""
        def handler(actor):
            kind = grpc_convert.account_kind(request.account)
            if kind == "service":
                service, token = self.accounts.create_service(grpc_convert.service_fields(request.account), actor=actor)
                return accounts_pb2.AccountCreateResponse(account=self.message({**service, "kind": "service"}),
                                                          token=token)
            if kind == "token":
                return self.create_token(request.account, actor)
            fields = grpc_convert.user_fields(request.account)
            user = self.accounts.create_user({**fields, "managed_by": ""}, actor=actor)
            return accounts_pb2.AccountCreateResponse(account=self.message(user))
        return self.api.call("Accounts.Create", request, context, handler)

    def create_token(self, message: accounts_pb2.Account, actor) -> accounts_pb2.AccountCreateResponse:
        """An API key answers with access_key and secret_key; an admin token with its token (assumed, see README)."""
        fields = grpc_convert.token_fields(message)
        try:
            key = self.keys.create_api_key(fields["name"], scopes=fields["scopes"], lifetime=fields["lifetime"],
                                           expires_at=fields["deadline"],
                                           account_type=fields["account_type"], tags=fields["tags"],
                                           known_scopes=grpc_convert.PERMISSIONS, unique_name=True, actor=actor)
        except ApiKeyNameTaken as exc:
            raise AlreadyExistsError(str(exc)) from None
        except ApiKeyError as exc:
            raise BadRequestError(str(exc)) from None
        account = self.message({**key, "kind": "token"})
        if key["account_type"] == "api":
            return accounts_pb2.AccountCreateResponse(account=account, access_key=key["access_key"],
                                                      secret_key=key["secret"])
        return accounts_pb2.AccountCreateResponse(account=account, token=key["secret"])

    def Update(self, request, context):
        """Replace the writable fields of an account of the same kind (a SCIM-managed user is refused)."""
        def handler(actor):
            kind = grpc_convert.account_kind(request.account)
            current = self.find(request.id or getattr(request.account, kind).id)
            if current.get("kind", "user") != kind:
                raise BadRequestError(f"account {current['id']} is a {current.get('kind', 'user')}, not a {kind}")
            if kind == "service":
                fields = grpc_convert.service_fields(request.account)
                updated = self.accounts.update_service({**current, **fields, "id": current["id"]}, actor=actor)
                return accounts_pb2.AccountUpdateResponse(account=self.message({**updated, "kind": "service"}))
            if kind == "token":
                return accounts_pb2.AccountUpdateResponse(account=self.message(self.update_token(current, request)))
            refuse_managed("account", current)
            fields = grpc_convert.user_fields(request.account)
            user = self.accounts.update_user({**current, **fields}, actor=actor)
            return accounts_pb2.AccountUpdateResponse(account=self.message(user))
        return self.api.call("Accounts.Update", request, context, handler)

    def update_token(self, current: dict, request) -> dict:
        """Rename, re-tag or re-scope a token; its type, keys and expiry stay (assumed, see README)."""
        fields = grpc_convert.token_fields(request.account)
        if fields["account_type"] != current["account_type"]:
            raise BadRequestError(f"a token's account type cannot change (it is {current['account_type']!r})")
        try:
            key = self.keys.update_api_key(current["id"], name=fields["name"], tags=fields["tags"],
                                           scopes=fields["scopes"], known_scopes=grpc_convert.PERMISSIONS)
        except ApiKeyNameTaken as exc:
            raise AlreadyExistsError(str(exc)) from None
        except ApiKeyError as exc:
            raise BadRequestError(str(exc)) from None
        return {**key, "kind": "token"}

    def Delete(self, request, context):
        """Delete a user no SCIM provider manages, a service account or a token (it stops working at once)."""
        def handler(actor):
            current = self.find(request.id)
            kind = current.get("kind", "user")
            if kind == "service":
                self.accounts.delete_service(current["id"], actor=actor)
            elif kind == "token":
                self.keys.revoke_api_key(current["id"], actor=actor)
            else:
                refuse_managed("account", current)
                self.accounts.delete_user(current["id"], actor=actor)
            return accounts_pb2.AccountDeleteResponse()
        return self.api.call("Accounts.Delete", request, context, handler)
