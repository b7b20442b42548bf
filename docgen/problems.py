"""Bad input, told to staff in Chinese: which field, which value, which rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a person submitted."""

    field: str  # a path such as "signature.date" or "body[3].h2"
    value: Any
    rule: str  # the rule broken, in Chinese
    label: str = ""  # the field's Chinese name, when known

    def message(self) -> str:
        name = f"{self.label}（{self.field}）" if self.label else self.field
        if self.value is _ABSENT:
            return f"{name}：{self.rule}"
        return f"{name}的值「{_show(self.value)}」不符合规则：{self.rule}"


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()
ABSENT: Any = _ABSENT


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class InvalidRecord(ValueError):
    """A record that cannot be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        head = f"{self.source}：" if self.source else ""
        lines = [f"{head}记录有 {len(self.problems)} 处错误："]
        lines += [f"  - {p.message()}" for p in self.problems]
        return "\n".join(lines)
