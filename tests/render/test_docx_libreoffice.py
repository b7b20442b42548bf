"""The DOCX of varied 公文 laid out again by LibreOffice, read back and judged by `docgen check`: the GB/T 9704
layout must hold when a word processor paginates the document itself (issue 14).

One LibreOffice run converts the whole sweep (it is slow to start and super-linear on long tables, so the
records stay small). Each record's PDF must pass every rule of `docgen check` but those LibreOffice alone
breaks (Word does not): it adds a little space between digits and Chinese characters, and it hangs a
closing mark past the right edge (it reads ``w:overflowPunct w:val="0"`` the wrong way round). The checker
tolerates and reports those; the rules they can touch are named in KNOWN_ARTEFACTS.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docgen.layout import gbt9704
from docgen.check.formats import document_format
from docgen.check.readback import read_pdf
from docgen.check.report import check_pdf
from docgen.docx.document import flow_pages, render_docx
from docgen.docx.tables import cc_lines
from tests.libreoffice import to_pdfs
from tests.notice_cases import ORGAN, SENTENCE, content, long_body, notice

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "notices"

SEALED = {"organ": ORGAN, "date": "2024年12月31日", "seal": "sealed"}
CC = {"printer": f"{ORGAN}办公室", "print_date": "2024年8月3日", "cc": ["市委办公室", "市政府办公室", "市知识产权局"]}
JOINT_DATE = {"date": "2024年8月3日"}
# two rows of the 版记, digits among Chinese (LibreOffice sets them wider than docgen measures)
CC_TWO_LINES = {**CC, "cc": ["市12345热线中心", "市110指挥中心", "市120急救中心", "市119指挥中心", "市12315投诉中心",
                             "市2024年度联检组"]}
TABLE = {"table": {"title": "各县区联系人", "columns": ["单位", "联系人", "联系电话", "手机"],
                   "rows": [["山阳区市场监管局", "王芳", "0391-3568888", "13803910001"],
                            ["解放区市场监管局", "李明", "0391-2912345", "13903910002"],
                            ["修武县市场监管局", "张建国", "0391-7123456", "15803910003"]]}}

# varied records: 1–40 paragraphs, sealed and unsealed, 上行文, with and without 版记, tables, attachments, a
# 抄送 of two rows, 联合行文, and the §10 formats (信函, 命令, 纪要)
SWEEP = {
    "p1": notice(name="p1", body=["请各单位认真贯彻执行。"]),
    "p5-sealed": notice(name="p5-sealed", body=long_body(5), signature=SEALED),
    "p12": notice(name="p12", body=long_body(12)),
    "p40-sealed": notice(name="p40-sealed", body=long_body(40), signature=SEALED, colophon=CC),
    # a body that ends on page 1's last line: the signature must carry body lines over with it
    "full-page": notice(name="full-page", body=[SENTENCE * 3 + "确保各项工作落到实处。"] * 3 + [SENTENCE * 2]),
    "upward": notice(name="upward", direction="上行文", signers=["张建国", "李明", "王芳"],
                     addressees="河南省市场监督管理局", body=long_body(3) + ["妥否，请批示。"],
                     signature=SEALED, colophon=None),
    "table-attachments": notice(
        name="table-attachments", title="焦作市市场监督管理局关于印发2024年度知识产权保护工作要点和联系人名单的通知",
        body=long_body(6) + [TABLE, "请各单位认真贯彻执行。"], signature=SEALED,
        attachments=[{"title": "2024年度知识产权保护工作要点"},
                     {"title": "各县区知识产权保护联系人名单", "blocks": [TABLE]}]),
    "no-colophon": notice(name="no-colophon", body=long_body(8), colophon=None, note="此件公开发布"),
    "cc-two-lines": notice(name="cc-two-lines", body=long_body(5), colophon=CC_TWO_LINES),
    "sealed-note": notice(name="sealed-note", body=long_body(3), signature=SEALED, colophon=None,
                          note=["联系人：王芳", "联系电话：0391-3568888"]),
    # 联合行文 (§7.2.3, §7.3.5): sealed, the 署名 side by side over their seal areas; unsealed, long names stacked
    "joint-sealed": notice(name="joint-sealed", issuer={"organs": [ORGAN, "焦作市知识产权局"]},
                           signature={**JOINT_DATE, "seal": "sealed"}),
    "joint-unsealed-long": notice(name="joint-unsealed-long", signature={**JOINT_DATE, "seal": "unsealed"},
                                  issuer={"organs": [ORGAN, "焦作市知识产权保护中心管理委员会办公室", "焦作市公安局经济犯罪侦查支队第一大队"]}),
    # the special formats (§10)
    **{name: yaml.safe_load((SAMPLES / f"{sample}.yaml").read_text(encoding="utf-8")) for name, sample in
       (("letter", "letter-2024-18"), ("order", "order-2024-3"), ("minutes", "minutes-2024-5"))},
}

# rules LibreOffice's own artefacts can fail (see the module docstring); every other rule must pass
KNOWN_ARTEFACTS = {
    "文字均在版心内（x 28–184，y 37–262 mm）",  # a closing mark hung past the right edge
    "满行 28 字（版心宽 156 mm）",  # a line one character short where digits meet Chinese
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("lo-sweep")
    docs = {name: content(record) for name, record in SWEEP.items()}
    for name, doc in docs.items():
        (out / f"{name}.docx").write_bytes(render_docx(doc).data)
    to_pdfs([out / f"{name}.docx" for name in docs], out)
    return {name: (doc, out / f"{name}.pdf") for name, doc in docs.items()}


@pytest.mark.parametrize("name", SWEEP)
def test_docgens_own_pdf_of_the_record_passes_every_rule(converted, name, tmp_path):
    from docgen.pdf.document import render_pdf

    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(render_pdf(converted[name][0]).data)
    report = check_pdf(pdf)
    assert report.passed and not report.tolerated(), report.text()


def assert_passes_but_for_libreoffice_artefacts(pdf: Path) -> None:
    """`docgen check` fails no rule of a LibreOffice PDF but those LibreOffice's own artefacts can touch."""
    report = check_pdf(pdf)
    unexpected = [r for r in report.failures() if r.rule not in KNOWN_ARTEFACTS]
    assert not unexpected, report.text()


@pytest.mark.parametrize("name", SWEEP)
def test_libreoffice_layout_passes_docgen_check(converted, name):
    assert_passes_but_for_libreoffice_artefacts(converted[name][1])


@pytest.mark.parametrize("name", SWEEP)
def test_colophon_on_an_even_last_page_numbered_unless_a_blank_page_precedes(converted, name):
    """docgen's pagination decides the 版记's page (no even-page section break, which LibreOffice ignores):
    after an odd last page the next page, numbered; after an even one a blank page first, neither numbered."""
    doc, pdf = converted[name]
    view = read_pdf(pdf)
    if doc.header.format == "信函":
        pytest.skip("a 信函's 版记 is its 抄送 alone, under its text (test_letter_cc_at_the_foot_of_its_last_page)")
    if doc.colophon is None:
        assert not any(ln.text.endswith("印发") for p in view.pages for ln in p.lines)
        return
    flow = flow_pages(doc)
    pages = view.pages
    assert len(pages) == flow + (2 if flow % 2 == 0 else 1) and len(pages) % 2 == 0, (flow, len(pages))
    last = pages[-1]
    assert any(ln.text.endswith("印发") for ln in last.lines)
    if flow % 2 == 0:
        assert not pages[-2].lines and last.page_number is None and pages[-2].page_number is None
    else:
        assert last.page_number is not None and last.page_number.text == f"— {last.number} —"


def test_signature_keeps_only_the_last_body_lines(converted):
    """Only the body's last paragraph keeps with the signature: the page before the signature's is not left
    half empty (a chain of kept paragraphs would move as a block), and the signature has body text.
    LibreOffice moves the whole kept paragraph (Word only its last lines): up to four lines here, and the
    blank line before the signature."""
    for name, (doc, pdf) in converted.items():
        if not doc.signature.date:  # a 纪要: no signature (test_minutes_fill_page_one)
            continue
        view = read_pdf(pdf)
        index = next(i for i, p in enumerate(view.pages) for ln in p.lines if ln.text == doc.signature.date)
        body = [ln for ln in view.pages[index].text_lines() if abs(ln.size - gbt9704.SIZE_SAN) < 0.5]
        assert len(body) >= 3, name  # 署名, date and at least one body line
        if index > 0 and not view.pages[index - 1].area.landscape:
            before = [ln for ln in view.pages[index - 1].text_lines() if ln.baseline < gbt9704.TYPE_BOTTOM + 1]
            assert before[-1].em_bottom > gbt9704.TYPE_BOTTOM - 5 * gbt9704.LINE_PITCH_MM, (name, before[-1].em_bottom)


def test_printing_date_right_indented_one_character(converted):
    view = read_pdf(converted["p40-sealed"][1])
    printed = next(ln for ln in view.pages[-1].lines if ln.text.endswith("印发"))
    # 右空一字 (§7.4.3): one body character from the type area's right edge, as the PDF sets it
    assert abs(printed.x1 - (gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH - gbt9704.CHAR_PITCH_MM)) < 0.8, printed.x1


def test_upward_red_rule_spans_the_type_area(converted):
    view = read_pdf(converted["upward"][1])
    rule = next(r for r in view.pages[0].rules if r.red and r.width > 100)
    assert abs(rule.x0 - gbt9704.MARGIN_LEFT) < 0.5 and abs(rule.width - gbt9704.TYPE_WIDTH) < 1.0, (rule.x0, rule.width)


def test_title_lines_are_the_pdf_lines(converted):
    """The title breaks where `break_title` breaks it (word boundaries), also where LibreOffice sets digits
    wider than docgen measures them."""
    from docgen.layout.titles import break_title

    doc, pdf = converted["table-attachments"]
    view = read_pdf(pdf)
    titles = [ln.text.replace(" ", "") for ln in view.pages[0].text_lines() if ln.size > 20 and not ln.red]
    assert tuple(titles) == break_title(doc.title, organ=doc.signature.organ)


def test_telephone_numbers_never_break(converted):
    numbers = {"0391-3568888", "0391-2912345", "0391-7123456", "13803910001", "13903910002", "15803910003"}
    view = read_pdf(converted["table-attachments"][1])
    texts = {ln.text.replace(" ", "").replace("‑", "-") for p in view.pages for ln in p.lines}
    for number in numbers:
        assert any(number in t for t in texts), number


def test_two_line_cc_keeps_both_lines(converted):
    """The 抄送 rows as docgen breaks them, every one printed (an exact row too low for LibreOffice's line
    would clip the last)."""
    doc, pdf = converted["cc-two-lines"]
    rows = [row.line.text for row in cc_lines(doc.colophon)]
    printed = [ln.text.replace(" ", "") for ln in read_pdf(pdf).pages[-1].text_lines()]
    assert len(rows) == 2 and printed[:2] == rows, printed


def test_joint_signatures_side_by_side_when_sealed_stacked_when_not(converted):
    for name, sealed in (("joint-sealed", True), ("joint-unsealed-long", False)):
        doc, pdf = converted[name]
        page = next(p for p in read_pdf(pdf).pages if any(ln.text.replace(" ", "") == doc.signature.date for ln in p.lines))
        texts = {ln.text.replace(" ", ""): ln for ln in page.text_lines()}
        if sealed:
            [row] = [ln for ln in page.text_lines() if all(n in ln.text.replace(" ", "") for n in doc.signature.names)]
            assert row.text.replace(" ", "").startswith(doc.signature.names[0]), row.text
        else:
            names = [texts[n] for n in doc.signature.names]
            assert all(abs(n.x0 - names[0].x0) < 0.5 for n in names), [n.x0 for n in names]
            assert all(abs(b.baseline - a.baseline - gbt9704.LINE_PITCH_MM) < 0.3 for a, b in zip(names, names[1:]))


@pytest.mark.parametrize("name, fmt", [("letter", "信函"), ("order", "命令"), ("minutes", "纪要")])
def test_special_formats_are_known_from_their_layout(converted, name, fmt):
    """LibreOffice writes no document info of docgen's: the checker knows the format by the layout alone."""
    assert document_format(read_pdf(converted[name][1]))[0] == fmt


def test_letterhead_on_page_one_alone_and_page_one_unnumbered(converted):
    view = read_pdf(converted["letter"][1])
    first, rest = view.pages[0], view.pages[1:]
    mark = next(ln for ln in first.text_lines() if ln.red)
    assert abs(mark.em_top - 30.0) < 1.0, mark.em_top
    assert len([r for r in first.rules if r.red and abs(r.width - 170.0) < 1.0]) == 4
    assert first.page_number is None and all(p.page_number is not None for p in rest)
    assert not any(r.red for p in rest for r in p.rules) and not any(ln.red for p in rest for ln in p.lines)


def test_letter_cc_at_the_foot_of_its_last_page(converted):
    """A 信函's 版记 is its 抄送 alone, without rules or 印发 line, at the foot of the text's last page."""
    doc, pdf = converted["letter"]
    view = read_pdf(pdf)
    assert len(view.pages) == flow_pages(doc)
    last = view.pages[-1].text_lines()
    assert last[-1].text.replace(" ", "").startswith("抄送：") and last[-1].em_bottom > gbt9704.TYPE_BOTTOM - 5
    assert not any(ln.text.endswith("印发") for ln in last) and not [r for r in view.pages[-1].rules if r.width > 150]


def test_order_has_no_rule_under_its_number(converted):
    view = read_pdf(converted["order"][1])
    assert not [r for r in view.pages[0].rules if r.red]


def test_minutes_fill_page_one(converted):
    """A 纪要's body of run-in headings (一、……。text) flows on: page 1 is full, not left half empty by a chain
    of paragraphs kept with the next."""
    view = read_pdf(converted["minutes"][1])
    body = [ln for ln in view.pages[0].text_lines() if ln.baseline < gbt9704.TYPE_BOTTOM + 1]
    assert body[-1].em_bottom > gbt9704.TYPE_BOTTOM - gbt9704.LINE_PITCH_MM, body[-1].em_bottom


def test_a_note_under_a_sealed_signature_clears_the_seal_area(converted):
    """The 附注 starts on the first line clear of the seal area, as docgen's own layout puts it."""
    from docgen.layout.compose import compose

    doc, pdf = converted["sealed-note"]
    seal = compose(doc).seal
    page = read_pdf(pdf).pages[seal.page - 1]
    [first] = [ln for ln in page.text_lines() if ln.text.replace(" ", "").startswith("（联系人")]
    assert first.em_top > seal.y + seal.diameter / 2, (first.em_top, seal.y + seal.diameter / 2)

