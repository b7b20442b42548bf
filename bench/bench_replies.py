"""Benchmark: 100 批复 with their plaques, in-process — documents per second end to end and the share of
each stage — against LibreOffice converting one reply's DOCX to PDF (the Word-template route), all in this run.

    .venv/bin/python bench/bench_replies.py [--replies 100] [--runs 3]

A batch of N approvals: split into N reply items and N contact-point plaques, each reply rendered to DOCX
and PDF, each plaque to its print PDF and proof, then merged into one ZIP (imposed sheet, contact sheet).
"""

from __future__ import annotations

import argparse
import copy
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
    """The batch once, stage by stage, adding each stage's seconds to ``timings``."""
    def timed(stage, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        timings[stage] += time.perf_counter() - start
        return out

    kind, batch = timed("validate the batch", parse_record, data)
    items = timed("split", kind.split, batch)
    results = []
    for item in items:
        if item.data["kind"] == "reply":
            record = timed("validate each reply", ReplyRecord.parse, item.data)
            doc = timed("wording (text templates) and content", build_reply, record, item.label)
            artifacts = [timed("DOCX (docxtpl)", render_docx, doc), timed("PDF (compose + WeasyPrint)", render_pdf, doc)]
        else:
            plaque = timed("plaque: validate and lay out", lambda d: build_plaque(Plaque.parse(d), item.label), item.data)
            artifacts = timed("plaque: print PDF, proof, preview", render_plaque, plaque)
        results.append(ItemResult(item, artifacts))
    timed("merge (ZIP, imposition, contact sheet)", kind.merge, batch, results)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warm_up(render=True)
    data = batch_of(args.replies)

    totals = []
    for _ in range(args.runs):
        start = time.perf_counter()
        [archive] = render_data(data, "bench")
        totals.append(time.perf_counter() - start)
    total = statistics.median(totals)
    docs = archive.facts["replies"] + archive.facts["plaques"]
    print(f"{args.replies} 批复 + {archive.facts['plaques']} plaques → one ZIP of {len(archive.data) / 1e6:.1f} MB: "
          f"median {total:.2f} s over {args.runs} runs")
    print(f"  {docs / total:.1f} documents/s ({args.replies / total:.1f} replies/s with their plaques)")

    timings: dict[str, float] = defaultdict(float)
    staged(data, timings)
    spent = sum(timings.values())
    print(f"stages (one staged run, {spent:.2f} s):")
    for stage, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<42} {seconds:7.2f} s  {100 * seconds / spent:5.1f} %")

    kind, batch = parse_record(data)
    reply = build_reply(ReplyRecord.parse(kind.split(batch)[0].data))
    one = statistics.median(_time(lambda: (render_docx(reply), render_pdf(reply))) for _ in range(5))
    cold = libreoffice_cold(render_docx(reply).data)
    print(f"one reply DOCX + PDF in-process: {one:.3f} s; LibreOffice converting its DOCX, cold: {cold:.2f} s "
          f"({cold / one:.1f}× slower)")
    return 0


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
