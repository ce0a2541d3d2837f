"""Tests for sim.scim.filter: the RFC 7644 §3.4.2.2 grammar, evaluation rules, limits and StrongDM's subset."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sim.scim.errors import InvalidFilterError
from sim.scim.errors import InvalidPathError
from sim.scim.filter import And
from sim.scim.filter import AttrPath
from sim.scim.filter import Compare
from sim.scim.filter import Not
from sim.scim.filter import Or
from sim.scim.filter import PatchPath
from sim.scim.filter import Present
from sim.scim.filter import ValuePath
from sim.scim.filter import filter_resources
from sim.scim.filter import matches
from sim.scim.filter import parse
from sim.scim.filter import parse_path
from sim.scim.filter import referenced_paths
from sim.scim.filter import simple_equality
from sim.scim.filter import strongdm_subset

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


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_either_parses_or_raises_invalid_filter(text):
    try:
        parse(text)
    except InvalidFilterError:
        pass
