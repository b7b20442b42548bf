"""Benchmark: a consolidated 附件3 of 2,000 key enterprises (12 districts' reports) as the city files it —
PDF attachment pages, DOCX, the consolidated workbook — against LibreOffice converting the same DOCX, all
measured in this run.

    .venv/bin/python bench/bench_annex3.py [--enterprises 2000] [--runs 3] [--no-libreoffice]

Targets: PDF ≤ 5 s, DOCX ≤ 0.5 s, XLSX ≤ 1 s. LibreOffice is super-linear on long tables: its baseline takes
minutes at 2,000 rows (``--no-libreoffice`` skips it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time

from bench_notice import libreoffice_cold

from docgen.annexes.consolidate import DISTRICT_ORDER, consolidate, consolidated_workbook
from docgen.annexes.pages import annex_attachments
from docgen.annexes.workbook import DistrictTables
from docgen.records.annexes.annex3 import ENTERPRISE_CATEGORIES, PROTECTION_KINDS, KeyEnterpriseRow
from docgen.docx.attachments import render_attachments_docx
from docgen.layout.compose import compose_attachments
from docgen.pdf.document import render_attachments_pdf
from docgen.warmup import warm_up

TRADES = ("精密机械", "汽车零部件", "电子信息", "生物医药", "新材料", "现代农业", "食品加工", "文化传媒", "轴承", "化工")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def reports(enterprises: int, seed: int = 2021) -> list[DistrictTables]:
    """``enterprises`` valid, varied rows spread over the city's districts, as their reports would be."""
    rng = random.Random(seed)
    districts = [f"{d}市场监督管理局" for d in DISTRICT_ORDER]
    out = {d: DistrictTables(d, {"enterprises": []}) for d in districts}

    def person() -> str:
        return rng.choice(SURNAMES) + rng.choice("明华强芳伟静磊洋敏军")

    for n in range(enterprises):
        district = districts[n % len(districts)]
        place = district[:2]
        name = f"焦作市{place}{rng.choice(TRADES)}{'有限公司' if n % 3 else '股份有限公司'}{n + 1}号"
        row = KeyEnterpriseRow.parse({
            "enterprise": name, "category": rng.choice(ENTERPRISE_CATEGORIES),
            "protection": "、".join(rng.sample(PROTECTION_KINDS, rng.choice((1, 1, 2, 3)))),
            "use": rng.choice(("使用", "所有")), "head": f"{person()} 138{n:08d}",
            "liaison": f"{person()} {'0391-39' + f'{n:05d}' if n % 2 else '139' + f'{n:08d}'}"})
        out[district].rows["enterprises"].append(row)
    return list(out.values())


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()
    warm_up(render=True)

    result = consolidate(reports(args.enterprises))
    annex3 = tuple(a for a in annex_attachments(result.rows, with_district=True) if a.number == 3)
    compose_s, composition = median_time(lambda: compose_attachments(annex3), args.runs)
    pdf_s, pdf = median_time(lambda: render_attachments_pdf(annex3, "附件3"), args.runs)
    docx_s, docx = median_time(lambda: render_attachments_docx(annex3, "附件3"), args.runs)
    xlsx_s, xlsx = median_time(lambda: consolidated_workbook(result), args.runs)
    print(f"附件3 of {args.enterprises} enterprises from {len(result.summaries)} districts "
          f"({len(composition.pages)} pages, {'turned (§8)' if composition.pages[0].area.landscape else 'portrait'}):")
    print(f"  PDF  median {pdf_s:6.2f} s  (target ≤ 5 s; {pdf.pages} pages, {len(pdf.data) / 1e6:.1f} MB; "
          f"of which composing {compose_s:.2f} s)")
    print(f"  DOCX median {docx_s:6.2f} s  (target ≤ 0.5 s; {len(docx.data) / 1e6:.1f} MB)")
    print(f"  XLSX median {xlsx_s:6.2f} s  (target ≤ 1 s; the whole consolidated workbook, {len(xlsx) / 1e6:.1f} MB)")
    if args.no_libreoffice or not shutil.which("soffice"):
        print("LibreOffice baseline skipped")
        return 0
    cold = libreoffice_cold(docx.data)
    print(f"LibreOffice converting the same DOCX to PDF, cold: {cold:.1f} s → docgen's PDF is {cold / pdf_s:.0f}× faster, "
          f"DOCX + PDF {cold / (pdf_s + docx_s):.0f}× faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
