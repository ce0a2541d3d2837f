"""Tests for sim.scim.patch: applying and rejecting RFC 7644 §3.5.2 PatchOps."""
