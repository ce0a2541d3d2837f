"""Tests for parsing in sim.scim.filter.parse: the RFC 7644 §3.4.2.2 grammar, errors, limits, PATCH paths and StrongDM's subset."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.scim.errors import InvalidFilterError
from sim.scim.errors import InvalidPathError
from sim.scim.filter.nodes import And
from sim.scim.filter.nodes import AttrPath
from sim.scim.filter.nodes import Compare
from sim.scim.filter.nodes import Not
from sim.scim.filter.nodes import Or
from sim.scim.filter.nodes import PatchPath
from sim.scim.filter.nodes import Present
from sim.scim.filter.nodes import ValuePath
from sim.scim.filter.parse import parse
from sim.scim.filter.parse import parse_path
from sim.scim.filter.parse import referenced_paths
from sim.scim.filter.parse import simple_equality
from sim.scim.filter.parse import strongdm_subset

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


# RFC 7644 §3.4.2.2, the example filters listed under "Example filters".
RFC_EXAMPLES = [
    'userName eq "bjensen"',
    'name.familyName co "O\'Malley"',
    'userName sw "J"',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
    "title pr",
    'meta.lastModified gt "2011-05-13T04:42:34Z"',
    'meta.lastModified ge "2011-05-13T04:42:34Z"',
    'meta.lastModified lt "2011-05-13T04:42:34Z"',
    'meta.lastModified le "2011-05-13T04:42:34Z"',
    'title pr and userType eq "Employee"',
    'title pr or userType eq "Intern"',
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    'userType eq "Employee" and (emails.type eq "work")',
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
]


def path(attr, sub=None, urn=None):
    return AttrPath(urn, attr, sub)


@pytest.mark.parametrize("text", RFC_EXAMPLES)
def test_every_rfc_example_filter_parses(text):
    assert parse(text) is not None


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a pr or b pr and c pr", Or(Present(path("a")), And(Present(path("b")), Present(path("c"))))),
        ("(a pr or b pr) and c pr", And(Or(Present(path("a")), Present(path("b"))), Present(path("c")))),
        ("not (a pr) and b pr", And(Not(Present(path("a"))), Present(path("b")))),
        ("a pr and b pr and c pr", And(And(Present(path("a")), Present(path("b"))), Present(path("c")))),
        ('name.givenName Eq "x"', Compare(path("name", "givenName"), "eq", "x")),
        (
            f'{ENTERPRISE}:manager.value eq "m"',
            Compare(path("manager", "value", urn=ENTERPRISE), "eq", "m"),
        ),
        (
            'emails[type eq "work" and primary eq true]',
            ValuePath(
                path("emails"),
                And(Compare(path("type"), "eq", "work"), Compare(path("primary"), "eq", True)),
            ),
        ),
        ('members.$ref eq "x"', Compare(path("members", "$ref"), "eq", "x")),
        ("not eq 1", Compare(path("not"), "eq", 1)),
    ],
)
def test_parse_builds_the_expected_tree(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('"plain"', "plain"),
        ('"quote \\" backslash \\\\ tab \\t"', 'quote " backslash \\ tab \t'),
        ('"\\u00e9t\\u00e9"', "été"),
        ('"été 😀"', "été 😀"),
        ('""', ""),
        ("0", 0),
        ("-17", -17),
        ("3.25", 3.25),
        ("1E3", 1000.0),
        ("-2.5e-2", -0.025),
        ("true", True),
        ("False", False),
        ("NULL", None),
    ],
)
def test_compare_values_decode_as_json(literal, value):
    node = parse(f"x eq {literal}")
    assert node.value == value and type(node.value) is type(value)


def test_dotted_joins_attribute_and_sub_attribute_without_the_urn():
    assert parse(f"{ENTERPRISE}:manager.value pr").path.dotted() == "manager.value"
    assert parse("userName pr").path.dotted() == "userName"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("userName eq", "expected a value after 'eq'"),
        ('userName "x"', "expected an operator"),
        ('userName xx "x"', "expected an operator"),
        ("userName eq bjensen", "double quotes"),
        ("userName eq 'bjensen'", "unexpected character"),
        ('(userName eq "x"', "expected ')' to close the '(' at position 0"),
        ('((userName eq "x")', "expected ')'"),
        ('userName eq "x")', "expected 'and', 'or' or the end"),
        (')userName eq "x"', "expected an attribute name"),
        ('userName eq "x', "unterminated string"),
        ('userName eq "x" garbage', "expected 'and', 'or' or the end"),
        ('userName eq "x" title pr', "expected 'and', 'or' or the end"),
        ('title pr "x"', "'pr' takes no value"),
        ("title pr true", "'pr' takes no value"),
        ("title pr 3", "'pr' takes no value"),
        ('a eq "\\x"', "invalid JSON string"),
        ('a eq "\x01"', "invalid JSON string"),
        ('a eq "\\ud83d"x', "expected 'and'"),
        ('a eq "x" and', "expected an attribute name"),
        ('a eq "x" or or b pr', "expected an operator"),
        ("and", "expected an operator"),
        ("not a pr", "expected '(' after 'not'"),
        ("not", "expected '(' after 'not'"),
        ("()", "expected an attribute name"),
        ("[a pr]", "expected an attribute name"),
        ("a pr]", "expected 'and', 'or' or the end"),
        ('emails[type eq "work"', "expected ']'"),
        ('emails[type eq "work")', "expected ']'"),
        ('emails[type eq "work"]]', "expected 'and', 'or' or the end"),
        ("emails[]", "expected an attribute name"),
        ('emails[type[value eq "x"] eq "y"]', "cannot be nested"),
        ('emails[urn:ietf:x:type eq "w"]', "plain sub-attribute"),
        ('emails[value.x eq "w"]', "plain sub-attribute"),
        ('name.givenName[value eq "x"]', "cannot follow the sub-attribute"),
        ('emails[type eq "work"].value eq "x"', "PATCH path syntax"),
        ('a.b.c eq "x"', "expected name, name.subName"),
        ('a. eq "x"', "expected name, name.subName"),
        ('foo:bar eq "x"', "expected name, name.subName"),
        ('$foo eq "x"', "expected name, name.subName"),
        ('userNäme eq "x"', "unexpected character 'ä'"),
        ('1abc eq "x"', "expected an attribute name"),
        ('a eq "x" && b pr', "unexpected character '&'"),
        ("a gt true", "'gt' cannot compare with true"),
        ("a ge false", "'ge' cannot compare with false"),
        ("a lt null", "'lt' cannot compare with null"),
        ('active gt "x"', "boolean attribute 'active'"),
        ("emails[primary le 1]", "boolean attribute 'primary'"),
        ("a co 1", "'co' needs a string value, found a number"),
        ("a sw null", "'sw' needs a string value, found null"),
        ("a ew true", "'ew' needs a string value, found true"),
        ("a eq -", "invalid number"),
        ("a eq .5", "expected a value"),
        ("a eq 1e999", "out of range"),
        ("a eq 1" + "0" * 5000, "too long"),
    ],
)
def test_a_malformed_filter_raises_invalid_filter_with_a_helpful_detail(text, fragment):
    with pytest.raises(InvalidFilterError) as raised:
        parse(text)
    assert fragment in raised.value.detail
    assert raised.value.status == 400 and raised.value.scim_type == "invalidFilter"


@pytest.mark.parametrize(
    ("text", "position"),
    [("userName eq", 11), ('userName eq "x" garbage', 16), ("userName xx 1", 9), ('a eq "x', 5)],
)
def test_the_detail_names_the_position_of_the_problem(text, position):
    with pytest.raises(InvalidFilterError, match=f"at position {position}:"):
        parse(text)


@pytest.mark.parametrize("value", [None, 42, 4.2, b'userName eq "x"', ['userName eq "x"'], {"a": 1}])
def test_a_non_string_filter_raises_invalid_filter(value):
    with pytest.raises(InvalidFilterError, match="expected a string"):
        parse(value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("(" * 65 + "a pr" + ")" * 65, "deeper than 64"),
        ("not (" * 65 + "a pr" + ")" * 65, "deeper than 64"),
        ("(" * 4990 + "a pr" + ")" * 4990, "deeper than 64"),
        ("(" * 10_000 + "a pr" + ")" * 10_000, "limit is 10,000"),
        ('a eq "' + "x" * 1_000_000 + '"', "limit is 10,000"),
        ("a pr or " * 1250 + "a pr", "limit is 10,000"),
    ],
)
def test_hostile_sizes_and_depths_raise_invalid_filter(text, fragment):
    with pytest.raises(InvalidFilterError, match=fragment):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "x"', ("username", "x")),
        ('USERNAME EQ "Mixed"', ("username", "Mixed")),
        ('(userName eq "x")', ("username", "x")),
        (f'{CORE}:userName eq "x"', ("username", "x")),
        ('urn:ietf:params:scim:schemas:core:2.0:group:displayName eq "x"', ("displayname", "x")),
        ('name.givenName eq "x"', ("name.givenname", "x")),
        ("externalId eq 5", ("externalid", 5)),
        ("userName eq null", ("username", None)),
        ('userName ne "x"', None),
        ('userName co "x"', None),
        ("title pr", None),
        ('userName eq "x" and title pr', None),
        ('userName eq "x" or userName eq "y"', None),
        ('not (userName eq "x")', None),
        ('emails[value eq "x"]', None),
        (f'{ENTERPRISE}:department eq "x"', None),
    ],
)
def test_simple_equality_recognises_a_lone_core_equality(text, expected):
    assert simple_equality(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "resource_type", "expected"),
    [
        ('userName eq "a@b.test"', "User", ("userName", "a@b.test")),
        ('USERNAME Eq "A@B.test"', "User", ("userName", "A@B.test")),
        (f'{CORE}:userName eq "a"', "User", ("userName", "a")),
        ('displayName eq "Engineering"', "Group", ("displayName", "Engineering")),
        ('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "E"', "Group", ("displayName", "E")),
    ],
)
def test_strongdm_subset_accepts_its_documented_filters(text, resource_type, expected):
    assert strongdm_subset(parse(text), resource_type) == expected


@pytest.mark.parametrize(
    ("text", "resource_type"),
    [
        ('displayName eq "x"', "User"),
        ('userName eq "x"', "Group"),
        ('userName co "x"', "User"),
        ('userName sw "x"', "User"),
        ('userName eq "x" and active eq true', "User"),
        ('externalId eq "x"', "User"),
        ('emails.value eq "x"', "User"),
        ('emails[value eq "x"]', "User"),
        ("userName eq 5", "User"),
        ("userName eq null", "User"),
        ('urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "x"', "User"),
        ('displayName ne "x"', "Group"),
        ("displayName pr", "Group"),
    ],
)
def test_strongdm_subset_rejects_everything_else_with_its_message(text, resource_type):
    endpoint, attr = {"User": ("/Users", "userName"), "Group": ("/Groups", "displayName")}[resource_type]
    with pytest.raises(InvalidFilterError) as raised:
        strongdm_subset(parse(text), resource_type)
    assert raised.value.detail == f"Unsupported filter: only '{attr} eq \"...\"' is supported on {endpoint}."


def test_strongdm_subset_refuses_an_unknown_resource_type():
    with pytest.raises(ValueError):
        strongdm_subset(parse('userName eq "x"'), "Users")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "x"', {"username"}),
        (
            'userName eq "x" and (name.givenName pr or not (emails[type eq "work" and Value co "@x"]))',
            {"username", "name.givenname", "emails", "emails.type", "emails.value"},
        ),
        (
            f'{ENTERPRISE}:manager.value eq "x" or {CORE}:title pr',
            {f"{ENTERPRISE.lower()}:manager.value", "title"},
        ),
    ],
)
def test_referenced_paths_lists_every_named_attribute(text, expected):
    assert referenced_paths(parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name.givenName", PatchPath(path("name", "givenName"))),
        ("active", PatchPath(path("active"))),
        (
            'emails[type eq "work"].value',
            PatchPath(path("emails"), Compare(path("type"), "eq", "work"), "value"),
        ),
        ('members[value eq "a-1"]', PatchPath(path("members"), Compare(path("value"), "eq", "a-1"))),
        (f"{ENTERPRISE}:manager", PatchPath(path("manager", urn=ENTERPRISE))),
    ],
)
def test_parse_path_reads_rfc_7644_patch_paths(text, expected):
    assert parse_path(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        'emails[type eq "work"].',
        'emails[type eq "work"].value.display',
        'emails[type eq "work"] eq "x"',
        'name.givenName eq "x"',
        'emails[type eq "work"',
        "a.b.c",
    ],
)
def test_a_malformed_patch_path_raises_invalid_path(text):
    with pytest.raises(InvalidPathError) as raised:
        parse_path(text)
    assert raised.value.scim_type == "invalidPath"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_either_parses_or_raises_invalid_filter(text):
    try:
        parse(text)
    except InvalidFilterError:
        pass
