"""Tests for sim.jumpcloud.console: the Console UI over Flask's test client."""
