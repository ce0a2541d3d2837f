"""The API filter language: tokenizing, quoting, wildcards, case, AND, and what is refused."""

import json

import pytest

from sim.strongdm.sdk.filters import FilterError
from sim.strongdm.sdk.filters import Term
from sim.strongdm.sdk.filters import account_filter
from sim.strongdm.sdk.filters import attachment_filter
from sim.strongdm.sdk.filters import role_filter
from sim.strongdm.sdk.filters import tokenize

ADA = {"id": "a-1", "email": "ada@example.test", "first_name": "Ada", "last_name": "Lovelace", "suspended": False,
       "tags": {"team": "db", "env": "prod"}}
ZOE = {"id": "a-2", "email": "zoë+x@example.test", "first_name": "Zoë", "last_name": "O\"Neil \\ Smith",
       "suspended": True, "tags": {}}


def quote(value):
    """What the SDK's `?` placeholder sends (plumbing.quote_filter_args: json.dumps)."""
    return json.dumps(value)


@pytest.mark.parametrize(("text", "terms"), [
    ("", []),
    ("   ", []),
    ("email:a@b", [Term("email", "a@b")]),
    ("EMAIL:a@b", [Term("email", "a@b")]),
    ('name:"Ada Lovelace"', [Term("name", "Ada Lovelace")]),
    ('name:"say \\"hi\\"" id:x', [Term("name", 'say "hi"'), Term("id", "x")]),
    ("name:\"\\u00e9\"", [Term("name", "é")]),
    ("  a:1   b:2 ", [Term("a", "1"), Term("b", "2")]),
    ("url:http://x", [Term("url", "http://x")]),
    ("email:", [Term("email", "")]),
])
def test_tokenize_splits_terms_and_decodes_json_quoted_values(text, terms):
    assert tokenize(text) == terms


@pytest.mark.parametrize("text", [
    "email", "email:a b", ':x', 'email:"open', 'email:a"b', 'name:"a"b', 'email:"a":x', "em ail:x", "1x:y",
    'name:123"',
])
def test_malformed_filters_raise(text):
    with pytest.raises(FilterError):
        tokenize(text) and account_filter(text)


@pytest.mark.parametrize(("text", "ada", "zoe"), [
    ("", True, True),
    ("email:ada@example.test", True, False),
    ("email:ADA@EXAMPLE.TEST", True, False),
    ("email:*@example.test", True, True),
    ("email:ada*", True, False),
    ("email:*ada", False, False),
    ("email:ada", False, False),
    ("firstname:" + quote("Zoë"), False, True),
    ("firstname:" + quote("ZOË"), False, True),
    ("lastname:" + quote('O"Neil \\ Smith'), False, True),
    ("name:" + quote("Ada Lovelace"), True, False),
    ("name:*love*", True, False),
    ("email:" + quote("zoë+x@example.test"), False, True),
    ("email:a.a@example.test", False, False),
    ("suspended:true", False, True),
    ("suspended:FALSE", True, False),
    ("type:user", True, True),
    ("type:service", False, False),
    ("id:a-1", True, False),
    ("tags:team=db", True, False),
    ("tags:team=d*", True, False),
    ("tags:env", True, False),
    ("tags:team=ops", False, False),
    ("email:*@example.test suspended:false", True, False),
    ("email:*@example.test firstname:zo*", False, True),
])
def test_account_filters_match_whole_values_ignoring_case(text, ada, zoe):
    keep = account_filter(text)
    assert (keep(ADA), keep(ZOE)) == (ada, zoe)


def test_regex_metacharacters_in_values_match_literally():
    assert account_filter("email:a.+@example.test")({**ADA, "email": "a.+@example.test"})
    assert not account_filter("email:a.+@example.test")({**ADA, "email": "aaa@example.test"})


@pytest.mark.parametrize(("maker", "text"), [
    (account_filter, "roleid:r-1"),
    (account_filter, "suspended:yes"),
    (account_filter, "tags:=x"),
    (role_filter, "email:x"),
    (attachment_filter, "name:x"),
])
def test_fields_a_service_does_not_know_and_bad_values_raise(maker, text):
    with pytest.raises(FilterError):
        maker(text)


def test_role_and_attachment_filters_read_their_fields():
    assert role_filter("name:eng*")({"id": "r-1", "name": "Engineering"})
    assert not role_filter("id:r-2")({"id": "r-1", "name": "Engineering"})
    attachment = {"id": "aa-1", "account_id": "a-1", "role_id": "r-1"}
    assert attachment_filter("accountid:a-1 roleid:r-1")(attachment)
    assert not attachment_filter("accountid:a-1 roleid:r-2")(attachment)


@pytest.mark.parametrize("text", ["tags:team=db", 'tags:team="db"', 'tag:"team"="db"', 'tags:"team"=db',
                                  "tags:team=" + quote("db"), 'tags:"te=am"', 'tags:team="d*"'])
def test_every_tag_filter_form_the_sdk_and_terraform_write(text):
    tagged = {**ADA, "tags": {"team": "db", "te=am": "x"}}
    assert account_filter(text)(tagged)
    assert not account_filter(text)({**ADA, "tags": {"team": "ops"}})
