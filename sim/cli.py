"""The `sim` command: parse options, call one function, print."""

import click

from sim import __version__


@click.group()
@click.version_option(__version__, prog_name="sim")
def cli():
    """Offline simulator of JumpCloud -> StrongDM user provisioning over SCIM 2.0."""
