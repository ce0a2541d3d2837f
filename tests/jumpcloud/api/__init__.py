"""Tests for sim.jumpcloud.api: the REST API v1 and v2 over real HTTP."""
