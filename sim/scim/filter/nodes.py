"""The parsed form of a SCIM filter or PATCH path: attribute paths, node classes and shared operator sets."""

from dataclasses import dataclass

from sim.scim.schemas import GROUP_URN
from sim.scim.schemas import USER_URN

CORE_URNS = frozenset({USER_URN.lower(), GROUP_URN.lower()})

COMPARE_OPS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")
ORDERING_OPS = frozenset({"gt", "ge", "lt", "le"})
SUBSTRING_OPS = frozenset({"co", "sw", "ew"})


@dataclass(frozen=True)
class AttrPath:
    """`[urn:]attr[.sub]` as written; compare with lowercase, since names are case-insensitive (RFC 7643 §2.1)."""

    urn: str | None
    attr: str
    sub: str | None = None

    def dotted(self) -> str:
        """Return `attr` or `attr.sub`, without the schema URN."""
        return f"{self.attr}.{self.sub}" if self.sub else self.attr


@dataclass(frozen=True)
class Compare:
    """`path op value` with op lowercase and value a str, int, float, bool or None."""

    path: AttrPath
    op: str
    value: object


@dataclass(frozen=True)
class Present:
    """`path pr`."""

    path: AttrPath


@dataclass(frozen=True)
class And:
    """`left and right`."""

    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Or:
    """`left or right`."""

    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Not:
    """`not (inner)`."""

    inner: "Node"


@dataclass(frozen=True)
class ValuePath:
    """`path[filter]`: some element of a multi-valued complex attribute satisfies `filter`."""

    path: AttrPath
    filter: "Node"


@dataclass(frozen=True)
class PatchPath:
    """A PATCH `path` (RFC 7644 §3.5.2): `attrPath` or `valuePath[.sub]`; `filter` is None without brackets."""

    path: AttrPath
    filter: "Node | None" = None
    sub: str | None = None


Node = Compare | Present | And | Or | Not | ValuePath
