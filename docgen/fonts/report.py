"""Which font really draws each role, which substitute stood in, and which characters fell back.

Every render reports this: the official face requested, the font fontconfig resolved for it (a
substitute unless a licensed font was dropped in), characters the resolved font lacks and the font that
drew them instead, and characters no installed font can draw at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from docgen.fonts.match import fc_match
from docgen.fonts.faces import unicodes
from docgen.fonts.roles import ROLES, FontRole


@dataclass(frozen=True)
class ResolvedFont:
    family: str
    style: str
    file: str
    index: int
    families: tuple[str, ...]  # every family name the file declares

    def answers_to(self, name: str) -> bool:
        return name in self.families


@lru_cache(maxsize=None)
def _fc_match(pattern: str) -> ResolvedFont:
    out = fc_match(pattern, "%{family}\t%{style[0]}\t%{file}\t%{index}")
    families, style, path, index = out.split("\t")
    names = tuple(f.strip() for f in families.split(","))
    return ResolvedFont(names[0], style, path, int(index or 0), names)


def resolve(role: FontRole) -> ResolvedFont:
    """The font fontconfig picks for a role's official name (regular weight)."""
    return _fc_match(role.official)


def covers(font: ResolvedFont, char: str) -> bool:
    return ord(char) in unicodes(font.file, font.index)


def fallback_for(role: FontRole, char: str) -> ResolvedFont | None:
    """The font fontconfig falls back to for a character the role's font lacks (None: nothing can)."""
    found = _fc_match(f"{role.official}:charset={ord(char):x}")
    return found if covers(found, char) else None


@dataclass
class RoleUse:
    role: FontRole
    font: ResolvedFont

    @property
    def substituted(self) -> bool:
        return not self.font.answers_to(self.role.official)


@dataclass
class FontReport:
    roles: list[RoleUse] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)  # char → family that drew it
    missing: list[str] = field(default_factory=list)  # chars no font can draw
    embedded: list[str] = field(default_factory=list)  # font names found in the output

    def lines(self) -> list[str]:
        out = []
        for use in self.roles:
            state = f"替代字体 {use.font.family} {use.font.style}" if use.substituted else "已安装正版字体"
            out.append(f"{use.role.label}（{use.role.official}）→ {state}")
        for char, family in sorted(self.fallbacks.items()):
            out.append(f"字符「{char}」(U+{ord(char):04X}) 不在该角色字体中，由 {family} 绘制")
        if self.missing:
            chars = "".join(sorted(set(self.missing)))
            out.append(f"警告：没有任何已安装字体能绘制：{chars}")
        if self.embedded:
            out.append("嵌入字体：" + "、".join(self.embedded))
        return out

    def as_dict(self) -> dict:
        return {
            "roles": [{"role": u.role.label, "requested": u.role.official, "font": u.font.family,
                       "style": u.font.style, "file": u.font.file, "substituted": u.substituted}
                      for u in self.roles],
            "fallbacks": dict(self.fallbacks),
            "missing": sorted(set(self.missing)),
            "embedded": list(self.embedded),
        }


def font_report(text_by_role: dict[str, str]) -> FontReport:
    """Resolve each role used and check every character it must draw."""
    report = FontReport()
    for key, text in text_by_role.items():
        role = ROLES[key]
        font = resolve(role)
        report.roles.append(RoleUse(role, font))
        for char in sorted(set(text)):
            if char.isspace() or covers(font, char):
                continue
            other = fallback_for(role, char)
            if other is None:
                report.missing.append(char)
            else:
                report.fallbacks[char] = other.family
    return report
