"""`sim export --scenario`: the built-in timeline puts every kind of SCIM request JumpCloud sends in exchanges.jsonl."""

import json

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.export import fixtures as export
from tests.export.helpers import exchange_lines
from tests.export.helpers import kinds_in
from tests.export.helpers import read_tree
from tests.export.helpers import request_kind
from tests.export.helpers import segment_of

ARGS = {"seed": 42, "users": 30, "groups": 6}
EVERY_KIND = {
    "GET Users filter", "POST Users", "PUT user update", "PATCH user update", "PATCH user active false",
    "PATCH user active true", "DELETE Users", "POST Groups", "PATCH group add members", "PATCH group remove members",
    "PATCH group rename", "DELETE Groups",
}


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    out = tmp_path_factory.mktemp("jml")
    export.export(str(out), **ARGS, scenario="joiners-movers-leavers")
    return out, json.loads((out / "scenario.json").read_text(encoding="utf-8"))


def test_the_built_in_scenario_sends_every_kind_of_scim_request_after_the_first_sync(played):
    out, doc = played
    lines = exchange_lines(out)
    first = doc["segments"][0]["exchanges"]["first"]
    after_first_sync = {request_kind(e) for e in lines[first - 1:]}
    assert EVERY_KIND <= after_first_sync, EVERY_KIND - after_first_sync


def test_each_step_s_traffic_is_in_the_segment_that_holds_it(played):
    out, doc = played
    lines = exchange_lines(out)
    assert {"GET Users filter", "POST Users", "PATCH group add members"} <= kinds_in(lines, segment_of(doc, "hire"))
    assert {"PUT user update", "PATCH group remove members"} <= kinds_in(lines, segment_of(doc, "transfer"))
    assert "PATCH user update" in kinds_in(lines, segment_of(doc, "update"))
    assert "PATCH user active false" in kinds_in(lines, segment_of(doc, "suspend"))
    assert {"PATCH user active true", "DELETE Users", "POST Groups"} <= kinds_in(lines, segment_of(doc, "delete"))
    assert {"PATCH group rename", "DELETE Groups"} <= kinds_in(lines, segment_of(doc, "delete-group"))


def test_what_reached_strongdm_is_reported_per_segment(played):
    _, doc = played
    hires = segment_of(doc, "hire")["strongdm"]["changes"]
    assert len(hires["users_created"]) == 2
    leaver = segment_of(doc, "delete")
    deleted = next(s for s in leaver["steps"] if s["do"] == "delete")["did"].removeprefix("deleted ")
    assert any(u.startswith(deleted + "@") for u in leaver["strongdm"]["changes"]["users_deleted"])
    assert segment_of(doc, "delete-group")["strongdm"]["changes"]["groups_deleted"]


def test_an_export_with_a_scenario_is_byte_identical_run_after_run(played, tmp_path):
    out, _ = played
    export.export(str(tmp_path / "again"), **ARGS, scenario="joiners-movers-leavers")
    assert read_tree(tmp_path / "again") == read_tree(out)


def test_the_readme_names_the_scenario_and_lists_its_segments(played):
    out, doc = played
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "--scenario joiners-movers-leavers`" in readme
    assert "`scenario.json`" in readme
    assert readme.count("\n| ") >= len(doc["segments"])


def test_a_scenario_file_that_does_not_validate_fails_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"steps": [{"do": "hire", "username": "ada"}]}))
    result = CliRunner().invoke(cli, ["export", "--users", "5", "--groups", "2", "--out", str(tmp_path / "out"),
                                      "--scenario", str(bad)])
    assert result.exit_code == 1
    assert "step 1 (hire): email: is required" in result.output
    assert not (tmp_path / "out").exists()


def test_the_cli_plays_a_scenario_file_and_prints_its_steps(tmp_path):
    steps = tmp_path / "leaver.json"
    steps.write_text(json.dumps({"name": "one leaver", "steps": [
        {"do": "suspend", "user": "E000005"}, {"wait": "converged"}]}))
    result = CliRunner().invoke(cli, ["export", "--seed", "3", "--users", "8", "--groups", "2",
                                      "--out", str(tmp_path / "out"), "--scenario", str(steps)])
    assert result.exit_code == 0, result.output
    assert "[1/2] suspend" in result.output
    assert "1 users suspended" in result.output


def test_a_step_that_fails_while_playing_stops_the_export_and_writes_nothing(tmp_path):
    steps = tmp_path / "ghost.json"
    steps.write_text(json.dumps({"steps": [{"do": "suspend", "user": "nobody.at.all"}]}))
    result = CliRunner().invoke(cli, ["export", "--seed", "3", "--users", "8", "--groups", "2",
                                      "--out", str(tmp_path / "out"), "--scenario", str(steps)])
    assert result.exit_code == 1
    assert "step 1 (suspend): user: no JumpCloud user 'nobody.at.all'" in result.output
    assert not (tmp_path / "out").exists()


def test_the_built_in_scenario_says_what_a_directory_too_small_for_it_lacks(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--seed", "3", "--users", "6", "--groups", "2",
                                      "--out", str(tmp_path / "out"), "--scenario", "joiners-movers-leavers"])
    assert result.exit_code == 1
    assert "joiners-movers-leavers needs a directory with at least 12 active users" in result.output
