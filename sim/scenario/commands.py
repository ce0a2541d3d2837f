"""The `sim scenario` commands: parse, call one function, print (registered on `sim` by sim/cli.py)."""

import click


@click.group("scenario")
def scenario_group():
    """Lifecycle scenarios: play one against a running `sim up`, or check a scenario file."""


@scenario_group.command("run")
@click.argument("source", metavar="NAME|FILE")
@click.option("--state-dir", default=".sim", show_default=True, type=click.Path(file_okay=False),
              help="The state dir of the running `sim up` (its endpoints.json).")
@click.option("--json", "as_json", is_flag=True, help="Print the report (steps and what reached StrongDM) as JSON.")
@click.option("--each", is_flag=True, help="Wait for the pusher after every step: one report per step.")
def scenario_run(source, state_dir, as_json, each):
    """Play a scenario (joiners-movers-leavers, or a JSON/YAML file) against the `sim up` of --state-dir."""
    import json

    from sim.run.runner import read_endpoints
    from sim.scenario import remote
    from sim.scenario.steps import ScenarioError

    try:
        report = remote.run(read_endpoints(state_dir), source, where=state_dir,
                            say=lambda line: click.echo(line, err=as_json), each=each)
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(f"Played {len(report['scenario']['steps'])} steps in {len(report['segments'])} segments.")


@scenario_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def scenario_check(path):
    """Validate a scenario file without running it (errors name the step and the field)."""
    from sim.scenario.load import read_file
    from sim.scenario.steps import ScenarioError

    try:
        scenario = read_file(path)
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    kinds = sorted({s.kind for s in scenario.steps})
    click.echo(f"{path}: {scenario.name}, {len(scenario.steps)} steps ({', '.join(kinds)})")
