"""The `sim` command: parse options, call one function, print."""

import click

from sim import __version__


@click.group()
@click.version_option(__version__, prog_name="sim")
def cli():
    """Offline simulator of JumpCloud -> StrongDM user provisioning over SCIM 2.0."""


@cli.command()
@click.option("--port", default=8401, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@click.option("--state-dir", default=".sim", show_default=True, type=click.Path(file_okay=False),
              help="Where the SQLite state lives.")
@click.option("--token", default=None, help="Activate the Generic SCIM provider with this token.")
@click.option("--profile", type=click.Choice(["strongdm", "rfc"]), default="strongdm", show_default=True,
              help="strongdm: only what StrongDM documents; rfc: the full RFC 7644 feature set.")
def strongdm(port, host, state_dir, token, profile):
    """Serve the mock StrongDM (SCIM receiver and Admin UI) alone."""
    from sim import runner

    previous = runner.read_endpoints(state_dir).get("strongdm", {})
    server, admin = runner.start_strongdm(state_dir, host=host, port=port, token=token, profile=profile,
                                          admin=previous.get("admin"))
    base = f"{server.url}/provisioning/generic/v2"
    endpoints = runner.read_endpoints(state_dir)
    endpoints["strongdm"] = {"url": server.url, "scim_base_url": base,
                             "scim_token": token or previous.get("scim_token"), "admin": admin}
    runner.write_endpoints(state_dir, endpoints)
    click.echo(f"StrongDM Admin UI  {server.url}/  (admin {admin['email']} / {admin['password']})")
    click.echo(f"SCIM base URL      {base}")
    click.echo(f"SCIM token         {token or '(activate SCIM in the Admin UI, or pass --token)'}")
    click.echo(f"Profile            {profile}    state in {state_dir}    Ctrl-C stops")
    try:
        runner.wait_for_interrupt()
    finally:
        server.stop()


@cli.command()
@click.option("--port", default=8400, show_default=True, help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@click.option("--state-dir", default=".sim", show_default=True, type=click.Path(file_okay=False),
              help="Where the SQLite state lives.")
@click.option("--seed", default=42, show_default=True, help="Faker seed for the directory (first start only).")
@click.option("--users", default=50, show_default=True, help="Users to generate (first start only).")
@click.option("--groups", default=8, show_default=True, help="User groups to generate (first start only).")
def jumpcloud(port, host, state_dir, seed, users, groups):
    """Serve the mock JumpCloud (REST API v1/v2, Directory Insights) alone; seeds only an empty state."""
    from sim import runner
    from sim.jumpcloud.service import start_jumpcloud

    previous = runner.read_endpoints(state_dir).get("jumpcloud", {})
    server, creds = start_jumpcloud(state_dir, host=host, port=port, seed=seed, users=users, groups=groups,
                                    previous={k: previous[k] for k in ("api_key", "admin") if k in previous})
    seeded = creds.pop("seeded_now", False)
    endpoints = runner.read_endpoints(state_dir)
    endpoints["jumpcloud"] = creds
    runner.write_endpoints(state_dir, endpoints)
    key = creds.get("api_key") or "(unknown: shown when the state was first seeded)"
    click.echo(f"JumpCloud API      {server.url}/api  (v2 {server.url}/api/v2)")
    click.echo(f"x-api-key          {key}")
    if creds.get("admin"):
        click.echo(f"Admin              {creds['admin']['email']} / {creds['admin']['password']}")
    click.echo(f"Directory          {creds['users']} users, org {creds['org_id']}"
               f"{'  (seeded now, seed ' + str(seed) + ')' if seeded else '  (existing state)'}")
    click.echo(f"State in {state_dir}; key kept in {state_dir}/endpoints.json    Ctrl-C stops")
    try:
        runner.wait_for_interrupt()
    finally:
        server.stop()
