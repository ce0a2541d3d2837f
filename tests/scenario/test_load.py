"""Reading scenario files: JSON and YAML mean the same, bad files are refused with the file's name and why."""

import pytest

from sim.scenario.load import check
from sim.scenario.load import read_file
from sim.scenario.steps import ScenarioError
from tests.scenario.helpers import scenario_file

STEPS = {"name": "leave and return", "steps": [
    {"do": "suspend", "user": "jdoe"}, {"wait": "converged"}, {"do": "reactivate", "user": "jdoe"}]}
YAML = """\
name: leave and return
steps:
  - do: suspend
    user: jdoe
  - wait: converged
  - do: reactivate
    user: jdoe
"""


def test_a_yaml_file_and_a_json_file_with_the_same_steps_are_the_same_scenario(tmp_path):
    from_json = read_file(scenario_file(tmp_path / "s.json", STEPS))
    from_yaml = read_file(scenario_file(tmp_path / "s.yaml", None, yaml_text=YAML))
    assert from_json == from_yaml
    assert from_json.to_dict()["steps"] == STEPS["steps"]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.json", '{"steps": [', "bad.json: not valid JSON"),
    ("nan.json", '{"steps": [{"wait": "converged", "timeout": NaN}]}', "NaN is not JSON"),
    ("bad.yaml", "steps: [do: x\n", "bad.yaml: not valid YAML"),
    ("tag.yaml", "steps: !!python/object/apply:os.system ['true']\n", "tag.yaml: not valid YAML"),
    ("step.yml", "steps:\n  - do: suspend\n", "step.yml: step 1 (suspend): user: is required"),
])
def test_a_file_that_is_not_a_scenario_is_refused_naming_the_file(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_file(str(path))


def test_a_missing_file_that_is_no_built_in_names_the_built_ins(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file, and not a built-in scenario "
                                            r"\(joiners-movers-leavers\)"):
        check(str(tmp_path / "nope.json"))
    assert check("joiners-movers-leavers") is None  # written for its directory when it runs


def test_a_file_that_is_not_utf8_or_too_big_is_refused(tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(ScenarioError, match="a scenario file is UTF-8 text"):
        read_file(str(latin))
    big = tmp_path / "big.json"
    big.write_text(" " * (1 << 20 + 1))
    with pytest.raises(ScenarioError, match="a scenario file holds at most"):
        read_file(str(big))


@pytest.mark.parametrize(("name", "text"), [("deep.json", "[" * 100_000), ("deep.yaml", "[" * 100_000)])
def test_a_file_nested_too_deep_is_refused_not_a_crash(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ScenarioError, match="nested too deep to be a scenario|not valid"):
        read_file(str(path))
