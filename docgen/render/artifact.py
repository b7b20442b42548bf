"""What a render produces: bytes, plus what a person must know about them."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from docgen.fonts.report import FontReport
from docgen.records.filenames import safe_filename


@dataclass
class Artifact:
    filename: str
    media_type: str
    data: bytes
    pages: int | None = None
    fonts: FontReport | None = None
    warnings: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # measured values a caller may need (e.g. the seal area)

    def __post_init__(self) -> None:
        # a file name may come from data (a record's name, a batch title, a stored list): one safe component
        self.filename = safe_filename(self.filename)

    def write(self, directory: Path) -> Path:
        """Writes the bytes as ``directory/filename`` and nowhere else: the name is one safe component, and
        the file is written beside it and renamed into place, so a symlink already there is replaced, not
        followed."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / safe_filename(self.filename)
        temporary = directory / f".docgen-{secrets.token_hex(8)}.part"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.data)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return path

    def summary(self) -> list[str]:
        head = f"{self.filename}（{len(self.data) / 1024:.0f} KB"
        head += f"，{self.pages} 页）" if self.pages else "）"
        lines = [head]
        if self.fonts:
            lines += ["  " + line for line in self.fonts.lines()]
        lines += [f"  警告：{w}" for w in self.warnings]
        return lines
