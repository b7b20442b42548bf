"""`docgen check`: a PDF read back and judged rule by rule against GB/T 9704-2012."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.check.readback import read_pdf
from docgen.check.rules import FAIL, Result, all_rules


@dataclass
class CheckReport:
    path: Path
    results: list[Result]
    seal_area: dict | None = None

    @property
    def passed(self) -> bool:
        return not any(r.failed for r in self.results)

    def failures(self) -> list[Result]:
        return [r for r in self.results if r.failed]

    def text(self) -> str:
        lines = [f"{self.path}：" + ("符合 GB/T 9704-2012" if self.passed else f"{len(self.failures())} 项不符合")]
        for r in self.results:
            mark = {"通过": "✓", "不通过": "✗", "不适用": "–"}[r.status]
            detail = f"实测 {r.measured}" + (f"；应为 {r.expected}" if r.expected and r.status == FAIL else "")
            lines.append(f"  {mark} {r.rule}：{detail}")
        if self.seal_area:
            s = self.seal_area
            lines.append(f"  印章区：第 {s['page']} 页，中心 ({s['x']}, {s['y']}) mm，直径 {s['diameter']} mm")
        return "\n".join(lines)


def check_pdf(path: Path) -> CheckReport:
    view = read_pdf(Path(path))
    return CheckReport(Path(path), all_rules(view), view.seal_area())
