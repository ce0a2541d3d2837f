"""RFC 7644 §3.4.2.2 filter parser and evaluator over plain dicts, plus the subset StrongDM documents."""

import re
from collections.abc import Iterable
from typing import NoReturn

from sim.scim.errors import InvalidFilterError
from sim.scim.errors import InvalidPathError
from sim.scim.filter.lexer import EOF
from sim.scim.filter.lexer import MAX_FILTER_LENGTH
from sim.scim.filter.lexer import NUMBER
from sim.scim.filter.lexer import STRING
from sim.scim.filter.lexer import WORD
from sim.scim.filter.lexer import FilterSyntax
from sim.scim.filter.lexer import Token
from sim.scim.filter.lexer import is_attr_name
from sim.scim.filter.lexer import split_attr_path
from sim.scim.filter.lexer import tokenize
from sim.scim.filter.match import CaseExact
from sim.scim.filter.match import matches
from sim.scim.filter.nodes import COMPARE_OPS
from sim.scim.filter.nodes import CORE_URNS
from sim.scim.filter.nodes import ORDERING_OPS
from sim.scim.filter.nodes import SUBSTRING_OPS
from sim.scim.filter.nodes import And
from sim.scim.filter.nodes import AttrPath
from sim.scim.filter.nodes import Compare
from sim.scim.filter.nodes import Node
from sim.scim.filter.nodes import Not
from sim.scim.filter.nodes import Or
from sim.scim.filter.nodes import PatchPath
from sim.scim.filter.nodes import Present
from sim.scim.filter.nodes import ValuePath
from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import USER_URN

# Each "(" or "[" is one level; the cap keeps parser recursion far from Python's limit.
MAX_DEPTH = 64

_LITERALS = {"true": True, "false": False, "null": None}
_KNOWN_BOOLEANS = frozenset({"active", "primary"})  # RFC 7643 §4.1.1 `active`, §2.4 `primary`


# `name eq "plain string"`, the lookup every IdP sends before each push: parsed without the tokenizer.
# Only strings with no escapes and no control characters, so the value is the text between the quotes,
# exactly what json.loads would return; anything else takes the general parser.
_SIMPLE_EQ = re.compile(r'[ \t\r\n]*([A-Za-z][A-Za-z0-9_-]*)[ \t\r\n]+[eE][qQ][ \t\r\n]+"([^"\\\x00-\x1f]*)"[ \t\r\n]*')


def parse(text: str) -> Node:
    """Parse a filter; any malformed input raises InvalidFilterError with position and expectation."""
    if not isinstance(text, str):
        raise InvalidFilterError(f"Invalid filter: expected a string, got {type(text).__name__}.")
    simple = _SIMPLE_EQ.fullmatch(text) if len(text) <= MAX_FILTER_LENGTH else None
    if simple:
        return Compare(AttrPath(None, simple.group(1)), "eq", simple.group(2))
    if not text.strip():
        raise InvalidFilterError("Invalid filter: the filter is empty.")
    try:
        return _Parser(tokenize(text)).whole_filter()
    except FilterSyntax as problem:
        raise InvalidFilterError(problem.detail("filter")) from None


def parse_path(text: str) -> PatchPath:
    """Parse a PATCH operation path (RFC 7644 §3.5.2); malformed input raises InvalidPathError."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidPathError("Invalid path: expected a non-empty string.")
    try:
        return _Parser(tokenize(text)).whole_path()
    except FilterSyntax as problem:
        raise InvalidPathError(problem.detail("path")) from None


class _Parser:
    """Recursive descent over tokens: or < and < not/grouping (RFC 7644 §3.4.2.2, errata 4670)."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def is_keyword(self, token: Token, *words: str) -> bool:
        return token.kind == WORD and token.text.lower() in words

    def fail(self, expected: str, hint: str = "") -> NoReturn:
        token = self.peek()
        raise FilterSyntax(f"expected {expected}, found {token.describe()}{hint}", token.pos)

    def whole_filter(self) -> Node:
        node = self.or_expr(inner=False)
        if self.peek().kind == ".":
            self.fail("'and', 'or' or the end", " (`attr[...].sub` is PATCH path syntax, not filter syntax)")
        if self.peek().kind != EOF:
            self.fail("'and', 'or' or the end")
        return node

    def whole_path(self) -> PatchPath:
        path = self.attr_path()
        node, sub = None, None
        if self.peek().kind == "[":
            node = self.bracketed(path)
            if self.peek().kind == ".":
                self.take()
                if self.peek().kind != WORD or not is_attr_name(self.peek().text):
                    self.fail("a sub-attribute name after '].'")
                sub = self.take().text
        if self.peek().kind != EOF:
            self.fail("'[' or the end of the path")
        return PatchPath(path, node, sub)

    def or_expr(self, inner: bool) -> Node:
        terms = [self.and_expr(inner)]
        while self.is_keyword(self.peek(), "or"):
            self.take()
            terms.append(self.and_expr(inner))
        return _balanced(Or, terms)

    def and_expr(self, inner: bool) -> Node:
        terms = [self.unary(inner)]
        while self.is_keyword(self.peek(), "and"):
            self.take()
            terms.append(self.unary(inner))
        return _balanced(And, terms)

    def unary(self, inner: bool) -> Node:
        if self.peek().kind == "(":
            return self.grouped(inner)
        # `not` is the operator unless an attribute operator follows it (then it names an attribute).
        if self.is_keyword(self.peek(), "not") and not self.is_keyword(self.peek(1), *COMPARE_OPS, "pr"):
            self.take()
            if self.peek().kind != "(":
                self.fail("'(' after 'not'")
            return Not(self.grouped(inner))
        return self.attr_exp(inner)

    def grouped(self, inner: bool) -> Node:
        opener = self.enter()
        node = self.or_expr(inner)
        self.close(")", opener)
        return node

    def bracketed(self, path: AttrPath) -> Node:
        if path.sub:
            raise FilterSyntax(f"'[' cannot follow the sub-attribute '{path.dotted()}'", self.peek().pos)
        opener = self.enter()
        node = self.or_expr(inner=True)
        self.close("]", opener)
        return node

    def enter(self) -> Token:
        opener = self.take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterSyntax(f"nesting is deeper than {MAX_DEPTH} levels", opener.pos)
        return opener

    def close(self, kind: str, opener: Token) -> None:
        if self.peek().kind != kind:
            self.fail(f"'{kind}' to close the '{opener.text}' at position {opener.pos}")
        self.take()
        self.depth -= 1

    def attr_path(self) -> AttrPath:
        if self.peek().kind != WORD:
            self.fail("an attribute name, '(' or 'not'")
        return AttrPath(*split_attr_path(self.take()))

    def attr_exp(self, inner: bool) -> Node:
        name = self.peek()
        path = self.attr_path()
        if inner and (path.urn or path.sub):
            # Inside [...] names are sub-attributes of the bracketed attribute (RFC 7643 §2.3.8: one level only).
            raise FilterSyntax(
                f"inside '[...]' expected a plain sub-attribute name, found {name.describe()}", name.pos
            )
        if self.peek().kind == "[":
            if inner:
                raise FilterSyntax("'[...]' cannot be nested", self.peek().pos)
            return ValuePath(path, self.bracketed(path))
        if not self.is_keyword(self.peek(), *COMPARE_OPS, "pr"):
            self.fail(f"an operator ({', '.join(COMPARE_OPS)}) or 'pr' after {name.describe()}")
        op_token = self.take()
        op = op_token.text.lower()
        if op == "pr":
            if self.peek().kind in (STRING, NUMBER) or self.is_keyword(self.peek(), *_LITERALS):
                raise FilterSyntax("'pr' takes no value", self.peek().pos)
            return Present(path)
        if self.peek().kind in (STRING, NUMBER):
            value = self.take().value
        elif self.is_keyword(self.peek(), *_LITERALS):
            value = _LITERALS[self.take().text.lower()]
        else:
            hint = " (strings must be in double quotes)" if self.peek().kind == WORD else ""
            self.fail(f"a value after '{op_token.text}' (a JSON string, number, true, false or null)", hint)
        _check_operands(path, op, value, op_token)
        return Compare(path, op, value)


def _check_operands(path: AttrPath, op: str, value: object, op_token: Token) -> None:
    """Reject comparisons RFC 7644 §3.4.2.2 gives no meaning to (gt/ge/lt/le on booleans SHALL fail)."""
    literal = "null" if value is None else str(value).lower() if isinstance(value, bool) else "a number"
    if op in ORDERING_OPS and (isinstance(value, bool) or value is None):
        raise FilterSyntax(f"'{op}' cannot compare with {literal}", op_token.pos)
    if op in ORDERING_OPS and (path.sub or path.attr).lower() in _KNOWN_BOOLEANS:
        raise FilterSyntax(f"'{op}' cannot compare the boolean attribute '{path.dotted()}'", op_token.pos)
    if op in SUBSTRING_OPS and not isinstance(value, str):
        raise FilterSyntax(f"'{op}' needs a string value, found {literal}", op_token.pos)


def _balanced(cls: type, terms: list) -> Node:
    """Join and/or terms as a balanced tree, so a 1,000-term chain is 10 levels deep, not 1,000."""
    if len(terms) == 1:
        return terms[0]
    middle = (len(terms) + 1) // 2
    return cls(_balanced(cls, terms[:middle]), _balanced(cls, terms[middle:]))


def filter_resources(text: str, resources: Iterable[dict], case_exact: CaseExact | None = None) -> list:
    """Parse `text` once and return the resources it matches, in order."""
    node = parse(text)
    return [resource for resource in resources if matches(node, resource, case_exact)]


def _is_core(urn: str | None) -> bool:
    return urn is None or urn.lower() in CORE_URNS


def _qualified(path: AttrPath) -> str:
    dotted = path.dotted().lower()
    return dotted if _is_core(path.urn) else f"{path.urn.lower()}:{dotted}"


def referenced_paths(node: Node) -> set[str]:
    """Every attribute the filter names, dotted and lowercase; extension paths keep their URN."""
    found: set[str] = set()
    pending = [(node, "")]
    while pending:
        current, prefix = pending.pop()
        if isinstance(current, And | Or):
            pending += [(current.left, prefix), (current.right, prefix)]
        elif isinstance(current, Not):
            pending.append((current.inner, prefix))
        else:
            found.add(prefix + _qualified(current.path))
            if isinstance(current, ValuePath):
                pending.append((current.filter, prefix + _qualified(current.path) + "."))
    return found


def simple_equality(node: Node) -> tuple[str, object] | None:
    """(dotted lowercase attr, value) if the filter is exactly `<attr> eq <value>` on the core schema, else None."""
    if isinstance(node, Compare) and node.op == "eq" and _is_core(node.path.urn):
        return node.path.dotted().lower(), node.value
    return None


_STRONGDM_FILTERS = {"User": ("userName", "/Users", USER_URN), "Group": ("displayName", "/Groups", GROUP_URN)}


def strongdm_subset(node: Node, resource_type: str) -> tuple[str, str]:
    """(attr, value) for the one filter StrongDM documents per endpoint; anything else is invalidFilter."""
    if resource_type not in _STRONGDM_FILTERS:
        raise ValueError(f"resource_type must be 'User' or 'Group', not {resource_type!r}")
    attr, endpoint, urn = _STRONGDM_FILTERS[resource_type]
    equality = simple_equality(node)
    same_schema = equality is not None and (node.path.urn is None or node.path.urn.lower() == urn.lower())
    if same_schema and equality[0] == attr.lower() and isinstance(equality[1], str):
        return attr, equality[1]
    raise InvalidFilterError(f"Unsupported filter: only '{attr} eq \"...\"' is supported on {endpoint}.")
