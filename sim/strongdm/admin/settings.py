"""StrongDM Admin UI Settings: User Management (permission levels, SCIM provisioning), and Principals › Tokens
(API keys; Settings › API Keys redirects there)."""

import secrets
import threading
from collections import OrderedDict

from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from werkzeug.exceptions import NotFound

from sim.strongdm.admin.common import actor
from sim.strongdm.admin.common import bp
from sim.strongdm.admin.common import sdm
from sim.strongdm.api_keys import ApiKeyError
from sim.strongdm.api_keys import ApiKeys
from sim.strongdm.org import PERMISSION_LEVELS
from sim.strongdm.org import PROVIDER_LABELS
from sim.strongdm.org import OrgError
from sim.strongdm.scopes import SCOPES
from sim.web import guards


def api_keys() -> ApiKeys:
    """This app's SDK API keys (one instance per app; the gRPC listener keeps its own over the same store)."""
    keys = current_app.extensions.get("strongdm_api_keys")
    if keys is None:
        keys = current_app.extensions["strongdm_api_keys"] = ApiKeys(sdm().store, sdm().activities)
    return keys


# -- secrets shown once, post/redirect/get ----------------------------------------------------------------

SHOWN_ONCE_KEY = "shown_once"  # the session holds only a nonce; the secret stays in this process
SHOWN_ONCE_KEPT = 200  # secrets awaiting their one GET (the oldest go first: an unread one is just lost)
NEW = "new"  # the `?shown=new` of the page after the redirect


class ShownOnce:
    """Secrets a POST made, waiting for the GET after its redirect: each read once, by the session that made it.

    So a reload (F5) of the page re-sends a GET, not the POST: no rekey, no second key (RFC 9110 §15.4.4 303)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.waiting: OrderedDict[str, tuple[str, object]] = OrderedDict()

    def put(self, kind: str, secret) -> None:
        nonce = secrets.token_urlsafe(16)
        with self.lock:
            self.waiting[nonce] = (kind, secret)
            while len(self.waiting) > SHOWN_ONCE_KEPT:
                self.waiting.popitem(last=False)
        session[SHOWN_ONCE_KEY] = nonce

    def take(self, kind: str):
        """The secret, or None when it was shown already (or another kind's is waiting)."""
        nonce = session.get(SHOWN_ONCE_KEY)
        with self.lock:
            entry = self.waiting.get(nonce) if isinstance(nonce, str) else None
            if entry is None or entry[0] != kind:
                return None
            del self.waiting[nonce]
        session.pop(SHOWN_ONCE_KEY, None)
        return entry[1]


def shown_once() -> ShownOnce:
    """This app's waiting secrets."""
    return current_app.extensions.setdefault("strongdm_shown_once", ShownOnce())


def show_once(kind: str, secret, endpoint: str):
    """Keep `secret` for the next GET of `endpoint` and redirect there (303: the browser GETs it)."""
    shown_once().put(kind, secret)
    return redirect(url_for(endpoint, shown=NEW), 303)


def taken_once(kind: str):
    """(secret or None, whether this GET follows a creation): a reload finds no secret, and says so."""
    if request.args.get("shown") != NEW:
        return None, False
    secret = shown_once().take(kind)
    return secret, secret is None


# -- settings ---------------------------------------------------------------------------------------------


@bp.get("/settings")
@guards.admin_required
def settings():
    """Settings: the sections the simulator has."""
    return redirect(url_for("admin.user_management"))


@bp.get("/settings/user-management")
@guards.admin_required
def user_management():
    """Settings > User Management: the permission levels."""
    return render_template("sdm_settings_levels.html", levels=PERMISSION_LEVELS)


@bp.get("/settings/user-management/provisioning")
@guards.admin_required
def provisioning():
    """Settings > User Management > Provisioning: the SCIM provider, and a new token once after its redirect."""
    token, already = taken_once("scim-token")
    return _provisioning_page(token, already_shown=already)


@bp.post("/settings/user-management/provisioning/activate")
@guards.admin_required
def activate_scim():
    """Activate SCIM with the chosen provider; the token is shown on the page the redirect leads to, once."""
    try:
        token = sdm().org.activate_scim(request.form.get("provider", ""), actor=actor())
    except OrgError as error:
        flash(str(error), "error")
        return _provisioning_page(status=400)
    flash("SCIM is active. Copy the token now: it is shown one time only.", "ok")
    return show_once("scim-token", token, "admin.provisioning")


@bp.post("/settings/user-management/provisioning/regenerate")
@guards.admin_required
def regenerate_scim_token():
    """Replace the token; the old one stops working at once."""
    try:
        token = sdm().org.rekey_scim(actor=actor())
    except OrgError as error:
        flash(str(error), "error")
        return _provisioning_page(status=400)
    flash("A new token was generated; the old one no longer works. Copy it now: it is shown one time only.", "ok")
    return show_once("scim-token", token, "admin.provisioning")


@bp.post("/settings/user-management/provisioning/deactivate")
@guards.admin_required
def deactivate_scim():
    """Turn SCIM off; the token stops working."""
    try:
        sdm().org.deactivate_scim(actor=actor())
    except OrgError as error:
        flash(str(error), "error")
        return _provisioning_page(status=400)
    flash("SCIM provisioning is deactivated; the token no longer works.", "ok")
    return redirect(url_for("admin.provisioning"))


def _provisioning_page(token: str | None = None, status: int = 200, *, already_shown: bool = False):
    scim = sdm().org.scim_settings()
    base_url = None
    if scim.get("provider"):
        base_url = f"{request.host_url.rstrip('/')}/provisioning/{scim['provider']}/v2"
    page = render_template("sdm_settings_provisioning.html", scim=scim, token=token, base_url=base_url,
                           providers=PROVIDER_LABELS, already_shown=already_shown)
    # The token must not linger in caches or history.
    return page, status, {"Cache-Control": "no-store"}


# -- Principals > Tokens: API keys, the SDK's credentials (docs "admin/principals/tokens") ---------------------


@bp.get("/settings/api-keys")
@guards.admin_required
def old_api_keys():
    """Settings > API Keys moved to Principals > Tokens, as the product's docs have it."""
    return redirect(url_for("admin.list_api_keys"), 301)


@bp.get("/principals/tokens")
@guards.admin_required
def list_api_keys():
    """Principals > Tokens: every key's name, access key, permissions, expiry, creation; a new key's secret once."""
    created, already = taken_once("api-key")
    return _api_keys_page(created=created, already_shown=already)


@bp.post("/principals/tokens")
@guards.admin_required
def create_api_key():
    """Create a key (name, permissions, optional expiry); its secret is shown on the page the redirect leads to, once."""
    scoped = request.form.get("access") == "scoped"  # absent or "all": every permission
    try:
        key = api_keys().create_api_key(request.form.get("name", ""),
                                        scopes=request.form.getlist("scope") if scoped else None,
                                        expires_at=request.form.get("expires", "")[:40] or None, actor=actor())
    except ApiKeyError as error:
        flash(str(error), "error")
        return _api_keys_page(status=400, name=request.form.get("name", "")[:300])
    flash(f"Created API key {key['name']}. Copy the secret now: it is shown one time only.", "ok")
    return show_once("api-key", key, "admin.list_api_keys")


@bp.get("/principals/tokens/<access_key>/revoke")
@guards.admin_required
def confirm_revoke_api_key(access_key):
    """Ask before revoking: a revoked key stops working at once and cannot be restored."""
    key = api_keys().find_api_key(access_key)
    if key is None:
        raise NotFound()
    return render_template("sdm_api_key_revoke.html", key=key)


@bp.post("/principals/tokens/<access_key>/revoke")
@guards.admin_required
def revoke_api_key(access_key):
    """Revoke (delete) a key; calls signed with it fail from now on."""
    try:
        key = api_keys().revoke_api_key(access_key, actor=actor())
    except ApiKeyError:
        raise NotFound() from None
    flash(f"Revoked API key {key['name']} ({key['access_key']}); it no longer works.", "ok")
    return redirect(url_for("admin.list_api_keys"))


def _api_keys_page(created: dict | None = None, status: int = 200, name: str = "", *, already_shown: bool = False):
    page = render_template("sdm_settings_api_keys.html", keys=api_keys().list_api_keys(), created=created, name=name,
                           already_shown=already_shown, scopes=SCOPES)
    # The secret must not linger in caches or history.
    return page, status, {"Cache-Control": "no-store"}
