"""Benchmark: the seed notice rendered in-process — PDF (all pages) and DOCX — against LibreOffice
converting the same DOCX cold, all measured in this run.

    .venv/bin/python bench/bench_notice.py [--runs 15]

Prints medians (and the PDF's stages) and the ratios. Targets: PDF ≤ 0.5 s, DOCX ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weasyprint import HTML

from docgen.content.notice import build_notice
from docgen.fonts.config import FONTCONFIG_FILE
from docgen.records.notice import NoticeRecord
from docgen.render.docx.official import render_docx
from docgen.render.pdf.compose import compose
from docgen.render.pdf.html import to_html
from docgen.render.pdf.official import render_pdf

SEED = Path(__file__).resolve().parents[1] / "samples" / "notices" / "jiaozuo-2021-135.yaml"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def libreoffice_cold(docx: bytes) -> float:
    """One cold conversion: a fresh profile, as a user's first conversion."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.docx"
        path.write_bytes(docx)
        start = time.perf_counter()
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, str(path)], check=True, capture_output=True,
                       env={**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}, timeout=600)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    start = time.perf_counter()
    doc = build_notice(NoticeRecord.load(SEED))
    first = render_pdf(doc)
    print(f"first PDF in a fresh process (fonts and metrics loaded): {time.perf_counter() - start:.3f} s, "
          f"{first.pages} pages")

    pdf = median_time(lambda: render_pdf(doc), args.runs)
    composition = compose(doc)
    html = to_html(composition, doc.title)
    document = HTML(string=html).render()
    stages = {
        "compose (line breaking, pagination)": median_time(lambda: compose(doc), args.runs),
        "HTML": median_time(lambda: to_html(composition, doc.title), args.runs),
        "WeasyPrint layout": median_time(lambda: HTML(string=html).render(), args.runs),
        "WeasyPrint write (subset fonts)": median_time(document.write_pdf, args.runs),
    }
    docx_data = render_docx(doc).data
    docx = median_time(lambda: render_docx(doc), args.runs)

    print(f"PDF  median {pdf:.3f} s  (target ≤ 0.5 s)")
    for stage, seconds in stages.items():
        print(f"       {stage:<38} {seconds:.3f} s")
    print(f"DOCX median {docx * 1000:.1f} ms  (target ≤ 50 ms)")
    if shutil.which("soffice"):
        cold = libreoffice_cold(docx_data)
        print(f"LibreOffice DOCX→PDF, cold: {cold:.2f} s  → docgen PDF is {cold / pdf:.1f}× faster, "
              f"docgen DOCX+PDF {cold / (pdf + docx):.1f}× faster")
    else:
        print("LibreOffice not installed: no baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
