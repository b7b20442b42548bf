"""Builds the docxtpl templates from code (run `python -m docgen.docx.template`):
templates/official.docx (a 公文) and templates/attachments.docx (attachment pages alone, e.g. annex forms).

Both are ordinary Word documents staff can open and restyle, and share every part but the body: styles
carrying the official face names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) as East-Asian fonts,
with no theme fonts; sections that are A4 with the GB/T 9704 margins and a 22 × 28 document grid, or (§8, an
attachment holding a wide table) A4 turned with the same 225 × 156 mm type area; odd and even footers with
the `— PAGE —` numbers, which a landscape page carries turned, where the portrait sheet has them. Their
bodies are Jinja (docxtpl) over the content the renderer passes in; the blocks (paragraphs, headings,
tables and forms, whose rows come from `{%tr for %}` loops) are one macro both bodies call. Every tag stands
in a run's text, where Word and LibreOffice keep it when they save the file: what the renderer computes
(spacing, indents, sizes, a table's widths, the sections) goes in through property tags (``{{pPr …}}``,
docgen.docx.engine) whose values the helpers in WML build.

A bureau may supply its own copies (its mark, the fonts it licenses), edited in Word, in a folder that wins
per file name: ``docgen render --templates DIR`` or the environment variable DOCGEN_TEMPLATES. Only the
names in TEMPLATE_NAMES are looked up there, a file it lacks comes from docgen, and a bureau's template is
rendered in Jinja's sandbox, its styles named by its own identifiers and docgen's page-number footers added
where it has none. ``docgen templates check`` (docgen.docx.template_check) says what an edited
copy breaks before it is used.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.parts.hdrftr import FooterPart
from lxml import etree
from markupsafe import Markup

from docgen.layout import gbt9704
from docgen.fonts.roles import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG
from docgen.layout.columns import SMALL, TABLE
from docgen.docx.engine import SANDBOXED_ENV, FastTemplate
from docgen.render.package import ZIP_DATE
from docgen.docx.units import CHAR_SPACE, GRID_CONDENSE, LINE_PITCH, ONE_CHAR, eighth_points, half_points, tw
from docgen.problems import InvalidRecord, Problem
from docgen.resources import shipped_folder

TEMPLATES = shipped_folder("templates")  # the repository's templates/, or the installed package's copy
TEMPLATE = TEMPLATES / "official.docx"
ATTACHMENTS_TEMPLATE = TEMPLATES / "attachments.docx"
TEMPLATE_NAMES = (TEMPLATE.name, ATTACHMENTS_TEMPLATE.name)  # the only names looked up in a bureau's folder
TEMPLATES_ENV = "DOCGEN_TEMPLATES"
CHECK_HINT = "，请用 docgen templates check 检查"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RED = gbt9704.RED_HEX.lstrip("#")


@dataclass(frozen=True)
class TemplateSource:
    """Where the docxtpl template ``name`` comes from: the bureau's folder (``bureau``) or docgen's own."""

    name: str
    path: Path
    bureau: bool

    def data(self) -> bytes:
        stat = self.path.stat()
        return _read(self.path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int, size: int) -> bytes:
    """A template's bytes, read again only when the file changes (its time or size)."""
    return path.read_bytes()


def bureau_folder(folder: str | Path | None = None) -> Path | None:
    """The bureau's template folder: ``folder`` (``docgen render --templates``), else the one
    DOCGEN_TEMPLATES names, else none. A folder named but missing is refused, not passed over."""
    named = str(folder) if folder is not None else os.environ.get(TEMPLATES_ENV, "").strip()
    if not named:
        return None
    path = Path(named).expanduser()
    if not path.is_dir():
        field = "--templates" if folder is not None else TEMPLATES_ENV
        raise InvalidRecord([Problem(field, named, "单位模板文件夹应为已存在的文件夹")])
    return path.resolve()


def find_template(name: str, folder: str | Path | None = None) -> TemplateSource:
    """The template ``name`` (one of TEMPLATE_NAMES): the bureau's copy when its folder has one, else docgen's."""
    if name not in TEMPLATE_NAMES:
        raise ValueError(f"docgen renders no template {name!r}; it renders {', '.join(TEMPLATE_NAMES)}")
    bureau = bureau_folder(folder)
    if bureau is not None and (bureau / name).is_file():
        return TemplateSource(name, bureau / name, True)
    return TemplateSource(name, TEMPLATES / name, False)


def open_template(name: str, folder: str | Path | None = None) -> tuple[FastTemplate, TemplateSource]:
    """The template ``name`` ready to fill (see find_template); a bureau's file that is no DOCX is refused."""
    source = find_template(name, folder)
    tpl = FastTemplate(io.BytesIO(source.data()))
    if source.bureau:
        try:
            tpl.init_docx()
            tpl.style_ids = renamed_styles(tpl.docx.styles.element)
            _add_footers(tpl)
            _forget_old_core_properties(tpl)
        except Exception as exc:  # zipfile, python-docx and lxml each have their own way of failing
            raise _bureau_error(source, f"单位模板无法读取为 DOCX（{type(exc).__name__}）") from None
    return tpl, source


@lru_cache(maxsize=1)
def _docgen_styles() -> dict[str, str]:
    """styleId → name of the styles docgen's templates have."""
    return {style_id: name for style_id, (_, name) in template_styles(etree.fromstring(styles_xml().encode())).items()}


def template_styles(root) -> dict[str, tuple[str, str]]:
    """styleId → (type, name) of the styles in a styles part (its root element)."""
    styles = {}
    for style in root.iter(f"{{{W_NS}}}style"):
        name = style.find(f"{{{W_NS}}}name")
        styles[style.get(f"{{{W_NS}}}styleId")] = (style.get(f"{{{W_NS}}}type"),
                                                   name.get(f"{{{W_NS}}}val") if name is not None else "")
    return styles


def renamed_styles(root) -> dict[str, str]:
    """docgen's style identifiers a template's styles part (its root) has under another identifier, for the
    same style name (LibreOffice saves 公文正文 as ``Style16``; Chinese Word writes ``a1`` …): the renderer's
    markup names them by the template's identifiers."""
    theirs = template_styles(root)
    by_name = {name: style_id for style_id, (_, name) in theirs.items()}
    return {style_id: by_name[name] for style_id, name in _docgen_styles().items()
            if style_id not in theirs and name in by_name}


def _add_footers(tpl: FastTemplate) -> None:
    """docgen's page-number footers, under the relationship ids the sections it writes name, wherever a
    bureau's template has none (Word and LibreOffice renumber relationships and drop the footers no section
    of the template uses): the page numbers are GB/T 9704's (§7.5), set in the template's 页码 style."""
    document = tpl.docx.part
    for rid, name in _FOOTERS.items():
        if rid not in document.rels:
            partname = document.package.next_partname("/word/footer%d.xml")
            part = FooterPart.load(partname, CT.WML_FOOTER, footer_parts()[f"word/{name}"].encode(), document.package)
            document.rels.add_relationship(RT.FOOTER, part, rid)


# LibreOffice relates the core properties by a spelling of the type python-docx does not know: python-docx
# would add its own docProps/core.xml, and the package hold two parts of that name
_OLD_CORE_PROPERTIES = "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"


def _forget_old_core_properties(tpl: FastTemplate) -> None:
    rels = tpl.docx.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == _OLD_CORE_PROPERTIES]:
        del rels[rid]
        rels._target_parts_by_rId.pop(rid, None)


def render_template(tpl: FastTemplate, source: TemplateSource, values: dict) -> None:
    """Fill ``tpl`` with ``values`` (and ``wml``, the helpers of its property tags): a bureau's template in
    Jinja's sandbox, its errors told in Chinese."""
    values = {**values, "wml": WML}
    if not source.bureau:
        tpl.render(values)
        return
    try:
        tpl.render(values, jinja_env=SANDBOXED_ENV)
    except Exception as exc:  # a bureau's template is configuration: what it makes fail is told, not a traceback
        raise _bureau_error(source, f"单位模板无法填写（{type(exc).__name__}：{exc}）") from None


def _bureau_error(source: TemplateSource, rule: str) -> InvalidRecord:
    return InvalidRecord([Problem(source.name, str(source.path), rule + CHECK_HINT,
                                  label="单位模板")])


# no hanging punctuation (it would cross the type area) and no automatic space around digits and Latin
NO_AUTOSPACE = '<w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
# the border's distance (pt) below the 发文字号's line box, giving the 4 mm to the glyphs (via LibreOffice)
SEPARATOR_SPACE = round(gbt9704.pt(gbt9704.SEPARATOR_BELOW_DOC_NUMBER)) - 5
# twips a title line may run past each side of the 版心 before the layout engine wraps it again: half a 二号 character
TITLE_SLACK = tw(gbt9704.mm(gbt9704.SIZE_ER)) // 2
COLOPHON_ROOM = 1.0  # mm (see section_xml)
FOOTER_DISTANCE = tw(24.5)  # puts the page number's 一字线 7 mm below the type area (checked via LibreOffice)
# A landscape page's number stands turned in its left margin, where the portrait sheet has it once the page
# is turned head to the left (§8): a one-cell floating table anchored to the page, text direction tbRl.
TURNED_NUMBER_DEPTH = 8.0  # mm across the cell (the number's height)
TURNED_NUMBER_LENGTH = 60.0  # mm along it
TURNED_NUMBER_NUDGE = 0.16  # mm the dash's centre sits right of the cell's centre line (measured via LibreOffice)
LANDSCAPE_FOOTER_DISTANCE = tw(10)  # the landscape footer holds only that anchor: keep it clear of the 版心


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:eastAsia="{face}" w:hAnsi="{face}" w:cs="{face}"/>'


def _style(style_id: str, name: str, *, based: str = "Normal", ppr: str = "", rpr: str = "",
           kind: str = "paragraph", outline: int | None = None) -> str:
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return (f'<w:style w:type="{kind}" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{based}"/><w:qFormat/>'
            + (f"<w:pPr>{ppr}</w:pPr>" if ppr and kind == "paragraph" else "")
            + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>")


def _exact(points: float) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{round(points * 20)}" w:lineRule="exact"/><w:snapToGrid w:val="0"/>'


def styles_xml() -> str:
    body = _fonts(FANGSONG.official) + f'<w:sz w:val="{half_points(gbt9704.SIZE_SAN)}"/><w:szCs w:val="{half_points(gbt9704.SIZE_SAN)}"/>'
    indent2 = f'<w:ind w:firstLineChars="200" w:firstLine="{2 * ONE_CHAR}"/>'
    styles = [
        _style("GongwenBody", "公文正文", ppr=indent2),
        _style("GongwenHeading1", "公文一级标题", based="GongwenBody", ppr="<w:keepNext/>", outline=0),
        _style("GongwenHeading2", "公文二级标题", based="GongwenBody", outline=1),
        _style("GongwenHeading3", "公文三级标题", based="GongwenBody", outline=2),
        _style("GongwenHeading4", "公文四级标题", based="GongwenBody", outline=3),
        _style("HeiChar", "黑体字", kind="character", rpr=_fonts(HEITI.official)),
        _style("KaiChar", "楷体字", kind="character", rpr=_fonts(KAITI.official)),
        _style("HeaderLine", "版头标注", ppr='<w:jc w:val="left"/>', rpr=_fonts(HEITI.official)),
        _style("OrganMark", "发文机关标志", ppr='<w:jc w:val="center"/>' + _exact(1),
               rpr=_fonts(XIAOBIAOSONG.official) + f'<w:color w:val="{RED}"/>'),
        _style("DocNumber", "发文字号", ppr='<w:jc w:val="center"/>'),
        # 上行文: 发文字号 at a left tab 1 字 in, 签发人 at a right tab 1 字 from the right edge; the paragraph
        # itself is not indented, so the red rule (its bottom border) spans the whole 版心 (§7.2.7)
        _style("DocNumberUp", "发文字号（上行文）", ppr=f'<w:tabs><w:tab w:val="left" w:pos="{ONE_CHAR}"/>'
               f'<w:tab w:val="right" w:pos="{tw(gbt9704.TYPE_WIDTH) - ONE_CHAR}"/></w:tabs><w:ind w:left="0"/>'),
        _style("GongwenTitle", "公文标题", ppr='<w:jc w:val="center"/>' + _exact(gbt9704.pt(gbt9704.TITLE_PITCH_MM)),
               rpr=_fonts(XIAOBIAOSONG.official) + f'<w:sz w:val="{half_points(gbt9704.SIZE_ER)}"/><w:szCs w:val="{half_points(gbt9704.SIZE_ER)}"/>'),
        _style("Addressee", "主送机关", ppr='<w:ind w:firstLine="0"/>'),
        _style("AnnexList", "附件说明", based="GongwenBody"),
        _style("Signature", "署名和成文日期", ppr='<w:keepNext/><w:jc w:val="right"/>'),
        _style("Note", "附注", based="GongwenBody"),
        _style("AnnexLabel", "附件标识", ppr='<w:pageBreakBefore/><w:jc w:val="left"/>', rpr=_fonts(HEITI.official)),
        _style("TableText", "表格文字", ppr='<w:jc w:val="center"/>' + _exact(gbt9704.pt(TABLE.pitch)),
               rpr=f'<w:sz w:val="{half_points(TABLE.size)}"/><w:szCs w:val="{half_points(TABLE.size)}"/>'),
        _style("TableHead", "表头文字", based="TableText", rpr=_fonts(HEITI.official)),
        # 小四: forms (附件1) and the cells of a wide table turned on its page (§8)
        _style("TableTextSmall", "表格小字", ppr='<w:jc w:val="center"/>' + _exact(gbt9704.pt(SMALL.pitch)),
               rpr=f'<w:sz w:val="{half_points(SMALL.size)}"/><w:szCs w:val="{half_points(SMALL.size)}"/>'),
        _style("TableHeadSmall", "表头小字", based="TableTextSmall", rpr=_fonts(HEITI.official)),
        _style("Caption", "图表题", ppr='<w:keepNext/><w:jc w:val="center"/>'),
        _style("Colophon", "版记", ppr=_exact(gbt9704.pt(gbt9704.LINE_PITCH_MM)) + f'<w:ind w:left="{ONE_CHAR}" w:right="{ONE_CHAR}"/>',
               rpr=f'<w:sz w:val="{half_points(gbt9704.SIZE_SI)}"/><w:szCs w:val="{half_points(gbt9704.SIZE_SI)}"/>'),
        _style("PageNumber", "页码", ppr=_exact(gbt9704.SIZE_SI * 1.2),
               rpr=_fonts(SONGTI.official) + f'<w:sz w:val="{half_points(gbt9704.SIZE_SI)}"/><w:szCs w:val="{half_points(gbt9704.SIZE_SI)}"/>'),
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
            f'<w:docDefaults><w:rPrDefault><w:rPr>{body}<w:spacing w:val="{GRID_CONDENSE}"/><w:kern w:val="0"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>{NO_AUTOSPACE}<w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
            '<w:jc w:val="both"/>'  # schema order: spacing, then jc
            '</w:pPr></w:pPrDefault></w:docDefaults>'
            f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{NO_AUTOSPACE}</w:pPr><w:rPr><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
            '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>'
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr>'
            '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
            + "".join(styles) + "</w:styles>")


_FIELD = ('<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
          '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
          '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
          '<w:r><w:t xml:space="preserve"> —</w:t></w:r>')
_TINY = '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'  # 1 pt


def _footer(align: str, indent: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}><w:p><w:pPr><w:pStyle w:val="PageNumber"/>'
            f'<w:jc w:val="{align}"/><w:ind {indent}/></w:pPr>{_FIELD}</w:p></w:ftr>')


def turned_number_box(odd: bool) -> tuple[float, float]:
    """Where the turned page number's cell stands on a landscape page (mm from its top-left): the number
    lands where the portrait sheet has it (§7.5: 7 mm under the 版心, 1 字 in from the right edge on odd
    pages, from the left edge on even ones) once the page is turned head to the left (§8)."""
    x = gbt9704.PAGE_HEIGHT - gbt9704.PAGE_NUMBER_DASH_Y - TURNED_NUMBER_DEPTH / 2 - TURNED_NUMBER_NUDGE
    along = gbt9704.LANDSCAPE.bottom - gbt9704.CHAR_PITCH_MM - TURNED_NUMBER_LENGTH if odd else gbt9704.LANDSCAPE.top + gbt9704.CHAR_PITCH_MM
    return x, along


def _turned_footer(odd: bool) -> str:
    """A landscape page's footer: `— PAGE —` turned (text direction tbRl, read top to bottom) in a one-cell
    table floating at the page's left margin, set flush to the end (odd) or the start (even) of its cell."""
    x, y = turned_number_box(odd)
    depth, length = tw(TURNED_NUMBER_DEPTH), tw(TURNED_NUMBER_LENGTH)
    jc = "right" if odd else "left"
    zero = "".join(f'<w:{side} w:w="0" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}>'
            '<w:tbl><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
            f'w:horzAnchor="page" w:vertAnchor="page" w:tblpX="{tw(x)}" w:tblpY="{tw(y)}"/>'
            f'<w:tblW w:w="{depth}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar>{zero}</w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{depth}"/></w:tblGrid>'
            f'<w:tr><w:trPr><w:trHeight w:val="{length}" w:hRule="exact"/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{depth}" w:type="dxa"/><w:textDirection w:val="tbRl"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:jc w:val="{jc}"/></w:pPr>{_FIELD}</w:p></w:tc></w:tr></w:tbl>'
            f'<w:p><w:pPr><w:pStyle w:val="PageNumber"/>{_TINY}</w:pPr></w:p></w:ftr>')


def _p(style: str, text: str = "", *, ppr: str = "", rpr: str = "", props: tuple[str, ...] = (), runs: str = "") -> str:
    """A paragraph of ``style`` holding ``text`` (or ``runs``): ``props`` are the expressions of its
    ``{{pPr … }}`` tags (properties the renderer computes, in a run of their own: see docgen.docx.engine)."""
    run = f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else runs
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{_props(*props)}{run}</w:p>'


def _props(*expressions: str, kind: str = "pPr") -> str:
    """A run holding property tags: ``{{pPr x }}`` … (the engine moves each where its properties go)."""
    if not expressions:
        return ""
    return '<w:r><w:t xml:space="preserve">' + "".join(f"{{{{{kind} {x} }}}}" for x in expressions) + "</w:t></w:r>"


def _tag(tag: str) -> str:
    """A docxtpl paragraph-level tag ({%p … %}): the paragraph holding it disappears."""
    return f'<w:p><w:r><w:t xml:space="preserve">{{%p {tag} %}}</w:t></w:r></w:p>'


def _row_tag(tag: str) -> str:
    """A docxtpl row-level tag ({%tr … %}): the table row holding it disappears."""
    return f'<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">{{%tr {tag} %}}</w:t></w:r></w:p></w:tc></w:tr>'


def _cell_tag(tag: str) -> str:
    """A docxtpl cell-level tag ({%tc … %}): the cell holding it disappears."""
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{{%tc {tag} %}}</w:t></w:r></w:p></w:tc>'


def spacing(before=None, after=None, line=None) -> Markup:
    """w:spacing with the given twips (``line``: an exact line height)."""
    values = [("before", before), ("after", after), ("line", line)]
    attributes = "".join(f' w:{name}="{int(v)}"' for name, v in values if v is not None)
    exact = ' w:lineRule="exact"' if line is not None else ""
    return Markup(f"<w:spacing{attributes}{exact}/>")


def size(half_points_) -> Markup:
    """A run's size (w:sz, w:szCs) in half points."""
    return Markup(f'<w:sz w:val="{int(half_points_)}"/><w:szCs w:val="{int(half_points_)}"/>')


def title_properties(title) -> Markup:
    """A title: space before and after it, in indents a little wider than the 版心 (see _title_paragraph)."""
    return spacing(before=title["before"], after=title["after"]) + Markup(
        f'<w:ind w:left="-{TITLE_SLACK}" w:right="-{TITLE_SLACK}"/>')


def lines(texts) -> Markup:
    """A title's lines, joined by explicit line breaks (each line escaped: data)."""
    return _TITLE_BREAK.join(texts)


def separator(number=None) -> Markup:
    """The red rule under the 发文字号 (its bottom border) and the space before it; none where ``number`` (the
    发文字号's context) says so: under a 命令's 令号 or a 信函's 发文字号 (§10)."""
    if number is not None and not number.get("rule", True):
        return Markup("")
    return Markup(f'<w:pBdr><w:bottom w:val="single" w:sz="{eighth_points(gbt9704.SEPARATOR_THICKNESS)}" '
                  f'w:space="{SEPARATOR_SPACE}" w:color="{RED}"/></w:pBdr>')


def annex_item(item) -> Markup:
    """An item of the 附件说明: hanging under its text, kept with the next when it is the last."""
    return Markup(item["keep"]) + spacing(before=item["before"]) + Markup(
        f'<w:ind w:left="{int(item["left"])}" w:hanging="{int(item["hanging"])}" w:firstLineChars="0"/>')


def not_kept() -> Markup:
    """Not kept with the next paragraph (the 成文日期: its style, the 署名's, is)."""
    return Markup('<w:keepNext w:val="0"/>')


def section(properties) -> Markup:
    """A 1 pt paragraph ending a section (its properties, from section_xml)."""
    return Markup(f"{_TINY}<w:sectPr>{properties}</w:sectPr>")


def table_properties(b) -> Markup:
    """A table or form ``b``: fixed column widths (twips) in its type area, ruled, centred."""
    line = f'w:val="single" w:sz="{eighth_points(gbt9704.TABLE_RULE)}" w:space="0" w:color="000000"'
    borders = "".join(f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{int(b[pad])}" w:type="dxa"/>'
                      for side, pad in (("top", "vpad"), ("left", "pad"), ("bottom", "vpad"), ("right", "pad")))
    return Markup(f'<w:tblW w:w="{int(b["width"])}" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/>'
                  f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>')


def grid(b) -> Markup:
    return Markup("".join(f'<w:gridCol w:w="{int(w)}"/>' for w in b["grid"]))


def row_properties(row) -> Markup:
    """A row that does not split, at least its height; header rows repeat on every page."""
    return Markup(f'<w:cantSplit/><w:trHeight w:val="{int(row.height)}" w:hRule="atLeast"/>'
                  f'<w:tblHeader w:val="{int(row.head)}"/>')


def after_table(b) -> Markup:
    """The half line under a table (the paragraph Word and LibreOffice need after one)."""
    return Markup('<w:snapToGrid w:val="0"/>') + spacing(before=0, after=0, line=b["after"]) + Markup(b.get("sect", ""))


# the property tags' helpers, as the templates call them: {{pPr wml.spacing(before=…) }} …
WML = SimpleNamespace(spacing=spacing, size=size, title=title_properties, lines=lines, separator=separator,
                      annex_item=annex_item, not_kept=not_kept, section=section, table=table_properties, grid=grid,
                      row=row_properties, after_table=after_table)
_TITLE_BREAK = Markup('</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">')
# a heading's paragraph style and the character style of its label and text, by level
HEADING_STYLES = {1: ("GongwenHeading1", "HeiChar"), 2: ("GongwenHeading2", "KaiChar"),
                  3: ("GongwenHeading3", "DefaultParagraphFont"), 4: ("GongwenHeading4", "DefaultParagraphFont")}


def _table_markup() -> str:
    """A table or form ``b``: rows and cells from docxtpl loops; a cell's properties (width, span,
    alignment: ``pr``, ``ppr``) are shared by the cells of its column, its text is data and may end with a
    foot (flush right at the cell's bottom). The table's, its rows' and its cells' properties are the
    renderer's (tblPr, tblGrid, trPr, tcPr tags in the cell's text)."""
    table_tags = "".join(f"{{{{{kind} {x} }}}}" for kind, x in (
        ("tblPr", "wml.table(b)"), ("tblGrid", "wml.grid(b)"), ("trPr", "wml.row(row)"), ("tcPr", "pr"), ("pPr", "ppr")))
    cell = ('<w:tc><w:p><w:r><w:t xml:space="preserve">' + table_tags + '</w:t></w:r>'
            '<w:r><w:t xml:space="preserve">{{ text }}</w:t></w:r></w:p>'
            + _tag("if foot")
            + '<w:p>' + _props("foot_ppr") + '<w:r><w:t xml:space="preserve">{{ foot }}</w:t></w:r></w:p>'
            + _tag("endif") + "</w:tc>")
    return "".join([
        "<w:tbl><w:tblPr/><w:tblGrid/>",
        _row_tag("for row in b.rows"),
        "<w:tr>", _cell_tag("for pr, ppr, text, foot, foot_ppr in row.cells"), cell, _cell_tag("endfor"), "</w:tr>",
        _row_tag("endfor"),
        "</w:tbl>",
        "<w:p>" + _props("wml.after_table(b)") + "</w:p>",
    ])


def _heading(level: int) -> str:
    style, face = HEADING_STYLES[level]
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_props("b.ppr", "b.sect")}'
            f'<w:r><w:rPr><w:rStyle w:val="{face}"/></w:rPr><w:t xml:space="preserve">{{{{ b.label }}}}{{{{ b.text }}}}</w:t></w:r>'
            '<w:r><w:t xml:space="preserve">{{ b.run_in }}</w:t></w:r></w:p>')


def blocks_macro() -> str:
    """{% macro blocks(items) %}: body and attachment blocks, one markup for the 公文 and the attachment pages."""
    return "".join([
        _tag("macro blocks(items)"),
        _tag("for b in items"),
        _tag("if b.kind == 'table'"), _table_markup(),
        _tag("elif b.kind == 'p'"), _p("GongwenBody", "{{ b.text }}", props=("b.ppr", "b.sect")),
        *(_tag(f"elif b.kind == 'h' and b.level == {level}") + _heading(level) for level in HEADING_STYLES),
        _tag("elif b.kind == 'caption'"), _p("Caption", "{{ b.text }}", props=("b.ppr", "b.sect")),
        _tag("else"), '<w:p><w:r><w:t>{{p b.xml }}</w:t></w:r></w:p>',
        _tag("endif"),
        _tag("endfor"),
        _tag("endmacro"),
    ])


def _title_paragraph(name: str) -> str:
    """A title as one paragraph: the lines `break_title` gives (the PDF's, at word boundaries) joined by
    explicit line breaks, in indents a little wider than the 版心 so that no line wraps again where the
    layout engine sets it a little wider than docgen measures (LibreOffice's space between digits and
    Chinese); centred, so the lines stay centred on the 版心."""
    return (f'<w:p><w:pPr><w:pStyle w:val="GongwenTitle"/></w:pPr>{_props(f"wml.title({name})")}'
            f'<w:r><w:t xml:space="preserve">{{{{ wml.lines({name}.lines) }}}}</w:t></w:r></w:p>')


def attachments_markup() -> str:
    """Attachment pages: each starts a new page (a new section when its page setup differs from what
    precedes it: §8's landscape pages), 附件N on line 1, its title on line 3, then its blocks."""
    return "".join([
        _tag("for a in attachments"),
        _tag("if a.section_before"),
        f'<w:p>{_props("wml.section(a.section_before)")}</w:p>',
        _tag("endif"),
        _p("AnnexLabel", "{{ a.label }}", props=("a.page_break",)),
        _title_paragraph("a.title"),
        '<w:p><w:r><w:t>{{p blocks(a.blocks) }}</w:t></w:r></w:p>',
        _tag("endfor"),
    ])


def _document(body: str) -> str:
    """The body, then the paragraph whose {{sectPr}} tag gives the last section the renderer's properties
    (the template's own, A4 with its page numbers, are what staff see while editing it)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}'
            f'<w:p>{_props("section_last", kind="sectPr")}</w:p><w:sectPr>{section_xml()}</w:sectPr></w:body></w:document>')


def document_xml() -> str:
    return _document("".join([
        blocks_macro(),
        # 版头: 份号, 密级, 紧急程度 on lines 1–3 when given
        _tag("for mark_line in header_lines"), _p("HeaderLine", "{{ mark_line }}"), _tag("endfor"),
        # 发文机关标志: red, centred, its top 72 mm from the page top
        _p("OrganMark", props=("wml.spacing(before=mark.before, after=0, line=mark.line)",),
           runs='<w:r><w:t xml:space="preserve">{{rPr wml.size(mark.size) }}{{ mark.text }}</w:t></w:r>'),
        # 发文字号 two lines below, with the red separator 4 mm under it; 上行文: 签发人 on the right
        _tag("for signer_line in signer_lines_above"),
        _p("DocNumberUp", props=("wml.spacing(before=signer_line.before)",),
           runs='<w:r><w:tab/><w:tab/><w:t xml:space="preserve">{{ signer_line.label }}</w:t></w:r>'
           '<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{ signer_line.names }}</w:t></w:r>'),
        _tag("endfor"),
        _tag("if number.signers"),
        _p("DocNumberUp", props=("wml.separator()", "wml.spacing(before=number.before)"),
           runs='<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{{ number.text }}</w:t></w:r>'
           '<w:r><w:tab/><w:t xml:space="preserve">{{ number.signer_label }}</w:t></w:r>'
           '<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{ number.signers }}</w:t></w:r>'),
        _tag("else"),
        _p("DocNumber", "{{ number.text }}", props=("wml.separator(number)", "wml.spacing(before=number.before)", "number.ppr")),
        _tag("endif"),
        # title: two blank lines below the separator
        _title_paragraph("title"),
        _tag("if addressees"),
        _p("Addressee", "{{ addressees }}", ppr=f'<w:spacing w:before="{LINE_PITCH}"/>'),
        _tag("endif"),
        # body blocks
        '<w:p><w:r><w:t>{{p blocks(body) }}</w:t></w:r></w:p>',
        # 附件说明
        _tag("for item in annex_list"),
        _p("AnnexList", "{{ item.text }}", props=("wml.annex_item(item)",)),
        _tag("endfor"),
        # 署名 and 成文日期: the 署名 keeps with the date, and the paragraph before it (the body's last, or the
        # 附件说明's last item) with the 署名, so the signature is never alone on a page (§7.3.5.5)
        _p("Signature", "{{ signature.organ }}", props=("wml.spacing(before=signature.before)", "signature.organ_ppr")),
        _p("Signature", "{{ signature.date }}", props=("wml.not_kept()", "signature.date_ppr", "signature.sect")),
        _tag("if note"), _p("Note", "{{ note }}", props=("note_sect",)), _tag("endif"),
        # attachments, each on a new page: 附件N on line 1, title on line 3
        attachments_markup(),
        # 版记: the flow's last paragraph ends its section (sect); the 版记's section starts the next page, an
        # even one (docgen's pagination decides: after an even last page a blank page comes first, and then
        # neither page is numbered, §7.5), anchored to the foot of the type area
        _tag("if colophon"),
        _tag("if colophon_blank_page"), f'<w:p><w:pPr>{_TINY}</w:pPr></w:p>', _tag("endif"),
        '<w:p><w:r><w:t>{{p colophon }}</w:t></w:r></w:p>',
        _tag("endif"),
    ]))


def attachments_document_xml() -> str:
    """Attachment pages alone: what districts print and fill in and what the city files."""
    return _document(blocks_macro() + attachments_markup())


def section_xml(start: str = "", numbered: bool = True, landscape: bool = False, colophon: bool = False,
                first_unnumbered: bool = False) -> str:
    """A section of the 公文: A4, GB/T 9704 margins, 22 × 28 grid, odd/even page-number footers (or, for a
    blank page before the 版记 and the 版记's page after it, footers without numbers). ``colophon``: the 版记's
    page, whose bottom margin leaves COLOPHON_ROOM below the 版心 for what the layout engine puts under the
    版记's last rule (its half width, the paragraph that must follow a table), so the rule lies on the 版心's
    bottom edge; the page number stays where it is on every page. A landscape
    section (§8) turns the sheet: the same 225 × 156 mm 版心, its top (the table's head) at the portrait
    page's binding edge, footers whose numbers are turned to stand where the portrait pages have them.
    ``first_unnumbered``: the section's first page has a footer without a number (a 信函's page 1, §10.1)."""
    kind = f'<w:type w:val="{start}"/>' if start else ""
    if landscape:
        a = gbt9704.LANDSCAPE
        return ('<w:footerReference w:type="default" r:id="rIdFooterTurnedOdd"/>'
                f'<w:footerReference w:type="even" r:id="rIdFooterTurnedEven"/>{kind}'
                f'<w:pgSz w:w="{tw(gbt9704.PAGE_HEIGHT)}" w:h="{tw(gbt9704.PAGE_WIDTH)}" w:orient="landscape"/>'
                f'<w:pgMar w:top="{tw(a.top)}" w:right="{tw(gbt9704.PAGE_HEIGHT) - tw(a.left) - tw(a.width)}" '
                f'w:bottom="{tw(gbt9704.PAGE_WIDTH) - tw(a.top) - tw(a.height)}" '
                f'w:left="{tw(a.left)}" w:header="851" w:footer="{LANDSCAPE_FOOTER_DISTANCE}" w:gutter="0"/>'
                f'<w:cols w:space="425"/><w:docGrid w:linePitch="{LINE_PITCH}"/>')
    odd, even = ("rIdFooterOdd", "rIdFooterEven") if numbered else ("rIdFooterBlank", "rIdFooterBlank")
    first = '<w:footerReference w:type="first" r:id="rIdFooterBlank"/>' if first_unnumbered else ""
    return (f'<w:footerReference w:type="default" r:id="{odd}"/><w:footerReference w:type="even" r:id="{even}"/>{first}{kind}'
            f'<w:pgSz w:w="{tw(gbt9704.PAGE_WIDTH)}" w:h="{tw(gbt9704.PAGE_HEIGHT)}"/>'
            f'<w:pgMar w:top="{tw(gbt9704.MARGIN_TOP)}" w:right="{tw(gbt9704.MARGIN_RIGHT)}" '
            f'w:bottom="{tw(gbt9704.MARGIN_BOTTOM - (COLOPHON_ROOM if colophon else 0))}" '
            f'w:left="{tw(gbt9704.MARGIN_LEFT)}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            # the 版记's page has no text grid: LibreOffice fits a gridded page's flow into its 22 lines' height
            + '<w:cols w:space="425"/>' + ("<w:titlePg/>" if first_unnumbered else "")
            + (f'<w:docGrid w:linePitch="{LINE_PITCH}"/>' if colophon else
               f'<w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'))


_FOOTERS = {  # relationship id → part
    "rIdFooterOdd": "footer1.xml", "rIdFooterEven": "footer2.xml", "rIdFooterBlank": "footer3.xml",
    "rIdFooterTurnedOdd": "footer4.xml", "rIdFooterTurnedEven": "footer5.xml",
}
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Default Extension="png" ContentType="image/png"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                  '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
                  + "".join(f'<Override PartName="/word/{name}" ContentType="{_FOOTER_TYPE}"/>' for name in _FOOTERS.values())
                  + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                  '</Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
              '</Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
             + "".join(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" '
                       f'Target="{name}"/>' for rid, name in _FOOTERS.items())
             + '</Relationships>')
_SETTINGS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W}>'
             '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>'
             '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/>'
             '<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>'
             '<w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/></w:compat></w:settings>')


def _core(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
            '<dc:creator>docgen</dc:creator></cp:coreProperties>')


def _parts(document: str, title: str) -> dict[str, str]:
    """The parts every template shares (styles, settings, footers), around its own body."""
    return {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _core(title),
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document,
        "word/styles.xml": styles_xml(),
        "word/settings.xml": _SETTINGS,
        **footer_parts(),
    }


@lru_cache(maxsize=1)
def footer_parts() -> dict[str, str]:
    """The page-number footers (see _FOOTERS)."""
    return {
        "word/footer1.xml": _footer("right", f'w:right="{ONE_CHAR}"'),
        "word/footer2.xml": _footer("left", f'w:left="{ONE_CHAR}"'),
        "word/footer3.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}><w:p><w:pPr><w:pStyle w:val="PageNumber"/></w:pPr></w:p></w:ftr>',
        "word/footer4.xml": _turned_footer(odd=True),
        "word/footer5.xml": _turned_footer(odd=False),
    }


def template_parts() -> dict[str, str]:
    return _parts(document_xml(), "公文模板（GB/T 9704-2012）")


def attachments_template_parts() -> dict[str, str]:
    return _parts(attachments_document_xml(), "附件模板（GB/T 9704-2012）")


def _write(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)  # fixed: the same bytes every build
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml)
    return path


def build_template(path: Path = TEMPLATE) -> Path:
    return _write(path, template_parts())


def build_attachments_template(path: Path = ATTACHMENTS_TEMPLATE) -> Path:
    return _write(path, attachments_template_parts())


if __name__ == "__main__":
    print(build_template())
    print(build_attachments_template())
