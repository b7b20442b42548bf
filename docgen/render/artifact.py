"""What a render produces: bytes, plus what a person must know about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.fonts.report import FontReport


@dataclass
class Artifact:
    filename: str
    media_type: str
    data: bytes
    pages: int | None = None
    fonts: FontReport | None = None
    warnings: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # measured values a caller may need (e.g. the seal area)

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / self.filename
        path.write_bytes(self.data)
        return path

    def summary(self) -> list[str]:
        head = f"{self.filename}（{len(self.data) / 1024:.0f} KB"
        head += f"，{self.pages} 页）" if self.pages else "）"
        lines = [head]
        if self.fonts:
            lines += ["  " + line for line in self.fonts.lines()]
        lines += [f"  警告：{w}" for w in self.warnings]
        return lines
