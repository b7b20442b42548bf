"""docxtpl, without the work a docgen render does not need.

docxtpl renders a template's body to an XML string with Jinja, then runs passes over the whole of it:
`resolve_listing` (regular expressions over every paragraph and run, turning \\n \\a \\t \\f in text into
breaks, paragraphs, tabs and page breaks), `fix_tables` (parses the body and walks every table row, adding
or dropping grid columns where `{%tc %}` loops left a row with another number of cells than its table's
grid), `fix_docpr_ids` (renumbers pictures); python-docx then serialises the parsed body again to save it.
On a table of thousands of rows these cost ten times what Jinja does.

`FastTemplate` does each only when the rendered XML needs it: `resolve_listing` when one of those
characters is in it; the parse, `fix_tables` and `fix_docpr_ids` when the body holds a picture or a table
whose rows do not span its grid (the renderer may vouch for its grids: ``grids_match``). Otherwise the
rendered body goes into the package as the string it is, and the result is what docxtpl would write. It
also compiles each template's Jinja once per process rather than at every render.

A template keeps every tag in a run's text, where Word and LibreOffice keep it when they save the file (they
rewrite attributes and drop text between elements). Beside docxtpl's ``{{p``/``{{r``/``{%tr``… tags it reads
docgen's property tags, each naming properties the renderer computes (markup it built, written as it is;
any other value is refused: `properties_only`):
``{{pPr x }}`` and ``{{rPr x }}`` set the properties of the paragraph or run holding the tag (after the
template's style, the rest of what the template has there replaced: Word and LibreOffice add their own);
``{{tcPr x }}``, ``{{trPr x }}``, ``{{tblPr x }}`` and ``{{tblGrid x }}`` those of the cell, row or table
holding it; ``{{sectPr x }}``: the paragraph holding it disappears, and x becomes the properties of the
document's last section (the template's own are what staff see while editing it).
``style_ids`` renames the style identifiers the renderer writes to the template's own (a template saved by
LibreOffice names a style 公文正文 ``Style16``, not ``GongwenBody``).
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Callable

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from docgen.cache import private_cache_dir
from docgen.render.package import ZIP_DATE, stable_package

_LISTING = ("\n", "\a", "\t", "\f")
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARK = "docgen-body-placeholder"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_XMLNS = re.compile(r'xmlns:\w+="[^"]*"')
_TABLE = re.compile(r"<w:tbl>|<w:tbl |</w:tbl>")
_GRID_COL = re.compile(r"<w:gridCol\b")
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_CELL = re.compile(r'<w:tc>(?:<w:tcPr>(?:<w:tcW [^>]*/>)?(?:<w:gridSpan w:val="(\d+)"/>)?)?|<w:tc ')
_PROPERTY_TAG = re.compile(r"{{(pPr|rPr|sectPr|tcPr|trPr|tblPr|tblGrid)\s+(.*?)\s*}}", re.S)
_TABLE_XML = re.compile(r"<w:tbl>(?:(?!<w:tbl>).)*?</w:tbl>", re.S)  # a table holding no table
_ROW_XML = re.compile(r"<w:tr[ >](?:(?!<w:tr[ >]).)*?</w:tr>", re.S)
_CELL_XML = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?</w:tc>", re.S)
_STYLED = ("pPr", "rPr", "tblPr")
_STYLE = re.compile(r"<w:(?:pStyle|rStyle|tblStyle) [^>]*/>")
_TWO_STYLES = re.compile(r'<w:(pStyle|rStyle|tblStyle) w:val="[^"]*"/>(?=<w:\1 )')
_PARAGRAPH = re.compile(r"<w:p[ >](?:(?!<w:p[ >]).)*?</w:p>", re.S)
_RUN = re.compile(r"<w:r[ >](?:(?!<w:r[ >]).)*?</w:r>", re.S)
_EMPTY_RUN = re.compile(r"<w:r(?: [^>]*)?>(?:<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>|<w:rPr/>)?<w:t(?: [^>]*)?></w:t></w:r>", re.S)
_SECTION = re.compile(r"<w:sectPr(?: [^>]*)?(?:/>|>.*?</w:sectPr>)", re.S)
_STYLE_REF = re.compile(r'(?<=<w:)(pStyle|rStyle|tblStyle) w:val="([^"]*)"')


class PropertyTagError(ValueError):
    """A property tag given something other than the properties the renderer builds."""


def properties_only(value: Any, tag: str) -> str:
    """A property tag's value: markup docgen's renderer built (``Markup``), or nothing. Anything else — a
    record's text a bureau's template put in a ``{{pPr …}}`` tag — is refused, never written into the
    document's XML as markup (it could break the file or forge its layout)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, jinja2.Undefined) or value is None or value == "":
        return ""
    shown = str(value)
    raise PropertyTagError(f"属性标记 {{{{{tag} }}}} 只能填写 docgen 计算的格式（wml.… 或渲染器给出的 ppr、pr 等），"
                           f"不能填写“{shown[:40]}{'…' if len(shown) > 40 else ''}”")


class CachingEnvironment(Environment):
    """A Jinja environment that compiles each template source once (docxtpl compiles it at every render):
    once a process in memory, and once a machine as bytecode in docgen's private cache folder (a fresh
    `docgen render` then loads its template parts instead of compiling them)."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, object] = {}
        self.filters["properties_only"] = properties_only

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= 32:
                self._compiled.clear()
            template = self._compiled[source] = self.template_class.from_code(
                self, self._code(source), self.make_globals(None), None)
        return template

    def _code(self, source: str):
        """The compiled template, from the cache folder when it holds it (named by what it was compiled
        from: Jinja's version, this environment's kind and escaping, and the source)."""
        return _kept("jinja", f"{jinja2.__version__}\0{type(self).__name__}\0{self.autoescape}\0{source}",
                     lambda: self.compile(source), marshal.dumps, marshal.loads)


def _kept(folder_name: str, key: str, make: Callable[[], Any], dump: Callable[[Any], bytes],
          load: Callable[[bytes], Any]) -> Any:
    """``make()``, kept in docgen's private cache folder under a digest of ``key`` (which names everything
    the value is made from): a fresh process reads it instead of making it again."""
    folder = private_cache_dir()
    path = folder / folder_name / f"{hashlib.sha256(key.encode()).hexdigest()}.bin" if folder else None
    if path is not None and path.is_file():
        try:
            return load(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass  # unreadable: made again below
    value = make()
    if path is not None:
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(dump(value))
            os.replace(partial, path)  # atomic: another process reads the whole file or none
        except OSError:
            pass
    return value


ENV = CachingEnvironment(autoescape=True)  # every value is escaped: data stays text


class CachingSandboxedEnvironment(CachingEnvironment, ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, compiling each source once: for a template docgen did not build (a
    bureau's own), whose tags may read the values they are given but never an attribute that leads out of
    them (``__class__``, ``__globals__`` …), call anything unsafe, or change a value."""


SANDBOXED_ENV = CachingSandboxedEnvironment(autoescape=True)


def tables_match_grids(xml: str) -> bool:
    """Whether every row of every table spans exactly its table's grid columns (then `fix_tables` would
    change nothing). A table in a table, or a cell this quick reading does not know, answers False."""
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


def _set(element: str, properties: str, xml: str) -> str:
    """``xml`` (a table, row, cell, paragraph or run, from its opening tag) with its ``element`` (its first
    child of that name: w:tblPr, w:pPr …) holding ``properties`` after the template's style reference
    (w:pStyle, w:rStyle, w:tblStyle: where the properties name a style too, the renderer drops the first of
    the two once rendered); the element is made when missing."""
    opening = re.search(rf"<w:{element}(?: [^>]*)?(/?)>", xml)
    if opening is None:
        at = xml.index(">") + 1
        return f"{xml[:at]}<w:{element}>{properties}</w:{element}>{xml[at:]}"
    end = opening.end() if opening.group(1) else xml.index(f"</w:{element}>", opening.end()) + len(f"</w:{element}>")
    style = _STYLE.search(xml, opening.end(), end) if element in _STYLED else None
    kept = style.group(0) if style else ""
    return f"{xml[:opening.start()]}<w:{element}>{kept}{properties}</w:{element}>{xml[end:]}"


def _take(kinds: tuple[str, ...], xml: str) -> tuple[str, list[tuple[str, str]]]:
    """``xml`` without its property tags of ``kinds``, and those tags (kind, expression) in order."""
    found = [(m.group(1), m.group(2)) for m in _PROPERTY_TAG.finditer(xml) if m.group(1) in kinds]
    if found:
        xml = _PROPERTY_TAG.sub(lambda m: "" if m.group(1) in kinds else m.group(0), xml)
    return xml, found


def _jinja(tags: list[tuple[str, str]], kind: str) -> str:
    """The expressions of the tags of ``kind``, each through `properties_only`: markup the renderer built is
    written as it is, anything else refused."""
    return ("{% autoescape false %}"
            + "".join(f"{{{{ ({expr})|properties_only({_literal(f'{k} {expr}')}) }}}}" for k, expr in tags if k == kind)
            + "{% endautoescape %}")


def _literal(text: str) -> str:
    """``text`` as a Jinja string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _in_run(run: re.Match) -> str:
    xml, tags = _take(("rPr",), run.group(0))
    return _set("rPr", _jinja(tags, "rPr"), xml) if tags else xml


def _in_paragraph(paragraph: re.Match, sections: list[str]) -> str:
    xml = paragraph.group(0)
    if "Pr " not in xml:
        return xml
    xml = _RUN.sub(_in_run, xml)
    xml, tags = _take(("pPr", "sectPr"), xml)
    if not tags:
        return xml
    if any(kind == "sectPr" for kind, _ in tags):
        sections += [expr for kind, expr in tags if kind == "sectPr"]
        return ""
    return _set("pPr", _jinja(tags, "pPr"), _EMPTY_RUN.sub("", xml))


def _in_cell(cell: re.Match, above: list[tuple[str, str]]) -> str:
    xml, tags = _take(("tcPr", "trPr", "tblPr", "tblGrid"), cell.group(0))
    above += [tag for tag in tags if tag[0] != "tcPr"]
    return _set("tcPr", _jinja(tags, "tcPr"), xml) if any(k == "tcPr" for k, _ in tags) else xml


def _in_row(row: re.Match, above: list[tuple[str, str]]) -> str:
    tags: list[tuple[str, str]] = []
    xml = _CELL_XML.sub(lambda m: _in_cell(m, tags), row.group(0))
    above += [tag for tag in tags if tag[0] != "trPr"]
    return _set("trPr", _jinja(tags, "trPr"), xml) if any(k == "trPr" for k, _ in tags) else xml


def _in_table(table: re.Match) -> str:
    tags: list[tuple[str, str]] = []
    xml = _ROW_XML.sub(lambda m: _in_row(m, tags), table.group(0))
    for kind in ("tblPr", "tblGrid"):
        if any(k == kind for k, _ in tags):
            xml = _set(kind, _jinja(tags, kind), xml)
    return xml


def place_properties(xml: str) -> str:
    """The template's property tags moved to the elements they set (see the module's text)."""
    if "Pr " not in xml and "{{tblGrid" not in xml:
        return xml
    xml = _TABLE_XML.sub(_in_table, xml)
    sections: list[str] = []
    xml = _PARAGRAPH.sub(lambda m: _in_paragraph(m, sections), xml)
    if not sections:
        return xml
    end = xml.rindex("</w:body>")
    at = xml.rfind("<w:sectPr", 0, end)
    last = _SECTION.match(xml, at) if at >= 0 else None
    start = last.start() if last is not None and last.end() == end else end  # the body's own, else none yet
    return f"{xml[:start]}<w:sectPr>{_jinja([('sectPr', sections[-1])], 'sectPr')}</w:sectPr>{xml[end:]}"


# what a template part's patched XML is made by: docxtpl's patch_xml and this module's place_properties
_PATCHED_BY = f"{docxtpl.__version__}\0{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"
_PATCHED: dict[str, str] = {}


def knowing_properties(env: Environment | None, autoescape: bool) -> Environment:
    """``env`` (a new one if None) with the property tags' filter, `properties_only`."""
    if env is None:
        return CachingEnvironment(autoescape=autoescape)
    env.filters.setdefault("properties_only", properties_only)
    return env


class PlacingTemplate(DocxTemplate):
    """docxtpl reading docgen's property tags (see the module's text). A template part is patched once
    (docxtpl's regular expressions, then the tags placed): once a process in memory, once a machine in
    docgen's private cache folder."""

    def render(self, context, jinja_env=None, autoescape=False):
        """docxtpl's render, in an environment that knows the property tags' filter."""
        super().render(context, knowing_properties(jinja_env, autoescape), autoescape)

    def patch_xml(self, src_xml):
        patched = _PATCHED.get(src_xml)
        if patched is None:
            if len(_PATCHED) >= 64:
                _PATCHED.clear()
            patched = _PATCHED[src_xml] = _kept(
                "docx-patched", f"{_PATCHED_BY}\0{src_xml}",
                lambda: place_properties(super(PlacingTemplate, self).patch_xml(src_xml)), str.encode, bytes.decode)
        return patched


class FastTemplate(PlacingTemplate):
    """A DocxTemplate that skips the passes the rendered XML does not need (see the module's text).

    ``grids_match``: the renderer built every table's grid and cells from the same widths and spans, so no
    `{%tc %}` loop can have left a row that does not fill its grid (docgen's renderers check it)."""

    grids_match = False

    def __init__(self, template_file):
        super().__init__(template_file)
        self._body_xml: str | None = None
        self.style_ids: dict[str, str] = {}  # the renderer's style identifier → the template's

    # -- rendering --

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl's, less its round trip of a newline before every paragraph (it only numbers lines for
        error messages: without it the output is the same)."""
        self.current_rendering_part = part
        try:
            dst_xml = (jinja_env or ENV).from_string(src_xml).render(context)
        except TemplateError:
            return super().render_xml_part(src_xml, part, context, jinja_env)  # docxtpl's error context
        if "{_" in dst_xml or "_}" in dst_xml:
            dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if '"/><w:pStyle ' in dst_xml or '"/><w:rStyle ' in dst_xml:  # the template's style, then the renderer's
            dst_xml = _TWO_STYLES.sub("", dst_xml)
        if self.style_ids:
            dst_xml = _STYLE_REF.sub(lambda m: f'{m.group(1)} w:val="{self.style_ids.get(m.group(2), m.group(2))}"', dst_xml)
        return self.resolve_listing(dst_xml)

    def resolve_listing(self, xml):
        if any(char in xml for char in _LISTING):
            return super().resolve_listing(xml)
        return xml

    def render(self, context, jinja_env=None, autoescape=True):
        if jinja_env is None and autoescape:
            jinja_env = ENV
        else:
            jinja_env = knowing_properties(jinja_env, autoescape)
            jinja_env.autoescape = autoescape
        self.render_init()
        self._body_xml = None
        xml = self.build_xml(context, jinja_env)
        if "docPr" not in xml and (self.grids_match or tables_match_grids(xml)):
            # nothing to fix: keep the string, put it into the package when saving
            self._body_xml = xml
            self.map_tree(etree.fromstring(f'<w:body xmlns:w="{_W_NS}"><w:p><w:r><w:t>{_MARK}</w:t></w:r></w:p></w:body>'))
        else:
            tree = self.fix_tables(xml)
            self.fix_docpr_ids(tree)
            self.map_tree(tree)
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for rel_key, part_xml in self.build_headers_footers_xml(context, uri, jinja_env):
                self.map_headers_footers_xml(rel_key, part_xml)
        self.render_properties(context, jinja_env)
        self._render_footnotes(context, jinja_env)
        self.is_rendered = True

    def _render_footnotes(self, context, jinja_env) -> None:
        """docxtpl's render_footnotes, without going through the body's sections (the body may be a
        placeholder here)."""
        for part in self.docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                part._blob = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env).encode("utf-8")

    # -- saving --

    def save(self, filename, *args, **kwargs) -> None:
        if self._body_xml is None or not self.is_rendered:
            package = io.BytesIO()
            super().save(package, *args, **kwargs)
            data = stable_package(package.getvalue())
            if hasattr(filename, "write"):
                filename.write(data)
            else:
                with open(filename, "wb") as out:
                    out.write(data)
            return None
        self.pre_processing()
        package = io.BytesIO()
        self.docx.save(package)
        out = filename if hasattr(filename, "write") else open(filename, "wb")
        try:
            with zipfile.ZipFile(package) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    entry = zipfile.ZipInfo(item.filename, ZIP_DATE)  # fixed: the same record, the same bytes
                    if item.filename == "word/document.xml":
                        zout.writestr(entry, self._document_bytes(data), compress_type=zipfile.ZIP_DEFLATED,
                                      compresslevel=1)
                    else:
                        zout.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
        finally:
            if out is not filename:
                out.close()
        self.post_processing(filename)
        self.is_saved = True

    def _document_bytes(self, placeholder: bytes) -> bytes:
        """word/document.xml with the rendered body in place of the placeholder python-docx wrote."""
        text = placeholder.decode("utf-8")
        start = text.index("<w:body")
        end = text.rindex("</w:body>") + len("</w:body>")
        assert _MARK in text[start:end]
        body = self._body_xml
        # the body was serialised on its own, with its namespace declarations: the root has them already
        tag_end = body.index(">")
        root_tag = text[text.index("<w:document"):text.index(">", text.index("<w:document"))]
        if all(decl in root_tag for decl in _XMLNS.findall(body, 0, tag_end)) and body[tag_end - 1] != "/":
            body = "<w:body>" + body[tag_end + 1:]
        return (text[:start] + body + text[end:]).encode("utf-8")
