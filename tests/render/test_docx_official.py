"""The editable DOCX of a 公文: its XML (official faces, no theme fonts, grid, footers) and how it really
renders, through LibreOffice, read back."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from docgen.layout import gbt9704
from docgen.check.readback import read_pdf
from docgen.content.notice import build_notice
from docgen.records.notice import NoticeRecord
from docgen.docx.document import render_docx
from docgen.docx.template import TEMPLATE, template_parts
from tests.libreoffice import to_pdf
from tests.notice_cases import CASES, content

SEED = "samples/notices/jiaozuo-2021-135.yaml"
C = gbt9704.CHAR_PITCH_MM
OFFICIAL_FACES = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.fixture(scope="module")
def seed_docx():
    return render_docx(build_notice(NoticeRecord.load(SEED))).data


def test_committed_template_is_what_the_builder_makes():
    committed = zipfile.ZipFile(TEMPLATE)
    for name, xml in template_parts().items():
        assert committed.read(name).decode("utf-8") == xml, f"{name}: run python -m docgen.docx.template"


def test_styles_name_official_faces_and_no_theme_fonts(seed_docx):
    styles = part(seed_docx, "word/styles.xml")
    document = part(seed_docx, "word/document.xml")
    assert "Theme" not in styles + document and "theme" not in zipfile.ZipFile(io.BytesIO(seed_docx)).namelist()
    east_asian = set(re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]+)"', styles))
    assert east_asian == OFFICIAL_FACES
    assert re.search(r'<w:style [^>]*w:styleId="GongwenHeading1".*?</w:style>', styles)
    assert 'w:styleId="HeiChar"' in styles and 'w:eastAsia="黑体"' in styles


def test_page_setup_grid_and_footers(seed_docx):
    document = part(seed_docx, "word/document.xml")
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document  # A4
    assert 'w:top="2098"' in document and 'w:left="1587"' in document and 'w:right="1474"' in document
    assert 'w:bottom="1984"' in document
    grid = re.findall(r'<w:docGrid w:type="linesAndChars" w:linePitch="(\d+)"', document)
    assert grid and all(int(pitch) * 22 <= round(gbt9704.TYPE_HEIGHT / 25.4 * 1440) for pitch in grid)
    assert "<w:evenAndOddHeaders/>" in part(seed_docx, "word/settings.xml")
    odd, even = part(seed_docx, "word/footer1.xml"), part(seed_docx, "word/footer2.xml")
    assert "PAGE" in odd and "PAGE" in even and "— " in odd
    assert '<w:jc w:val="right"/><w:ind w:right="316"/>' in odd and '<w:jc w:val="left"/><w:ind w:left="316"/>' in even


def test_template_syntax_and_markup_in_fields_stay_text():
    data = render_docx(content(CASES["template_injection"])).data
    document = part(data, "word/document.xml")
    assert "{{ 7*7 }}" in document and "{% for x in y %}" in document
    assert "&lt;b&gt;粗体&lt;/b&gt; 与 &amp; 符号" in document


def test_renders_fast_enough_to_be_interactive(seed_docx):
    assert len(seed_docx) < 200_000  # the template and a compressed body; the bench measures time


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory):
    """The seed and every varied notice, converted once."""
    out = tmp_path_factory.mktemp("lo")
    docs = {"seed": build_notice(NoticeRecord.load(SEED)), "upward": content(CASES["upward_two_signers"]),
            **{name: content(record) for name, record in CASES.items() if name != "upward_two_signers"}}
    views = {}
    for name, doc in docs.items():
        path = out / f"{name}.docx"
        path.write_bytes(render_docx(doc).data)
        views[name] = read_pdf(to_pdf(path, out))
    return views


def test_libreoffice_keeps_a4_and_the_type_area(through_libreoffice):
    for name, view in through_libreoffice.items():
        for page in view.pages:
            # a wide table's section is A4 turned (§8): LibreOffice writes it as a 297 × 210 page
            turned = page.width > page.height
            assert (abs(page.width - 210) < 0.5 and abs(page.height - 297) < 0.5) or \
                (turned and abs(page.width - 297) < 0.5 and abs(page.height - 210) < 0.5)
            a = gbt9704.LANDSCAPE if turned else gbt9704.PORTRAIT
            for line in page.text_lines():
                assert line.x0 >= a.left - 0.5 and line.em_top >= a.top - 0.6 and line.em_bottom <= a.bottom + 0.6, \
                    (name, line.text)
                # LibreOffice hangs a closing punctuation mark past the right edge (Word does not)
                assert line.x1 <= a.right + 0.5 or line.text[-1] in "，。、；：！？）", (name, line.text)


def test_libreoffice_shows_the_grid(through_libreoffice):
    view = through_libreoffice["seed"]
    full = [page for page in view.pages[1:5]
            if len([ln for ln in page.text_lines() if abs(ln.size - 16) < 0.5]) == gbt9704.LINES_PER_PAGE]
    assert full, "no page of 22 body lines"
    for page in full:
        body = [ln for ln in page.text_lines() if abs(ln.size - 16) < 0.5]
        assert all(abs((b.baseline - a.baseline) - gbt9704.LINE_PITCH_MM) < 0.1 for a, b in zip(body, body[1:]))
        wide = [ln for ln in body if ln.x1 > 183.5 and abs(ln.x0 - 28) < 0.3 and all(ord(c) > 0x2000 for c in ln.text)]
        assert wide and all(len(ln.text) in (27, 28, 29) for ln in wide)
        assert sum(len(ln.text) == 28 for ln in wide) >= len(wide) * 0.6


def test_libreoffice_fonts_by_role(through_libreoffice):
    view = through_libreoffice["seed"]
    first = view.pages[0]
    mark = next(ln for ln in first.lines if ln.red)
    assert "NotoSerifCJK" in mark.glyphs[0].font.replace("-", "") and "Bold" in mark.glyphs[0].font
    body = next(ln for ln in view.pages[1].text_lines() if abs(ln.size - 16) < 0.5)
    assert "FandolFang" in body.glyphs[0].font
    heading = next(ln for page in view.pages for ln in page.text_lines() if ln.text.startswith("一、"))
    assert "NotoSansCJK" in heading.glyphs[0].font.replace("-", "")
    h2 = next(ln for page in view.pages for ln in page.text_lines() if ln.text.startswith("（一）"))
    assert "FandolKai" in h2.glyphs[0].font and "FandolFang" in h2.glyphs[-1].font  # run-in text in 仿宋
    number = view.pages[0].page_number
    assert number is not None and "FandolSong" in number.glyphs[0].font
    signers = through_libreoffice["upward"].pages[0]
    line = next(ln for ln in signers.lines if "签发人" in ln.text)
    assert any("FandolKai" in gl.font for gl in line.glyphs if gl.text in "张建国李明")


def test_libreoffice_page_numbers_odd_right_even_left(through_libreoffice):
    for name, view in through_libreoffice.items():
        numbered = [p for p in view.pages if p.page_number is not None]
        assert numbered
        for page in numbered:
            number = page.page_number
            assert number.text == f"— {page.number} —"
            centre = number.baseline - 0.38 * gbt9704.mm(number.size)
            assert abs(centre - gbt9704.PAGE_NUMBER_DASH_Y) < 1.5, (name, page.number, centre)
            if page.number % 2:
                assert abs(number.x1 - (184 - C)) < 1.0
            else:
                assert abs(number.x0 - (28 + C)) < 1.0


def test_libreoffice_colophon_at_the_foot_of_an_even_page(through_libreoffice):
    for name, view in through_libreoffice.items():
        if name == "upward":
            continue  # a 请示 to a superior organ: no 版记
        last = view.pages[-1]
        assert last.number % 2 == 0
        rules = sorted((r for r in last.rules if r.width > 150), key=lambda r: r.y)
        assert abs(rules[-1].y - gbt9704.TYPE_BOTTOM) < 0.6, rules[-1].y
        assert any(ln.text.endswith("印发") for ln in last.lines)
    cc = [ln.text for ln in through_libreoffice["long_cc"].pages[-1].lines]
    assert cc[0].startswith("抄送：") and any(t.endswith("。") for t in cc)


def test_libreoffice_keeps_the_signature_with_body_text(through_libreoffice):
    for name, view in through_libreoffice.items():
        page = next(p for p in view.pages for ln in p.lines if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ln.text))
        body = [ln for ln in page.text_lines() if abs(ln.size - 16) < 0.5]
        assert len(body) >= 3, name
