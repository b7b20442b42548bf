"""The PNG proof against the print PDF rasterised by pdftoppm: same lines, ink boxes within a millimetre."""

import subprocess
from io import BytesIO

import pytest
from PIL import Image, ImageChops

from docgen.kinds import render_data
from docgen.plaques.art import PREVIEW_SUFFIX, PROOF_SUFFIX, annex7_figures, plaque_png
from docgen.pdf.plaque import MEDIA_MARGIN

DPI = 100
TOLERANCE_MM = 1.0


def _ink_box(image: Image.Image, background, region_mm, offset_mm, dpi):
    """Ink bounding box (mm, trim coordinates) of ``image`` inside ``region_mm``."""
    px = dpi / 25.4
    left, top, right, bottom = (round((v + offset_mm) * px) for v in region_mm)
    crop = image.crop((left, top, right, bottom)).convert("RGB")
    diff = ImageChops.difference(crop, Image.new("RGB", crop.size, background)).convert("L").point(lambda v: 255 if v > 80 else 0)
    box = diff.getbbox()
    assert box, f"no ink in {region_mm}"
    return [(box[0] + left) / px - offset_mm, (box[1] + top) / px - offset_mm,
            (box[2] + left) / px - offset_mm, (box[3] + top) / px - offset_mm]


def _rasterise(pdf: bytes, dpi: int, tmp_path) -> Image.Image:
    path = tmp_path / "plaque.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(tmp_path / "r")], check=True)
    return Image.open(tmp_path / "r.png")


@pytest.mark.parametrize("data", [
    {"station": "焦作高新区园区站"},
    {"station": "山阳区太行路商会站", "variant": "contact", "bureau": "山阳区", "scheme": "gold", "size": "400x300"},
    {"station": "沁阳市高新技术产业开发区知识产权服务业集聚发展示范园区站", "text_as": "fonts", "scheme": "black"},
    {"station": "喆堃园区站", "size": "1000x250", "text_as": "fonts"},
], ids=["general", "contact-gold", "wrapped-text-mode", "rare-wide"])
def test_proof_matches_the_pdf_line_by_line(data, tmp_path):
    artifacts = {a.filename[1:]: a for a in render_data({"kind": "plaque", "proof_dpi": DPI, **data}, "t")}
    pdf, proof = artifacts[".pdf"], artifacts[PROOF_SUFFIX]
    width, height = pdf.facts["trim_mm"]
    image = Image.open(BytesIO(proof.data))
    assert image.size == (round(width / 25.4 * DPI), round(height / 25.4 * DPI))
    assert image.info["dpi"][0] == pytest.approx(DPI, abs=0.1)
    raster = _rasterise(pdf.data, DPI, tmp_path)
    background = image.convert("RGB").getpixel((2, 2))
    assert raster.convert("RGB").getpixel((round((MEDIA_MARGIN + 5) / 25.4 * DPI),) * 2) == pytest.approx(background, abs=8)  # poppler converts CMYK naively
    for line in pdf.facts["lines"]:
        left, top, right, bottom = line["box_mm"]
        pad = line["size_mm"] * 0.1
        region = [left - pad, top - pad, right + pad, bottom + pad]
        a = _ink_box(image, background, region, 0, DPI)
        b = _ink_box(raster, background, region, MEDIA_MARGIN, DPI)
        assert a == pytest.approx(b, abs=TOLERANCE_MM), line["text"]
        assert left - 0.5 <= a[0] and a[2] <= right + 0.5  # ink sits in the layout's em box
    assert Image.open(BytesIO(artifacts[PREVIEW_SUFFIX].data)).width == 640


def test_annex7_figures_are_the_seed_variants():
    (cap1, general), (cap2, contact) = annex7_figures()
    assert cap1.startswith("图一") and cap2.startswith("图二")
    assert [t for _, t in general.lines] == ["知识产权保护工作站", "****园区站"]
    assert [t for _, t in contact.lines][2] == "***市场监督管理局知识产权保护联系点"
    png = Image.open(BytesIO(plaque_png(contact, dpi=60)))
    assert png.size == (round(600 / 25.4 * 60), round(400 / 25.4 * 60))


def test_svg_figure_is_vector_in_a_weasyprint_pdf():
    import base64

    import pdfplumber
    from weasyprint import HTML

    from docgen.plaques.art import plaque_svg

    figures = "".join(
        f'<img style="width:156mm" src="data:image/svg+xml;base64,{base64.b64encode(plaque_svg(p, frame=True).encode()).decode()}">'
        for _, p in annex7_figures())
    pdf = HTML(string=f"<body>{figures}</body>").write_pdf()
    with pdfplumber.open(BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert not page.images and not page.chars  # outlines, not a bitmap or text
        red = [c for c in page.curves if c.get("non_stroking_color") and len(c["non_stroking_color"]) == 3
               and c["non_stroking_color"][0] > 0.85 and c["non_stroking_color"][1] < 0.1]
        assert len(red) >= 2  # each figure's red title
        width = (max(c["x1"] for c in red) - min(c["x0"] for c in red)) / 72 * 25.4
        assert width == pytest.approx(156 * 0.84, abs=2)  # the title spans the design width of the figure


def test_framed_png_shows_the_edge():
    image = Image.open(BytesIO(plaque_png(annex7_figures()[0][1], dpi=40, frame=True))).convert("RGB")
    assert image.getpixel((0, image.height // 2)) == (153, 153, 153)
    assert Image.open(BytesIO(plaque_png(annex7_figures()[0][1], dpi=40))).convert("RGB").getpixel((0, 5)) == (255, 255, 255)
