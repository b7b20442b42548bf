"""The plaque's art as SVG (finished size, mm viewBox, text as outline paths, sRGB): a vector figure that a
WeasyPrint 公文 can place with ``<img>`` for annex 7, drawn from the same layout as the PDF and the proof."""

from __future__ import annotations

from docgen.plaques.layout import PlacedGlyph, PlaqueLayout

_SVG_OP = {"m": "M", "l": "L", "c": "C", "h": "Z"}


def _n(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _path_data(glyphs: tuple[PlacedGlyph, ...]) -> str:
    """SVG path data in mm, y down, for ``glyphs``."""
    out = []
    for pg in glyphs:
        k = pg.size / 1000
        for op, pts in pg.glyph.path:
            out.append(_SVG_OP[op] + " ".join(f"{_n(pg.x + x * k)} {_n(pg.baseline - y * k)}" for x, y in pts))
    return "".join(out)


def _rgb(rgb: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % rgb


FRAME = "#999999"  # the plaque's edge, so a white plaque shows on a white page


def plaque_svg_of(lay: PlaqueLayout, frame: bool = False) -> str:
    w, h = _n(lay.width), _n(lay.height)
    edge = f' stroke="{FRAME}" stroke-width="{_n(lay.width / 300)}"' if frame else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">',
             f'<rect width="{w}" height="{h}" fill="{_rgb(lay.scheme.background.rgb)}"{edge}/>']
    for line in lay.lines:
        parts.append(f'<path fill="{_rgb(line.ink.rgb)}" d="{_path_data(line.glyphs)}"/>')
    return "\n".join(parts + ["</svg>"]) + "\n"
