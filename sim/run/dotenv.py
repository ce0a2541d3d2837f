"""endpoints.env: what endpoints.json says, as KEY=value lines for non-Python tools (shell, docker, dotenv)."""

import os
import re

from sim.run.state.private import write_private

SAFE = re.compile(r"[A-Za-z0-9_./:@+=,%-]*")


def env_lines(endpoints: dict) -> dict[str, str]:
    """The variables, from an endpoints.json dict; entries a state does not have (yet) are left out."""
    jc, sdm = endpoints.get("jumpcloud") or {}, endpoints.get("strongdm") or {}
    values = {
        "JUMPCLOUD_URL": jc.get("url"),
        "JUMPCLOUD_API_URL": f"{jc['url']}/api" if jc.get("url") else None,
        "JUMPCLOUD_API_KEY": jc.get("api_key"),
        "JUMPCLOUD_APP_ID": jc.get("app_id"),
        "STRONGDM_URL": sdm.get("url"),
        "SCIM_BASE_URL": sdm.get("scim_base_url"),
        "SCIM_TOKEN": sdm.get("scim_token"),
        # The names StrongDM's SDK examples read (see the README's SDK section).
        "SDM_API_HOST": sdm.get("grpc"),
        "SDM_API_ACCESS_KEY": sdm.get("api_access_key"),
        "SDM_API_SECRET_KEY": sdm.get("api_secret"),
    }
    return {k: str(v) for k, v in values.items() if v}


def quote(value: str) -> str:
    """Bare when safe (docker's --env-file keeps quotes literally), else single-quoted for sh and dotenv."""
    if SAFE.fullmatch(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def write_env(state_dir: str, endpoints: dict) -> str:
    """Write endpoints.env beside endpoints.json (mode 0600: it holds credentials); returns its path."""
    path = os.path.join(state_dir, "endpoints.env")
    text = "# Written by sim from endpoints.json; load with: set -a; . ./endpoints.env; set +a\n"
    text += "".join(f"{k}={quote(v)}\n" for k, v in env_lines(endpoints).items())
    return write_private(path, text)
