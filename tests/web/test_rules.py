"""URL rules whose builders are compiled once per rule shape and shared by every app (sim.web.rules)."""

import pytest
from werkzeug.routing import Map
from werkzeug.routing import Rule

from sim import jumpcloud
from sim import strongdm
from sim.store import Store
from sim.web.rules import BUILDERS
from sim.web.rules import SharedBuilderRule


def sample_values(rule) -> dict:
    """A value for every argument of `rule`, shaped for its converter."""
    def value(name, conv):
        if hasattr(conv, "items"):  # `any(a, b)`: one of its words
            return sorted(conv.items)[0]
        return 7 if type(conv).__name__ in {"IntegerConverter", "FloatConverter"} else f"x-{name}"

    return {name: value(name, conv) for name, conv in rule._converters.items()}


@pytest.mark.parametrize("create_app", [jumpcloud.create_app, strongdm.create_app], ids=["jumpcloud", "strongdm"])
def test_two_apps_share_the_compiled_builders_of_their_rules(create_app):
    first, second = create_app(Store(None)), create_app(Store(None))
    pairs = list(zip(first.url_map.iter_rules(), second.url_map.iter_rules(), strict=True))
    assert pairs and all(isinstance(a, SharedBuilderRule) for a, _ in pairs)
    for a, b in pairs:
        assert a.rule == b.rule and a is not b
        assert a._build.__func__ is b._build.__func__  # compiled once, bound to each rule
        assert a._build.__self__ is a and b._build.__self__ is b


@pytest.mark.parametrize("create_app", [jumpcloud.create_app, strongdm.create_app], ids=["jumpcloud", "strongdm"])
def test_a_shared_builder_builds_the_urls_werkzeugs_own_rule_builds(create_app):
    create_app(Store(None))  # the builders are now shared ones
    app = create_app(Store(None))
    plain = Map([Rule(r.rule, endpoint=r.endpoint, methods=r.methods, defaults=r.defaults)
                 for r in app.url_map.iter_rules()], converters=app.url_map.converters).bind("sim.test")
    shared = app.url_map.bind("sim.test")
    for rule in app.url_map.iter_rules():
        values = {**sample_values(rule), "page": 2, "q": "a b&c"}
        assert shared.build(rule.endpoint, values) == plain.build(rule.endpoint, values), rule.rule


def test_building_another_app_compiles_no_builder(create_app=jumpcloud.create_app):
    create_app(Store(None))
    known = dict(BUILDERS)
    create_app(Store(None))
    assert BUILDERS == known  # nothing new to compile: safe to build in threads (sim.classroom.seats)


def test_rules_that_differ_in_defaults_do_not_share_a_builder():
    one = Map([SharedBuilderRule("/a/<name>", endpoint="one", defaults={"name": "x"})])
    two = Map([SharedBuilderRule("/a/<name>", endpoint="two", defaults={"name": "y"})])
    assert one.bind("h").build("one") == "/a/x" and two.bind("h").build("two") == "/a/y"
