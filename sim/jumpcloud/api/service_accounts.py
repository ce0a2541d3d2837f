"""`/api/v2/service-accounts` (create, list, get, delete) and `GET /api/v2/roles` (the roleIds they take).

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), operations
postApiV2ServiceAccounts (201 `CreateServiceAccountResponse`), getApiV2ServiceAccounts (`ListServiceAccountsResponse`),
getApiV2ServiceAccountsByServiceAccountId, deleteApiV2ServiceAccountsByServiceAccountId (200 `{}`), getApiV2Roles.
"""

from flask import Blueprint
from flask import g
from flask import jsonify
from flask import request

from sim.jumpcloud.api.common import authenticate
from sim.jumpcloud.api.common import jc
from sim.jumpcloud.api.common import json_body
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.service_accounts import roles

bp = Blueprint("jumpcloud_service_accounts", __name__, url_prefix="/api/v2")
bp.before_request(authenticate)


def manager() -> dict:
    """The caller, once its role is allowed to manage service accounts (else 403)."""
    caller = g.jumpcloud_admin
    jc().service_accounts.may_manage(caller)
    return caller


@bp.post("/service-accounts", strict_slashes=False)
def create_service_account():
    """Create one: 201 `{"serviceAccount": …}` with the client secret (or jcs_ API key) shown this once."""
    caller = manager()
    account = jc().service_accounts.create(json_body(), creator=caller)
    return jsonify({"serviceAccount": account}), 201


@bp.get("/service-accounts", strict_slashes=False)
def list_service_accounts():
    """`{results, totalCount}`: limit (default 10, at most 100), skip, sort, `search.searchTerm` on names."""
    manager()
    skip = q.parse_int(request.args, "skip", 0)
    limit = q.parse_int(request.args, "limit", 10, maximum=100)
    total, results = jc().service_accounts.list(skip=skip, limit=limit, sort=request.args.get("sort"),
                                                term=request.args.get("search.searchTerm"))
    return jsonify({"results": results, "totalCount": total})


@bp.get("/service-accounts/<account_id>")
def get_service_account(account_id):
    """One account with its auth configs (the secret is never shown again)."""
    manager()
    return jsonify(jc().service_accounts.get(account_id))


@bp.delete("/service-accounts/<account_id>")
def delete_service_account(account_id):
    """Delete: 200 `{}`; its secrets and access tokens are refused from now on."""
    manager()
    jc().service_accounts.delete(account_id)
    return jsonify({})


@bp.get("/roles", strict_slashes=False)
def list_roles():
    """`RoleList` of the built-in roles, whose ids a service account's `roleId` takes."""
    skip = q.parse_int(request.args, "skip", 0)
    limit = q.parse_int(request.args, "limit", 10, maximum=100)
    every = roles()
    return jsonify({"totalCount": len(every), "results": every[skip:skip + limit]})
