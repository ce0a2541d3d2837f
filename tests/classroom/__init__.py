"""Tests of `sim classroom` (sim/classroom)."""
