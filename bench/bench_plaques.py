"""Plaque speed: 500 stations → one ZIP (PDF + proof each, imposed print file, contact sheet), in-process.

Prints the median per plaque of each stage, the end-to-end total through the registry (split → render each
item → merge), and baselines measured in the same run: text mode vs outline mode, and the same plaque laid
out as HTML and rendered by WeasyPrint (what the 公文 renderers use).

    .venv/bin/python bench/bench_plaques.py [--count 500]

``--memory 2000`` instead measures the peak resident memory of one batch rendered the way ``docgen render``
renders it (kinds.render_record: split → render each item → merge, then the ZIP written out), each in a
fresh subprocess, beside a baseline batch a tenth the size (at least 50 plaques) so growth shows:

    .venv/bin/python bench/bench_plaques.py --memory 2000
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import product

import docgen  # noqa: F401  (fontconfig first)
from docgen.kinds import ItemResult, get, render_data
from docgen.plaques.layout import layout
from docgen.pdf.plaque import print_pdf
from docgen.plaques.proof import preview_png, proof_png
from docgen.records.plaque import Plaque

PLACES = ["焦作高新区", "山阳区", "解放区", "中站区", "马村区", "修武县", "博爱县", "武陟县", "温县", "沁阳市",
          "孟州市", "示范区", "詹店镇", "西虢镇", "云台山", "月山镇", "柏山镇", "喆堃"]
TRADES = ["太行路商会", "汽车零部件产业园区", "铝工业协会", "怀药产业协会", "竹编工艺品专业市场", "皮毛产业园区",
          "高新技术产业开发区知识产权服务业集聚发展示范园区", "农产品批发市场", "装备制造产业园区", "旅游商品协会",
          "电子商务产业园区", "建材市场", "纺织服装商会", "食品工业园区", "化工新材料园区", "物流园区",
          "中药材专业市场", "文化创意产业园区", "轮胎产业协会", "家具城", "数字经济产业园区", "眼镜市场",
          "光电产业园区", "新能源汽车协会", "生物医药产业园区", "跨境电商园区", "五金机电市场", "钢结构商会"]


def stations(count: int) -> list[str]:
    names = [f"知识产权保护工作站{p}{t}站" for p, t in product(PLACES, TRADES)]
    return [names[i % len(names)] for i in range(count)]


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.2f} ms"


def weasyprint_baseline(plaque: Plaque, runs: int) -> list[float]:
    """The same plaque as HTML (same sizes and positions from the layout) through WeasyPrint."""
    from weasyprint import HTML

    lay = layout(plaque)
    spans = "".join(
        f'<div style="position:absolute;left:{ln.box[0]}mm;top:{ln.box[1]}mm;width:{ln.box[2] - ln.box[0]}mm;'
        f'font:{ln.size}mm/1 \'{ln.face.official}\';color:rgb{ln.ink.rgb};white-space:nowrap">{ln.text}</div>'
        for ln in lay.lines)
    html = (f"<style>@page{{size:{lay.width}mm {lay.height}mm;margin:0}}body{{margin:0}}</style>"
            f"<body>{spans}</body>")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        HTML(string=html).write_pdf()
        times.append(time.perf_counter() - t)
    return times


MEMORY_TARGET = 700  # MiB, 2,000 plaques (issue 13)


def peak_child(count: int, dpi: int) -> None:
    """In this (fresh) process: one batch of ``count`` plaques as ``docgen render`` renders it; prints
    the peak resident MiB before and after the batch and the seconds it took."""
    from docgen.kinds import get, render_record

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kind = get("plaque-batch")
    record = kind.record.parse({"kind": "plaque-batch", "title": "基准", "proof_dpi": dpi,
                                "stations": [{"name": n} for n in stations(count)]})
    t = time.perf_counter()
    [artifact] = render_record(kind, record, "bench")
    with tempfile.TemporaryDirectory() as folder:
        artifact.write(folder)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{before:.1f} {peak:.1f} {seconds:.1f} {len(artifact.data) / 2**20:.1f}")


def memory(count: int, dpi: int) -> None:
    baseline = max(50, count // 10)
    print(f"peak resident memory of one plaque batch (docgen render's path, a fresh process each, proof at {dpi} dpi):")
    peaks = {}
    for n in (baseline, count):
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(n), "--dpi", str(dpi)],
                             check=True, capture_output=True, text=True).stdout.split()
        start, peak, seconds, size = map(float, out[-4:])
        peaks[n] = peak
        print(f"  {n:>5} plaques: peak {peak:7.1f} MiB (after imports {start:.1f}), "
              f"{peak / n:.3f} MiB a plaque, ZIP {size:.1f} MiB, {seconds:.1f} s")
    growth = (peaks[count] - peaks[baseline]) / (count - baseline)
    print(f"  growth {growth:.3f} MiB a plaque; ratio {peaks[count] / peaks[baseline]:.2f}× for "
          f"{count / baseline:.0f}× the plaques")
    if count >= 2000:
        print(f"  target ≤ {MEMORY_TARGET} MiB at {count}: {'met' if peaks[count] <= MEMORY_TARGET else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--memory", type=int, metavar="N", help="peak memory of an N-plaque batch instead")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return peak_child(args.memory_child, args.dpi)
    if args.memory:
        return memory(args.memory, args.dpi)
    names = stations(args.count)

    t = time.perf_counter()
    Plaque.parse({"station": names[0]})
    layout(Plaque.parse({"station": names[0]}))
    print(f"warm-up (font files, glyph outlines of the title): {time.perf_counter() - t:.2f} s")

    stage = {k: [] for k in ("parse", "layout", "pdf outlines", "pdf fonts", "proof png", "preview png")}
    sample = names[: min(60, len(names))]
    for n, name in enumerate(sample):
        data = {"kind": "plaque", "station": name, "proof_dpi": args.dpi}
        if n % 2:
            data.update(variant="contact", bureau=name[9:12])
        t0 = time.perf_counter(); plaque = Plaque.parse(data)
        t1 = time.perf_counter(); lay = layout(plaque)
        t2 = time.perf_counter(); print_pdf(lay, "outlines", name)
        t3 = time.perf_counter(); print_pdf(lay, "fonts", name)
        t4 = time.perf_counter(); proof_png(lay, args.dpi)
        t5 = time.perf_counter(); preview_png(lay)
        t6 = time.perf_counter()
        for key, dt in zip(stage, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)):
            stage[key].append(dt)
    print(f"\nmedian per plaque over {len(sample)} plaques (half of them contact points), proof at {args.dpi} dpi:")
    for key, values in stage.items():
        print(f"  {key:<14}{median_ms(values)}")
    base = weasyprint_baseline(Plaque.parse({"station": names[0]}), 10)
    outline = statistics.median(stage["pdf outlines"])
    print("\nbaselines (same run):")
    print(f"  text mode (embedded subset fonts) / outline mode: {statistics.median(stage['pdf fonts']) / outline:5.2f}×")
    print(f"  WeasyPrint HTML plaque (text, RGB, no boxes or marks): {median_ms(base)} "
          f"= {statistics.median(base) / outline:5.1f}× the outline PDF")

    record = {"kind": "plaque-batch", "title": "基准", "proof_dpi": args.dpi,
              "stations": [{"name": n} for n in names]}
    kind = get("plaque-batch")  # the registry's batch protocol, as kinds.render_record and the queue run it
    t0 = time.perf_counter()
    batch = kind.record.parse(record)
    items = kind.split(batch)
    t1 = time.perf_counter()
    results = [ItemResult(item, render_data(item.data, item.label)) for item in items]
    t2 = time.perf_counter()
    [artifact] = kind.merge(batch, results)
    t3 = time.perf_counter()
    total = t3 - t0
    print(f"\nend to end, {args.count} plaques → {artifact.filename} ({len(artifact.data) / 2**20:.1f} MiB, "
          f"each plaque's PDF and proof, {artifact.facts['imposition']['sheets']} imposed sheets of "
          f"{artifact.facts['sheet']}, contact sheet): {total:.1f} s ({total / args.count * 1000:.0f} ms a plaque)")
    print(f"  split {t1 - t0:.2f} s, items {t2 - t1:.1f} s, merge (ZIP, imposition, contact sheet) {t3 - t2:.1f} s")
    print(f"  target ≤ 60 s: {'met' if total <= 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
