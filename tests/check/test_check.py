"""`docgen check` finds each GB/T 9704 fault planted in an otherwise good PDF, and passes the good one."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from weasyprint import HTML

from docgen.layout import gbt9704
from docgen.check.report import check_pdf
from docgen.layout.compose import compose
from docgen.layout.flow import Rect, Text
from docgen.pdf.reference import to_html
from tests.notice_cases import body_of_lines, content, notice

DOC = content(notice(body=body_of_lines(30)))  # three pages of body, 版记 on page 4


def pdf_of(composition, path):
    path.write_bytes(HTML(string=to_html(composition, "test")).write_pdf())
    return check_pdf(path)


def failed_rules(report) -> set[str]:
    return {r.rule for r in report.failures()}


def shifted(composition, pick, dx=0.0, dy=0.0):
    """The composition with the items ``pick`` selects moved by (dx, dy) mm."""
    def moved(page, it):
        if not pick(page, it):
            return it
        return dataclasses.replace(it, x=it.x + dx, **({"baseline": it.baseline + dy} if isinstance(it, Text)
                                                       else {"y": it.y + dy}))

    for page in composition.pages:
        page.items = [moved(page, it) for it in page.items]
        page.folio = page.folio and moved(page, page.folio)  # the page number
    return composition


def test_good_pdf_passes(tmp_path):
    report = pdf_of(compose(DOC), tmp_path / "good.pdf")
    assert report.passed, report.text()


def test_mark_8_mm_too_low(tmp_path):
    c = shifted(compose(DOC), lambda p, it: isinstance(it, Text) and it.color == gbt9704.RED_HEX, dy=8)
    assert "发文机关标志上边缘距页面上边 72 mm" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_separator_too_short(tmp_path):
    c = compose(DOC)
    page = c.pages[0]
    page.items = [dataclasses.replace(it, w=150.0) if isinstance(it, Rect) and it.color == gbt9704.RED_HEX else it
                  for it in page.items]
    assert "红色分隔线与版心等宽" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_page_number_on_the_wrong_side(tmp_path):
    c = shifted(compose(DOC), lambda p, it: p.number == 2 and isinstance(it, Text) and it.size == gbt9704.SIZE_SI
                and it.baseline > gbt9704.TYPE_BOTTOM, dx=120)
    failed = failed_rules(pdf_of(c, tmp_path / "x.pdf"))
    assert any(rule.startswith("页码") for rule in failed)


def test_colophon_on_an_odd_page(tmp_path):
    c = compose(DOC)
    c.pages.pop(-2)  # the 版记 page becomes page 3
    assert "版记位于偶数页（双面印刷的最后一面）" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_colophon_rule_off_the_type_area_bottom(tmp_path):
    c = compose(DOC)
    last = c.pages[-1]
    shifted(c, lambda p, it: p is last and isinstance(it, Rect), dy=-3)
    assert "版记末条分隔线与版心下边缘重合" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_a_body_line_off_the_grid(tmp_path):
    c = compose(DOC)
    body = [it for it in c.pages[1].items if isinstance(it, Text) and it.size == gbt9704.SIZE_SAN]
    moved = body[5]
    c.pages[1].items = [dataclasses.replace(it, baseline=it.baseline + 2.5) if it is moved else it
                        for it in c.pages[1].items]
    assert "正文行距（22 行撑满版心）" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_a_27_character_full_line(tmp_path):
    c = compose(DOC)
    page = c.pages[1]
    line = next(it for it in page.items if isinstance(it, Text) and it.size == gbt9704.SIZE_SAN
                and sum(len(r.text) for r in it.runs) == 28)
    run = line.runs[0]
    # one character fewer, spread to the full measure: what letter-spacing alone gives
    short = dataclasses.replace(line, runs=(dataclasses.replace(run, text=run.text[:-1]),),
                                spacing=line.spacing + gbt9704.pt(gbt9704.CHAR_PITCH_MM) / 26)
    page.items = [short if it is line else it for it in page.items]
    assert "满行 28 字（版心宽 156 mm）" in failed_rules(pdf_of(c, tmp_path / "x.pdf"))


def test_signature_alone_on_a_page(tmp_path):
    doc = content(notice(body=body_of_lines(4)))  # the body and the signature fill page 1's grid
    c = compose(doc)
    first = c.pages[0]
    sign = [it for it in first.items if isinstance(it, Text) and it.size == gbt9704.SIZE_SAN
            and it.runs[0].text in (doc.signature.organ, doc.signature.date)]
    first.items = [it for it in first.items if it not in sign]
    c.pages.insert(1, dataclasses.replace(first, items=sign, number=2))
    failed = failed_rules(pdf_of(c, tmp_path / "x.pdf"))
    assert "落款与正文同页（不单独成页）" in failed


def test_cli_exit_codes(tmp_path):
    good = tmp_path / "good.pdf"
    pdf_of(compose(DOC), good)
    bad = tmp_path / "bad.pdf"
    pdf_of(shifted(compose(DOC), lambda p, it: isinstance(it, Text) and it.color == gbt9704.RED_HEX, dy=8), bad)
    run = lambda *args: subprocess.run([sys.executable, "-m", "docgen.cli", "check", *args],
                                       capture_output=True, text=True)
    ok = run(str(good))
    assert ok.returncode == 0 and "符合 GB/T 9704-2012" in ok.stdout
    fail = run(str(bad))
    assert fail.returncode == 1 and "✗ 发文机关标志上边缘距页面上边 72 mm：实测" in fail.stdout
    missing = run(str(tmp_path / "none.pdf"))
    assert missing.returncode == 2 and "文件不存在" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "not.pdf").write_text("not a pdf")
    broken = run(str(tmp_path / "not.pdf"))
    assert broken.returncode == 2 and "无法读取为 PDF" in broken.stderr and "Traceback" not in broken.stderr


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """`docgen check FILE | head -1`: the pipe closes under the report; no traceback."""
    good = tmp_path / "good.pdf"
    pdf_of(compose(DOC), good)
    reader = subprocess.Popen([sys.executable, "-m", "docgen.cli", "check", *[str(good)] * 60],  # > a pipe buffer
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = reader.stdout.readline()
    reader.stdout.close()
    err = reader.stderr.read().decode()
    assert reader.wait(60) == 0 and "符合" in first.decode() and "Traceback" not in err


SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "notices"


@pytest.mark.parametrize("engine", ["direct", "weasyprint"])
@pytest.mark.parametrize("sample", ["jiancha-2024-12", "qingshi-2024-30"])  # unsealed; sealed
def test_a_draft_passes_as_its_final_does_and_the_report_names_the_watermark(tmp_path, sample, engine):
    """The 草稿 watermark (big grey 黑体 at 35°, both drawers) is no text the rules judge."""
    from docgen.kinds import parse_record, read_record
    from docgen.pdf.document import render_pdf

    kind, record = parse_record(read_record(SAMPLES / f"{sample}.yaml"))
    doc = kind.build(record, sample)
    reports = {}
    for draft in (False, True):
        path = tmp_path / f"{sample}-{engine}-{'draft' if draft else 'final'}.pdf"
        path.write_bytes(render_pdf(doc, draft=draft, pdf_engine=engine).data)
        reports[draft] = check_pdf(path)
    final, draft = reports[False], reports[True]
    assert final.passed and draft.passed, draft.text()
    assert [(r.rule, r.status, r.measured) for r in draft.results] == \
        [(r.rule, r.status, r.measured) for r in final.results]
    with pdfplumber.open(tmp_path / f"{sample}-{engine}-draft.pdf") as pdf:
        pages = len(pdf.pages)
    assert draft.watermark == "草稿" and draft.watermark_pages == list(range(1, pages + 1))
    assert f"水印：「草稿」，第 1–{pages} 页" in draft.text()
    assert not final.watermark and "水印" not in final.text()
