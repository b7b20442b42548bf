"""Reading plaque PDFs back: page boxes, filled outline extents by colour, crop marks (shared by the tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

import pikepdf

from docgen.pdf.plaque import PT


def boxes_mm(data: bytes) -> dict[str, list[float]]:
    with pikepdf.open(BytesIO(data)) as pdf:
        page = pdf.pages[0]
        return {name: [float(v) / PT for v in page.obj[f"/{name}"]] for name in ("MediaBox", "BleedBox", "TrimBox")}


@dataclass
class Painted:
    fills: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)  # (colour, points) per fill
    strokes: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    text_ops: int = 0
    colours: set[str] = field(default_factory=set)


def _num(value) -> str:
    return f"{float(value):g}" if isinstance(value, (int, float, Decimal)) else str(value)


def painted(data: bytes) -> Painted:
    """Every filled and stroked path of page 1 (no transforms are used in plaque PDFs), with its colour."""
    out = Painted()
    with pikepdf.open(BytesIO(data)) as pdf:
        fill = stroke = fill_space = stroke_space = ""
        points: list[tuple[float, float]] = []
        for operands, op in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(op)
            nums = [float(v) for v in operands if isinstance(v, (int, float, Decimal))]
            if op in ("k", "scn", "sc", "rg", "g"):
                fill = f"{op} {fill_space if op in ('scn', 'sc') else ''}".strip() + " " + " ".join(_num(o) for o in operands)
                out.colours.add(fill)
            elif op in ("K", "SCN", "SC", "RG", "G"):
                stroke = f"{op} {stroke_space if op in ('SCN', 'SC') else ''}".strip() + " " + " ".join(_num(o) for o in operands)
            elif op == "cs":
                fill_space = str(operands[0])
            elif op == "CS":
                stroke_space = str(operands[0])
            elif op in ("m", "l", "c", "v", "y"):
                points += [(nums[i], nums[i + 1]) for i in range(0, len(nums), 2)]
            elif op == "re":
                x, y, w, h = nums
                points += [(x, y), (x + w, y + h)]
            elif op in ("f", "f*", "F", "B", "b"):
                out.fills.append((fill, points))
                points = []
            elif op == "S":
                out.strokes.append((stroke, points))
                points = []
            elif op in ("Tj", "TJ"):
                out.text_ops += 1
    return out


def to_trim_mm(point: tuple[float, float], trim_pt: list[float], height_mm: float) -> tuple[float, float]:
    """PDF point → mm from the trim's top-left, y down (the layout's coordinates)."""
    return (point[0] / PT - trim_pt[0], height_mm - (point[1] / PT - trim_pt[1]))
