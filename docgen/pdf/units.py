"""Units and operands shared by every PDF docgen writes: points per millimetre, numbers as a content stream
or an object array takes them, DeviceRGB colour operands."""

from __future__ import annotations

import re
from functools import lru_cache

PT_PER_MM = 72 / 25.4


_FORMATS = {places: f"%.{places}f" for places in range(7)}


def number(value: float, places: int = 3) -> str:
    """A number for a content stream: ``places`` decimals (up to 6), no trailing zeros, never ``-0``."""
    text = (_FORMATS[places] % value).rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def array_number(value: float) -> int | float:
    """A number for a PDF object (an array, a dictionary): an integer when whole, else 3 decimals."""
    return int(value) if float(value).is_integer() else round(value, 3)


@lru_cache(maxsize=64)
def rgb(color: str) -> str:
    """'#E60012' → '0.902 0 0.071': the DeviceRGB operands of a hex colour."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        raise ValueError(f"not a hex colour: {color!r}")
    return " ".join(number(int(value[i:i + 2], 16) / 255, 6) for i in (0, 2, 4))
