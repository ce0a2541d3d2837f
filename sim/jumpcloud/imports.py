"""Import users from an application's SCIM service provider (JumpCloud's "Import users" on a connector with
active Identity Management): preview its /Users, then create missing users or update matched ones.

Source: the unified console spec (TheJumpCloud/jumpcloud-docs-public, docs/new/console/index.yaml), operations
getApiV2ApplicationsByApplicationIdImportUsers (`importUsersResponse`: filter, sort firstname|lastname|email,
sortOrder, isCount, limit, skip), postApiV2ApplicationsByApplicationIdImportJobs (`ImportUsersRequest`; "Not found"
unless the app has active Identity Management) and /api/v2/applications/import/{job_id}/detailedresults (the spec
gives it no operation: we answer `job-workresult`s, assumed). Users are matched by email, as the preview does;
new ones get `creationSource: jumpcloud:scim` and the org's applicationImport state (postApiV2BulkUsers).
"""

import urllib.parse

from sim.jumpcloud.directory import query as q
from sim.jumpcloud.directory.shapes import clean_user_input
from sim.jumpcloud.errors import BadRequestError
from sim.jumpcloud.errors import JumpCloudError
from sim.jumpcloud.errors import NotFoundError
from sim.jumpcloud.pusher.client import ScimClientError
from sim.jumpcloud.pusher.mapping import import_user

OPERATIONS = ("users.create", "users.update")
SORTS = ("", "firstname", "lastname", "email")
PAGE = 100  # SCIM page size asked of the service provider (RFC 7644 §3.4.2.4 `count`)
MAX_USERS = 10_000  # read at most this many users from the provider in one preview or job
UPDATED = ("firstname", "lastname", "middlename", "displayname", "jobTitle", "department", "costCenter", "company",
           "employeeType")
RESERVED_QUERY = ("startIndex", "count")


class ProviderError(JumpCloudError):
    """The service provider failed or answered something unusable while we read its users."""

    status = 502
    code = "badGateway"


def provider_query(query_string) -> dict:
    """`queryString`/`query`: URL parameters merged into the provider's GET /Users (paging stays ours)."""
    if query_string in (None, ""):
        return {}
    if not isinstance(query_string, str) or len(query_string) > 2000:
        raise BadRequestError("queryString must be a URL query string")
    return {k: v for k, v in urllib.parse.parse_qsl(query_string) if k not in RESERVED_QUERY}


class Importer:
    """Reads users through the app's Identity Management SCIM client; writes through the directory and records
    results with the bulk jobs."""

    def __init__(self, idm, directory, bulk, state_defaults):
        self.idm = idm
        self.directory = directory
        self.bulk = bulk
        self.state_defaults = state_defaults

    def _config(self, app_id: str) -> dict:
        self.directory.get_app(app_id)
        config = self.idm.get(app_id)
        if not config or config.get("status") != "active":
            raise NotFoundError("Not found: the application has no active Identity Management integration")
        return config

    def remote_users(self, app_id: str, query: dict | None = None) -> list[dict]:
        """Every user the provider lists (`importUser`s), paged with startIndex/count."""
        config = self._config(app_id)
        client = self.idm.client(config)
        users, start = [], 1
        try:
            while len(users) < MAX_USERS:
                _, doc = client.request("GET", "/Users", query={**(query or {}), "startIndex": start, "count": PAGE})
                page = (doc or {}).get("Resources") or []
                if not isinstance(page, list):
                    raise ProviderError("the service provider's /Users has no Resources list")
                users.extend(import_user(r) for r in page if isinstance(r, dict))
                total = (doc or {}).get("totalResults")
                if not page or not isinstance(total, int) or start - 1 + len(page) >= total:
                    break
                start += len(page)
        except ScimClientError as error:
            raise ProviderError(f"the service provider failed: {error.status or 'no answer'} {error}"[:300]) from None
        finally:
            client.close()
        return users

    def preview(self, app_id: str, args) -> dict:
        """`importUsersResponse`: the provider's users, searched, sorted and paged (or only counted)."""
        sort, order = args.get("sort", ""), args.get("sortOrder", "asc")
        if sort not in SORTS:
            raise BadRequestError(f"sort must be one of: {', '.join(s for s in SORTS if s)}")
        if order not in ("asc", "desc"):
            raise BadRequestError("sortOrder must be asc or desc")
        term = (args.get("filter") or "").lower()
        users = self.remote_users(app_id, provider_query(args.get("query")))
        if term:
            users = [u for u in users if any(term in u[k].lower() for k in ("email", "username", "firstname", "lastname"))]
        if sort:
            users.sort(key=lambda u: (u[sort].lower(), u["email"]), reverse=order == "desc")
        skip, limit = q.parse_int(args, "skip", 0), q.parse_int(args, "limit", 10, maximum=100)
        counting = str(args.get("isCount", "false")).lower() == "true"
        return {"total_count": len(users), "session_id": "", "users": [] if counting else users[skip:skip + limit],
                "cursor": ""}

    def new_users(self, app_id: str) -> list[dict]:
        """The provider's users no JumpCloud user matches by email (the Console's preview)."""
        return [u for u in self.remote_users(app_id) if u["email"] and self.directory.find_user(email=u["email"]) is None]

    def run(self, app_id: str, body, *, actor=None) -> str:
        """An import job: create the unmatched users, update (and optionally reactivate) the matched; its id."""
        if not isinstance(body, dict):
            raise BadRequestError("request body must be a JSON object")
        operations = body.get("operations", list(OPERATIONS))
        if not isinstance(operations, list) or not all(op in OPERATIONS for op in operations):
            raise BadRequestError(f"operations must be a list of: {', '.join(OPERATIONS)}")
        reactivate = body.get("allowUserReactivation", True)
        if not isinstance(reactivate, bool):
            raise BadRequestError("allowUserReactivation must be a boolean")
        users = self.remote_users(app_id, provider_query(body.get("queryString")))
        state = self.state_defaults()["applicationImport"]
        results = [self._one(u, operations, reactivate, state, actor) for u in users]
        return self.bulk.record_job("import", results)

    def _one(self, remote: dict, operations: list[str], reactivate: bool, state: str, actor) -> dict:
        """One user: created, updated, or skipped, as a `job-workresult`."""
        meta = {"email": remote["email"], "operation": "skipped", "remoteId": remote["id"]}
        result = {"id": None, "meta": meta, "persistedFields": None, "status": "finished", "statusMsg": ""}
        fields = {k: remote[k] for k in UPDATED if remote[k]}
        try:
            found = self.directory.find_user(email=remote["email"]) if remote["email"] else None
            if found is None and "users.create" in operations:
                meta["operation"] = "users.create"
                user = self.directory.create_user(clean_user_input(
                    {**fields, "username": remote["username"], "email": remote["email"], "state": state,
                     "creationSource": "jumpcloud:scim"}, create=True), actor=actor)
            elif found is not None and "users.update" in operations:
                meta["operation"] = "users.update"
                if reactivate and found["state"] == "SUSPENDED":
                    fields["state"] = "ACTIVATED"
                user = self.directory.update_user(found["_id"], clean_user_input(fields, create=False), actor=actor)
            else:
                user = found
            if user is not None:
                result["id"] = user["_id"]
                result["persistedFields"] = fields if meta["operation"] != "skipped" else None
        except JumpCloudError as error:
            result.update({"status": "failed", "statusMsg": error.message})
        return result
