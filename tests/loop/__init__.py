"""Whole-loop tests: JumpCloud pushing to StrongDM over real loopback HTTP, under load, faults and a browser."""
