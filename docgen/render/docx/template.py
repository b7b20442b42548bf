"""Builds templates/official.docx, the docxtpl template of a 公文 (run `python -m docgen.render.docx.template`).

The template is an ordinary Word document staff can open and restyle: its styles carry the official face
names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) as East-Asian fonts, with no theme fonts; its
section is A4 with the GB/T 9704 margins and a 22 × 28 document grid; odd and even footers carry the
`— PAGE —` numbers. Its body is Jinja (docxtpl) over the content the renderer passes in.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docgen import gbt9704 as g
from docgen.fonts.roles import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG
from docgen.render.docx.units import CHAR_SPACE, GRID_CONDENSE, LINE_PITCH, ONE_CHAR, eighth_points, half_points, tw

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "official.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
RED = g.RED_HEX.lstrip("#")
# no hanging punctuation (it would cross the type area) and no automatic space around digits and Latin
NO_AUTOSPACE = '<w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
# the border's distance (pt) below the 发文字号's line box, giving the 4 mm to the glyphs (via LibreOffice)
SEPARATOR_SPACE = round(g.pt(g.SEPARATOR_BELOW_DOC_NUMBER)) - 5
FOOTER_DISTANCE = tw(24.5)  # puts the page number's 一字线 7 mm below the type area (checked via LibreOffice)


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
    body = _fonts(FANGSONG.official) + f'<w:sz w:val="{half_points(g.SIZE_SAN)}"/><w:szCs w:val="{half_points(g.SIZE_SAN)}"/>'
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
        _style("DocNumberUp", "发文字号（上行文）", ppr=f'<w:tabs><w:tab w:val="right" w:pos="{tw(g.TYPE_WIDTH) - ONE_CHAR}"/></w:tabs>'
               f'<w:ind w:left="{ONE_CHAR}"/>'),
        _style("GongwenTitle", "公文标题", ppr='<w:jc w:val="center"/>' + _exact(g.pt(g.TITLE_PITCH_MM)),
               rpr=_fonts(XIAOBIAOSONG.official) + f'<w:sz w:val="{half_points(g.SIZE_ER)}"/><w:szCs w:val="{half_points(g.SIZE_ER)}"/>'),
        _style("Addressee", "主送机关", ppr='<w:ind w:firstLine="0"/>'),
        _style("AnnexList", "附件说明", based="GongwenBody", ppr="<w:keepNext/>"),
        _style("Signature", "署名和成文日期", ppr='<w:keepNext/><w:jc w:val="right"/>'),
        _style("Note", "附注", based="GongwenBody"),
        _style("AnnexLabel", "附件标识", ppr='<w:pageBreakBefore/><w:jc w:val="left"/>', rpr=_fonts(HEITI.official)),
        _style("TableText", "表格文字", ppr='<w:jc w:val="center"/>' + _exact(g.pt(g.TABLE_LINE_PITCH_MM)),
               rpr=f'<w:sz w:val="{half_points(g.TABLE_TEXT_SIZE)}"/><w:szCs w:val="{half_points(g.TABLE_TEXT_SIZE)}"/>'),
        _style("TableHead", "表头文字", based="TableText", rpr=_fonts(HEITI.official)),
        _style("Caption", "图表题", ppr='<w:keepNext/><w:jc w:val="center"/>'),
        _style("Colophon", "版记", ppr=_exact(g.pt(g.LINE_PITCH_MM)) + f'<w:ind w:left="{ONE_CHAR}" w:right="{ONE_CHAR}"/>',
               rpr=f'<w:sz w:val="{half_points(g.SIZE_SI)}"/><w:szCs w:val="{half_points(g.SIZE_SI)}"/>'),
        _style("PageNumber", "页码", ppr=_exact(g.SIZE_SI * 1.2),
               rpr=_fonts(SONGTI.official) + f'<w:sz w:val="{half_points(g.SIZE_SI)}"/><w:szCs w:val="{half_points(g.SIZE_SI)}"/>'),
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


def _footer(align: str, indent: str) -> str:
    field = ('<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
             '<w:r><w:t xml:space="preserve"> —</w:t></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}><w:p><w:pPr><w:pStyle w:val="PageNumber"/>'
            f'<w:jc w:val="{align}"/><w:ind {indent}/></w:pPr>{field}</w:p></w:ftr>')


def _p(style: str, text: str = "", *, ppr: str = "", rpr: str = "") -> str:
    run = f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{run}</w:p>'


def _tag(tag: str) -> str:
    """A docxtpl paragraph-level tag ({%p … %}): the paragraph holding it disappears."""
    return f'<w:p><w:r><w:t xml:space="preserve">{{%p {tag} %}}</w:t></w:r></w:p>'


def _spacing_before(variable: str) -> str:
    return f'<w:spacing w:before="{{{{ {variable} }}}}"/>'


def document_xml() -> str:
    body = "".join([
        # 版头: 份号, 密级, 紧急程度 on lines 1–3 when given
        _tag("for mark_line in header_lines"), _p("HeaderLine", "{{ mark_line }}"), _tag("endfor"),
        # 发文机关标志: red, centred, its top 72 mm from the page top
        f'<w:p><w:pPr><w:pStyle w:val="OrganMark"/><w:spacing w:before="{{{{ mark.before }}}}" w:after="0" '
        f'w:line="{{{{ mark.line }}}}" w:lineRule="exact"/></w:pPr><w:r><w:rPr><w:sz w:val="{{{{ mark.size }}}}"/>'
        f'<w:szCs w:val="{{{{ mark.size }}}}"/></w:rPr><w:t>{{{{ mark.text }}}}</w:t></w:r></w:p>',
        # 发文字号 two lines below, with the red separator 4 mm under it; 上行文: 签发人 on the right
        _tag("for signer_line in signer_lines_above"),
        f'<w:p><w:pPr><w:pStyle w:val="DocNumberUp"/></w:pPr><w:r><w:tab/><w:t xml:space="preserve">{{{{ signer_line.label }}}}</w:t></w:r>'
        f'<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{{{ signer_line.names }}}}</w:t></w:r></w:p>',
        _tag("endfor"),
        f'<w:p><w:pPr><w:pStyle w:val="{{{{ number.style }}}}"/><w:spacing w:before="{{{{ number.before }}}}"/>'
        f'<w:pBdr><w:bottom w:val="single" w:sz="{eighth_points(g.SEPARATOR_THICKNESS)}" w:space="{SEPARATOR_SPACE}" w:color="{RED}"/></w:pBdr>'
        '</w:pPr><w:r><w:t xml:space="preserve">{{ number.text }}</w:t></w:r>'
        '{% if number.signers %}<w:r><w:tab/><w:t xml:space="preserve">{{ number.signer_label }}</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="KaiChar"/></w:rPr><w:t xml:space="preserve">{{ number.signers }}</w:t></w:r>{% endif %}</w:p>',
        # title: two blank lines below the separator
        _tag("for title_line in title_lines"),
        f'<w:p><w:pPr><w:pStyle w:val="GongwenTitle"/><w:spacing w:before="{{{{ title_line.before }}}}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ title_line.text }}</w:t></w:r></w:p>',
        _tag("endfor"),
        _tag("if addressees"),
        _p("Addressee", "{{ addressees }}", ppr=f'<w:spacing w:before="{LINE_PITCH}"/>'),
        _tag("endif"),
        # body blocks
        _tag("for b in body"),
        _tag("if b.kind == 'p'"), _p("GongwenBody", "{{ b.text }}", ppr="{{ b.keep }}"),
        _tag("elif b.kind == 'h'"),
        '<w:p><w:pPr><w:pStyle w:val="GongwenHeading{{ b.level }}"/>{{ b.keep }}</w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="{{ b.face }}"/></w:rPr><w:t xml:space="preserve">{{ b.label }}{{ b.text }}</w:t></w:r>'
        '<w:r><w:t xml:space="preserve">{{ b.run_in }}</w:t></w:r></w:p>',
        _tag("elif b.kind == 'caption'"), _p("Caption", "{{ b.text }}"),
        _tag("else"), '<w:p><w:r><w:t>{{p b.xml }}</w:t></w:r></w:p>',
        _tag("endif"),
        _tag("endfor"),
        # 附件说明
        _tag("for item in annex_list"),
        f'<w:p><w:pPr><w:pStyle w:val="AnnexList"/><w:spacing w:before="{{{{ item.before }}}}"/>'
        '<w:ind w:left="{{ item.left }}" w:hanging="{{ item.hanging }}" w:firstLineChars="0"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ item.text }}</w:t></w:r></w:p>',
        _tag("endfor"),
        # 署名 and 成文日期 (kept with the body above by keep-with-next)
        f'<w:p><w:pPr><w:pStyle w:val="Signature"/><w:spacing w:before="{{{{ signature.before }}}}"/>'
        '<w:ind w:right="{{ signature.organ_right }}"/></w:pPr><w:r><w:t xml:space="preserve">{{ signature.organ }}</w:t></w:r></w:p>',
        '<w:p><w:pPr><w:pStyle w:val="Signature"/><w:keepNext w:val="0"/><w:ind w:right="{{ signature.date_right }}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ signature.date }}</w:t></w:r></w:p>',
        _tag("if note"), _p("Note", "{{ note }}"), _tag("endif"),
        # attachments, each on a new page: 附件N on line 1, title on line 3
        _tag("for a in attachments"),
        _p("AnnexLabel", "{{ a.label }}"),
        _tag("for title_line in a.title_lines"),
        f'<w:p><w:pPr><w:pStyle w:val="GongwenTitle"/><w:spacing w:before="{{{{ title_line.before }}}}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ title_line.text }}</w:t></w:r></w:p>',
        _tag("endfor"),
        _tag("for b in a.blocks"),
        _tag("if b.kind == 'p'"), _p("GongwenBody", "{{ b.text }}", ppr=f'<w:spacing w:before="{{{{ b.before }}}}"/>'),
        _tag("elif b.kind == 'h'"),
        '<w:p><w:pPr><w:pStyle w:val="GongwenHeading{{ b.level }}"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="{{ b.face }}"/></w:rPr><w:t xml:space="preserve">{{ b.label }}{{ b.text }}</w:t></w:r>'
        '<w:r><w:t xml:space="preserve">{{ b.run_in }}</w:t></w:r></w:p>',
        _tag("elif b.kind == 'caption'"), _p("Caption", "{{ b.text }}", ppr=f'<w:spacing w:before="{{{{ b.before }}}}"/>'),
        _tag("else"), '<w:p><w:r><w:t>{{p b.xml }}</w:t></w:r></w:p>',
        _tag("endif"),
        _tag("endfor"),
        _tag("endfor"),
        # 版记: in a last section that starts on an even page, anchored to the foot of the type area
        _tag("if colophon"),
        '<w:p><w:pPr><w:sectPr>{{ section_main }}</w:sectPr></w:pPr></w:p>',
        '<w:p><w:r><w:t>{{p colophon }}</w:t></w:r></w:p>',
        _tag("endif"),
    ])
    sect = ('<w:sectPr>{{ section_last }}</w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}{sect}</w:body></w:document>')


def section_xml(start: str = "", numbered: bool = True) -> str:
    """A section of the 公文: A4, GB/T 9704 margins, 22 × 28 grid, odd/even page-number footers (or, for the
    版记's own page, which follows a blank page more often than not, footers without numbers)."""
    kind = f'<w:type w:val="{start}"/>' if start else ""
    odd, even = ("rIdFooterOdd", "rIdFooterEven") if numbered else ("rIdFooterBlank", "rIdFooterBlank")
    return (f'<w:footerReference w:type="default" r:id="{odd}"/><w:footerReference w:type="even" r:id="{even}"/>{kind}'
            f'<w:pgSz w:w="{tw(g.PAGE_WIDTH)}" w:h="{tw(g.PAGE_HEIGHT)}"/>'
            f'<w:pgMar w:top="{tw(g.MARGIN_TOP)}" w:right="{tw(g.MARGIN_RIGHT)}" w:bottom="{tw(g.MARGIN_BOTTOM)}" '
            f'w:left="{tw(g.MARGIN_LEFT)}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
            f'<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>')


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Default Extension="png" ContentType="image/png"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                  '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
                  '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                  '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                  '<Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
                  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
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
             '<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
             '<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
             '<Relationship Id="rIdFooterBlank" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer3.xml"/>'
             '</Relationships>')
_SETTINGS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W}>'
             '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>'
             '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/>'
             '<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>'
             '<w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/></w:compat></w:settings>')
_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>公文模板（GB/T 9704-2012）</dc:title>'
         '<dc:creator>docgen</dc:creator></cp:coreProperties>')


def template_parts() -> dict[str, str]:
    return {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _CORE,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document_xml(),
        "word/styles.xml": styles_xml(),
        "word/settings.xml": _SETTINGS,
        "word/footer1.xml": _footer("right", f'w:right="{ONE_CHAR}"'),
        "word/footer2.xml": _footer("left", f'w:left="{ONE_CHAR}"'),
        "word/footer3.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}><w:p><w:pPr><w:pStyle w:val="PageNumber"/></w:pPr></w:p></w:ftr>',
    }


def build_template(path: Path = TEMPLATE) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in template_parts().items():
            info = zipfile.ZipInfo(name, date_time=(2021, 8, 3, 0, 0, 0))  # fixed: the same bytes every build
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml)
    return path


if __name__ == "__main__":
    print(build_template())
