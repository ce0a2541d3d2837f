"""Tests for sim.strongdm.receiver: the SCIM receiver at /provisioning/{generic,okta,azure}/v2."""
