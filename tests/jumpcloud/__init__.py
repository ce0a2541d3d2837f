"""Tests for sim.jumpcloud, the mock identity provider."""
