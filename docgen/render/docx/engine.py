"""docxtpl, without the passes a docgen render does not need.

After Jinja, docxtpl runs two passes over the whole rendered body: `resolve_listing` (regular expressions
over every paragraph and run, turning \\n \\a \\t \\f in text into breaks, paragraphs, tabs and page breaks)
and `fix_tables` (a walk over every table row, adding or dropping grid columns when `{%tc %}` loops left a
row with another number of cells than the table's grid). On a table of thousands of rows they cost ten
times what Jinja does. `FastTemplate` runs each only when the rendered XML needs it: `resolve_listing` when
one of those characters is in it, `fix_tables` when a table's rows do not match its grid. Otherwise the
result is the same bytes docxtpl would write.
"""

from __future__ import annotations

import re
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

_LISTING = ("\n", "\a", "\t", "\f")
_TABLE = re.compile(r"<w:tbl>|<w:tbl |</w:tbl>")
_GRID_COL = re.compile(r"<w:gridCol\b")
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_CELL = re.compile(r'<w:tc>(?:<w:tcPr>(?:<w:tcW [^>]*/>)?(?:<w:gridSpan w:val="(\d+)"/>)?)?|<w:tc ')


class CachingEnvironment(Environment):
    """A Jinja environment that compiles each template source once (docxtpl compiles it at every render)."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) > 16:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


def tables_match_grids(xml: str) -> bool:
    """Whether every row of every table spans exactly its table's grid columns (then `fix_tables` would
    change nothing). Nested tables, or cells this quick reading does not know, answer False: docxtpl's
    full pass then runs."""
    if "<w:tbl" not in xml:
        return True
    tables, start = [], None
    for match in _TABLE.finditer(xml):
        if match.group(0) == "</w:tbl>":
            if start is None:
                return False
            tables.append((start, match.start()))
            start = None
        elif start is not None:
            return False  # a table in a table
        else:
            start = match.end()
    if start is not None:
        return False
    for start, end in tables:
        grid_end = xml.find("</w:tblGrid>", start, end)
        if grid_end < 0:
            return False
        columns = len(_GRID_COL.findall(xml, start, grid_end))
        for row in _ROW.finditer(xml, grid_end, end):
            text = row.group(0)
            spans = seen = 0
            for cell in _CELL.finditer(text):
                if cell.group(0) == "<w:tc ":
                    return False
                if cell.group(1):
                    seen += 1
                spans += int(cell.group(1) or 1)
            if spans != columns or seen != text.count("<w:gridSpan"):
                return False
    return True


class FastTemplate(DocxTemplate):
    """A DocxTemplate whose Jinja is compiled once per process and that skips `resolve_listing` and
    `fix_tables` when the rendered XML needs neither. Render it with `ENV` (autoescape: data stays text)."""

    def render(self, context, jinja_env=None, autoescape=True):
        super().render(context, jinja_env or ENV, autoescape)

    def resolve_listing(self, xml):
        if any(char in xml for char in _LISTING):
            return super().resolve_listing(xml)
        return xml

    def fix_tables(self, xml):
        if tables_match_grids(xml):
            return etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        return super().fix_tables(xml)


ENV = CachingEnvironment(autoescape=True)
