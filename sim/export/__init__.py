"""Deterministic fixtures written by `sim export`."""
