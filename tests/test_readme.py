"""The README says what the code does: every limit is in its table, every kind in the registry is named."""

from __future__ import annotations

from docgen.kinds import kinds
from docgen.records import limits
from workers.local import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_limit_is_in_the_readme_table_with_its_label():
    for name in dir(limits):
        limit = getattr(limits, name)
        if isinstance(limit, limits.Limit):
            row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), None)
            assert row is not None, f"README has no row for {name}"
            assert limit.label in row, row


def test_every_kind_is_named_in_the_readme():
    for name, kind in kinds().items():
        if kind.record.__module__.startswith("tests."):  # the queue tests' own kinds
            continue
        assert f"`{name}`" in README or f"kind: {name}" in README, name
