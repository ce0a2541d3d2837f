"""`sim export`: parse, call sim.export.fixtures.export, print (registered on `sim` by sim/cli.py)."""

import click

from sim.config import DEFAULTS


@click.command("export")
@click.option("--seed", default=DEFAULTS["SEED"], show_default=True, help="Faker seed for the directory.")
@click.option("--users", default=DEFAULTS["USERS"], show_default=True, type=click.IntRange(min=0),
              help="Users to generate.")
@click.option("--groups", default=DEFAULTS["GROUPS"], show_default=True, type=click.IntRange(min=0),
              help="User groups to generate.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory to write the files to.")
@click.option("--edge", type=click.Choice(["none", "default", "heavy"]), default="default", show_default=True,
              help="How many edge-case names (scripts, apostrophes, RTL, namesakes, ...): none, ~2% or ~12%.")
@click.option("--username-style", type=click.Choice(["auto", "dotted", "initial"]), default="auto",
              show_default=True, help="jane.doe (dotted) or jdoe (initial); auto draws one from the seed.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["json", "csv", "ldif", "scim"]),
              help="Extra formats beside the JSON set (repeatable): csv, ldif, scim NDJSON.")
@click.option("--clean", is_flag=True, help="Remove an earlier export's files from --out first.")
@click.option("--scenario", default=None, metavar="NAME|FILE",
              help="Play a lifecycle scenario after the first sync: joiners-movers-leavers, or a JSON/YAML file.")
@click.option("--org-model", type=click.Choice(["groups", "roles"]), default=None,
              help="StrongDM org model: groups (the default, as `sim up`) or roles (legacy orgs).")
def export_command(seed, users, groups, out, edge, username_style, formats, clean, scenario, org_model):
    """Run the whole loop in-process with a fixed clock and ids; write both sides and the SCIM traffic as files."""
    import sys

    from sim.export import fixtures as export_mod
    from sim.export.folder import FolderNotEmpty
    from sim.scenario.steps import ScenarioError

    click.echo(f"Generating {users} users and {groups} groups (seed {seed}), then syncing them", err=True)
    with click.progressbar(length=1, label="Sync", show_pos=True, file=sys.stderr) as bar:
        def progress(done, total):
            bar.length = total
            bar.update(done - bar.pos)
        try:
            result = export_mod.export(out, seed=seed, users=users, groups=groups, progress=progress, edge=edge,
                                       username_style=username_style, formats=("json", *formats), clean=clean,
                                       scenario=scenario, say=lambda line: click.echo(line, err=True),
                                       org_model=org_model)
        except (FolderNotEmpty, ScenarioError) as exc:
            raise click.ClickException(str(exc)) from None
    for what, n in result["counts"].items():
        click.echo(f"{what:<24}{n}")
    click.echo(f"Wrote {len(result['files'])} files to {out} (see {out}/README.md)")
