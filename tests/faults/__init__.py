"""Tests for sim.faults: rules, the middleware, /_sim/faults, CLI options and rate limits."""
