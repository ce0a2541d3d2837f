"""`sim scenario run` against a running loop, from its endpoints.json: the REST driver, progress, clear errors."""

import json
import socket

from click.testing import CliRunner

from sim.cli import cli
from tests.scenario.helpers import endpoints_of
from tests.scenario.helpers import scenario_file
from tests.scenario.helpers import write_state_dir


def sim(*args):
    return CliRunner().invoke(cli, list(args))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_built_in_scenario_plays_over_the_rest_api_and_reports_what_reached_strongdm(loop, tmp_path):
    state = write_state_dir(tmp_path / "sim", endpoints_of(loop))
    result = sim("scenario", "run", "joiners-movers-leavers", "--state-dir", state, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    kinds = {s["do"] for seg in report["segments"] for s in seg["steps"]}
    assert {"hire", "rename", "transfer", "manager", "configure", "update", "suspend", "reactivate", "delete",
            "create-group", "remove-member", "delete-group"} <= kinds
    seen = {k for seg in report["segments"] for k, v in seg["strongdm"]["changes"].items() if v}
    assert {"users_created", "users_updated", "users_suspended", "users_reactivated", "users_deleted",
            "groups_created", "groups_deleted", "members_added", "members_removed"} <= seen
    config = loop.jc.pusher.idm.get(loop.app_id)
    assert (config["update_method"], config["delete_mode"]) == ("PATCH", "delete")


def test_a_scenario_file_prints_each_step_and_what_reached_strongdm(loop, tmp_path):
    state = write_state_dir(tmp_path / "sim", endpoints_of(loop))
    path = scenario_file(tmp_path / "hire.yaml", None, yaml_text=(
        "steps:\n"
        "  - do: hire\n    username: grace.h\n    email: grace@example.com\n"
        "    firstname: Grace\n    lastname: Hopper\n    groups: [All Staff]\n"
        "  - wait: converged\n"))
    result = sim("scenario", "run", path, "--state-dir", state)
    assert result.exit_code == 0, result.output
    assert "[1/2] hire: hired grace.h (grace@example.com), in All Staff" in result.output
    assert "reached StrongDM: 1 users created, 1 members added" in result.output
    assert "Played 2 steps in 1 segments." in result.output


def test_a_step_jumpcloud_refuses_is_named_with_jumpcloud_s_error(loop, tmp_path):
    state = write_state_dir(tmp_path / "sim", endpoints_of(loop))
    # E000001 is the first hire, in All Staff from the start: adding them again is JumpCloud's 409.
    path = scenario_file(tmp_path / "bad.json", {"steps": [{"do": "add-member", "group": "All Staff",
                                                            "user": "E000001"}]})
    result = sim("scenario", "run", path, "--state-dir", state)
    assert result.exit_code == 1
    assert "step 1 (add-member): JumpCloud refused POST /api/v2/usergroups/" in result.output
    assert "HTTP 409" in result.output


def test_without_a_sim_up_the_error_says_so(tmp_path):
    result = sim("scenario", "run", "joiners-movers-leavers", "--state-dir", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "no `sim up` found" in result.output
    dead = {"jumpcloud": {"url": f"http://127.0.0.1:{free_port()}", "api_key": "k", "app_id": "a" * 24},
            "strongdm": {"scim_base_url": f"http://127.0.0.1:{free_port()}/provisioning/generic/v2",
                         "scim_token": "t"}}
    result = sim("scenario", "run", "joiners-movers-leavers", "--state-dir", write_state_dir(tmp_path / "dead", dead))
    assert result.exit_code == 1
    assert "cannot reach JumpCloud at http://127.0.0.1:" in result.output and "is `sim up` running?" in result.output


def test_a_blank_sim_up_is_refused_before_anything_is_sent(tmp_path):
    blank = {"jumpcloud": {"url": "http://127.0.0.1:9", "api_key": "k", "app_id": None},
             "strongdm": {"scim_base_url": "http://127.0.0.1:9/provisioning/generic/v2", "scim_token": None}}
    result = sim("scenario", "run", "joiners-movers-leavers", "--state-dir", write_state_dir(tmp_path / "b", blank))
    assert result.exit_code == 1
    assert "does not provision StrongDM yet (started with --blank?)" in result.output


def test_scenario_check_validates_a_file_without_running_it(tmp_path):
    good = scenario_file(tmp_path / "good.json", {"name": "leaver", "steps": [{"do": "delete", "user": "x"}]})
    result = sim("scenario", "check", good)
    assert result.exit_code == 0 and "leaver, 1 steps (delete)" in result.output
    bad = scenario_file(tmp_path / "bad.json", {"steps": [{"do": "delete"}]})
    result = sim("scenario", "check", bad)
    assert result.exit_code == 1 and "step 1 (delete): user: is required" in result.output


def test_each_gives_every_step_its_own_report(loop, tmp_path):
    state = write_state_dir(tmp_path / "sim", endpoints_of(loop))
    path = scenario_file(tmp_path / "leave.json", {"steps": [{"do": "suspend", "user": "E000006"},
                                                             {"do": "reactivate", "user": "E000006"}]})
    result = sim("scenario", "run", path, "--state-dir", state, "--json", "--each")
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["segments"]
    assert [[s["do"] for s in seg["steps"]] for seg in segments] == [["suspend"], ["reactivate"]]
    assert segments[0]["strongdm"]["changes"]["users_suspended"]
    assert segments[1]["strongdm"]["changes"]["users_reactivated"]


def test_a_push_strongdm_refuses_is_reported_as_failing_not_waited_for(loop, tmp_path):
    import requests

    # Another identity already owns the email in StrongDM: taking it over is a 409 the pusher parks.
    sdm = endpoints_of(loop)["strongdm"]
    taken = requests.post(sdm["scim_base_url"] + "/Users", headers={"Authorization": f"Bearer {sdm['scim_token']}"},
                          json={"userName": "lin@example.com", "externalId": "someone-else",
                                "name": {"givenName": "Lin", "familyName": "Other"}}, timeout=10)
    assert taken.status_code == 201
    state = write_state_dir(tmp_path / "sim", endpoints_of(loop))
    path = scenario_file(tmp_path / "hire.json", {"steps": [{"do": "hire", "username": "lin", "email": "lin@example.com",
                                                             "firstname": "Lin", "lastname": "Wu",
                                                             "groups": ["All Staff"]}]})
    result = sim("scenario", "run", path, "--state-dir", state, "--json")
    assert result.exit_code == 0, result.output
    segment = json.loads(result.stdout)["segments"][0]
    assert segment["strongdm"]["changes"]["users_updated"] == []
    assert segment["failing"][0]["type"] == "user" and segment["failing"][0]["status"] == 409
    assert "still failing: 1 pushes" in result.stderr
