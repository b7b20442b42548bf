"""Pictures in a PDF: a PNG as an image XObject (its alpha as an SMask: the seal), and a page of another
PDF as a form XObject (annex 7's plaques, vector as in their print files)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
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
    """A picture's art as a one-page PDF (its TrimBox, or MediaBox, is the art; it paints nothing wholly
    outside it — no crop marks, which a PDF reader such as ``docgen check`` would read as rules beside the
    figure): drawn as a form XObject scaled into the picture's box, with a frame stroked along the box's edge
    as an SVG ``<img>`` with a stroked rectangle shows it (half the stroke, inside)."""

    pdf: bytes
    frame: str | None = None  # the frame's colour
    frame_width: float = 0.0  # the frame's stroke, as a fraction of the picture's width


def form_xobject(pdf: pikepdf.Pdf, figure: VectorFigure
                 ) -> tuple[pikepdf.Object, tuple[float, float, float, float], pikepdf.Pdf]:
    """The first page of the figure's PDF as a form XObject of ``pdf`` whose BBox is the page's TrimBox (a
    bleed beyond it is clipped); its box; and the source document (qpdf copies stream data when ``pdf`` is
    saved: keep it open till then)."""
    source = pikepdf.open(BytesIO(figure.pdf))
    page = source.pages[0]
    box = tuple(float(v) for v in (page.obj.get("/TrimBox") or page.obj.get("/MediaBox")))
    form = page.as_form_xobject()
    form.BBox = Array([array_number(v) for v in box])
    return pdf.copy_foreign(form), box, source
