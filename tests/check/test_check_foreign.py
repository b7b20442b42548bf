"""`docgen check` on 公文 PDFs it did not draw: the sealed layout recognised without `DocgenSealArea`, the
主送机关 not taken for body text, LibreOffice's known layout differences tolerated and reported (never a pass
of the rule they bend, never hiding another failure), turned table pages in a landscape media box, and the
verdicts on LibreOffice's PDFs of docgen's DOCX for every sample record.

The constructed cases are docgen's own compositions, changed the way a foreign PDF differs and drawn by
WeasyPrint (or changed with pikepdf): what the checker must say about each is known exactly.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pikepdf
import pytest

from docgen.layout import gbt9704
from docgen.check.readback import read_pdf
from docgen.check.report import check_pdf
from docgen.check.rules import FAIL, PASS, TOLERATED, Structure, signature_mode
from docgen.kinds import render_file
from docgen.layout.closing import SEAL_AREA_KEY, advance_mm
from docgen.layout.compose import compose
from docgen.layout.flow import Rect, Text
from docgen.layout.linebreak import Run
from docgen.pdf.document import render_pdf
from tests.check.test_check import DOC, pdf_of, shifted
from tests.notice_cases import CASES, body_of_lines, content, notice

P, C = gbt9704.LINE_PITCH_MM, gbt9704.CHAR_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
ROOT = Path(__file__).resolve().parents[2]

TYPE_AREA = "文字均在版心内（x 28–184，y 37–262 mm）"
UNSEALED = "不加盖印章：署名右空二字，日期首字比署名首字右移二字"
SEALED_DATE = "加盖印章的成文日期右空四字"
CENTRED = "发文机关署名以成文日期居中"
INFERRED_SEAL = "印章区（按版式推定，42 mm）：压署名和成文日期，上缘距正文一行之内"
BODY_ON_PAGE_1 = "首页显示正文"


def result(report, rule):
    found = [r for r in report.results if r.rule == rule]
    assert len(found) == 1, (rule, report.text())
    return found[0]


def rules(report) -> set[str]:
    return {r.rule for r in report.results}


def relabel(path: Path, producer: str = "LibreOffice 7.4", drop_seal_area: bool = True) -> Path:
    """The PDF as another program would have written it: its producer, and no `DocgenSealArea`."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Producer"] = pikepdf.String(producer)
        pdf.docinfo["/Creator"] = pikepdf.String("Writer" if "LibreOffice" in producer else producer)
        if drop_seal_area and f"/{SEAL_AREA_KEY}" in pdf.docinfo:
            del pdf.docinfo[f"/{SEAL_AREA_KEY}"]
        pdf.save(path)
    return path


def check_as(composition, path: Path, producer: str):
    pdf_of(composition, path)
    return check_pdf(relabel(path, producer))


def _glyphs(item: Text) -> list[tuple[str, float]]:
    """Each character of a one-run Text and its left edge (mm)."""
    run = item.runs[0]
    x, out = item.x, []
    for ch in run.text:
        out.append((ch, x))
        x += advance_mm(ch, run.role, item.size, item.spacing)
    return out


def autospaced(item: Text, gap: float = 1.15) -> list[Text]:
    """LibreOffice's autospace: ``gap`` mm added between a digit and a Chinese character, the line kept at its
    right end (a right-aligned paragraph). One Text a character."""
    glyphs = _glyphs(item)
    boundaries = [i for i in range(1, len(glyphs)) if glyphs[i - 1][0].isdigit() != glyphs[i][0].isdigit()]
    shift = gap * len(boundaries)
    out = []
    for i, (ch, x) in enumerate(glyphs):
        moved = x - shift + gap * sum(1 for b in boundaries if b <= i)
        out.append(dataclasses.replace(item, x=moved, runs=(Run(ch, item.runs[0].role),)))
    return out


def _texts(page, pick):
    return [it for it in page.items if isinstance(it, Text) and pick(it)]


def _text_of(item: Text) -> str:
    return "".join(r.text for r in item.runs)


def signature_page(composition, doc):
    return next(p for p in composition.pages if _texts(p, lambda it: _text_of(it) == doc.signature.date))


# ---- page 1: the 主送机关 is not body text ----

def _addressee_only_first_page(doc):
    c = compose(doc)
    first = c.pages[0]
    addressee = next(it for it in first.items if isinstance(it, Text) and _text_of(it).endswith("："))
    first.items = [it for it in first.items
                   if not (isinstance(it, Text) and it.size == gbt9704.SIZE_SAN and it.baseline > addressee.baseline + 1)]
    return c


@pytest.mark.parametrize("producer", ["WeasyPrint", "LibreOffice 7.4"])
def test_a_first_page_with_only_the_addressees_has_no_body(tmp_path, producer):
    report = check_as(_addressee_only_first_page(DOC), tmp_path / "x.pdf", producer)
    body = result(report, BODY_ON_PAGE_1)
    assert body.status == FAIL and "正文 0 行" in body.measured and "主送机关" in body.measured


def test_a_first_page_with_body_after_the_addressees_passes(tmp_path):
    report = check_as(compose(DOC), tmp_path / "x.pdf", "LibreOffice 7.4")
    body = result(report, BODY_ON_PAGE_1)
    assert body.status == PASS and "主送机关「各县（市）、区市场监督管」不计" in body.measured
    assert report.passed and not report.tolerated(), report.text()


def test_header_lines_are_not_body_either(tmp_path):
    """份号, 密级 and 紧急程度 stand above the red rule: with no body under the 主送 they do not count."""
    report = check_as(_addressee_only_first_page(content(CASES["header_marks"])), tmp_path / "x.pdf", "WeasyPrint")
    assert result(report, BODY_ON_PAGE_1).status == FAIL


# ---- the sealed layout, with and without DocgenSealArea ----

SEALED = content(CASES["sealed"])


def test_a_sealed_pdf_stripped_of_its_seal_area_is_judged_sealed_and_passes(tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(render_pdf(SEALED).data)
    assert check_pdf(path).seal_area is not None
    report = check_pdf(relabel(path, "Microsoft® Word for Microsoft 365"))
    assert report.seal_area is None
    assert report.passed, report.text()
    assert {SEALED_DATE, CENTRED, INFERRED_SEAL} <= rules(report) and UNSEALED not in rules(report)
    assert "版式（成文日期右空四字" in result(report, SEALED_DATE).measured
    view = read_pdf(path)
    assert signature_mode(view, Structure(view))[0] is True


def test_a_seal_drawn_on_the_page_gives_the_seal_area(tmp_path):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGBA", (300, 300), (230, 0, 18, 160)).save(png, format="PNG")
    path = tmp_path / "stamped.pdf"
    path.write_bytes(render_pdf(SEALED, seal_image=png.getvalue()).data)
    report = check_pdf(relabel(path, "Microsoft® Word for Microsoft 365"))
    assert report.passed, report.text()
    seal = result(report, "印章与成文日期同页、上距正文一行之内")
    assert "页面上绘有印章" in seal.measured and "直径 42.0 mm" in seal.measured


def test_an_unsealed_pdf_is_judged_with_the_unsealed_rules(tmp_path):
    report = check_as(compose(DOC), tmp_path / "x.pdf", "Microsoft® Word for Microsoft 365")
    assert result(report, UNSEALED).status == PASS
    assert not {SEALED_DATE, CENTRED, INFERRED_SEAL} & rules(report)


def test_a_sealed_signature_off_centre_fails_with_its_measure(tmp_path):
    c = compose(SEALED)
    page = signature_page(c, SEALED)
    shifted(c, lambda p, it: p is page and isinstance(it, Text) and _text_of(it) == SEALED.signature.organ, dx=-3)
    report = check_as(c, tmp_path / "x.pdf", "LibreOffice 7.4")
    centred = result(report, CENTRED)
    assert centred.status == FAIL and "署名中线" in centred.measured and "日期中线" in centred.measured


def test_a_sealed_signature_too_far_below_the_text_leaves_no_room_for_the_seal(tmp_path):
    c = compose(SEALED)
    page = signature_page(c, SEALED)
    sign = {SEALED.signature.organ, SEALED.signature.date}
    shifted(c, lambda p, it: p is page and isinstance(it, Text) and _text_of(it) in sign, dy=2 * P)
    report = check_as(c, tmp_path / "x.pdf", "WeasyPrint")
    seal = result(report, INFERRED_SEAL)
    assert seal.status == FAIL and "日期下缘距正文" in seal.measured


# ---- LibreOffice's differences: tolerated, reported, never a pass, never hiding a failure ----

def _hung_mark(composition, page_index: int = 1):
    """A full body line followed by a "，" hung past the right edge, as LibreOffice sets a closing mark that
    does not fit (docgen and Word squeeze it into the line)."""
    page = composition.pages[page_index]
    line = next(it for it in page.items if isinstance(it, Text) and it.size == gbt9704.SIZE_SAN
                and len(_text_of(it)) == 28 and not _text_of(it).endswith("。"))
    mark = dataclasses.replace(line, x=RIGHT + 0.1, runs=(Run("，", line.runs[0].role),))
    page.items = [x for it in page.items for x in ((line, mark) if it is line else (it,))]
    return composition


def _autospaced_date(composition, doc, extra_dx: float = 0.0):
    page = signature_page(composition, doc)
    date = next(it for it in page.items if isinstance(it, Text) and _text_of(it) == doc.signature.date)
    spaced = [dataclasses.replace(t, x=t.x + extra_dx) for t in autospaced(date)]
    page.items = [x for it in page.items for x in (spaced if it is date else (it,))]
    return composition


def test_a_hanging_closing_mark_is_tolerated_and_reported_only_for_libreoffice(tmp_path):
    lo = check_as(_hung_mark(compose(DOC)), tmp_path / "lo.pdf", "LibreOffice 7.4")
    area = result(lo, TYPE_AREA)
    assert area.status == TOLERATED and area in lo.tolerated() and lo.passed
    assert "行末标点悬挂出版心右边缘" in area.note and "189" in area.measured
    assert "容许（LibreOffice 排版差异" in lo.text() and "≈ 文字均在版心内" in lo.text()
    other = check_as(_hung_mark(compose(DOC)), tmp_path / "other.pdf", "WeasyPrint")
    assert result(other, TYPE_AREA).status == FAIL and not other.passed


def test_a_hanging_mark_does_not_hide_a_line_really_outside_the_type_area(tmp_path):
    c = _hung_mark(compose(DOC))
    page = c.pages[2]
    line = next(it for it in page.items if isinstance(it, Text) and it.size == gbt9704.SIZE_SAN)
    page.items = [dataclasses.replace(it, x=it.x + 3) if it is line else it for it in page.items]
    report = check_as(c, tmp_path / "x.pdf", "LibreOffice 7.4")
    assert result(report, TYPE_AREA).status == FAIL


def test_space_between_digits_and_chinese_is_tolerated_and_reported_only_for_libreoffice(tmp_path):
    lo = check_as(_autospaced_date(compose(DOC), DOC), tmp_path / "lo.pdf", "LibreOffice 7.4")
    unsealed = result(lo, UNSEALED)
    assert unsealed.status == TOLERATED and "数字、字母与汉字之间的额外间距" in unsealed.note
    assert lo.passed and lo.tolerated() == [unsealed]
    other = check_as(_autospaced_date(compose(DOC), DOC), tmp_path / "other.pdf", "WeasyPrint")
    assert result(other, UNSEALED).status == FAIL


def test_space_between_digits_does_not_hide_a_misplaced_date(tmp_path):
    report = check_as(_autospaced_date(compose(DOC), DOC, extra_dx=-5), tmp_path / "x.pdf", "LibreOffice 7.4")
    assert result(report, UNSEALED).status == FAIL and not report.passed


def test_a_sealed_date_spaced_by_libreoffice_is_tolerated_off_centre(tmp_path):
    """LibreOffice widens the right-indented date to the left: the 署名 looks off its centre by half the space."""
    lo = check_as(_autospaced_date(compose(SEALED), SEALED), tmp_path / "x.pdf", "LibreOffice 7.4")
    assert result(lo, SEALED_DATE).status == PASS  # the right end does not move
    assert result(lo, CENTRED).status == TOLERATED and lo.passed


@pytest.mark.parametrize("producer", ["WeasyPrint", "LibreOffice 7.4"])
def test_real_defects_fail_whoever_made_the_pdf(tmp_path, producer):
    """What a DOCX gets wrong is a failure on LibreOffice's PDF as on any other, with the measured value."""
    c = compose(DOC)  # 上行文-like short red rule; 印发日期 right-indented 2 字; 版记 page unnumbered
    c.pages[0].items = [dataclasses.replace(it, x=it.x + C, w=it.w - C) if isinstance(it, Rect) and it.color == gbt9704.RED_HEX
                        else it for it in c.pages[0].items]
    last = c.pages[-1]
    shifted(c, lambda p, it: p is last and isinstance(it, Text) and _text_of(it).endswith("印发"), dx=-C)
    last.folio = None
    report = check_as(c, tmp_path / "x.pdf", producer)
    rule = result(report, "红色分隔线与版心等宽")
    assert rule.status == FAIL and "宽 150.4 mm" in rule.measured
    printed = result(report, "印发机关左空一字、印发日期右空一字")
    assert printed.status == FAIL and "印发日期右端 172.9 mm" in printed.measured
    assert result(report, "无页码的页只能是版记前的空白页和其后的版记页").status == FAIL


def test_a_colophon_page_after_a_blank_page_goes_unnumbered(tmp_path):
    doc = content(notice(body=body_of_lines(27)))  # page 2 full: the 版记 takes a blank page 3 and page 4
    report = check_as(compose(doc), tmp_path / "x.pdf", "WeasyPrint")
    assert report.passed, report.text()
    assert "无页码页：[3, 4]" in result(report, "无页码的页只能是版记前的空白页和其后的版记页").measured


# ---- a turned table in a landscape media box (how Word and LibreOffice write a landscape section) ----

WIDE = notice(name="wide", attachments=[{"title": "知识产权重点保护企业名录", "blocks": [
    {"table": {"columns": ["序号", "填报单位", "企业名称", "企业类别", "知识产权重点保护种类", "知识产权运用方式",
                           "企业负责人及联系方式", "联络员及联系方式"],
               "rows": [[str(i), "解放区", f"焦作市第{i}有限公司", "高新技术企业", "专利重点", "所有",
                         "陆远 13839110072", "贾宁 13839110073"] for i in range(1, 6)]}}]}])


def _media_turned(path: Path) -> list[int]:
    """Each page whose text is turned (docgen's §8 page) rewritten as a landscape media box with that text
    upright and everything else (the page number) turned: the page printed on portrait A4 is unchanged."""
    turned = [p.number for p in read_pdf(path).pages if p.area.landscape]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for n in turned:
            page = pdf.pages[n - 1]
            w, h = (float(v) for v in page.mediabox[2:])
            page.contents_coalesce()
            page.contents_add(pikepdf.Stream(pdf, f"q 0 -1 1 0 0 {w:.4f} cm\n".encode()), prepend=True)
            page.contents_add(pikepdf.Stream(pdf, b"\nQ"))
            page.mediabox = [0, 0, h, w]
        pdf.save(path)
    return turned


def test_a_landscape_media_box_is_read_as_the_turned_page(tmp_path):
    path = tmp_path / "wide.pdf"
    path.write_bytes(render_pdf(content(WIDE)).data)
    before = check_pdf(path)
    assert before.passed, before.text()
    turned = _media_turned(path)
    assert turned
    view = read_pdf(path)
    for n in turned:
        page = view.pages[n - 1]
        assert page.sideways and page.area.landscape and not page.backwards
        assert page.page_number is not None and page.page_number.text == f"— {n} —"
    report = check_pdf(relabel(path, "LibreOffice 7.4", drop_seal_area=False))
    assert report.passed, report.text()
    assert "横放的 A4" in result(report, "纸张 A4（210×297 mm）").measured
    landscape = result(report, "横排表格页：表头朝左（单页订口、双页切口），页码位置同其他页")
    assert landscape.status == PASS
    assert [r.rule for r in report.results if r.status != "不适用"] == \
        [r.rule for r in before.results if r.status != "不适用"]


# ---- LibreOffice's PDFs of docgen's DOCX, every sample record ----

# 文件 samples: the special formats (信函, 命令, 纪要) have parts and rules of their own, and their own test
# through LibreOffice (tests/render/test_special_formats.py)
SAMPLES = [p for p in sorted((ROOT / "samples" / "notices").glob("*.yaml")) if "\nformat:" not in p.read_text("utf-8")] + \
    [p for p in sorted((ROOT / "samples" / "replies").glob("*.yaml")) if "batch" not in p.name] + \
    sorted((ROOT / "samples" / "bulletins").glob("*.yaml"))

# what a DOCX can get wrong in LibreOffice's hands (the DOCX renderer's business): a failure there is a
# real one, reported with its measure
DOCX_DEFECTS = {BODY_ON_PAGE_1, "落款与正文同页（不单独成页）", "印发机关左空一字、印发日期右空一字",
                "无页码的页只能是版记前的空白页和其后的版记页", "版记位于偶数页（双面印刷的最后一面）",
                "红色分隔线与版心等宽", CENTRED, INFERRED_SEAL}
# what LibreOffice's own layout bends, and may be tolerated
ARTEFACT_PRONE = {TYPE_AREA, UNSEALED, SEALED_DATE, CENTRED}


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory):
    from tests.libreoffice import to_pdf

    out = tmp_path_factory.mktemp("lo-samples")
    pairs = {}
    for record in SAMPLES:
        artifacts = {a.filename.rsplit(".", 1)[-1]: a for a in render_file(record)}
        own = out / f"{record.stem}.docgen.pdf"
        own.write_bytes(artifacts["pdf"].data)
        docx = out / f"{record.stem}.docx"
        docx.write_bytes(artifacts["docx"].data)
        pairs[record.stem] = (own, to_pdf(docx, out))
    return pairs


@pytest.mark.parametrize("record", SAMPLES, ids=lambda p: p.stem)
def test_libreoffice_pdfs_of_every_sample_get_the_right_verdicts(through_libreoffice, record):
    own, exported = through_libreoffice[record.stem]
    mine, theirs = check_pdf(own), check_pdf(exported)
    assert mine.passed, mine.text()
    assert read_pdf(exported).libreoffice and not read_pdf(own).libreoffice
    # the parts are all found, and the signature judged in the mode the record asks for
    view = read_pdf(exported)
    s = Structure(view)
    assert s.mark and s.doc_number and s.separator and s.titles and s.addressees and s.date
    sealed = mine.seal_area is not None
    assert signature_mode(view, s)[0] is sealed, theirs.text()
    for rule in ({SEALED_DATE, CENTRED} if sealed else {UNSEALED}):
        assert rule in rules(theirs), theirs.text()
    # every failure is a real DOCX defect, with its measure; every tolerance a LibreOffice difference, said so
    for r in theirs.failures():
        assert r.rule in DOCX_DEFECTS and r.measured, theirs.text()
    for r in theirs.tolerated():
        assert r.rule in ARTEFACT_PRONE and r.note.startswith("LibreOffice 排版差异：") and r.measured, theirs.text()
    # the same PDF, not said to be LibreOffice's, has nothing tolerated: those rules fail there
    bare = exported.with_name(exported.stem + ".bare.pdf")
    bare.write_bytes(exported.read_bytes())
    plain = check_pdf(relabel(bare, "Unknown", drop_seal_area=False))
    assert not plain.tolerated()
    assert {r.rule for r in theirs.tolerated()} <= {r.rule for r in plain.failures()}
