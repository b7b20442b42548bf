"""`docgen templates check`: what a bureau's edited DOCX template breaks, before it is used.

A bureau's copy of official.docx or attachments.docx (edited in Word: its mark, the fonts it licenses) is
compared with what the renderer needs, and every requirement is read from docgen itself, so the check and
the renderer never drift: the template tags (Jinja, docxtpl's ``{%p``/``{%tr``/``{%tc`` and docgen's
property tags ``{{pPr``…) of the built-in template, each in a run's text (a tag in an attribute or between
elements is lost when Word or LibreOffice saves the file), its styles (by identifier or name), the odd/even
page setting the page numbers need, the page (A4, GB/T 9704 margins within 1 mm: docgen.layout.gbt9704)
and the document grid (22 lines × 28 characters, as `section_xml` writes it).
Then the template is filled once, in the sandbox, with a small 公文 (or attachment page) and the result
must be well-formed. Fonts fontconfig cannot find, theme fonts, tags the renderer gives no value and links
out of the document are warnings; macros are errors.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta
from lxml import etree

from docgen.docx.engine import SANDBOXED_ENV, PlacingTemplate
from docgen.docx.template import CHECK_HINT, TEMPLATE_NAMES, TEMPLATES, section_xml, template_styles
from docgen.fonts.match import family_pattern, fc_match
from docgen.layout import gbt9704
from docgen.problems import InvalidRecord

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TOLERANCE = 1.0  # mm, page size and margins
# tags a bureau may replace by fixed content: its own 发文机关标志 (the record's mark then does not show)
MAY_BE_FIXED = {"{{ mark.text }}": "发文机关标志为模板中的固定内容：记录的 issuer（发文机关标志）不会显示，联合行文的标志也排不出"}
# LibreOffice saves the grid of lines and characters with no character pitch of its own (charSpace 0) as a
# grid of lines: the same 22 lines, the 28 characters coming from the body text's condensing (docgen.docx.units)
SAME_GRID = ("type", "lines", "0")
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml$")
_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_TAG_PARTS = re.compile(r"^({[{%#])-?((?:pPr|rPr|sectPr|tcPr|trPr|tblPr|tblGrid|p|tr|tc|r)(?=\s))?\s*(.*?)\s*-?([}%#]})$", re.S)
_TEXT = re.compile(r"<w:t[ >]")  # a run's text
_ATTRIBUTE = re.compile(r'\s[\w:]+="[^"<>]*$')  # the XML before a tag ends inside an attribute's value
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@dataclass(frozen=True)
class Finding:
    """One thing an edited template breaks: ``error`` stops it from being used, a warning does not."""

    file: str
    error: bool
    what: str
    rule: str

    def line(self) -> str:
        return f"{self.file}：{'错误' if self.error else '警告'}：{self.what}；规则：{self.rule}"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _parts(path: Path | io.BytesIO) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _joined(xml: str) -> str:
    """The XML with each tag Word split across runs joined again, as docxtpl's patch_xml joins it."""
    xml = re.sub(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", "", xml, flags=re.S)
    return re.sub(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*",
                  lambda m: re.sub(r"</w:t>.*?(<w:t>|<w:t [^>]*>)", "", m.group(0), flags=re.S), xml, flags=re.S)


def _normal(tag: str) -> str:
    """A tag as one spelling: ``{%p  if x%}`` and ``{%p if x %}`` are the same tag."""
    tag = html.unescape(re.sub(r"\s+", " ", tag))
    match = _TAG_PARTS.match(tag)
    if not match:
        return tag
    opening, prefix, body, closing = match.groups()
    return f"{opening}{prefix or ''} {body} {closing}"


def template_tags(parts: dict[str, bytes]) -> tuple[Counter, dict[str, str]]:
    """Every template tag in the parts docxtpl fills (body, headers, footers, footnotes), counted, and those
    standing outside a run's text: tag → where ("属性", in an attribute's value; "标记", between elements).
    Word, WPS and LibreOffice keep a run's text when they save a file; they rewrite attributes and drop
    text between elements."""
    tags: Counter = Counter()
    misplaced: dict[str, str] = {}
    for name, data in parts.items():
        if _PARTS.match(name):
            xml = _joined(data.decode("utf-8", "replace"))
            for match in _TAG.finditer(xml):
                tag = _normal(match.group(0))
                tags[tag] += 1
                element = xml.rfind("<", 0, match.start())
                if not _TEXT.match(xml, element):
                    inside = xml[element:match.start()]
                    misplaced[tag] = "属性" if ">" not in inside and _ATTRIBUTE.search(inside) else "标记"
    return tags, misplaced


def _check_tags(file: str, parts: dict[str, bytes], builtin: dict[str, bytes], path: Path) -> list[Finding]:
    """The built-in template's tags, each as often as it has them, and each in a run's text; the body's
    Jinja parses; the values it reads are the renderer's."""
    findings = []
    (have, misplaced), (want, _) = template_tags(parts), template_tags(builtin)
    for tag in sorted(want - have):
        if tag in MAY_BE_FIXED and have[tag] == 0:
            findings.append(Finding(file, False, MAY_BE_FIXED[tag], f"内置模板在此处用标签 {tag}"))
            continue
        findings.append(Finding(file, True, f"缺少标签 {tag}（内置模板 {want[tag]} 处，此模板 {have[tag]} 处）",
                                "渲染器填写此标签，须保留"))
    for tag, where in sorted(misplaced.items()):
        what = "XML 属性值中" if where == "属性" else "XML 元素之间（不在文字中）"
        findings.append(Finding(file, True, f"标签 {tag} 写在{what}",
                                "标签须写在文字中：用 Word、WPS 或 LibreOffice 另存时，属性会被改写、元素之间的文字会丢失"))
    variables, syntax = _variables(path)
    if syntax:
        findings.append(Finding(file, True, f"模板语法错误：{syntax}", "标签须是合法的 Jinja"))
    else:
        provided, _ = _variables(TEMPLATES / file)
        for name in sorted(variables - provided):
            findings.append(Finding(file, False, f"标签用到渲染器不提供的值 {name}", "填写时为空"))
    return findings


def _variables(path: Path) -> tuple[set[str], str | None]:
    """The values the body's Jinja reads from the renderer, and its syntax error if it has one."""
    tpl = PlacingTemplate(str(path))
    tpl.init_docx()
    try:
        ast = SANDBOXED_ENV.parse(tpl.patch_xml(tpl.get_xml()))
    except TemplateSyntaxError as exc:
        return set(), exc.message or str(exc)
    return meta.find_undeclared_variables(ast), None


def _styles(parts: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    """styleId → (type, name) of the template's styles."""
    data = parts.get("word/styles.xml")
    return template_styles(etree.fromstring(data)) if data is not None else {}


def _check_styles(file: str, parts: dict[str, bytes], builtin: dict[str, bytes]) -> list[Finding]:
    """Every style of the built-in template, under its identifier or its name (the renderer then names it
    by the template's identifier: LibreOffice and Chinese Word write their own), of the same type."""
    findings = []
    mine, theirs = _styles(parts), _styles(builtin)
    by_name = {name: style_id for style_id, (_, name) in mine.items()}
    for style_id, (kind, name) in theirs.items():
        found = style_id if style_id in mine else by_name.get(name)
        if found is None:
            findings.append(Finding(file, True, f"缺少样式 {style_id}（{name}）", "渲染器按标识或名称引用此样式"))
        elif mine[found][0] != kind:
            findings.append(Finding(file, True, f"样式 {found}（{name}）的类型为 {mine[found][0]}",
                                    f"渲染器按{'段落' if kind == 'paragraph' else '字符'}样式引用它（应为 {kind}）"))
    return findings


def _mm(twips: str | None) -> float | None:
    try:
        return int(twips) * 25.4 / 1440
    except (TypeError, ValueError):
        return None


def _expected_grid() -> dict[str, str]:
    """The document grid of a body page, as the renderer writes it (section_xml)."""
    sect = etree.fromstring(f'<w:sectPr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{section_xml()}</w:sectPr>')
    return {k.split("}")[1]: v for k, v in sect.find(_w("docGrid")).attrib.items()}


def _check_sections(file: str, document: bytes) -> list[Finding]:
    findings = []
    root = etree.fromstring(document)
    expected_grid = _expected_grid()
    margins = (("top", gbt9704.MARGIN_TOP, "上（天头）"), ("bottom", gbt9704.MARGIN_BOTTOM, "下"),
               ("left", gbt9704.MARGIN_LEFT, "左（订口）"), ("right", gbt9704.MARGIN_RIGHT, "右"))
    for n, sect in enumerate(root.iter(_w("sectPr")), 1):
        where = "最后一节" if sect.getparent().tag == _w("body") else f"第 {n} 节"
        written = "{{" in "".join(sect.itertext())  # docgen writes this section's properties
        size, margin, grid = sect.find(_w("pgSz")), sect.find(_w("pgMar")), sect.find(_w("docGrid"))
        present = [what for element, what in ((size, "纸张大小"), (margin, "页边距"), (grid, "文档网格"))
                   if element is not None]
        if written and present:
            findings.append(Finding(file, True, f"{where}的页面设置由 docgen 写入，模板另设了{'、'.join(present)}",
                                    "同一节的设置不可重复（Word 会报告文档损坏）；请删去模板中的这些设置"))
        elif not written:
            for what in ("纸张大小", "页边距", "文档网格"):
                if what not in present:
                    findings.append(Finding(file, True, f"{where}没有{what}，也没有 docgen 写入节属性的标签",
                                            "GB/T 9704 版面：A4、页边距、22 行 × 28 字的网格"))
        if size is not None:
            width, height = _mm(size.get(_w("w"))), _mm(size.get(_w("h")))
            if width is None or height is None or abs(width - gbt9704.PAGE_WIDTH) > TOLERANCE \
                    or abs(height - gbt9704.PAGE_HEIGHT) > TOLERANCE:
                shown = f"{width:.1f} × {height:.1f} mm" if width and height else "无法读取"
                findings.append(Finding(file, True, f"{where}纸张为 {shown}",
                                        f"应为 A4 纵向 {gbt9704.PAGE_WIDTH:g} × {gbt9704.PAGE_HEIGHT:g} mm，误差不超过 ±{TOLERANCE:g} mm"))
        if margin is not None:
            for side, want, label in margins:
                got = _mm(margin.get(_w(side)))
                if got is None or abs(got - want) > TOLERANCE:
                    shown = f"为 {got:.1f} mm" if got is not None else "未设"
                    findings.append(Finding(file, True, f"{where}{label}页边距{shown}",
                                            f"GB/T 9704 版心：应为 {want:g} mm，误差不超过 ±{TOLERANCE:g} mm"))
        if grid is not None:
            got = {k.split("}")[1]: v for k, v in grid.attrib.items()}
            for key, want in expected_grid.items():
                value = got.get(key, "0" if key == "charSpace" else None)
                if value != want and (key, value, got.get("charSpace", "0")) != SAME_GRID:
                    findings.append(Finding(file, True, f"{where}文档网格 {key}={got.get(key, '未设')}",
                                            f"应为 {key}={want}（{gbt9704.LINES_PER_PAGE} 行 × "
                                            f"{gbt9704.CHARS_PER_LINE} 字，与内置模板相同）"))
    return findings


def _check_relationships(file: str, parts: dict[str, bytes]) -> list[Finding]:
    findings = []
    rels = parts.get("word/_rels/document.xml.rels")
    if rels is not None:
        for rel in etree.fromstring(rels).iter(f"{{{PKG_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                findings.append(Finding(file, False, f"引用文档外的资源 {rel.get('Target')}",
                                        "生成的文档打开时会去取它；单位模板应自带所需的一切"))
    return findings


def _check_settings(file: str, parts: dict[str, bytes], builtin: dict[str, bytes]) -> list[Finding]:
    """Settings the built-in template has that the page numbers need (odd and even footers)."""
    findings = []
    got = etree.fromstring(parts["word/settings.xml"]) if "word/settings.xml" in parts else None
    want = etree.fromstring(builtin["word/settings.xml"])
    if want.find(_w("evenAndOddHeaders")) is not None and (got is None or got.find(_w("evenAndOddHeaders")) is None):
        findings.append(Finding(file, True, "未设「奇偶页不同」", "页码单页居右、双页居左（GB/T 9704 §7.5）"))
    return findings


@lru_cache(maxsize=None)
def _fc_match(name: str) -> tuple[str, tuple[str, ...]]:
    """(file, family names) of the font docgen's fontconfig picks for the family ``name``."""
    file, _, families = fc_match(family_pattern(name), "%{file}\t%{family}").partition("\t")
    return file, tuple(f.strip() for f in families.split(","))


def _check_fonts(file: str, parts: dict[str, bytes]) -> list[Finding]:
    findings = []
    names: set[str] = set()
    themed: set[str] = set()
    for name in ("word/styles.xml", *sorted(n for n in parts if _PARTS.match(n))):
        if name not in parts:
            continue
        for fonts in etree.fromstring(parts[name]).iter(_w("rFonts")):
            names.update(v for a in _FONT_ATTRS if (v := fonts.get(_w(a))) and "{" not in v)
            themed.update(v for a in _THEME_ATTRS if (v := fonts.get(_w(a))))
    nothing, _ = _fc_match("docgen:没有这个字体")  # what fontconfig gives for a name it cannot find
    for name in sorted(names):
        try:
            path, families = _fc_match(name)
        except (ValueError, LookupError):
            findings.append(Finding(file, False, f"无法查询字体「{name}」（fontconfig 无法解析或匹配）", "模板所用字体应已安装"))
            continue
        if name not in families and path == nothing:
            findings.append(Finding(file, False, f"字体「{name}」未安装，将以「{families[0]}」代替",
                                    "把字体文件放入 fonts/licensed/ 或 DOCGEN_LICENSED_FONTS 指定的文件夹"))
    for theme in sorted(themed):
        findings.append(Finding(file, False, f"使用主题字体 {theme}",
                                "Word 以主题字体代替样式所设字体；公文字体应在样式中直接指定"))
    return findings


def _trial(file: str, path: Path) -> list[Finding]:
    """Fill the template once, in the sandbox, and read the result back."""
    from docgen.content.document import (Attachment, Colophon, Header, Heading, OfficialDocument, Paragraph,
                                         Signature, Table)
    from docgen.docx.attachments import render_attachments_docx
    from docgen.docx.document import render_docx

    annex = Attachment(1, "试填附件", (Table(("序号", "名称"), (("1", "试填"),)),))
    try:
        if path.name == "official.docx":
            doc = OfficialDocument(name="trial", header=Header(mark="试填机关文件", doc_number="试〔2021〕1号"),
                                   title="关于试填模板的通知", addressees="各单位",
                                   body=(Heading(1, "一、", "试填"), Paragraph("试填正文。")),
                                   signature=Signature("试填机关", "2021年8月3日"), attachments=(annex,),
                                   colophon=Colophon("试填机关办公室", "2021年8月3日"))
            data = render_docx(doc, templates=path.parent).data
        else:
            data = render_attachments_docx((annex,), "trial", templates=path.parent).data
        etree.fromstring(_parts(io.BytesIO(data))["word/document.xml"])
    except InvalidRecord as exc:
        return [Finding(file, True, f"试填失败：{exc.problems[0].rule.removesuffix(CHECK_HINT)}", "模板须能由渲染器在沙箱中填写")]
    except etree.XMLSyntaxError as exc:
        return [Finding(file, True, f"试填结果不是合法的 XML（{exc}）", "标签须在内置模板中的位置，不可拆开 XML 元素")]
    except Exception as exc:  # whatever else an edited template makes the renderer trip on
        return [Finding(file, True, f"试填失败（{type(exc).__name__}：{exc}）", "模板须能由渲染器填写")]
    return []


def check_template(path: Path) -> list[Finding]:
    """What the template at ``path`` (named as one of TEMPLATE_NAMES) breaks, against docgen's own."""
    file = path.name
    try:
        parts = _parts(path)
        builtin = _parts(TEMPLATES / file)
        if "word/document.xml" not in parts:
            raise KeyError("word/document.xml")
        etree.fromstring(parts["word/document.xml"])
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as exc:
        return [Finding(file, True, f"无法读取为 DOCX（{type(exc).__name__}）", "应为 Word 保存的 .docx 文件")]
    findings = []
    if any("vbaProject" in name for name in parts):
        findings.append(Finding(file, True, "含有宏（vbaProject）", "模板不得含可执行的内容"))

    findings += _check_tags(file, parts, builtin, path)
    findings += _check_styles(file, parts, builtin)
    findings += _check_sections(file, parts["word/document.xml"])
    findings += _check_relationships(file, parts)
    findings += _check_settings(file, parts, builtin)
    findings += _check_fonts(file, parts)
    if not any(f.error for f in findings):
        findings += _trial(file, path)
    return findings


def check_folder(folder: Path) -> tuple[list[str], list[Finding]]:
    """(the template files checked, the findings) for a bureau's folder; a .docx docgen does not use is a
    warning, since a misspelt name would silently fall back to docgen's own."""
    checked, findings = [], []
    for name in TEMPLATE_NAMES:
        if (folder / name).is_file():
            checked.append(name)
            findings += check_template(folder / name)
    for path in sorted(folder.glob("*.docx")):
        if path.name not in TEMPLATE_NAMES:
            findings.append(Finding(path.name, False, "docgen 不使用此文件",
                                    f"只查找 {'、'.join(TEMPLATE_NAMES)}；文件名不符时使用内置模板"))
    return checked, findings


def sources(folder: Path | None) -> list[tuple[str, str, Path]]:
    """(name, where from, path) of each template the renderer would use."""
    rows = []
    for name in TEMPLATE_NAMES:
        if folder is not None and (folder / name).is_file():
            rows.append((name, "单位模板", folder / name))
        else:
            rows.append((name, "内置模板", TEMPLATES / name))
    return rows
