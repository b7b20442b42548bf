"""Font files read through HarfBuzz: which characters a face maps, its glyphs' advances, extents and
outlines, and its small tables.

HarfBuzz reads only what is asked for, in C, from the mapped file; fontTools first parses a CJK face's whole
cmap (and a CFF face's glyph names) in Python, which was most of a fresh process's font set-up."""

from __future__ import annotations

import struct
from functools import lru_cache

import uharfbuzz as hb


@lru_cache(maxsize=None)
def hb_font(path: str, index: int) -> hb.Font:
    """The face at ``index`` of a font file, at its own units (1 unit = 1/upem em)."""
    return hb.Font(hb.Face(hb.Blob.from_file_path(path), index))


@lru_cache(maxsize=None)
def unicodes(path: str, index: int) -> frozenset[int]:
    """Every code point the face's cmap maps."""
    return frozenset(hb_font(path, index).face.unicodes)


def hhea_extents(path: str, index: int) -> tuple[int, int]:
    """(ascender, descender) of the ``hhea`` table, in font units: how Pango lays out a line."""
    ascender, descender = struct.unpack(">hh", hb_font(path, index).face.reference_table("hhea").data[4:8])
    return ascender, descender
