"""Tests for sim.jumpcloud.pusher: Identity Management, mapping and the SCIM client."""
