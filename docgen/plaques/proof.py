"""The PNG proof of a plaque (Pillow): the finished size at a chosen dpi, drawn from the same layout as the PDF.

Each glyph is placed where the layout put it, by FreeType from the same font file the PDF's outlines come
from. The image is a palette PNG (each ink with its antialiasing ramp over the plate colour): the same
pixels as RGB at a third of the bytes and encoding time.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from docgen.plaques.inks import Ink
from docgen.plaques.layout import Line, PlaqueLayout

MM_PER_INCH = 25.4
PREVIEW_WIDTH = 640  # px, the small preview for lists and web pages
PNG_COMPRESS = 3


@lru_cache(maxsize=512)
def _freetype(path: str, index: int, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, index=index)


def _palette(background: Ink, inks: list[Ink], levels: int) -> list[int]:
    pal = list(background.rgb)
    for ink in inks:
        for level in range(levels):
            t = level / (levels - 1)
            pal += [round(b + (i - b) * t) for b, i in zip(background.rgb, ink.rgb)]
    return pal + [0] * (768 - len(pal))


def _draw_line(canvas: Image.Image, line: Line, px: float, lut: list[int]) -> None:
    """Render one line's coverage in a crop around its em box, map it to palette indices, paste it."""
    left, top, right, bottom = line.box
    pad = 0.1 * line.size
    x0, y0 = max(0, int((left - pad) * px)), max(0, int((top - pad) * px))
    x1, y1 = min(canvas.width, int((right + pad) * px) + 1), min(canvas.height, int((bottom + pad) * px) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    coverage = Image.new("L", (x1 - x0, y1 - y0), 0)
    draw = ImageDraw.Draw(coverage)
    for pg in line.glyphs:
        font = _freetype(pg.glyph.font.file, pg.glyph.font.index, round(pg.size * px, 2))
        draw.text((pg.x * px - x0, pg.baseline * px - y0), pg.glyph.char, font=font, fill=255, anchor="ls")
    canvas.paste(coverage.point(lut), (x0, y0), coverage.point(lambda v: 255 if v else 0))


def proof_image(lay: PlaqueLayout, dpi: float) -> Image.Image:
    """The plaque at its finished size (trim, no bleed), ``dpi`` pixels per inch, as a palette image."""
    px = dpi / MM_PER_INCH
    inks = list(dict.fromkeys(line.ink for line in lay.lines))
    levels = 255 // len(inks)
    canvas = Image.new("L", (round(lay.width * px), round(lay.height * px)), 0)
    for line in lay.lines:
        base = 1 + inks.index(line.ink) * levels
        lut = [0] + [base + v * (levels - 1) // 255 for v in range(1, 256)]
        _draw_line(canvas, line, px, lut)
    image = Image.frombytes("P", canvas.size, canvas.tobytes())
    image.putpalette(_palette(lay.scheme.background, inks, levels))
    image.info["dpi"] = (dpi, dpi)
    return image


FRAME = (153, 153, 153)  # the plaque's edge for a figure in a document


def proof_png(lay: PlaqueLayout, dpi: float = 150, frame: bool = False) -> bytes:
    """The proof PNG at ``dpi``; with ``frame``, the edge drawn in grey (a figure in a 公文)."""
    image = proof_image(lay, dpi)
    if frame:
        image = image.convert("RGB")
        ImageDraw.Draw(image).rectangle((0, 0, image.width - 1, image.height - 1), outline=FRAME,
                                        width=max(1, round(image.width / 300)))
    out = BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), compress_level=PNG_COMPRESS)
    return out.getvalue()


def preview_png(lay: PlaqueLayout) -> bytes:
    return proof_png(lay, PREVIEW_WIDTH / (lay.width / MM_PER_INCH))
