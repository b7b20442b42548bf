"""Text on the grid: turning runs of one or more faces into flow rows (the composer's typesetting)."""

from __future__ import annotations

from docgen.layout import gbt9704
from docgen.layout.flow import BLACK, Row
from docgen.layout.linebreak import Line, Run, break_lines
from docgen.fonts.metrics import role_metrics

BODY = gbt9704.SIZE_SAN
CELL = gbt9704.CHAR_PITCH_MM  # one 字 of body text, mm
GRID_SPACING = gbt9704.pt(gbt9704.CHAR_PITCH_MM) - BODY  # letter-spacing that puts 28 characters on 156 mm


def grid_spacing(size: float) -> float:
    """Letter-spacing for text of ``size`` on the body grid's pitch (0 for sizes not on the grid)."""
    return GRID_SPACING if size == BODY else 0.0


def width_pt(text: str, role: str, size: float, spacing: float) -> float:
    metrics = role_metrics(role)
    return sum(metrics.advance(c) * size for c in text) + spacing * max(len(text) - 1, 0)


def single_line(runs: list[Run], size: float, spacing: float) -> Line:
    """One unbroken line (titles, signatures, page numbers)."""
    line = Line(runs=list(runs))
    for run in runs:
        line.natural += sum(role_metrics(run.role).advance(c) * size for c in run.text)
        line.glyphs += len(run.text)
    return line


def paragraph(runs: list[Run], *, x: float = gbt9704.MARGIN_LEFT, measure: float = gbt9704.TYPE_WIDTH,
              size: float = BODY, first_indent: float = 2 * CELL, rest_indent: float = 0.0,
              pitch: float = gbt9704.LINE_PITCH_MM, kind: str = "body", justify: bool = True,
              align: str = "left", color: str = BLACK, lone: bool = True) -> list[Row]:
    """A paragraph broken on the grid: first line indented ``first_indent`` mm, full lines justified; with
    ``lone`` false its last line never holds a single character."""
    spacing = grid_spacing(size)
    lines = break_lines(runs, size, gbt9704.pt(measure), spacing, gbt9704.pt(first_indent), gbt9704.pt(rest_indent),
                        lone)
    rows = []
    for line in lines:
        if not justify:
            line.justify = False
        rows.append(Row(line, x, measure, size, line.spacing(gbt9704.pt(measure), spacing), pitch, align, kind, color))
    return rows
