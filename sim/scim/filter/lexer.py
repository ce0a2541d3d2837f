"""Tokenizer for SCIM filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2): text in, flat token list out."""

import json
import math
import re
from dataclasses import dataclass

# A filter arrives in a URL; anything this long is hostile or broken, and the cap bounds all later work.
MAX_FILTER_LENGTH = 10_000

WORD = "word"
STRING = "string"
NUMBER = "number"
EOF = "end"
PUNCTUATION = "()[]."

_WHITESPACE = re.compile(r"[ \t\r\n]+")
# Attribute paths, keywords and literals: `name.givenName`, `urn:...:2.0:User:manager.value`, `eq`, `true`.
_WORD = re.compile(r"[A-Za-z$][A-Za-z0-9_\-.:$]*")
# RFC 8259 §6 number.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# The two alternatives cannot overlap, so matching stays linear on hostile input.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_ATTRNAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|\$ref")  # RFC 7643 §2.1, plus `$ref` (§2.3.7)


class FilterSyntax(Exception):
    """A syntax problem at a position; the public parsers turn it into the right SCIM error."""

    def __init__(self, message: str, pos: int | None = None):
        self.message = message
        self.pos = pos
        super().__init__(message)

    def detail(self, noun: str) -> str:
        """Return a one-line wire detail such as `Invalid filter at position 9: expected ...`."""
        where = "" if self.pos is None else f" at position {self.pos}"
        return f"Invalid {noun}{where}: {self.message}."


@dataclass(frozen=True, slots=True)
class Token:
    """One lexeme: its kind, its source text, its 0-based offset, and the decoded literal if any."""

    kind: str
    text: str
    pos: int
    value: object = None

    def describe(self) -> str:
        """Return how an error message should name this token."""
        if self.kind == EOF:
            return "the end of the input"
        text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        return repr(text)


def tokenize(text: str) -> list[Token]:
    """Split filter text into tokens; the last one is always EOF."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterSyntax(f"it is {len(text):,} characters long; the limit is {MAX_FILTER_LENGTH:,}")
    tokens = []
    pos = 0
    while True:
        space = _WHITESPACE.match(text, pos)
        if space:
            pos = space.end()
        if pos >= len(text):
            tokens.append(Token(EOF, "", pos))
            return tokens
        char = text[pos]
        if char in PUNCTUATION:
            token = Token(char, char, pos)
        elif char == '"':
            token = _string(text, pos)
        elif char == "-" or "0" <= char <= "9":
            token = _number(text, pos)
        elif word := _WORD.match(text, pos):
            token = Token(WORD, word.group(), pos)
        else:
            raise FilterSyntax(f"unexpected character {char!r}", pos)
        tokens.append(token)
        pos += len(token.text)


def _string(text: str, pos: int) -> Token:
    """Lex a JSON string literal (RFC 7644 §3.4.2.2: string literals MUST be valid JSON strings)."""
    match = _STRING.match(text, pos)
    if not match:
        raise FilterSyntax("unterminated string (no closing '\"')", pos)
    try:
        value = json.loads(match.group())
    except ValueError as exc:
        raise FilterSyntax(f"invalid JSON string ({exc.msg})", pos) from None
    return Token(STRING, match.group(), pos, value)


def _number(text: str, pos: int) -> Token:
    """Lex a JSON number; reject what JSON or Python cannot represent faithfully."""
    match = _NUMBER.match(text, pos)
    if not match:
        raise FilterSyntax("invalid number", pos)
    source = match.group()
    try:
        value = float(source) if any(c in source for c in ".eE") else int(source)
    except ValueError:
        # int() refuses more than 4,300 digits (CPython's int_max_str_digits guard).
        raise FilterSyntax("number is too long", pos) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise FilterSyntax("number is out of range", pos)
    return Token(NUMBER, source, pos, value)


def split_attr_path(token: Token) -> tuple[str | None, str, str | None]:
    """Split a word into (urn, attr, sub): `urn:...:User:name.givenName` -> (`urn:...:User`, `name`, `givenName`)."""
    urn, colon, rest = token.text.rpartition(":")
    names = rest.split(".")
    bad_urn = colon and not urn.lower().startswith("urn:")
    if bad_urn or len(names) > 2 or not all(is_attr_name(name) for name in names):
        raise FilterSyntax(
            f"expected name, name.subName or urn:...:name, found {token.describe()}", token.pos
        )
    return urn or None, names[0], names[1] if len(names) == 2 else None


def is_attr_name(text: str) -> bool:
    """Whether `text` is an RFC 7643 §2.1 ATTRNAME (or `$ref`)."""
    return _ATTRNAME.fullmatch(text) is not None
