"""Font roles of GB/T 9704: the official face names documents carry, and their CSS stacks.

Documents name the faces offices have installed (仿宋_GB2312, 方正小标宋简体 …) so a DOCX opens right in
Word/WPS; fontconfig (fonts/fonts.conf) maps those names to free substitutes on a server, and a licensed
font dropped into fonts/licensed/ wins over its substitute.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FontRole:
    key: str
    label: str  # the face's Chinese name as the standard uses it
    official: str  # the family name written into documents
    fallback: str  # generic family for characters the face lacks (serif / sans-serif)

    @property
    def css(self) -> str:
        """A CSS font-family stack: the official name first, fontconfig does the rest."""
        return f'"{self.official}", {self.fallback}'


FANGSONG = FontRole("fangsong", "仿宋", "仿宋_GB2312", "serif")
XIAOBIAOSONG = FontRole("xiaobiaosong", "小标宋", "方正小标宋简体", "serif")
HEITI = FontRole("heiti", "黑体", "黑体", "sans-serif")
KAITI = FontRole("kaiti", "楷体", "楷体_GB2312", "serif")
SONGTI = FontRole("songti", "宋体", "宋体", "serif")

ROLES = {r.key: r for r in (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI)}
