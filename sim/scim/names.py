"""How userNames, emails and group names compare: the simulator's one rule, shared by both apps.

RFC 7643 §4.1.1 makes `userName` case-insensitive ("caseExact" false) and unique; it does not say which
case mapping. Both apps use Python's `str.lower()` (Unicode's full lowercase mapping, the counterpart of
Go's `strings.ToLower`), never `str.casefold()`: case folding maps `ß` to `ss`, so `straße@…` and
`strasse@…`, two mailboxes, would compare equal in one app and not in the other, and two JumpCloud users
would share one StrongDM account. Assumed for both products (neither documents its rule).
"""


def name_key(text: str) -> str:
    """The form a userName, email or group name is unique and looked up in (README, "Security notes")."""
    return text.lower()
