"""Pictures in a PDF: a PNG as an image XObject (its alpha as an SMask: the seal), and a page of another
PDF as a form XObject (annex 7's plaques, vector as in their print files)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

import pikepdf
from pikepdf import Array, Name

from docgen.pdf.units import array_number

_DATA_URI = re.compile(r"data:([^;,]*)((?:;[^;,]*)*),(.*)", re.S)


def png_image(pdf: pikepdf.Pdf, src: str) -> pikepdf.Object:
    """An image XObject of a PNG data URI; its alpha, if any, as an SMask."""
    from PIL import Image

    match = _DATA_URI.fullmatch(src)
    mime = match.group(1).strip().lower() if match else src[:40]
    if not match or mime != "image/png":
        raise ValueError(f"picture type not supported by the direct PDF drawer: {mime or 'unknown'} "
                         "(PNG data: URIs only)")
    payload = match.group(3)
    if ";base64" in match.group(2).lower():
        raw = base64.b64decode(payload)
    else:
        from urllib.parse import unquote_to_bytes

        raw = unquote_to_bytes(payload)
    image = Image.open(BytesIO(raw))
    image.load()
    alpha = None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode in ("P", "L", "RGB", "1") and "transparency" in image.info):
        image = image.convert("RGBA")
        alpha = image.getchannel("A")
        image = image.convert("RGB")
    elif image.mode in ("1", "L", "I", "I;16", "I;16B", "F"):
        image = image.convert("L")
    else:
        image = image.convert("RGB")
    space = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
    xobject = pdf.make_stream(image.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=image.width,
                              Height=image.height, ColorSpace=space, BitsPerComponent=8, Interpolate=True)
    if alpha is not None and alpha.getextrema() != (255, 255):
        xobject.SMask = pdf.make_stream(alpha.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=alpha.width,
                                        Height=alpha.height, ColorSpace=Name.DeviceGray, BitsPerComponent=8,
                                        Interpolate=True)
    return xobject


@dataclass(frozen=True)
class VectorFigure:
    """A picture's art as a one-page PDF (its TrimBox, or MediaBox, is the art): drawn as a form XObject
    scaled into the picture's box, with a frame stroked along the box's edge as an SVG ``<img>`` with a
    stroked rectangle shows it (half the stroke, inside)."""

    pdf: bytes
    frame: str | None = None  # the frame's colour
    frame_width: float = 0.0  # the frame's stroke, as a fraction of the picture's width


def form_xobject(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Object, tuple[float, float, float, float], pikepdf.Pdf]:
    """The first page of ``data`` as a form XObject of ``pdf`` whose BBox is the page's TrimBox; its box;
    and the source document (qpdf copies stream data when ``pdf`` is saved: keep it open till then)."""
    content, box = _visible_content(data)
    source = pikepdf.open(BytesIO(data))
    form = source.pages[0].as_form_xobject()
    form.BBox = Array([array_number(v) for v in box])
    form.write(content)
    return pdf.copy_foreign(form), box, source


@lru_cache(maxsize=32)
def _visible_content(data: bytes) -> tuple[bytes, tuple[float, float, float, float]]:
    """The page's content without what lies outside its TrimBox (see `_inside`), and that box: worked out
    once for a figure drawn in many documents (annex 7's plaques)."""
    with pikepdf.open(BytesIO(data)) as source:
        page = source.pages[0]
        box = page.obj.get("/TrimBox") or page.obj.get("/MediaBox")
        x0, y0, x1, y1 = (float(v) for v in box)
        return _inside(page.as_form_xobject(), (x0, y0, x1, y1)), (x0, y0, x1, y1)


_PATH_POINTS = {"m": 2, "l": 2, "c": 6, "v": 4, "y": 4, "re": 4, "h": 0}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}


def _inside(stream: pikepdf.Object, box: tuple[float, float, float, float]) -> bytes:
    """``stream``'s content without the paths painted wholly outside ``box`` (a print file's crop marks
    and job line, which the form's BBox clips anyway): what a PDF reader such as ``docgen check`` would
    otherwise read as rules beside the figure."""
    x0, y0, x1, y1 = box
    ctm = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    out: list = []
    pending: list = []
    xs: list[float] = []
    ys: list[float] = []
    clips = False
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in _PATH_POINTS or op in ("W", "W*"):
            pending.append((operands, operator))
            clips = clips or op in ("W", "W*")
            values = [float(v) for v in operands]
            if op == "re":
                x, y, w, h = values
                values = [x, y, x + w, y + h]
            a, b, c, d, e, f = ctm[-1]
            for px, py in zip(values[::2], values[1::2]):
                xs.append(a * px + c * py + e)
                ys.append(b * px + d * py + f)
            continue
        if op in _PAINT:
            outside = xs and (max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1)
            if clips or not outside:
                out += pending + [(operands, operator)]
            pending, xs, ys, clips = [], [], [], False
            continue
        if op == "q":
            ctm.append(ctm[-1])
        elif op == "Q" and len(ctm) > 1:
            ctm.pop()
        elif op == "cm":
            a2, b2, c2, d2, e2, f2 = (float(v) for v in operands)
            a, b, c, d, e, f = ctm[-1]
            ctm[-1] = (a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d,
                       e2 * a + f2 * c + e, e2 * b + f2 * d + f)
        out.append((operands, operator))
    return pikepdf.unparse_content_stream(out)
