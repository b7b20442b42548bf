"""Builds the docxtpl templates from code (run `python -m docgen.docx.template`):
templates/official.docx (a 公文) and templates/attachments.docx (attachment pages alone, e.g. annex forms).

Both are ordinary Word documents staff can open and restyle, and share every part but the body: styles
carrying the official face names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) as East-Asian fonts,
with no theme fonts; sections that are A4 with the GB/T 9704 margins and a 22 × 28 document grid, or (§8, an
attachment holding a wide table) A4 turned with the same 225 × 156 mm type area; odd and even footers with
the `— PAGE —` numbers, which a landscape page carries turned, where the portrait sheet has them. Their
bodies are Jinja (docxtpl) over the content the renderer passes in; the blocks (paragraphs, headings,
tables and forms, whose rows come from `{%tr for %}` loops) are one macro both bodies call.

A bureau may supply its own copies (its mark, the fonts it licenses), edited in Word, in a folder that wins
per file name: ``docgen render --templates DIR`` or the environment variable DOCGEN_TEMPLATES. Only the
names in TEMPLATE_NAMES are looked up there, a file it lacks comes from docgen, and a bureau's template is
rendered in Jinja's sandbox. ``docgen templates check`` (docgen.docx.template_check) says what an edited
copy breaks before it is used.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
        except Exception as exc:  # zipfile, python-docx and lxml each have their own way of failing
            raise _bureau_error(source, f"单位模板无法读取为 DOCX（{type(exc).__name__}）") from None
    return tpl, source


def render_template(tpl: FastTemplate, source: TemplateSource, values: dict) -> None:
    """Fill ``tpl`` with ``values``: a bureau's template in Jinja's sandbox, its errors told in Chinese."""
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
            '<w:jc w:val="both"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
            '</w:pPr></w:pPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{NO_AUTOSPACE}</w:pPr><w:rPr><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
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


def _p(style: str, text: str = "", *, ppr: str = "", rpr: str = "") -> str:
    run = f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{run}</w:p>'


def _tag(tag: str) -> str:
    """A docxtpl paragraph-level tag ({%p … %}): the paragraph holding it disappears."""
    return f'<w:p><w:r><w:t xml:space="preserve">{{%p {tag} %}}</w:t></w:r></w:p>'


def _row_tag(tag: str) -> str:
    """A docxtpl row-level tag ({%tr … %}): the table row holding it disappears."""
    return f'<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">{{%tr {tag} %}}</w:t></w:r></w:p></w:tc></w:tr>'


def _cell_tag(tag: str) -> str:
    """A docxtpl cell-level tag ({%tc … %}): the cell holding it disappears."""
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{{%tc {tag} %}}</w:t></w:r></w:p></w:tc>'


def _table_markup() -> str:
    """A table or form ``b``: fixed column widths (twips) in its type area, ruled, rows that do not split,
    header rows repeated on every page; each cell spans its grid columns and may end with a foot (flush
    right at the cell's bottom). Rows and cells come from docxtpl loops; a cell's properties (width, span,
    alignment: ``pr``, ``ppr``) are shared by the cells of its column, its text is data."""
    line = f'w:val="single" w:sz="{eighth_points(gbt9704.TABLE_RULE)}" w:space="0" w:color="000000"'
    borders = "".join(f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{{{{ b.{pad} }}}}" w:type="dxa"/>'
                      for side, pad in (("top", "vpad"), ("left", "pad"), ("bottom", "vpad"), ("right", "pad")))
    # pr and ppr are Markup the renderer builds (escaping would return them unchanged): they are written as
    # they are, which spares thousands of escape calls on a long table; text and foot are escaped
    cell = ('<w:tc><w:tcPr>{% autoescape false %}{{ pr }}</w:tcPr><w:p><w:pPr>{{ ppr }}{% endautoescape %}</w:pPr>'
            '<w:r><w:t xml:space="preserve">{{ text }}</w:t></w:r></w:p>'
            + _tag("if foot")
            + '<w:p><w:pPr>{{ foot_ppr }}</w:pPr><w:r><w:t xml:space="preserve">{{ foot }}</w:t></w:r></w:p>'
            + _tag("endif") + "</w:tc>")
    return "".join([
        f'<w:tbl><w:tblPr><w:tblW w:w="{{{{ b.width }}}}" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>'
        '<w:tblGrid>{% for w in b.grid %}<w:gridCol w:w="{{ w }}"/>{% endfor %}</w:tblGrid>',
        _row_tag("for row in b.rows"),
        '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{{ row.height }}" w:hRule="atLeast"/>'
        '<w:tblHeader w:val="{{ row.head }}"/></w:trPr>',
        _cell_tag("for pr, ppr, text, foot, foot_ppr in row.cells"), cell, _cell_tag("endfor"),
        "</w:tr>",
        _row_tag("endfor"),
        "</w:tbl>",
        # the half line under a table (and the paragraph Word and LibreOffice need after one)
        '<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{{ b.after }}" '
        'w:lineRule="exact"/>{{ b.sect }}</w:pPr></w:p>',
    ])


def blocks_macro() -> str:
    """{% macro blocks(items) %}: body and attachment blocks, one markup for the 公文 and the attachment pages."""
    heading = ('<w:p><w:pPr><w:pStyle w:val="GongwenHeading{{ b.level }}"/>{{ b.ppr }}{{ b.sect }}</w:pPr>'
               '<w:r><w:rPr><w:rStyle w:val="{{ b.face }}"/></w:rPr><w:t xml:space="preserve">{{ b.label }}{{ b.text }}</w:t></w:r>'
               '<w:r><w:t xml:space="preserve">{{ b.run_in }}</w:t></w:r></w:p>')
    return "".join([
        _tag("macro blocks(items)"),
        _tag("for b in items"),
        _tag("if b.kind == 'table'"), _table_markup(),
        _tag("elif b.kind == 'p'"), _p("GongwenBody", "{{ b.text }}", ppr="{{ b.ppr }}{{ b.sect }}"),
        _tag("elif b.kind == 'h'"), heading,
        _tag("elif b.kind == 'caption'"), _p("Caption", "{{ b.text }}", ppr="{{ b.ppr }}{{ b.sect }}"),
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
    return (f'<w:p><w:pPr><w:pStyle w:val="GongwenTitle"/><w:spacing w:before="{{{{ {name}.before }}}}" '
            f'w:after="{{{{ {name}.after }}}}"/><w:ind w:left="-{TITLE_SLACK}" w:right="-{TITLE_SLACK}"/></w:pPr>'
            f'{{% for line in {name}.lines %}}{{% if not loop.first %}}<w:r><w:br/></w:r>{{% endif %}}'
            '<w:r><w:t xml:space="preserve">{{ line }}</w:t></w:r>{% endfor %}</w:p>')


def attachments_markup() -> str:
    """Attachment pages: each starts a new page (a new section when its page setup differs from what
    precedes it: §8's landscape pages), 附件N on line 1, its title on line 3, then its blocks."""
    return "".join([
        _tag("for a in attachments"),
        _tag("if a.section_before"),
        f'<w:p><w:pPr>{_TINY}<w:sectPr>{{{{ a.section_before }}}}</w:sectPr></w:pPr></w:p>',
        _tag("endif"),
        _p("AnnexLabel", "{{ a.label }}", ppr="{{ a.page_break }}"),
        _title_paragraph("a.title"),
        '<w:p><w:r><w:t>{{p blocks(a.blocks) }}</w:t></w:r></w:p>',
        _tag("endfor"),
    ])


def _document(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}'
            '<w:sectPr>{{ section_last }}</w:sectPr></w:body></w:document>')


def document_xml() -> str:
    return _document("".join([
        blocks_macro(),
        # 版头: 份号, 密级, 紧急程度 on lines 1–3 when given
        _tag("for mark_line in header_lines"), _p("HeaderLine", "{{ mark_line }}"), _tag("endfor"),
        # 发文机关标志: red, centred, its top 72 mm from the page top
        f'<w:p><w:pPr><w:pStyle w:val="OrganMark"/><w:spacing w:before="{{{{ mark.before }}}}" w:after="0" '
        f'w:line="{{{{ mark.line }}}}" w:lineRule="exact"/></w:pPr><w:r><w:rPr><w:sz w:val="{{{{ mark.size }}}}"/>'
        f'<w:szCs w:val="{{{{ mark.size }}}}"/></w:rPr><w:t>{{{{ mark.text }}}}</w:t></w:r></w:p>',
        # 发文字号 two lines below, with the red separator 4 mm under it; 上行文: 签发人 on the right
        _tag("for signer_line in signer_lines_above"),
        f'<w:p><w:pPr><w:pStyle w:val="DocNumberUp"/><w:spacing w:before="{{{{ signer_line.before }}}}"/></w:pPr><w:r><w:tab/><w:tab/><w:t xml:space="preserve">{{{{ signer_line.label }}}}</w:t></w:r>'
        f'<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{{{ signer_line.names }}}}</w:t></w:r></w:p>',
        _tag("endfor"),
        f'<w:p><w:pPr><w:pStyle w:val="{{{{ number.style }}}}"/><w:spacing w:before="{{{{ number.before }}}}"/>'
        f'<w:pBdr><w:bottom w:val="single" w:sz="{eighth_points(gbt9704.SEPARATOR_THICKNESS)}" w:space="{SEPARATOR_SPACE}" w:color="{RED}"/></w:pBdr>'
        '</w:pPr>{% if number.signers %}<w:r><w:tab/></w:r>{% endif %}<w:r><w:t xml:space="preserve">{{ number.text }}</w:t></w:r>'
        '{% if number.signers %}<w:r><w:tab/><w:t xml:space="preserve">{{ number.signer_label }}</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{ number.signers }}</w:t></w:r>{% endif %}</w:p>',
        # title: two blank lines below the separator
        _title_paragraph("title"),
        _tag("if addressees"),
        _p("Addressee", "{{ addressees }}", ppr=f'<w:spacing w:before="{LINE_PITCH}"/>'),
        _tag("endif"),
        # body blocks
        '<w:p><w:r><w:t>{{p blocks(body) }}</w:t></w:r></w:p>',
        # 附件说明
        _tag("for item in annex_list"),
        f'<w:p><w:pPr><w:pStyle w:val="AnnexList"/>{{{{ item.keep }}}}<w:spacing w:before="{{{{ item.before }}}}"/>'
        '<w:ind w:left="{{ item.left }}" w:hanging="{{ item.hanging }}" w:firstLineChars="0"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ item.text }}</w:t></w:r></w:p>',
        _tag("endfor"),
        # 署名 and 成文日期: the 署名 keeps with the date, and the paragraph before it (the body's last, or the
        # 附件说明's last item) with the 署名, so the signature is never alone on a page (§7.3.5.5)
        f'<w:p><w:pPr><w:pStyle w:val="Signature"/><w:spacing w:before="{{{{ signature.before }}}}"/>'
        '{{ signature.organ_ppr }}</w:pPr><w:r><w:t xml:space="preserve">{{ signature.organ }}</w:t></w:r></w:p>',
        '<w:p><w:pPr><w:pStyle w:val="Signature"/><w:keepNext w:val="0"/>{{ signature.date_ppr }}{{ signature.sect }}</w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ signature.date }}</w:t></w:r></w:p>',
        _tag("if note"), _p("Note", "{{ note }}", ppr="{{ note_sect }}"), _tag("endif"),
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


def section_xml(start: str = "", numbered: bool = True, landscape: bool = False, colophon: bool = False) -> str:
    """A section of the 公文: A4, GB/T 9704 margins, 22 × 28 grid, odd/even page-number footers (or, for a
    blank page before the 版记 and the 版记's page after it, footers without numbers). ``colophon``: the 版记's
    page, whose bottom margin leaves COLOPHON_ROOM below the 版心 for what the layout engine puts under the
    版记's last rule (its half width, the paragraph that must follow a table), so the rule lies on the 版心's
    bottom edge; the page number stays where it is on every page. A landscape
    section (§8) turns the sheet: the same 225 × 156 mm 版心, its top (the table's head) at the portrait
    page's binding edge, footers whose numbers are turned to stand where the portrait pages have them."""
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
    return (f'<w:footerReference w:type="default" r:id="{odd}"/><w:footerReference w:type="even" r:id="{even}"/>{kind}'
            f'<w:pgSz w:w="{tw(gbt9704.PAGE_WIDTH)}" w:h="{tw(gbt9704.PAGE_HEIGHT)}"/>'
            f'<w:pgMar w:top="{tw(gbt9704.MARGIN_TOP)}" w:right="{tw(gbt9704.MARGIN_RIGHT)}" '
            f'w:bottom="{tw(gbt9704.MARGIN_BOTTOM - (COLOPHON_ROOM if colophon else 0))}" '
            f'w:left="{tw(gbt9704.MARGIN_LEFT)}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            # the 版记's page has no text grid: LibreOffice fits a gridded page's flow into its 22 lines' height
            + (f'<w:cols w:space="425"/><w:docGrid w:linePitch="{LINE_PITCH}"/>' if colophon else
               f'<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'))


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
