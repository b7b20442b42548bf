"""Imposition sheets: the media a plaque batch is printed on (A0…A3, SRA3, SRA2, W x H mm, or a roll), and
whether a plaque's print file (its trim plus the media around it: bleed, crop marks, job line) fits."""

from __future__ import annotations

import re
from dataclasses import dataclass

MEDIA_MARGIN = 12.0  # mm of media around a plaque's trim in its print file: bleed, marks and the slug line
SHEETS = {"A0": (841.0, 1189.0), "A1": (594.0, 841.0), "A2": (420.0, 594.0), "A3": (297.0, 420.0),
          "SRA3": (320.0, 450.0), "SRA2": (450.0, 640.0)}
SHEET_MARGIN = 10.0  # mm the press or plotter cannot print
ROLL_PAGE_MAX = 5000.0  # mm: a roll is cut into pages no longer than this (PDF viewers stop near 5080 mm)
_SHEET_RULE = "拼版幅面应为 A0～A3、SRA3、SRA2、「宽x高」（毫米，如 1220x2440）或卷材「roll:宽」（如 roll:1370）"


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float | None  # None: a roll, as long as needed
    label: str


def parse_sheet(value: str) -> Sheet:
    text = str(value).strip().replace("×", "x").replace("X", "x")
    if text.upper() in SHEETS:
        return Sheet(*SHEETS[text.upper()], text.upper())
    roll = re.fullmatch(r"roll:(\d+(?:\.\d+)?)", text, re.I)
    if roll and 200 <= float(roll.group(1)) <= 5000:
        return Sheet(float(roll.group(1)), None, f"卷材{roll.group(1)}")
    size = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(?:mm)?", text)
    if size and all(200 <= float(v) <= 5000 for v in size.groups()):
        return Sheet(float(size.group(1)), float(size.group(2)), f"{size.group(1)}x{size.group(2)}")
    raise ValueError(_SHEET_RULE)


def fits_as(cell: tuple[float, float], sheet: Sheet) -> bool:
    w, h = cell
    return w <= sheet.width - 2 * SHEET_MARGIN + 1e-6 and h <= (sheet.height or ROLL_PAGE_MAX) - 2 * SHEET_MARGIN + 1e-6


def fits(cell: tuple[float, float], sheet: Sheet) -> bool:
    """Whether a cell fits the sheet one way or the other."""
    return fits_as(cell, sheet) or fits_as(cell[::-1], sheet)


def check_sheet(value: str, size: tuple[float, float] | None) -> None:
    """Raise ValueError (in Chinese) when ``value`` is no sheet, or a plaque of ``size`` mm with its bleed,
    marks and slug cannot be placed on it either way round."""
    sheet = parse_sheet(value)
    if size and not fits((size[0] + 2 * MEDIA_MARGIN, size[1] + 2 * MEDIA_MARGIN), sheet):
        raise ValueError(f"{size[0]:g}×{size[1]:g} 毫米的标牌（含出血和裁切线，每边加 {MEDIA_MARGIN:g} 毫米）"
                         f"放不进拼版幅面 {sheet.label}，请换更大的幅面（如 1220x2440 或 roll:1370）")
