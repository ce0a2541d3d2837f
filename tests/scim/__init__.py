"""Tests for sim.scim: schemas, the filter grammar and the PATCH engine."""
