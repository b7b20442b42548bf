"""`docgen check`: a PDF read back and judged rule by rule against GB/T 9704-2012."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.check.readback import read_pdf
from docgen.check.formats import format_rules
from docgen.check.rules import FAIL, NA, PASS, TOLERATED, Result


@dataclass
class CheckReport:
    path: Path
    results: list[Result]
    seal_area: dict | None = None
    watermark: str = ""  # a draft's 草稿 (kept out of every rule)
    watermark_pages: list[int] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(r.failed for r in self.results)

    def failures(self) -> list[Result]:
        return [r for r in self.results if r.failed]

    def tolerated(self) -> list[Result]:
        """Rules met only once LibreOffice's known layout differences are taken out: not failures, not passes."""
        return [r for r in self.results if r.tolerated]

    def text(self) -> str:
        verdict = "符合 GB/T 9704-2012" if self.passed else f"{len(self.failures())} 项不符合"
        if self.tolerated():
            verdict += f"；{len(self.tolerated())} 项容许（LibreOffice 排版差异）"
        lines = [f"{self.path}：{verdict}"]
        for r in self.results:
            mark = {PASS: "✓", FAIL: "✗", NA: "–", TOLERATED: "≈"}[r.status]
            detail = f"实测 {r.measured}" + (f"；应为 {r.expected}" if r.expected and r.status in (FAIL, TOLERATED) else "")
            if r.tolerated:
                detail = f"容许（{r.note}）；{detail}"
            lines.append(f"  {mark} {r.rule}：{detail}")
        if self.seal_area:
            s = self.seal_area
            lines.append(f"  印章区：第 {s['page']} 页，中心 ({s['x']}, {s['y']}) mm，直径 {s['diameter']} mm")
        if self.watermark:
            lines.append(f"  水印：「{self.watermark}」，{_pages(self.watermark_pages)}（不计入以上各项检查）")
        return "\n".join(lines)


def _pages(numbers: list[int]) -> str:
    """第 1–4、6 页: runs of consecutive pages."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "第 " + "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) + " 页"


def check_pdf(path: Path) -> CheckReport:
    view = read_pdf(Path(path))
    return CheckReport(Path(path), format_rules(view), view.seal_area(), view.watermark, view.watermark_pages())
