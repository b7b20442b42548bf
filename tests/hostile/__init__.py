"""Hostile input, kept as a suite: every case asserts its outcome (issue 10)."""
