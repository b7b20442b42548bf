"""Attachment pages in DOCX (GB/T 9704 §8, §10): the XML of tables and forms (widths in the type area,
repeated header rows, merged cells, landscape sections, text that stays text) and what LibreOffice makes
of them (pages, type area, repeated headers, nothing cut off, wrapping, orientation, label and title)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from docgen.layout import gbt9704
from docgen.annexes.consolidate import consolidate
from docgen.annexes.pages import annex_attachments
from docgen.annexes.submissions import read_submission
from docgen.content.notice import build_notice
from docgen.content.document import Attachment, Cell, FormRow, FormTable, Paragraph, Table
from docgen.records.notice import NoticeRecord
from docgen.layout.columns import column_widths
from docgen.docx.attachments import render_attachments_docx
from docgen.docx.engine import FastTemplate, tables_match_grids
from docgen.docx.document import render_docx
from docgen.docx.template import ATTACHMENTS_TEMPLATE, attachments_template_parts, turned_number_box
from docgen.docx.units import tw
from tests.libreoffice import to_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "annexes"
SEED = Path(__file__).resolve().parents[2] / "samples" / "notices" / "jiaozuo-2021-135.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
MM = 25.4 / 72
C = gbt9704.CHAR_PITCH_MM
BOXES = "汽车零部件☐　电子信息☑　机械制造☐　生物医药☐　新材料☐　节能环保☐　现代农业☐　其它行业☐"
LONG_NAME = "焦作市山阳区精密轴承与汽车零部件制造股份有限公司知识产权保护联络办公室（筹）"


# ---- content ----

def application_form() -> Attachment:
    """The seed's 附件1 on a 6-column grid, filled in: labels, values spanning columns, ☐/☑ boxes, opinion
    boxes with their （公章） 年 月 日 foot."""
    lab = lambda text: Cell(text, label=True)  # noqa: E731
    val = lambda text="", span=1: Cell(text, span=span)  # noqa: E731
    rows = (
        FormRow((lab("单位名称"), val("焦作市山阳精密轴承有限公司", 5))),
        FormRow((lab("联系人"), val("王芳"), lab("部门"), val("知识产权部", 3))),
        FormRow((lab("联系电话"), val("0391-3568888", 2), lab("电邮、QQ"), val("jzzc@163.com", 2))),
        FormRow((lab("单位地址"), val("焦作市山阳区人民路1号", 2), lab("单位网址"), val("www.jzzc.cn", 2))),
        FormRow((lab("工作站所在区域主要行业领域"), val(BOXES, 5))),
        FormRow((lab("工作站名称"), val("知识产权保护工作站山阳精密轴承站", 5))),
        FormRow((lab("管理人员数"), val("3 人"), lab("专职"), val("1 人"), lab("兼职"), val("2 人"))),
        FormRow((lab("负责人"), val("李明"), lab("手机"), val("13812345678"), lab("QQ、微信"), val("123456"))),
        FormRow((lab("办公面积平方米"), val("60", 2), lab("工作机位台(套)"), val("4", 2))),
        FormRow((lab("办公环境"), val("设置知识产权保护宣传标牌☑　制度上墙☐", 5))),
        FormRow((lab("申报单位意见"), Cell("同意申报。{{ 7*7 }}", span=5, foot="（公章）　　年　　月　　日")), lines=4),
        FormRow((lab("辖区市场监管局意见"), Cell("", span=5, foot="（公章）　　年　　月　　日")), lines=4),
        FormRow((lab("工作站指导员"), val("{%p if x %}张三", 5))),
    )
    return Attachment(1, "知识产权保护联系点申请表", (
        Paragraph("填报时间：2021年8月20日", align="right"), FormTable((2, 2, 1.2, 1.6, 1.2, 1.6), rows),
        Paragraph("本表交由辖区市场监管局存档")))


def enterprises(n: int) -> Attachment:
    """附件3 with a 填报单位 column: eight columns, so wide (§8); names invented, telephone numbers valid."""
    columns = ("序号", "填报单位", "企业名称", "企业类别", "知识产权重点保护种类", "知识产权运用方式（使用、所有）",
               "企业负责人及联系方式", "联络员及联系方式")
    rows = tuple((str(i), ("山阳区", "解放区", "修武县")[i % 3],
                  LONG_NAME if i == 7 else f"焦作市第{i}精密制造有限公司", ("高新技术企业", "专精特新企业")[i % 2],
                  "驰名商标、专利重点" if i % 2 else "地理标志保护产品（涉外的备注）", ("使用", "所有")[i % 2],
                  f"王{i}芳 1381234{i:04d}", f"李{i}明 0391-35{i:05d}") for i in range(1, n + 1))
    return Attachment(3, "知识产权重点保护企业名录", (Table(columns, rows, (0.8, 2.5, 3, 2, 2.5, 1.6, 2.3, 2.3)),
                                                  Paragraph("知识产权重点保护种类：驰名商标、专利重点。")))


def stations(n: int) -> Attachment:
    columns = ("序号", "站名", "所属辖区局", "负责人及联系方式", "工作站指导员")
    rows = tuple((str(i), f"知识产权保护工作站第{i}园区站", "山阳区市场监督管理局", f"赵{i}强 1390391{i:04d}",
                  "{{ 7*7 }}" if i == 2 else f"钱{i}") for i in range(1, n + 1))
    return Attachment(2, "工作站统计表", (Table(columns, rows, (0.8, 3, 2, 2.5, 2)),))


def part(data: bytes, name: str = "word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def tree(data: bytes):
    return etree.fromstring(part(data).encode("utf-8"))


def sections(root) -> list:
    """Each section's sectPr with the tables it holds, in order."""
    out, tables = [], []
    for el in root.find(f"{W}body"):
        if el.tag == f"{W}tbl":
            tables.append(el)
        sect = el.find(f"{W}pPr/{W}sectPr") if el.tag == f"{W}p" else (el if el.tag == f"{W}sectPr" else None)
        if sect is not None:
            out.append((sect, tables))
            tables = []
    return out


# ---- the XML ----

def test_committed_attachments_template_is_what_the_builder_makes():
    committed = zipfile.ZipFile(ATTACHMENTS_TEMPLATE)
    for name, xml in attachments_template_parts().items():
        assert committed.read(name).decode("utf-8") == xml, f"{name}: run python -m docgen.docx.template"


def test_table_rows_come_from_template_loops():
    document = attachments_template_parts()["word/document.xml"]
    assert "{%tr for row in b.rows %}" in document and "{%tc for pr, ppr, text, foot, foot_ppr in row.cells %}" in document
    assert "{{ text }}" in document


@pytest.fixture(scope="module")
def small():
    """附件1 (a form), 附件2 (portrait) and 附件3 (wide: landscape), then 附件2 again after it."""
    return render_attachments_docx((application_form(), stations(12), enterprises(30), stations(3)), "small").data


def test_widths_in_twips_fill_the_type_area(small):
    root = tree(small)
    (portrait, first), (landscape, wide), (after, last) = sections(root)
    for tables, area in ((first, gbt9704.PORTRAIT), (wide, gbt9704.LANDSCAPE), (last, gbt9704.PORTRAIT)):
        for tbl in tables:
            grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
            assert sum(grid) == tw(area.width)
            assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
            for tr in tbl.iter(f"{W}tr"):
                cells = tr.findall(f"{W}tc")
                spans = [int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if tc.find(f"{W}tcPr/{W}gridSpan") is not None
                         else 1 for tc in cells]
                assert sum(spans) == len(grid)
                widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in cells]
                assert sum(widths) == tw(area.width)
    # the widths are the PDF's: column_widths in the landscape 版心
    table = enterprises(30).blocks[0]
    expected = column_widths(table, gbt9704.LANDSCAPE.width)
    grid = [int(c.get(f"{W}w")) for c in wide[0].iter(f"{W}gridCol")]
    assert all(abs(w - tw(e)) <= 1 for w, e in zip(grid, expected))


def test_header_rows_repeat_and_rows_do_not_split(small):
    for sect, tables in sections(tree(small)):
        for tbl in tables:
            rows = tbl.findall(f"{W}tr")
            assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
            heads = [tr.find(f"{W}trPr/{W}tblHeader").get(f"{W}val") for tr in rows]
            form = tbl.find(f".//{W}gridSpan") is not None
            assert heads == ["0"] * len(rows) if form else heads == ["1"] + ["0"] * (len(rows) - 1)


def test_form_cells_merge_on_the_grid(small):
    form = sections(tree(small))[0][1][0]
    rows = form.findall(f"{W}tr")
    assert len(form.findall(f"{W}tblGrid/{W}gridCol")) == 6
    spans = [[int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if tc.find(f"{W}tcPr/{W}gridSpan") is not None else 1
              for tc in tr.findall(f"{W}tc")] for tr in rows]
    assert spans[0] == [1, 5] and spans[1] == [1, 1, 1, 3] and spans[2] == [1, 2, 1, 2]
    texts = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in rows[4].findall(f"{W}tc")]
    assert texts == ["工作站所在区域主要行业领域", BOXES]  # the boxes are text
    opinion = rows[10].findall(f"{W}tc")[1]
    paragraphs = opinion.findall(f"{W}p")
    assert paragraphs[-1].find(f"{W}pPr/{W}jc").get(f"{W}val") == "right"
    assert "".join(t.text for t in paragraphs[-1].iter(f"{W}t")) == "（公章）　　年　　月　　日"
    assert opinion.find(f"{W}tcPr/{W}vAlign").get(f"{W}val") == "top"
    height = int(rows[10].find(f"{W}trPr/{W}trHeight").get(f"{W}val"))
    assert height > 3 * int(rows[0].find(f"{W}trPr/{W}trHeight").get(f"{W}val"))  # lines=4
    label = rows[0].findall(f"{W}tc")[0].find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val")
    value = rows[0].findall(f"{W}tc")[1].find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val")
    assert (label, value) == ("center", "left")


def test_landscape_section_turns_the_page_with_the_same_type_area(small):
    (portrait, _), (landscape, wide), (after, _) = sections(tree(small))
    assert wide, "the wide table is in the landscape section"
    for sect in (portrait, after):
        size = sect.find(f"{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (str(tw(210)), str(tw(297)), None)
        m = sect.find(f"{W}pgMar")
        assert [m.get(f"{W}{k}") for k in ("top", "left", "right", "bottom")] == [str(tw(v)) for v in (37, 28, 26, 35)]
    size = landscape.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (str(tw(297)), str(tw(210)), "landscape")
    m = {k: int(landscape.find(f"{W}pgMar").get(f"{W}{k}")) for k in ("top", "left", "right", "bottom")}
    assert tw(297) - m["left"] - m["right"] == tw(225) and tw(210) - m["top"] - m["bottom"] == tw(156)
    # the head of the table (the page's top) toward the binding edge: the portrait page's 28 mm left margin
    assert m["top"] == tw(gbt9704.MARGIN_LEFT) and m["left"] == tw(gbt9704.PAGE_HEIGHT - gbt9704.TYPE_BOTTOM)
    refs = {r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in landscape.findall(f"{W}footerReference")}
    assert refs == {"default": "rIdFooterTurnedOdd", "even": "rIdFooterTurnedEven"}
    footer = part(small, "word/footer4.xml")
    assert '<w:textDirection w:val="tbRl"/>' in footer and "PAGE" in footer and 'w:vertAnchor="page"' in footer


def test_user_text_stays_text(small):
    document = part(small)
    assert "{{ 7*7 }}" in document and "{%p if x %}张三" in document and "49" not in re.findall(r"<w:t[^>]*>([^<]*)", document)
    data = render_attachments_docx((stations(3), Attachment(4, "<b>标题</b> & 附注", (Paragraph("a < b & c"),))), "x").data
    document = part(data)
    assert "&lt;b&gt;标题&lt;/b&gt; &amp; 附注" in document and "a &lt; b &amp; c" in document


def test_fast_template_matches_docxtpl():
    """FastTemplate skips docxtpl's passes only where they change nothing: the same document.xml (in canonical
    form: docxtpl's re-serialisation writes empty elements as <x/>)."""
    from markupsafe import Markup

    from docgen.docx.body import attachment_pages
    from docgen.docx.engine import PlacingTemplate
    from docgen.docx.template import WML, section_xml

    attachments = (application_form(), stations(4), enterprises(5))
    bodies = []
    for cls in (PlacingTemplate, FastTemplate):  # docxtpl reading docgen's property tags, and docgen's
        tpl = cls(io.BytesIO(ATTACHMENTS_TEMPLATE.read_bytes()))
        pages, landscape = attachment_pages(tpl, attachments, True, after_body=False)
        tpl.render({"attachments": pages, "section_last": Markup(section_xml(landscape=landscape)), "wml": WML},
                   autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        bodies.append(etree.tostring(etree.fromstring(part(out.getvalue()).encode("utf-8")), method="c14n"))
    assert bodies[0] == bodies[1]


def test_fast_template_still_resolves_listings_and_fixes_tables():
    # a line break in a cell: docxtpl's resolve_listing still turns it into <w:br/>
    data = render_attachments_docx((Attachment(2, "表", (Table(("甲", "乙"), (("第一行\n第二行", "x"),)),)),), "x").data
    assert "<w:br/>" in part(data)
    # a row that does not fill its grid is left to docxtpl's fix_tables
    ragged = '<w:tbl><w:tblGrid><w:gridCol w:w="10"/><w:gridCol w:w="10"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>'
    assert not tables_match_grids(ragged)
    assert tables_match_grids(ragged.replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'))


def test_notice_renders_forms_and_landscape_attachments():
    """The 公文 DOCX sets its attachments as the attachment pages do: the seed's 附件3 (seven columns) in a
    landscape section between portrait ones, its 附件1 form on the grid."""
    root = etree.fromstring(part(render_docx(build_notice(NoticeRecord.load(SEED))).data).encode("utf-8"))
    orient = [s.find(f"{W}pgSz").get(f"{W}orient") for s, _ in sections(root)]
    assert orient.count("landscape") == 1 and orient[0] is None and orient[-1] is None
    landscape = next(tables for s, tables in sections(root) if s.find(f"{W}pgSz").get(f"{W}orient"))
    assert sum(int(c.get(f"{W}w")) for c in landscape[0].iter(f"{W}gridCol")) == tw(225)
    assert root.find(f".//{W}gridSpan") is not None


def test_two_thousand_rows_render_every_row():
    """附件3 consolidated for 2,000 enterprises (eight columns, landscape): every row is there. How fast is
    bench/bench_annex3.py's to say (a test must pass on a loaded machine)."""
    big = (enterprises(2000),)
    data = render_attachments_docx(big, "big").data
    assert part(data).count("<w:tr>") == 2001


# ---- through LibreOffice ----

def _words(page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=True)


@pytest.fixture(scope="module")
def converted(tmp_path_factory, small):
    """Two conversions: the mixed attachments above, and a long portrait table (120 rows)."""
    out = tmp_path_factory.mktemp("lo-annexes")
    (out / "small.docx").write_bytes(small)
    long = render_attachments_docx((stations(120),), "long").data
    (out / "long.docx").write_bytes(long)
    pdfs = {name: pdfplumber.open(to_pdf(out / f"{name}.docx", out)) for name in ("small", "long")}
    yield pdfs
    for pdf in pdfs.values():
        pdf.close()


def _first_line(page) -> str:
    return (page.extract_text() or "").split("\n")[0].replace(" ", "")


def _area(page) -> gbt9704.TypeArea:
    landscape = page.width > page.height
    return gbt9704.LANDSCAPE if landscape else gbt9704.PORTRAIT


def _body_chars(page):
    """Characters of the page other than its page number."""
    area = _area(page)
    return [c for c in page.chars if c["upright"] and area.top - 1 <= c["top"] * MM <= area.bottom + 1]


def test_libreoffice_pages_are_portrait_and_landscape_as_set(converted):
    pdf = converted["small"]
    sizes = [(round(p.width * MM), round(p.height * MM)) for p in pdf.pages]
    labels = [_first_line(p) if _first_line(p).startswith("附件") else None for p in pdf.pages]
    assert labels[0] == "附件1"
    for size, label in zip(sizes, labels):
        if label is not None:
            assert size == ((297, 210) if label == "附件3" else (210, 297)), (labels, sizes)
    landscape = [n for n, s in enumerate(sizes) if s == (297, 210)]
    assert landscape and sizes[landscape[-1] + 1] == (210, 297)  # portrait again after the wide table


def test_libreoffice_keeps_every_table_inside_the_type_area(converted):
    for pdf in converted.values():
        for page in pdf.pages:
            a = _area(page)
            for rect in page.edges:
                x0, x1, top, bottom = rect["x0"] * MM, rect["x1"] * MM, rect["top"] * MM, rect["bottom"] * MM
                assert a.left - 0.5 <= x0 and x1 <= a.right + 0.5 and a.top - 0.5 <= top and bottom <= a.bottom + 0.5
            for c in _body_chars(page):
                assert a.left - 0.3 <= c["x0"] * MM and c["x1"] * MM <= a.right + 0.3, c["text"]


def test_libreoffice_label_on_line_1_and_title_on_line_3(converted):
    for page in converted["small"].pages:
        words = _words(page)
        label = next((w for w in words if w["text"].startswith("附件")), None)
        if label is None:
            continue
        a = _area(page)
        # 附件N: 三号黑体, flush left on the first line of the 版心
        assert abs(label["x0"] * MM - a.left) < 0.3
        assert abs((label["top"] + label["bottom"]) / 2 * MM - (a.top + gbt9704.LINE_PITCH_MM / 2)) < 1.5
        font = next(c for c in page.chars if c["text"] == "附")
        assert "NotoSansCJK" in font["fontname"].replace("-", "") and abs(font["size"] - 16) < 0.2
        # the title: 二号小标宋, centred, on line 3
        title = max((c for c in page.chars if abs(c["size"] - 22) < 0.3), key=lambda c: c["x1"])
        first = min((c for c in page.chars if abs(c["size"] - 22) < 0.3), key=lambda c: c["x0"])
        middle = (first["x0"] + title["x1"]) / 2 * MM
        assert abs(middle - (a.left + a.width / 2)) < 1.0
        assert abs((title["top"] + title["bottom"]) / 2 * MM - (a.top + 2.5 * gbt9704.LINE_PITCH_MM)) < 2.0
        assert "NotoSerifCJK" in title["fontname"].replace("-", "")


def test_libreoffice_repeats_the_header_on_each_page_of_a_long_table(converted):
    pdf = converted["long"]
    assert len(pdf.pages) >= 3
    text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    for page in pdf.pages:
        words = [w["text"] for w in _words(page)]
        assert "负责人及联系方式" in "".join(words) and "工作站指导员" in "".join(words), page.page_number
    for i in range(1, 121):  # nothing cut off: every row's text is there
        assert f"知识产权保护工作站第{i}园区站" in text and f"1390391{i:04d}" in text
    assert "{{ 7*7 }}" in text


def test_libreoffice_shows_every_cell_and_wraps_long_text_inside_it(converted):
    pdf = converted["small"]
    text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    squashed = text.replace(" ", "")
    for i in range(1, 31):
        assert f"1381234{i:04d}" in squashed and f"0391-35{i:05d}" in squashed  # telephone numbers unbroken
    # the boxes (drawn by a fallback font, so written after their line's other characters)
    assert all(item[:-1] in squashed for item in BOXES.split("　"))
    first = "".join(c["text"] for c in pdf.pages[0].chars)
    assert first.count("☐") == BOXES.count("☐") + 1 and first.count("☑") == BOXES.count("☑") + 1
    assert "（公章）年月日" in squashed.replace("　", "")
    assert "{{7*7}}" in squashed and "{%pifx%}张三" in squashed
    # the long name wraps onto lines inside its cell: between the rules around "筹", all of it, on several lines
    page = next(p for p in pdf.pages if p.width > p.height and "筹" in "".join(c["text"] for c in p.chars))
    mark = next(c for c in page.chars if c["text"] == "筹")
    across = sorted({e["x0"] for e in page.edges if e["orientation"] == "v"})
    down = sorted({e["top"] for e in page.edges if e["orientation"] == "h"})
    left, right = max(x for x in across if x <= mark["x0"]), min(x for x in across if x >= mark["x1"])
    top, bottom = max(y for y in down if y <= mark["top"]), min(y for y in down if y >= mark["bottom"])
    cell = [c for c in page.chars if left <= c["x0"] and c["x1"] <= right and top <= c["top"] and c["bottom"] <= bottom]
    assert "".join(c["text"] for c in cell) == LONG_NAME
    assert len({round(c["top"]) for c in cell}) >= 3
    assert len(LONG_NAME) * 14 > (right - left)  # it could not have stood on one line


def test_libreoffice_page_numbers_on_landscape_pages_land_where_the_portrait_ones_are(converted):
    pdf = converted["small"]
    for n, page in enumerate(pdf.pages, 1):
        number = f"{n}"
        if page.width > page.height:
            # turned: read top to bottom at the page's left edge, 7 mm under the 版心 once the sheet is upright
            turned = [c for c in page.chars if not c["upright"]]
            assert "".join(c["text"] for c in turned).replace(" ", "") == f"—{number}—"
            dash = turned[0]
            centre = dash["matrix"][4] * MM + 0.38 * dash["size"] * MM  # the baseline, plus 0.38 em toward the glyph's top
            assert abs(centre - (gbt9704.PAGE_HEIGHT - gbt9704.PAGE_NUMBER_DASH_Y)) < 1.0  # 7 mm below the type area, turned
            along = (min(c["top"] for c in turned) * MM, max(c["bottom"] for c in turned) * MM)
            if n % 2:
                assert abs(along[1] - (gbt9704.LANDSCAPE.bottom - C)) < 1.0  # odd: right end 1 字 in (portrait x)
            else:
                assert abs(along[0] - (gbt9704.LANDSCAPE.top + C)) < 1.0  # even: left start 1 字 in
            x, _ = turned_number_box(n % 2 == 1)
            assert x < dash["x0"] * MM < gbt9704.LANDSCAPE.left
        else:
            footer = [c for c in page.chars if c["top"] * MM > gbt9704.TYPE_BOTTOM + 2]
            assert "".join(c["text"] for c in footer).replace(" ", "") == f"—{number}—"
            if n % 2:
                assert abs(max(c["x1"] for c in footer) * MM - (gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH - C)) < 1.0
            else:
                assert abs(min(c["x0"] for c in footer) * MM - (gbt9704.MARGIN_LEFT + C)) < 1.0


def test_consolidated_district_annexes_render(tmp_path):
    """The samples' reports consolidated: annexes 2–6 as attachment pages, every enterprise present."""
    result = consolidate([read_submission(SAMPLES / f"{name}.yaml") for name in ("xiuwu", "shanyang", "jiefang")])
    attachments = annex_attachments(result.rows, with_district=True)
    data = render_attachments_docx(attachments, "annexes").data
    document = part(data)
    for _, row in result.rows["enterprises"]:
        assert row.enterprise in document
    root = etree.fromstring(document.encode("utf-8"))
    labels = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
              and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AnnexLabel"]
    assert ["".join(t.text for t in p.iter(f"{W}t")) for p in labels] == [f"附件{n}" for n in range(2, 7)]
