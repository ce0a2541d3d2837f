"""`sim strongdm-keys`: the mock StrongDM's SDK API keys from the command line (registered on `sim` by sim/cli.py)."""

import click

from sim.run.cli_support import STATE_DIR_OPTION
from sim.run.cli_support import existing_strongdm_state


@click.group("strongdm-keys")
def strongdm_keys():
    """Create, list and revoke API keys for the mock StrongDM's SDK API."""


@strongdm_keys.command("create")
@STATE_DIR_OPTION
@click.option("--name", default="cli", show_default=True, help="A name to recognise the key by.")
@click.option("--json", "as_json", is_flag=True, help="Print the key as JSON.")
def strongdm_keys_create(state_dir, name, as_json):
    """Create an API key; the secret is printed now and never again."""
    import json

    from sim.strongdm.api_keys import ApiKeyError
    from sim.strongdm.api_keys import open_api_keys

    try:
        key = open_api_keys(state_dir).create_api_key(name)
    except ApiKeyError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps({k: key[k] for k in ("access_key", "secret", "name", "created_at")}, indent=2))
        return
    click.echo(f"Access key  {key['access_key']}")
    click.echo(f"Secret      {key['secret']}")
    click.echo("Save the secret now: it is not shown again.")


@strongdm_keys.command("list")
@STATE_DIR_OPTION
def strongdm_keys_list(state_dir):
    """List API keys (never their secrets)."""
    from sim.strongdm.api_keys import open_api_keys

    keys = open_api_keys(existing_strongdm_state(state_dir)).list_api_keys()
    for key in keys:
        click.echo(f"{key['access_key']}  {key['created_at']}  {key['name']}")
    if not keys:
        click.echo("No API keys.")


@strongdm_keys.command("revoke")
@STATE_DIR_OPTION
@click.argument("access_key")
def strongdm_keys_revoke(state_dir, access_key):
    """Delete an API key; calls signed with it fail from now on."""
    from sim.strongdm.api_keys import ApiKeyError
    from sim.strongdm.api_keys import open_api_keys

    try:
        key = open_api_keys(existing_strongdm_state(state_dir)).revoke_api_key(access_key)
    except ApiKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Revoked {key['access_key']} ({key['name']}).")
