"""Tests for sim.bench: the `sim bench` command."""
