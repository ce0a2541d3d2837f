"""SCIM 2.0 protocol layer: pure functions over dicts, no Flask, no I/O."""
