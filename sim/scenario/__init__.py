"""Lifecycle scenarios: a timeline of JumpCloud directory changes and waits for the pusher, with two drivers."""
