"""Tests for sim.run: `sim up`, `sim jumpcloud`, status, reset and durable state dirs."""
