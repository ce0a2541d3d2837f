"""Tests for matching in sim.scim.filter.parse: RFC 7644 §3.4.2.2 evaluation, case exactness, precedence and deep filters."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.scim.errors import InvalidFilterError
from sim.scim.filter.match import matches
from sim.scim.filter.parse import filter_resources
from sim.scim.filter.parse import parse

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

USER = {
    "schemas": [CORE, ENTERPRISE],
    "id": "a-01ba754f6171667f",
    "externalId": "JC-5f1a",
    "userName": "Barbara.Jensen@example.com",
    "name": {"givenName": "Barbara", "familyName": "O'Malley"},
    "displayName": "Babs Jensen",
    "title": "Tour Guide",
    "userType": "Employee",
    "nickName": None,
    "active": True,
    "loginCount": 42,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "phoneNumbers": [],
    "meta": {
        "resourceType": "User",
        "created": "2011-08-01T18:29:49.793Z",
        "lastModified": "2011-08-01T21:32:44.882Z",
        "version": 'W/"3694e05e9dff591"',
        "location": "https://example.test/v2/Users/a-01ba754f6171667f",
    },
    ENTERPRISE: {
        "employeeNumber": "701984",
        "department": "Tour Operations",
        "manager": {"value": "a-26118915", "displayName": "John Smith"},
    },
}

GROUP = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "id": "r-0d5ac1e2f3a4b5c6",
    "displayName": "Engineering",
    "members": [{"value": "a-abc123", "display": "Dev One"}],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "barbara.jensen@example.com"', True),
        ('USERNAME EQ "Barbara.Jensen@EXAMPLE.com"', True),
        ('userName eq "someone"', False),
        ('userName ne "someone"', True),
        ('userName ne "BARBARA.JENSEN@example.com"', False),
        ('userName co "JENSEN"', True),
        ('userName co "smith"', False),
        ('userName sw "barbara"', True),
        ('userName sw "jensen"', False),
        ('userName ew "@EXAMPLE.COM"', True),
        ('userName ew "@example.org"', False),
        ('displayName gt "Babs"', True),
        ('displayName gt "babs jensen"', False),
        ('displayName ge "BABS JENSEN"', True),
        ('displayName lt "c"', True),
        ('displayName lt "Babs"', False),
        ('displayName le "babs jensen"', True),
        ('name.familyName co "O\'Malley"', True),
        ('name.givenName eq "barbara"', True),
        ('displayName eq "Babs\\u0020Jensen"', True),
        ("title pr", True),
        ("name pr", True),
        ("emails pr", True),
        ("nickName pr", False),
        ("phoneNumbers pr", False),
        ("profileUrl pr", False),
        ("active eq true", True),
        ("active eq false", False),
        ("active ne false", True),
        ("active eq TRUE", True),
        ('active eq "true"', False),
        ("loginCount eq 42", True),
        ("loginCount eq 42.0", True),
        ("loginCount eq 42.5", False),
        ("loginCount gt 41", True),
        ("loginCount ge 42", True),
        ("loginCount lt 42", False),
        ("loginCount le 4.2e1", True),
        ('loginCount eq "42"', False),
        ('meta.lastModified gt "2011-05-13T04:42:34Z"', True),
        ('meta.lastModified lt "2011-05-13T04:42:34Z"', False),
        ('meta.lastModified ge "2011-08-01T21:32:44.882Z"', True),
        # 22:32:44+01:00 is 21:32:44Z, earlier than 21:32:44.882Z; as plain strings it would sort later.
        ('meta.lastModified gt "2011-08-01T22:32:44+01:00"', True),
        ('meta.created eq "2011-08-01T18:29:49.793+00:00"', True),
        ('meta.created eq "2011-08-01T18:29:49.793"', True),
        ('emails.value eq "BJENSEN@example.com"', True),
        ('emails.type eq "home"', True),
        ('emails co "jensen.org"', True),
        ('emails[type eq "work" and value co "@example.com"]', True),
        ('emails[type eq "work" and primary eq true]', True),
        # Each condition holds for some email, but no single email satisfies both.
        ('emails[type eq "home" and primary eq true]', False),
        ('emails[not (type eq "work")]', True),
        ('emails[type eq "other"]', False),
        ('emails[type eq "other" or (type eq "home" and value ew "jensen.org")]', True),
        ('schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', True),
        (f'{CORE}:userName sw "B"', True),
        (f'{CORE.upper()}:USERNAME sw "B"', True),
        (f'{ENTERPRISE}:department eq "tour operations"', True),
        (f'{ENTERPRISE.upper()}:Department eq "Tour Operations"', True),
        (f'{ENTERPRISE}:manager.value eq "a-26118915"', True),
        (f'{ENTERPRISE}:manager[value eq "a-26118915"]', True),
        (f"{ENTERPRISE}:employeeNumber pr", True),
        ('department eq "Tour Operations"', False),
        ('urn:example:other:1.0:User:department eq "Tour Operations"', False),
        ("nickName eq null", True),
        ("profileUrl eq null", True),
        ("phoneNumbers eq null", True),
        ("title eq null", False),
        ("title ne null", True),
        ('nickName ne "x"', True),
    ],
)
def test_a_filter_matches_the_user_exactly_when_expected(text, expected):
    assert matches(parse(text), USER) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id eq "a-01ba754f6171667f"', True),
        ('id eq "A-01BA754F6171667F"', False),
        ('externalId eq "JC-5f1a"', True),
        ('externalId eq "jc-5f1a"', False),
        ('externalId co "5F1A"', False),
        ('meta.version eq "W/\\"3694e05e9dff591\\""', True),
        ('meta.version eq "w/\\"3694E05E9DFF591\\""', False),
        ('meta.location ew "/users/a-01ba754f6171667f"', False),
        ('userName eq "BARBARA.JENSEN@EXAMPLE.COM"', True),
    ],
)
def test_case_exact_attributes_compare_with_case_and_others_without(text, expected):
    assert matches(parse(text), USER) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('members.value eq "a-abc123"', True),
        ('members.value eq "A-ABC123"', False),
        ('members[value eq "a-abc123"]', True),
        ('members[value eq "A-ABC123"]', False),
        ('members[display eq "dev one"]', True),
        ('displayName eq "engineering"', True),
        ('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Engineering"', True),
    ],
)
def test_group_member_values_are_case_exact(text, expected):
    assert matches(parse(text), GROUP) is expected


def test_a_case_exact_override_replaces_the_default_rule():
    def only_username(name):
        return name == "username"

    assert matches(parse('userName eq "barbara.jensen@EXAMPLE.com"'), USER) is True
    assert matches(parse('userName eq "barbara.jensen@EXAMPLE.com"'), USER, case_exact=only_username) is False
    assert matches(parse('externalId eq "jc-5F1A"'), USER, case_exact=only_username) is True


def test_the_case_exact_callable_receives_the_dotted_lowercase_path_including_the_bracketed_parent():
    seen = []

    def record(name):
        seen.append(name)
        return False

    matches(
        parse('emails[Value eq "x"] or Name.GivenName eq "y" or userName eq "z"'), USER, case_exact=record
    )
    assert seen == ["emails.value", "emails.value", "name.givenname", "username"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # `and` binds tighter than `or`: (F and T) or T.
        ('userName eq "nobody" and title pr or active eq true', True),
        ('userName eq "nobody" and (title pr or active eq true)', False),
        # T or (F and F); read left to right it would be (T or F) and F.
        ('active eq true or userName eq "nobody" and title eq "nobody"', True),
        ('(active eq true or userName eq "nobody") and title eq "nobody"', False),
        ('not (userName eq "nobody")', True),
        ("not (title pr)", False),
        ("not(title pr) or active eq true", True),
        ("not (title pr) and active eq true", False),
        ("not (not (title pr))", True),
        ("((title pr))", True),
        ('title PR And userName Sw "b"', True),
        ("NOT (title pr) OR active EQ TRUE", True),
    ],
)
def test_logical_operators_follow_rfc_precedence(text, expected):
    assert matches(parse(text), USER) is expected


def test_exactly_64_levels_of_nesting_are_allowed():
    node = parse("(" * 32 + "emails[" + "(" * 31 + 'type eq "work"' + ")" * 31 + "]" + ")" * 32)
    assert matches(node, USER) is True


def test_a_maximal_or_chain_parses_and_evaluates_without_recursion_trouble():
    text = " or ".join(["b pr"] * 1200 + ["a eq 7"])
    assert len(text) <= 10_000
    node = parse(text)
    assert matches(node, {"a": 7}) is True
    assert matches(node, {"a": 8}) is False


def test_deep_nesting_with_chains_at_every_level_evaluates():
    text = "title pr"
    for level in range(64):
        text = f'(a eq "{level}" or b pr or {text} or c eq 1)'
    assert matches(parse(text), USER) is True
    assert matches(parse(f"not {text}"), USER) is False


@pytest.mark.parametrize(
    ("text", "resource"),
    [
        ('name gt "a"', USER),
        ('isAdmin lt "b"', {"isAdmin": True}),
        ('roles ge "x"', {"roles": [{"type": "admin"}]}),
    ],
)
def test_ordering_a_boolean_or_complex_attribute_raises_invalid_filter_at_evaluation(text, resource):
    node = parse(text)
    with pytest.raises(InvalidFilterError, match="cannot"):
        matches(node, resource)


def test_a_resource_that_is_not_a_dict_never_matches():
    assert matches(parse("title pr"), ["title"]) is False


def test_filter_resources_keeps_the_matching_resources_in_order():
    people = [{"userName": "ann", "active": True}, {"userName": "bob"}, {"userName": "cy", "active": True}]
    assert filter_resources("active eq true", people) == [people[0], people[2]]
    assert filter_resources('userName eq "BOB"', people) == [people[1]]
    with pytest.raises(InvalidFilterError):
        filter_resources("active eq", people)


FILTER_PIECES = st.sampled_from(
    list('()[]." \\:-09ae$')
    + ["eq", " and ", " or ", "not ", " pr", '"x"', "true", "null", "emails", ".value", "1e5"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FILTER_PIECES, max_size=30).map("".join))
def test_any_text_either_parses_and_evaluates_or_raises_invalid_filter(text):
    try:
        node = parse(text)
    except InvalidFilterError:
        return
    try:
        matches(node, USER)
    except InvalidFilterError:
        pass
