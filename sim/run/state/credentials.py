"""What `sim up` prints and endpoints.json repeats, kept in the state itself so that file is only an output.

The products store their secrets hashed (JumpCloud API keys, the SCIM token, passwords), so the plaintext a
sandbox must show again on every start lives beside them in the state file's meta table, under one key. A
sandbox's state is as secret as endpoints.json (both 0600 in the same folder); see the README's Security notes.
"""

from sim.store import Store

META_KEY = "run.credentials"


def remembered(store: Store) -> dict:
    """The credentials a previous start kept in this store ({} for a new state)."""
    found = store.get_meta(META_KEY, {})
    return found if isinstance(found, dict) else {}


def remember(store: Store, **values) -> dict:
    """Keep `values` (None leaves an entry as it was); returns all the store's credentials."""
    kept = {**remembered(store), **{k: v for k, v in values.items() if v is not None}}
    store.set_meta(META_KEY, kept)
    return kept
