"""Positioned pages → the HTML/CSS WeasyPrint draws (templates/official.html and official.css).

Every user string reaches the template as data (Jinja autoescape): `{{ 7*7 }}` prints as typed.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from docgen.layout import gbt9704
from docgen.fonts.roles import ROLES
from docgen.layout.closing import SEAL_AREA_KEY, seal_area_record
from docgen.layout.compose import Composition
from docgen.layout.flow import Frame, Item, Picture, PlaqueArt, Rect, Text, merged_rules
from docgen.layout.linebreak import Run
from docgen.fonts.metrics import role_metrics
from docgen.resources import shipped_folder

TEMPLATES = shipped_folder("templates")  # the repository's templates/, or the installed package's copy


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       auto_reload=False)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    faces = "\n".join(f".{role.key} {{ font-family: {role.css}; }}" for role in ROLES.values())
    return (TEMPLATES / "official.css").read_text(encoding="utf-8") + "\n" + faces


def _r(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _pieces(runs: tuple[Run, ...], role: str) -> list[tuple[str, str]]:
    """(text, span class) pieces: text in the line's own face goes bare; other faces, and characters the
    face lacks (drawn by a fallback font), go in spans that cannot move the baseline."""
    cmap = role_metrics(role).cmap
    pieces: list[tuple[str, str]] = []
    for run in runs:
        run_cmap = cmap if run.role == role else role_metrics(run.role).cmap
        for char in run.text:
            cls = run.role if run.role != role else ""
            if ord(char) not in run_cmap and not char.isspace():
                cls = (cls + " fb").strip() or "fb"
            if pieces and pieces[-1][1] == cls:
                pieces[-1] = (pieces[-1][0] + char, cls)
            else:
                pieces.append((char, cls))
    return pieces


class _Classes:
    """Interns declarations into classes: WeasyPrint parses a class rule once, a style attribute per element."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def __call__(self, declarations: str) -> str:
        name = self.rules.get(declarations)
        if name is None:
            name = self.rules[declarations] = f"c{len(self.rules)}"
        return name

    def css(self) -> str:
        return "\n".join(f".{name} {{ {decl} }}" for decl, name in self.rules.items())


def _view(item: Item, classes: _Classes, frame_width: float = gbt9704.PAGE_WIDTH) -> dict:
    if isinstance(item, Text):
        role = item.runs[0].role
        line_height = 2 * item.size  # generous, so every span's zero-height box falls inside the strut
        offset = gbt9704.mm(role_metrics(role).baseline_offset(item.size, line_height))
        names = [classes(f"left: {_r(item.x)}mm; width: {_r(frame_width - item.x)}mm"),
                 classes(f"top: {_r(item.baseline - offset)}mm"),
                 classes(f"font-size: {_r(item.size)}pt; line-height: {_r(line_height)}pt; color: {item.color}"),
                 classes(f"letter-spacing: {_r(item.spacing)}pt")]
        return {"kind": "text", "role": role, "classes": " ".join(names), "pieces": _pieces(item.runs, role)}
    src, opacity = (plaque_uri(item.plaque), 1.0) if isinstance(item, PlaqueArt) else (item.src, item.opacity)
    return {"kind": "picture", "x": _r(item.x), "y": _r(item.y), "w": _r(item.w), "h": _r(item.h),
            "src": src, "opacity": _r(opacity)}


@lru_cache(maxsize=64)
def plaque_uri(plaque) -> str:
    """A plaque's art as an SVG data URI, with its grey edge."""
    from docgen.plaques.art import plaque_svg

    return "data:image/svg+xml;base64," + base64.b64encode(plaque_svg(plaque, frame=True).encode("utf-8")).decode("ascii")


def _rules_svg(items: list[Item], width: float = gbt9704.PAGE_WIDTH, height: float = gbt9704.PAGE_HEIGHT) -> Markup:
    """All rules and frames of a page in one SVG (mm units): far cheaper to lay out than a box each."""
    shapes = [f'<rect x="{_r(x)}" y="{_r(y)}" width="{_r(w)}" height="{_r(h)}" fill="{color}"/>'
              for x, y, w, h, color in merged_rules([item for item in items if isinstance(item, Rect)])]
    for item in items:
        if isinstance(item, Frame):
            half = item.stroke / 2
            shapes.append(f'<rect x="{_r(item.x + half)}" y="{_r(item.y + half)}" width="{_r(item.w - item.stroke)}" '
                          f'height="{_r(item.h - item.stroke)}" fill="none" stroke="{item.color}" '
                          f'stroke-width="{_r(item.stroke)}"/>')
    if not shapes:
        return Markup("")
    return Markup(f'<svg class="rules" xmlns="http://www.w3.org/2000/svg" width="{_r(width)}mm" '
                  f'height="{_r(height)}mm" viewBox="0 0 {_r(width)} {_r(height)}">'
                  + "".join(shapes) + "</svg>")


def to_html(composition: Composition, title: str, draft: bool = False) -> str:
    classes = _Classes()
    pages = []
    for page in composition.pages:
        frame = (gbt9704.PAGE_HEIGHT, gbt9704.PAGE_WIDTH) if page.area.landscape else (gbt9704.PAGE_WIDTH, gbt9704.PAGE_HEIGHT)
        pages.append({"landscape": page.area.landscape, "rules": _rules_svg(page.items, *frame),
                      "content": [_view(item, classes, frame[0]) for item in page.items
                                  if isinstance(item, (Text, Picture, PlaqueArt))],
                      "folio": _view(page.folio, classes) if page.folio else None})
    return _environment().get_template("official.html").render(
        title=title, css=Markup(stylesheet() + "\n" + classes.css()), pages=pages, draft=draft)


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration a process: Pango's fonts are loaded once, not for every document (−20 %)."""
    return FontConfiguration()


def render_html(html: str):
    return HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_fonts())


def _font_name(name) -> str:
    """"/ABCDEF+FandolFang" → "FandolFang": the face, without the subset tag."""
    text = name.decode() if isinstance(name, bytes) else str(name)
    return text.lstrip("/").split("+", 1)[-1]


def draw_reference(composition: Composition, title: str, author: str = "", draft: bool = False
                   ) -> tuple[bytes, list[str], int]:
    """The reference drawing: the composition as HTML/CSS, laid out and painted by WeasyPrint; the PDF, the
    embedded font names and the page count."""
    document = render_html(to_html(composition, title, draft=draft))
    if composition.seal:  # PDF document-info key holding the seal area, for `docgen check` and signing
        document.metadata.custom[SEAL_AREA_KEY] = seal_area_record(composition.seals)
    document.metadata.custom.update(composition.info)
    if author:
        document.metadata.authors = [author]
    data = document.write_pdf(custom_metadata=True)
    embedded = sorted({_font_name(font.name) for font in getattr(document, "fonts", {}).values()})
    return data, embedded, len(document.pages)
