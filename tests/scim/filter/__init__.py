"""Tests for sim.scim.filter: parsing and matching RFC 7644 §3.4.2.2 filters."""
