"""Tests for sim.strongdm, the mock service provider."""
