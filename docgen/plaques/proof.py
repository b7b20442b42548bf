"""The PNG proof of a plaque (Pillow): the finished size at a chosen dpi, drawn from the same layout as the PDF.

Each glyph is placed where the layout put it, by FreeType from the same font file the PDF's outlines come
from. The image is a palette PNG (each ink with its antialiasing ramp over the plate colour): the same
pixels as RGB at a third of the bytes and encoding time. It is deflated run-length only (zlib's Z_RLE): a
plate is long runs of one colour, and a 150 dpi proof comes out a fifth smaller and sooner than with the
default search — what a 2,000-plaque batch holds and zips.
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
Z_RLE = 3  # zlib's run-length strategy (Pillow's ``compress_type``)
MASK = [0] + [255] * 255  # where a line's coverage is drawn at all
FRAME = (153, 153, 153)  # the plaque's edge for a figure in a document


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


@lru_cache(maxsize=12)  # a batch's recurring lines at proof and preview size, and the latest station lines
def _coverage(glyphs: tuple[tuple[str, int, str, float, float, float], ...], x0: int, y0: int, width: int,
              height: int, px: float) -> Image.Image:
    """A line's antialiased coverage in the canvas box at (x0, y0): drawn once for all the plaques it is on
    (a batch's title and bureau lines are the same on every plaque); never changed once made."""
    coverage = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(coverage)
    for file, index, char, size, x, baseline in glyphs:
        font = _freetype(file, index, round(size * px, 2))
        draw.text((x * px - x0, baseline * px - y0), char, font=font, fill=255, anchor="ls")
    return coverage


def _draw_line(canvas: Image.Image, line: Line, px: float, lut: list[int]) -> None:
    """Render one line's coverage in a crop around its em box, map it to palette indices, paste it."""
    left, top, right, bottom = line.box
    pad = 0.1 * line.size
    x0, y0 = max(0, int((left - pad) * px)), max(0, int((top - pad) * px))
    x1, y1 = min(canvas.width, int((right + pad) * px) + 1), min(canvas.height, int((bottom + pad) * px) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    glyphs = tuple((pg.glyph.font.file, pg.glyph.font.index, pg.glyph.char, pg.size, pg.x, pg.baseline)
                   for pg in line.glyphs)
    coverage = _coverage(glyphs, x0, y0, x1 - x0, y1 - y0, px)
    canvas.paste(coverage.point(lut), (x0, y0), coverage.point(MASK))


def proof_image(lay: PlaqueLayout, dpi: float, frame: bool = False) -> Image.Image:
    """The plaque at its finished size (trim, no bleed), ``dpi`` pixels per inch, as a palette image; with
    ``frame``, its edge drawn in grey in a palette entry of its own (a figure in a 公文)."""
    px = dpi / MM_PER_INCH
    inks = list(dict.fromkeys(line.ink for line in lay.lines))
    levels = (255 - frame) // len(inks)
    canvas = Image.new("L", (round(lay.width * px), round(lay.height * px)), 0)
    for line in lay.lines:
        base = 1 + inks.index(line.ink) * levels
        lut = [0] + [base + v * (levels - 1) // 255 for v in range(1, 256)]
        _draw_line(canvas, line, px, lut)
    palette = _palette(lay.scheme.background, inks, levels)
    if frame:
        edge = 1 + len(inks) * levels
        palette[3 * edge:3 * edge + 3] = FRAME
        ImageDraw.Draw(canvas).rectangle((0, 0, canvas.width - 1, canvas.height - 1), outline=edge,
                                         width=max(1, round(canvas.width / 300)))
    canvas.putpalette(palette)  # the indices become a palette image
    canvas.info["dpi"] = (dpi, dpi)
    return canvas


def proof_png(lay: PlaqueLayout, dpi: float = 150, frame: bool = False) -> bytes:
    """The proof PNG at ``dpi``; with ``frame``, the edge drawn in grey (a figure in a 公文)."""
    out = BytesIO()
    proof_image(lay, dpi, frame).save(out, "PNG", dpi=(dpi, dpi), compress_level=PNG_COMPRESS, compress_type=Z_RLE)
    return out.getvalue()


def preview_png(lay: PlaqueLayout) -> bytes:
    return proof_png(lay, PREVIEW_WIDTH / (lay.width / MM_PER_INCH))
