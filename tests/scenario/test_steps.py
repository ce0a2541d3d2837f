"""Scenario validation: every refusal names the step and the field, and a valid file keeps what it says."""

import pytest

from sim.scenario.steps import ScenarioError
from sim.scenario.steps import parse_scenario


def refusal(steps) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario({"steps": steps})
    return str(caught.value)


@pytest.mark.parametrize(("steps", "message"), [
    ([{"do": "hire", "username": "ada"}], "step 1 (hire): email: is required"),
    ([{"wait": "converged"}, {"do": "fire", "user": "x"}], "step 2: do: unknown step 'fire'"),
    ([{"do": "suspend", "user": "x", "reason": "y"}], "step 1 (suspend): reason: is not a field of `suspend`"),
    ([{"do": "suspend", "user": ""}], "step 1 (suspend): user: must be a non-empty string"),
    ([{"do": "rename", "user": "x"}], "step 1 (rename): user: a rename changes at least one of"),
    ([{"do": "transfer", "user": "x", "department": "Sales", "groups": ["Sales"]}],
     "step 1 (transfer): groups: must be an object with `add` and/or `remove`"),
    ([{"do": "hire", "username": "a", "email": "a@x", "groups": "Sales"}], "step 1 (hire): groups: must be a list"),
    ([{"do": "hire", "username": "a", "email": "nobody"}], "step 1 (hire): email: must be an email address"),
    ([{"do": "hire", "username": "a", "email": "a@x", "state": "GONE"}], "step 1 (hire): state: must be one of"),
    ([{"do": "configure"}], "step 1 (configure): update_method: configure sets"),
    ([{"do": "configure", "update_method": "POST"}], "step 1 (configure): update_method: must be one of PUT, PATCH"),
    ([{"do": "update", "user": "x", "fields": {"email": 7}}], "step 1 (update): fields: email"),
    ([{"do": "update", "user": "x", "fields": []}], "step 1 (update): fields:"),
    ([{"do": "create-group", "name": "G", "bind": "yes"}], "step 1 (create-group): bind: must be true or false"),
    ([{"wait": "soon"}], "step 1 (wait): wait: the only wait is `converged`"),
    ([{"wait": "converged", "timeout": 0}], "step 1 (wait): timeout: must be a number of seconds"),
    ([{"wait": "converged", "do": "hire"}], "step 1: do: a step either does something"),
    (["hire"], "step 1: must be an object with `do` or `wait`, not str"),
])
def test_a_bad_step_is_refused_with_its_number_and_field(steps, message):
    assert message in refusal(steps)


def test_a_scenario_needs_steps_and_only_knows_its_own_fields():
    with pytest.raises(ScenarioError, match="scenario: steps: must be a non-empty list"):
        parse_scenario({"name": "x", "steps": []})
    with pytest.raises(ScenarioError, match="scenario: timeline: is not a scenario field"):
        parse_scenario({"timeline": []})
    with pytest.raises(ScenarioError, match="a scenario is an object with `steps`"):
        parse_scenario("steps")


def test_a_valid_scenario_round_trips_through_to_dict():
    doc = {"name": "movers", "description": "two moves", "steps": [
        {"do": "transfer", "user": "jdoe", "department": "Sales", "groups": {"add": ["Sales"], "remove": ["Support"]}},
        {"do": "manager", "user": "jdoe", "manager": None, "note": "reports to nobody"},
        {"wait": "converged", "timeout": 30},
    ]}
    scenario = parse_scenario(doc)
    assert [s.label() for s in scenario.steps] == ["step 1 (transfer)", "step 2 (manager)", "step 3 (wait)"]
    assert scenario.to_dict() == doc
    assert parse_scenario(doc["steps"]).name == "scenario"  # a bare list of steps is a scenario too
