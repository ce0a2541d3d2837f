"""Tests of what both consoles share (sim/web)."""
