"""Tests of the package as others install it: the wheel in a fresh venv, extras, constraints, the Makefile."""
