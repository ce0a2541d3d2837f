"""Shared fixtures: temporary stores and app clients."""
