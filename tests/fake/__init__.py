"""Tests for sim.fake: the seeded Faker directory."""
