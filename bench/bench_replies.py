"""Benchmark: 100 批复 with their plaques, in-process — documents per second end to end against the baseline
measured beside it in the same run (the replies' PDFs drawn by WeasyPrint, as when issue 13 was filed: target
≥ 3× its documents per second), the share of each stage, and LibreOffice converting one reply's DOCX to PDF
(the Word-template route).

    .venv/bin/python bench/bench_replies.py [--replies 100] [--runs 3] [--profile 25]

A batch of N approvals: split into N reply items and N contact-point plaques, each reply rendered to DOCX
and PDF, each plaque to its print PDF and proof, then merged into one ZIP (imposed sheet, contact sheet).
The current path and the baseline alternate run by run, so both see the same machine and load.
``--profile N`` prints a cProfile of the current path on N replies (functions by own time) instead.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench_notice import libreoffice_cold

from docgen.content.reply import build_reply
from docgen.kinds import ItemResult, parse_record, read_record, render_data
from docgen.plaques.art import build_plaque, render_plaque
from docgen.records.plaque import Plaque
from docgen.records.reply import ReplyRecord
from docgen.docx.document import render_docx
from docgen.pdf.document import render_pdf
from docgen.warmup import warm_up

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "replies" / "city-batch-2021-09.yaml"
BASELINE = "weasyprint"  # what drew a reply's PDF when the issue was filed
TARGET = 3.0  # × the baseline's documents per second


def batch_of(n: int) -> dict:
    """N approvals of contact points, from the sample batch's first application, each its own station."""
    data = read_record(SAMPLE)
    first = data["replies"][0]
    data["replies"] = []
    for i in range(n):
        reply = copy.deepcopy(first)
        reply["application"]["station"] = f"知识产权保护工作站测试{i + 1:03d}号园区站"
        data["replies"].append(reply)
    return data


def staged(data: dict, timings: dict[str, float]) -> None:
    """The batch once, stage by stage, adding each stage's seconds to ``timings``; the baseline's PDF
    drawer is timed on the side (it is not part of the current path)."""
    def timed(stage, fn, *args, **kwargs):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        timings[stage] += time.perf_counter() - start
        return out

    kind, batch = timed("validate the batch", parse_record, data)
    items = timed("split", kind.split, batch)
    results = []
    for item in items:
        if item.data["kind"] == "reply":
            record = timed("validate each reply", ReplyRecord.parse, item.data)
            doc = timed("wording (text templates) and content", build_reply, record, item.label)
            artifacts = [timed("DOCX (docxtpl)", render_docx, doc),
                         timed("PDF (compose + direct drawer)", render_pdf, doc)]
            timed(f"(baseline PDF: compose + {BASELINE})", render_pdf, doc, pdf_engine=BASELINE)
        else:
            plaque = timed("plaque: validate and lay out", lambda d: build_plaque(Plaque.parse(d), item.label), item.data)
            artifacts = timed("plaque: print PDF, proof, preview", render_plaque, plaque)
        results.append(ItemResult(item, artifacts))
    timed("merge (ZIP, imposition, contact sheet)", kind.merge, batch, results)


def profile(data: dict, top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(render_data, data, "bench")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile the current path on N replies instead")
    args = parser.parse_args()
    warm_up(render=True)
    kind, batch = parse_record(batch_of(1))
    first = build_reply(ReplyRecord.parse(kind.split(batch)[0].data))
    render_pdf(first, pdf_engine=BASELINE)  # WeasyPrint's start-up is not the baseline's cost per document
    if args.profile:
        profile(batch_of(args.profile))
        return 0
    data = batch_of(args.replies)

    totals: dict[str, list[float]] = {"current": [], "baseline": []}
    for _ in range(args.runs):  # alternating: both paths see the same load
        for path, options in (("baseline", {"pdf_engine": BASELINE}), ("current", {})):
            start = time.perf_counter()
            [archive] = render_data(data, "bench", **options)
            totals[path].append(time.perf_counter() - start)
    docs = archive.facts["replies"] + archive.facts["plaques"]
    print(f"{args.replies} 批复 + {archive.facts['plaques']} plaques → one ZIP of {len(archive.data) / 1e6:.1f} MB, "
          f"median of {args.runs} runs each, alternating:")
    rate = {}
    labels = {"baseline": f"baseline (replies' PDFs by {BASELINE})", "current": "current (direct drawer)"}
    for path, label in labels.items():
        total = statistics.median(totals[path])
        rate[path] = docs / total
        print(f"  {label:<38} {total:7.2f} s  {rate[path]:6.1f} documents/s ({args.replies / total:.1f} replies/s "
              f"with their plaques)")
    ratio = rate["current"] / rate["baseline"]
    print(f"  current / baseline: {ratio:.2f}×  (target ≥ {TARGET:g}×: {'met' if ratio >= TARGET else 'MISSED'})")

    timings: dict[str, float] = defaultdict(float)
    staged(data, timings)
    spent = sum(v for k, v in timings.items() if not k.startswith("("))
    print(f"stages of the current path (one staged run, {spent:.2f} s):")
    for stage, seconds in sorted(timings.items(), key=lambda kv: (kv[0].startswith("("), -kv[1])):
        share = "" if stage.startswith("(") else f"{100 * seconds / spent:5.1f} %"
        print(f"  {stage:<42} {seconds:7.2f} s  {share}")
    estimate = spent - timings["PDF (compose + direct drawer)"] + timings[f"(baseline PDF: compose + {BASELINE})"]
    print(f"  cross-check: the baseline from these stages ≈ {estimate:.2f} s, {estimate / spent:.2f}× the current path")

    one = statistics.median(_time(lambda: (render_docx(first), render_pdf(first))) for _ in range(5))
    cold = libreoffice_cold(render_docx(first).data)
    print(f"one reply DOCX + PDF in-process: {one:.3f} s; LibreOffice converting its DOCX, cold: {cold:.2f} s "
          f"({cold / one:.1f}× slower)")
    return 0


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
