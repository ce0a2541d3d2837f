"""Tests for sim.export: deterministic fixtures."""
