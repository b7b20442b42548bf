"""Converting a DOCX the way a user would see it: LibreOffice, with docgen's fonts, to PDF."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from docgen.fonts.config import FONTCONFIG_FILE

# keep the blank page LibreOffice inserts before an even-page section, as a printer would print it
FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def to_pdf(docx: Path, out_dir: Path, timeout: int = 240) -> Path:
    profile = out_dir / "lo-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", FILTER, "--outdir", str(out_dir), str(docx)],
                   check=True, capture_output=True, env=env, timeout=timeout)
    pdf = out_dir / (docx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {docx}"
    return pdf


def to_pdfs(docx_files: list[Path], out_dir: Path, timeout: int = 400) -> list[Path]:
    """Many DOCX converted in one LibreOffice run (it is slow to start): their PDFs, in ``out_dir``."""
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{out_dir / 'lo-profile'}",
                    "--convert-to", FILTER, "--outdir", str(out_dir), *(str(docx) for docx in docx_files)],
                   check=True, capture_output=True, env=env, timeout=timeout)
    return [out_dir / (docx.stem + ".pdf") for docx in docx_files]

