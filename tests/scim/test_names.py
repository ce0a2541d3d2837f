"""The one rule both apps compare userNames, emails and group names by (sim.scim.names)."""

from sim.scim.filter.match import matches
from sim.scim.filter.parse import parse
from sim.scim.names import name_key


def test_case_is_ignored_but_nothing_is_folded_into_another_letter():
    assert name_key("Ada.LOVELACE@Example.TEST") == "ada.lovelace@example.test"
    assert name_key("STRAẞE.rt@x.test") == "straße.rt@x.test"
    assert name_key("straße.rt@x.test") != name_key("strasse.rt@x.test")


def test_a_scim_eq_filter_compares_by_the_same_rule():
    user = {"userName": "straße.rt@example.test"}
    assert matches(parse('userName eq "STRAẞE.RT@example.test"'), user)
    assert not matches(parse('userName eq "strasse.rt@example.test"'), user)
