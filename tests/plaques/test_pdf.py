"""The print PDF read back: page boxes in mm, outlines or embedded text inside the safe area, CMYK, marks."""

from io import BytesIO

import pdfplumber
import pikepdf
import pytest

from docgen.kinds import render_data
from docgen.plaques.layout import BLEED, SAFE_MARGIN
from docgen.pdf.plaque import MARK_GAP, MEDIA_MARGIN, PT
from tests.plaques.readback import boxes_mm, painted, to_trim_mm

VARIANTS = [{"variant": "general"}, {"variant": "contact", "bureau": "焦作市山阳区"}]
SIZES = ["600x400", "400x300", "1000x250"]
SCHEMES = ["red", "black", "gold"]
RED, BLACK = "k 0 1 1 0", "k 0 0 0 1"


def _render(**data):
    artifacts = render_data({"kind": "plaque", "station": "知识产权保护工作站焦作高新区园区站", **data}, "t")
    return {a.filename: a for a in artifacts}


@pytest.mark.parametrize("variant", VARIANTS, ids=["general", "contact"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_outline_pdf_boxes_safe_area_and_colours(variant, size, scheme):
    pdf = _render(size=size, scheme=scheme, **variant)["t.pdf"].data
    w, h = (float(v) for v in size.split("x"))
    boxes = boxes_mm(pdf)
    trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
    assert trim[2] - trim[0] == pytest.approx(w, abs=0.01) and trim[3] - trim[1] == pytest.approx(h, abs=0.01)
    assert [b - t for b, t in zip(bleed, trim)] == pytest.approx([-BLEED, -BLEED, BLEED, BLEED], abs=0.01)
    assert media[2] == pytest.approx(w + 2 * MEDIA_MARGIN, abs=0.01) and media[0] == 0

    art = painted(pdf)
    assert art.text_ops == 0  # outlines: no text, no fonts
    with pikepdf.open(BytesIO(pdf)) as doc:
        assert "/Font" not in doc.pages[0].Resources
    glyph_fills = [(colour, pts) for colour, pts in art.fills if "TitaniumGold" not in colour]
    text_fills = [(c, pts) for c, pts in glyph_fills
                  if all(trim[1] <= y / PT <= trim[3] for _, y in pts)]  # the slug line sits below the bleed
    assert len(text_fills) == (3 if variant["variant"] == "contact" else 2)  # one compound path per line
    for _, pts in text_fills:
        for p in pts:
            x, y = to_trim_mm(p, trim, h)
            assert SAFE_MARGIN <= x <= w - SAFE_MARGIN and SAFE_MARGIN <= y <= h - SAFE_MARGIN
    colours = [c for c, _ in text_fills]
    assert colours[0] == (RED if scheme == "red" else BLACK)  # the title
    assert all(c == BLACK for c in colours[1:])
    if scheme == "gold":
        background = [pts for c, pts in art.fills if "TitaniumGold" in c]
        xs = [x / PT for x, _ in background[0]]
        assert min(xs) == pytest.approx(bleed[0], abs=0.01) and max(xs) == pytest.approx(bleed[2], abs=0.01)
        with pikepdf.open(BytesIO(pdf)) as doc:
            space = doc.pages[0].Resources.ColorSpace.TitaniumGold
            assert space[0] == pikepdf.Name.Separation and space[2] == pikepdf.Name.DeviceCMYK
    else:
        assert not any("TitaniumGold" in c for c, _ in art.fills)

    assert len(art.strokes) == 8  # two marks a corner, registration colour, all outside the bleed
    for colour, pts in art.strokes:
        assert colour == "SCN /All 1"
        for x, y in pts:
            x, y = x / PT, y / PT
            outside_x = x <= bleed[0] - MARK_GAP + 0.01 or x >= bleed[2] + MARK_GAP - 0.01
            outside_y = y <= bleed[1] - MARK_GAP + 0.01 or y >= bleed[3] + MARK_GAP - 0.01
            assert outside_x or outside_y
            assert media[0] <= x <= media[2] and media[1] <= y <= media[3]


@pytest.mark.parametrize("variant", VARIANTS, ids=["general", "contact"])
@pytest.mark.parametrize("size", ["600x400", "400x300"])
def test_text_mode_embeds_fonts_and_reads_back_in_order(variant, size):
    art = _render(size=size, text_as="fonts", **variant)
    pdf, w, h = art["t.pdf"].data, *(float(v) for v in size.split("x"))
    expected = ["知识产权保护工作站", "焦作高新区园区站"] + (["焦作市山阳区市场监督管理局知识产权保护联系点"]
                                                           if variant["variant"] == "contact" else [])
    with pdfplumber.open(BytesIO(pdf)) as doc:
        page = doc.pages[0]
        trim = [float(v) for v in page.page_obj.attrs["TrimBox"]]
        chars = [c for c in page.chars if trim[0] <= c["x0"] and c["x1"] <= trim[2]]
        assert page.extract_text().splitlines()[: len(expected)] == expected
        for c in chars:  # char boxes (from the embedded font's em box) in the safe area
            left, right = c["x0"] / PT - trim[0] / PT, c["x1"] / PT - trim[0] / PT
            top, bottom = c["top"] / PT - (page.height - trim[3]) / PT, c["bottom"] / PT - (page.height - trim[3]) / PT
            assert SAFE_MARGIN <= left and right <= w - SAFE_MARGIN and SAFE_MARGIN <= top and bottom <= h - SAFE_MARGIN
        first = min(c["top"] for c in chars)
        assert {c["non_stroking_color"] for c in chars if c["top"] == first} == {(0, 1, 1, 0)}  # title red CMYK
        assert {c["non_stroking_color"] for c in chars if c["top"] > first} == {(0, 0, 0, 1)}
    with pikepdf.open(BytesIO(pdf)) as doc:
        fonts = list(doc.pages[0].Resources.Font.values())
        assert len(fonts) == 2
        for font in fonts:  # the real faces as HarfBuzz subsets (CFF here), named as the 公文 drawer names them
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert descriptor.FontFile3.Subtype == "/OpenType" and "/ToUnicode" in font
            assert str(font.BaseFont).split("+")[1] in ("Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC")
    assert art["t.pdf"].fonts.embedded and any("Noto" in n for n in art["t.pdf"].fonts.embedded)


@pytest.mark.parametrize("name", ["喆堃园区站", "武陟县詹店镇喆堃产业园区站"])
def test_rare_characters_draw_in_both_modes(name):
    for mode in ("outlines", "fonts"):
        art = _render(station=name, text_as=mode)["t.pdf"]
        assert not art.fonts.missing
        if mode == "fonts":
            assert name in pdfplumber.open(BytesIO(art.data)).pages[0].extract_text()
        else:
            assert len(painted(art.data).fills) >= 3


def test_a_character_the_face_lacks_falls_back_and_is_reported():
    art = _render(station="ǅ喆堃园区站", text_as="fonts")["t.pdf"]
    assert art.fonts.fallbacks == {"ǅ": "DejaVu Sans"}
    assert any("ǅ" in line and "DejaVu Sans" in line for line in art.fonts.lines())
    assert "DejaVu-Sans" in art.fonts.embedded
    assert "ǅ喆堃园区站" in pdfplumber.open(BytesIO(art.data)).pages[0].extract_text()


def test_same_record_same_bytes():
    assert _render()["t.pdf"].data == _render()["t.pdf"].data
    assert _render(text_as="fonts")["t.pdf"].data == _render(text_as="fonts")["t.pdf"].data
