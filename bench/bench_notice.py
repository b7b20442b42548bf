"""Benchmark: the seed notice's print PDF drawn directly (the default) against the WeasyPrint path on the
same composition and against LibreOffice converting docgen's DOCX warm (a listener on a UNO connection);
the DOCX; and a consolidated 附件3 of 2,000 and 20,000 rows — all measured in this run.

    .venv/bin/python bench/bench_notice.py [--runs 15] [--annex-runs 3] [--lo-runs 5] [--no-libreoffice]

Prints medians and ratios. Targets: the direct PDF ≥ 8× faster than WeasyPrint on the same composition and
≥ 5× faster than LibreOffice warm, with every font subset made afresh for each document (the process keeps
only what it reads from the font files: HarfBuzz faces, glyph lookups, advances); 附件3 at 20,000 rows
≤ 11× the time at 2,000 (linear); DOCX ≤ 50 ms.

LibreOffice warm needs Python's ``uno`` module (Debian: python3-uno) for the interpreter that runs the
client; without it the cold conversion (a fresh profile, ``soffice --convert-to pdf``) is measured instead
and the line says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docgen.content.notice import build_notice
from docgen.fonts.config import FONTCONFIG_FILE
from docgen.records.notice import NoticeRecord
from docgen.docx.document import render_docx
from docgen.layout.compose import compose
from docgen.pdf.draw import draw_pdf
from docgen.pdf.fonts import _font_program
from docgen.pdf.reference import render_html, to_html
from docgen.pdf.document import plaque_art, render_pdf

SEED = Path(__file__).resolve().parents[1] / "samples" / "notices" / "jiaozuo-2021-135.yaml"
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", sys.executable)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _lo_env() -> dict:
    return {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}


def libreoffice_cold(docx: bytes) -> float:
    """One cold conversion: a fresh profile, as a user's first conversion."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.docx"
        path.write_bytes(docx)
        start = time.perf_counter()
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, str(path)], check=True, capture_output=True,
                       env=_lo_env(), timeout=600)
        return time.perf_counter() - start


UNO_CLIENT = r"""
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

port, source, target, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(300):
    try:
        ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.2)
else:
    sys.exit("no listener")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
times = []
for _ in range(runs + 1):  # the first conversion warms the listener up (filters, fonts): not counted
    start = time.perf_counter()
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
    doc.close(True)
    times.append(time.perf_counter() - start)
print(json.dumps(times[1:]))
"""


def uno_python() -> str | None:
    for python in UNO_PYTHONS:
        if Path(python).exists() and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def libreoffice_warm(docx: bytes, runs: int) -> list[float] | None:
    """DOCX → PDF conversions by a LibreOffice listener already running (``soffice --headless --accept``),
    driven over UNO: the load, the layout and the PDF export, not LibreOffice's start. None without uno."""
    python = uno_python()
    if python is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "seed.docx", Path(tmp) / "seed.pdf"
        source.write_bytes(docx)
        port = _free_port()
        listener = subprocess.Popen(
            ["soffice", "--headless", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation=file://{tmp}/profile", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_lo_env(), start_new_session=True)
        try:
            out = subprocess.run([python, "-c", UNO_CLIENT, str(port), str(source), str(target), str(runs)],
                                 capture_output=True, text=True, timeout=900, check=True)
            return json.loads(out.stdout)
        finally:
            os.killpg(listener.pid, signal.SIGTERM)  # the listener we started, and its soffice.bin
            try:
                listener.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(listener.pid, signal.SIGKILL)


def weasyprint_draw(composition, title: str) -> bytes:
    """The WeasyPrint path from a composition on: HTML, layout, painting, font subsetting."""
    return render_html(to_html(composition, title)).write_pdf()


def annex3(rows: int):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_annex3 import reports

    from docgen.annexes.consolidate import consolidate
    from docgen.annexes.pages import annex_attachments

    result = consolidate(reports(rows))
    return tuple(a for a in annex_attachments(result.rows, with_district=True) if a.number == 3)


def annex3_times(attachments, runs: int) -> tuple[float, float, float, float]:
    """Medians of the whole 附件3 PDF (wall and CPU seconds), of its composition, and of its composition with
    the collector running (the cell cache emptied before each run: every run lays out a new table). The CPU
    time is this process's alone: on a machine busy with other work the wall time swings, it does not."""
    from docgen.layout import compose as composer
    from docgen.layout.body import cell_lines
    from docgen.pdf.document import render_attachments_pdf

    def fresh(fn) -> tuple[float, float]:
        def run() -> tuple[float, float]:
            cell_lines.cache_clear()
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            fn()
            return time.perf_counter() - start, time.process_time() - cpu
        walls, cpus = zip(*(run() for _ in range(runs)))
        return statistics.median(walls), statistics.median(cpus)

    pdf, pdf_cpu = fresh(lambda: render_attachments_pdf(attachments, "附件3"))
    paused = fresh(lambda: composer.compose_attachments(attachments))[0]
    running = fresh(lambda: composer._compose_attachments(attachments, True))[0]
    return pdf, pdf_cpu, paused, running


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--annex-runs", type=int, default=3)
    parser.add_argument("--lo-runs", type=int, default=5)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    doc = build_notice(NoticeRecord.load(SEED))
    first = render_pdf(doc)
    print(f"first direct PDF in a fresh process (fonts and metrics loaded): {time.perf_counter() - start:.3f} s, "
          f"{first.pages} pages")
    render_pdf(doc, pdf_engine="weasyprint")  # WeasyPrint's fonts loaded too

    composition = compose(doc)
    glyphs = sum(len(r.text) for p in composition.pages for it in p.items + [p.folio]
                 if hasattr(it, "runs") for r in it.runs)
    direct = median_time(lambda: render_pdf(doc), args.runs)

    def fresh_fonts():
        _font_program.cache_clear()  # every font subset and deflated afresh, as for a new document
        render_pdf(doc)

    direct_fresh = median_time(fresh_fonts, args.runs)
    weasy = median_time(lambda: render_pdf(doc, pdf_engine="weasyprint"), args.runs)
    compose_s = median_time(lambda: compose(doc), args.runs)
    draw_s = median_time(lambda: draw_pdf(composition, doc.title, doc.signature.organ, plaque_art=plaque_art),
                         args.runs)
    weasy_draw_s = median_time(lambda: weasyprint_draw(composition, doc.title), args.runs)
    docx_data = render_docx(doc).data
    docx = median_time(lambda: render_docx(doc), args.runs)

    print(f"seed notice PDF ({first.pages} pages, {glyphs:,} glyphs), medians of {args.runs}:")
    print(f"  direct (default)          {direct * 1000:8.1f} ms  = compose {compose_s * 1000:.1f} + draw "
          f"{draw_s * 1000:.1f} ms ({draw_s / glyphs * 1e6:.0f} µs a glyph)")
    print(f"  direct, fonts subset anew {direct_fresh * 1000:8.1f} ms  (no subset reused from the run before)")
    print(f"  WeasyPrint path           {weasy * 1000:8.1f} ms  = compose + draw {weasy_draw_s * 1000:.1f} ms "
          f"({weasy_draw_s / glyphs * 1e6:.0f} µs a glyph)")
    print(f"  → same composition drawn: direct {weasy_draw_s / draw_s:.1f}× faster; end to end "
          f"{weasy / direct:.1f}× faster (target ≥ 8×), {weasy / direct_fresh:.1f}× with fonts subset anew")
    print(f"DOCX median {docx * 1000:.1f} ms  (target ≤ 50 ms)")

    if args.no_libreoffice or not shutil.which("soffice"):
        print("LibreOffice: not measured" + ("" if shutil.which("soffice") else " (not installed)"))
    else:
        warm = libreoffice_warm(docx_data, args.lo_runs)
        if warm is not None:
            lo = statistics.median(warm)
            print(f"LibreOffice DOCX→PDF warm (listener over UNO, median of {len(warm)}): {lo * 1000:.0f} ms  "
                  f"→ direct PDF {lo / direct:.1f}× faster (target ≥ 5×; {lo / direct_fresh:.1f}× with fonts subset anew), "
                  f"WeasyPrint path {lo / weasy:.1f}×")
        else:
            cold = libreoffice_cold(docx_data)
            print(f"LibreOffice DOCX→PDF COLD (no uno module for a warm listener; fresh profile, one run): "
                  f"{cold:.2f} s  → direct PDF {cold / direct:.1f}× faster")

    print(f"附件3 PDF (attachment pages, direct), medians of {args.annex_runs}, each on a fresh cell cache:")
    results = {}
    for rows in (2000, 20000):
        attachments = annex3(rows)
        results[rows] = annex3_times(attachments, args.annex_runs)
        pdf, pdf_cpu, paused, running = results[rows]
        print(f"  {rows:>6,} rows  PDF {pdf:6.2f} s (CPU {pdf_cpu:6.2f} s)   compose {paused:5.2f} s "
              f"(collector running: {running:5.2f} s)")
        del attachments
        gc.collect()
    small, large = results[2000], results[20000]
    print(f"  20,000 / 2,000 rows: PDF ×{large[0] / small[0]:.1f} (target ≤ 11×; CPU ×{large[1] / small[1]:.1f}); "
          f"compose ×{large[2] / small[2]:.1f} paused, ×{large[3] / small[3]:.1f} with the collector running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
