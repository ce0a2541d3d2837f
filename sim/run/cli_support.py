"""What the run commands share on the command line: click options (checked in sim.run.preflight) and banners."""

import os

import click

STATE_DIR_OPTION = click.option("--state-dir", default=".sim", show_default=True, type=click.Path(file_okay=False),
                                help="Where the SQLite state lives.")


def credential_options(command):
    """--admin-password, --api-key, --scim-token: fixed credentials for handouts and CI (sandboxes only)."""
    for option in reversed([
        click.option("--admin-password", default=None, help="Both consoles' admin password (12-64 characters)."),
        click.option("--api-key", default=None, help="The JumpCloud API key (40 lowercase hex)."),
        click.option("--scim-token", default=None, help="The StrongDM SCIM token (16-256 RFC 6750 characters)."),
    ]):
        command = option(command)
    return command


def up_banner(endpoints: dict, state_dir: str) -> str:
    """What `sim up` prints once serving: both consoles with their logins, the API key, SCIM and control URLs."""
    jc, sdm = endpoints["jumpcloud"], endpoints["strongdm"]
    lines = [f"JumpCloud   {jc['url']}/  admin {jc['admin']['email']} / {jc['admin']['password']}",
             f"            API x-api-key {jc['api_key']}",
             f"            StrongDM app {jc['app_id'] or '(none yet: SSO > + > StrongDM, then Identity Management)'}",
             f"StrongDM    {sdm['url']}/  admin {sdm['admin']['email']} / {sdm['admin']['password']}",
             f"            SCIM base URL {sdm['scim_base_url']}",
             f"            SCIM token {sdm['scim_token'] or '(activate SCIM in the Admin UI)'}"]
    if sdm.get("grpc"):
        lines.append(f"            SDK API {sdm['grpc']}  key {sdm['api_access_key']} (secret in endpoints.json)")
    lines.append(f"Control     POST {jc['url']}/_sim/sync, GET {jc['url']}/_sim/idle?timeout=S (x-api-key)")
    lines.append(f"State in {state_dir}; endpoints in {state_dir}/endpoints.json    Ctrl-C stops")
    return "\n".join(lines)


def strongdm_banner(endpoints: dict, sdk, profile: str, org_model: str, state_dir: str) -> str:
    """What `sim strongdm` prints once serving (`endpoints`: its endpoints.json entry; `sdk`: the SDK API or None)."""
    admin = endpoints["admin"]
    lines = [f"StrongDM Admin UI  {endpoints['url']}/  (admin {admin['email']} / {admin['password']})",
             f"SCIM base URL      {endpoints['scim_base_url']}",
             f"SCIM token         {endpoints['scim_token'] or '(activate SCIM in the Admin UI, or pass --token)'}"]
    if sdk:
        lines.append(f"SDK API (gRPC)     {sdk.address}  key {sdk.access_key} (secret in endpoints.json)")
    else:
        lines.append("SDK API (gRPC)     off: pip install 'jumpcloud-strongdm-sim[sdk]' to serve it")
    lines.append(f"Profile            {profile}    org model {org_model}    state in {state_dir}    Ctrl-C stops")
    return "\n".join(lines)


def jumpcloud_banner(url: str, creds: dict, seeded_with: int | None, state_dir: str) -> str:
    """What `sim jumpcloud` prints once serving; `seeded_with` is the seed when the directory was seeded now."""
    key = creds.get("api_key") or "(unknown: shown when the state was first seeded)"
    lines = [f"JumpCloud Console  {url}/", f"JumpCloud API      {url}/api  (v2 {url}/api/v2)", f"x-api-key          {key}"]
    if creds.get("admin"):
        lines.append(f"Admin              {creds['admin']['email']} / {creds['admin']['password']}")
    lines.append(f"Directory          {creds['users']} users, org {creds['org_id']}"
                 + (f"  (seeded now, seed {seeded_with})" if seeded_with is not None else "  (existing state)"))
    lines.append(f"State in {state_dir}; key kept in {state_dir}/endpoints.json    Ctrl-C stops")
    return "\n".join(lines)


def existing_strongdm_state(state_dir: str) -> str:
    """`state_dir`, or a ClickException when it holds no StrongDM state (listing keys must not create one)."""
    if not os.path.exists(os.path.join(state_dir, "strongdm.sqlite3")):
        raise click.ClickException(f"no StrongDM state in {state_dir} (`sim up` or `sim strongdm` creates it)")
    return state_dir
