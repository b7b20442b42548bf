"""Reading rendered PDFs back in tests: text by page, and the checker's view."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.check.readback import PdfView, read_pdf


def view_of(data: bytes, tmp_path: Path, name: str = "doc.pdf") -> PdfView:
    path = tmp_path / name
    path.write_bytes(data)
    return read_pdf(path)


def page_texts(data: bytes, tmp_path: Path | None = None) -> list[str]:
    """Each page's text in reading order, without its page number."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        view = view_of(data, Path(tmp))
    return ["".join(line.text for line in page.text_lines()) for page in view.pages]


def squash(text: str) -> str:
    """Text without white space, for comparing what was written with what a PDF shows."""
    return re.sub(r"\s+", "", text)
