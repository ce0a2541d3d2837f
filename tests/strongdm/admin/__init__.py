"""Tests for sim.strongdm.admin: the Admin UI over Flask's test client."""
