"""Tests for sim.jumpcloud.directory: users, groups, bindings, the outbox and DI events."""
