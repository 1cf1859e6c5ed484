"""Versions of the criteria sets and of the reference data, and their comparison."""
