"""The inks of a plaque: how each prints (CMYK, or a named spot colour) and how the proof shows it (sRGB)."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.layout.gbt9704 import RED as RED_SRGB


@dataclass(frozen=True)
class Ink:
    label: str
    cmyk: tuple[float, float, float, float]  # 0..1, what the print PDF paints (the alternate of a spot)
    rgb: tuple[int, int, int]  # the proof's closest sRGB
    spot: str = ""  # a Separation name when the sign shop should see it as its own plate / material

    @property
    def is_paper(self) -> bool:
        return self.cmyk == (0, 0, 0, 0) and not self.spot


RED = Ink("红（C0 M100 Y100 K0）", (0, 1, 1, 0), RED_SRGB)
BLACK = Ink("黑（K100）", (0, 0, 0, 1), (0, 0, 0))
WHITE = Ink("白（底材）", (0, 0, 0, 0), (255, 255, 255))
# 钛金: the titanium-gold plate itself; a spot so the shop can drop it when the plate is real titanium gold
TITANIUM_GOLD = Ink("钛金（专色 TitaniumGold）", (0, 0.16, 0.52, 0.21), (201, 169, 97), spot="TitaniumGold")
REGISTRATION = Ink("套准色（All）", (1, 1, 1, 1), (0, 0, 0), spot="All")


@dataclass(frozen=True)
class Scheme:
    key: str
    label: str
    background: Ink
    title: Ink  # line 1
    text: Ink  # the station line and line 3


SCHEMES = {
    s.key: s
    for s in (
        Scheme("red", "红字标题、黑字站名、白底", WHITE, RED, BLACK),
        Scheme("black", "黑字白底", WHITE, BLACK, BLACK),
        Scheme("gold", "黑字钛金底", TITANIUM_GOLD, BLACK, BLACK),
    )
}
