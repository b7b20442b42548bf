"""Line breaking on the GB/T 9704 grid: 28 characters a line, 禁则 applied, full lines justified.

WeasyPrint neither justifies CJK text nor keeps a 28-character grid, so the composer breaks lines itself.
Every glyph advances by its width plus the grid's letter-spacing (a CJK character: exactly one cell);
a line that is not a paragraph's last is then justified to the full measure by its own letter-spacing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.fonts.metrics import role_metrics

# 行首禁则: characters that may not start a line; 行尾禁则: characters that may not end one.
NO_LINE_START = set("，。、；：？！）》」』】〕〉’”…—·％‰℃,.;:?!)]}%☐☑")  # a form's box stays with its word
NO_LINE_END = set("（《「『【〔〈‘“([{")
SPACES = (" ", "\u3000")
LATIN_WORD = re.compile(r"[A-Za-z0-9@._\-/:%+#&=~]{2,}")  # never broken: a telephone number, an e-mail address
# never broken: a cited document number 〔YYYY〕N号, with its 机关代字 when brackets or punctuation set it off
# (（焦汽协〔2021〕8号）); after other text only the 〔YYYY〕N号 part
CITED_NUMBER = re.compile(r"(?:(?<=[（(《“「、，,：:；;\s])|^)[\u4e00-\u9fff]{1,5}〔\d{4}〕\d+号|〔\d{4}〕\d+号")
BOXED = r"[\u4e00-\u9fff]{1,8}[☐☑]"  # a form's choice with its box (新材料☐): one word
_PLAIN_UNITS = r"[A-Za-z0-9@._\-/:%+#&=~]+|——|……|."
_WORD = re.compile(CITED_NUMBER.pattern + "|" + BOXED + "|" + _PLAIN_UNITS, re.S)
_PLAIN_WORD = re.compile(_PLAIN_UNITS, re.S)  # _WORD where a text has no 〔 and no box: the same units, sooner
_MARKED = re.compile("[〔☐☑]")


@dataclass(frozen=True)
class Run:
    """Text in one face (a role key of docgen.fonts.roles)."""

    text: str
    role: str


@dataclass
class Unit:
    """What may not be broken: one CJK character, a Latin word or number, a doubled dash or ellipsis."""

    text: str
    role: str
    width: float  # pt, at the grid pitch
    natural: float = 0.0  # pt: advances only


@dataclass
class Line:
    runs: list[Run] = field(default_factory=list)
    natural: float = 0.0  # pt: advances only, no letter-spacing
    glyphs: int = 0
    justify: bool = False
    indent: float = 0.0  # pt, from the left of the measure

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def spacing(self, measure: float, grid_spacing: float) -> float:
        """Letter-spacing (pt) for this line: the grid's, or what fills the measure exactly."""
        if not self.justify or self.glyphs < 2:
            return grid_spacing
        return (measure - self.indent - self.natural) / (self.glyphs - 1)

    def width(self, spacing: float) -> float:
        return self.natural + spacing * max(self.glyphs - 1, 0)


def units_of(runs: list[Run], size: float, grid_spacing: float) -> list[Unit]:
    units = []
    for run in runs:
        advances = role_metrics(run.role).advances
        for text in (_WORD if _MARKED.search(run.text) else _PLAIN_WORD).findall(run.text):
            if len(text) == 1:
                natural = advances.get(ord(text), 1.0) * size
            else:
                natural = sum(advances.get(ord(c), 1.0) for c in text) * size
            units.append(Unit(text, run.role, natural + grid_spacing * len(text), natural))
    return units


def _build(units: list[Unit], indent: float, justify: bool) -> Line:
    line = Line(indent=indent, justify=justify)
    runs: list[list] = []
    for unit in units:
        if runs and runs[-1][1] == unit.role:
            runs[-1][0].append(unit.text)
        else:
            runs.append([[unit.text], unit.role])
        line.natural += unit.natural
        line.glyphs += len(unit.text)
    line.runs = [Run("".join(parts), role) for parts, role in runs]
    return line


def break_lines(runs: list[Run], size: float, measure: float, grid_spacing: float,
                first_indent: float = 0.0, rest_indent: float = 0.0, lone: bool = True) -> list[Line]:
    """Break ``runs`` into lines of ``measure`` pt; every line but the last is justified.

    When a line would begin with a 行首禁则 character, that one character is squeezed into the line
    above (the line is justified a little tighter); two or more (or a word beginning with one) are pushed
    down together with the last character or word of the line above, which is then justified a little
    looser. A line that a word pushed down, alone or with the marks after it (a cited number 〔2021〕57号,
    a telephone number, an e-mail or web address followed by "）。"), leaves a cell or more short stays on
    the grid, unjustified. With ``lone`` false a last line of one character is avoided: the line above
    gives it its last character (and is then set unjustified).
    """
    units = units_of(runs, size, grid_spacing)
    lines: list[list[Unit]] = []
    squeezed: set[int] = set()  # lines holding one squeezed-in 行首禁则 character: always justified
    short: set[int] = set()  # lines a whole word (a cited number, a telephone number) left a cell or more short
    current: list[Unit] = []
    used = 0.0
    eps = 0.01

    def avail() -> float:
        return measure - (first_indent if not lines else rest_indent)

    i = 0
    while i < len(units):
        unit = units[i]
        if not current and unit.text in SPACES:
            i += 1
            continue
        if used + unit.width <= avail() + eps:
            current.append(unit)
            used += unit.width
            i += 1
            continue
        if not current:
            if len(unit.text) == 1:  # wider than the whole line: it stands alone and overflows
                lines.append([unit])
                i += 1
                continue
            # a word longer than the line: break it by characters
            units[i:i + 1] = units_of([Run(c, unit.role) for c in unit.text], size, grid_spacing)
            continue
        followers = 0
        while i + followers < len(units) and units[i + followers].text[0] in NO_LINE_START:
            followers += 1
        pushed = [unit]  # what goes down to start the next line
        if followers == 1 and not _is_word(unit):
            current.append(unit)
            squeezed.add(len(lines))
            i += 1
            pushed = []
        elif followers or current[-1].text[-1] in NO_LINE_END:
            carried = [current.pop()]
            while current and current[-1].text[-1] in NO_LINE_END:
                carried.insert(0, current.pop())
            if current:
                i -= len(carried)  # re-read them at the start of the next line
                pushed = carried + pushed
            else:
                current = carried  # nothing would stay: the line keeps them
        while len(current) > 1 and current[-1].text in SPACES:  # a space ends no line (nor starts one)
            current.pop()
        if any(_is_word(u) for u in pushed) and \
                avail() - sum(u.width for u in current) >= size + grid_spacing - eps:
            short.add(len(lines))  # its characters stay on the grid's cells: not spread to the measure
        lines.append(current)
        current, used = [], 0.0
    if current:
        lines.append(current)
    ragged = _no_lone_last(lines) if not lone else -1
    out = []
    for n, line_units in enumerate(lines):
        indent = first_indent if n == 0 else rest_indent
        justify = (n < len(lines) - 1 or n in squeezed) and n != ragged and n not in short
        out.append(_build(line_units, indent, justify=justify))
    return out


def _is_word(unit: Unit) -> bool:
    """A word of several characters (a Latin word, a number, a cited document number), not a doubled dash
    or ellipsis."""
    return len(unit.text) > 1 and unit.text not in ("——", "……")


def _no_lone_last(lines: list[list[Unit]]) -> int:
    """Move units from the last line but one down until the last line holds more than one character (never
    leaving a 行首禁则 character first or a 行尾禁则 one last); returns the line that gave them, or -1."""
    if len(lines) < 2 or sum(len(u.text) for u in lines[-1]) > 1:
        return -1
    above, last = list(lines[-2]), list(lines[-1])
    while len(above) > 1:
        last.insert(0, above.pop())
        if last[0].text[0] not in NO_LINE_START and above[-1].text[-1] not in NO_LINE_END:
            lines[-2:] = [above, last]
            return len(lines) - 2
    return -1
