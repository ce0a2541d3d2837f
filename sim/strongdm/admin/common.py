"""What the Admin UI's pages share: the blueprint, the signed-in admin, permission levels, labels."""

from flask import current_app
from flask import g
from flask import session

from sim.strongdm.admins import ADMIN_LEVELS
from sim.strongdm.admins import is_active_admin
from sim.strongdm.org import PERMISSION_LABELS
from sim.strongdm.org import PROVIDER_LABELS
from sim.strongdm.receiver.common import bearer_token
from sim.web import console_blueprint
from sim.web.console import Console
from sim.web.sessions import SESSION_KEY
from sim.web.sessions import USER_KEY
from sim.web.sessions import registry

bp = console_blueprint("admin", __name__, template_folder="templates")

REFUSAL = ("Only users with the Administrator permission level can open this page. "
           "Ask an administrator of your organization to change your permission level.")


def may_steer_faults(state, req) -> bool:
    """Who may manage `/_sim/faults`: the SCIM bearer token, or a signed-in admin's console session (sim.web).

    PUT and DELETE cannot be forged cross-site, so the session needs no CSRF token here.
    """
    token = bearer_token(req.headers.get("Authorization", ""))
    if token is not None and state.org.check_token(token):
        return True
    uid = session.get(USER_KEY)
    if not registry().is_live(session.get(SESSION_KEY), uid):  # logged out: the cookie is dead here too
        return False
    user = state.accounts.find_user(uid) if isinstance(uid, str) else None
    return bool(user) and is_active_admin(user)


def sdm():
    """This app's StrongDM state."""
    return current_app.extensions["strongdm"]


def console_settings() -> Console:
    """How the shared console plumbing sees StrongDM's users."""
    def load_user(user_id: str) -> dict | None:
        user = sdm().accounts.find_user(user_id)
        return None if user is None or user.get("suspended") else user

    return Console(product="StrongDM Admin UI", cookie="strongdm_admin_session", login_endpoint="admin.login",
                   logout_endpoint="admin.logout", home_endpoint="admin.home", load_user=load_user,
                   is_admin=lambda user: user.get("permission_level") in ADMIN_LEVELS, refusal=REFUSAL,
                   theme="strongdm")


def actor() -> dict:
    """The signed-in admin as an activity actor."""
    user = g.user
    return {"id": user["id"], "email": user["email"], "first_name": user.get("first_name", ""),
            "last_name": user.get("last_name", "")}


def is_managed(user: dict) -> bool:
    """Provisioned by an identity provider (SCIM) rather than native to StrongDM."""
    return bool(user.get("managed_by"))


@bp.app_context_processor
def org_model() -> dict:
    """Every page knows the org model: a groups org's navigation is Principals › Users, Groups, Roles."""
    return {"org_model": sdm().org_model}


@bp.app_template_filter("level")
def level_label(level: str) -> str:
    """A permission level's display name."""
    return PERMISSION_LABELS.get(level, level or "—")


@bp.app_template_filter("provider")
def provider_label(provider: str) -> str:
    """A SCIM provider's display name."""
    return PROVIDER_LABELS.get(provider, provider or "StrongDM")
