"""Tests for sim.strongdm.sdk: the gRPC API through the official `strongdm` SDK."""
