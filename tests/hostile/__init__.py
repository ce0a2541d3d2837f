"""Hostile input against both apps: the corpus (*.json here) and property-based tests."""
