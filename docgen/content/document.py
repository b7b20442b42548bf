"""The layout-free content of a 公文 (official document): what every renderer lays out.

Records of any kind (a notice, a 批复, a 通报) are turned into this one model; the DOCX and PDF
renderers know nothing about where the content came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.records.plaque import Plaque


@dataclass(frozen=True)
class Paragraph:
    """Body text (indented 2 字); ``align="right"`` sets a line flush right instead (e.g. 填报时间 on a form)."""

    text: str
    align: str = ""


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``label`` is the generated number (一、 （一） 1. （1）).

    ``run_in`` is body text that continues in the same paragraph after the heading, as in
    "（一）建立完善……队伍。各县（市）区……" where only the heading sentence takes the heading face.
    """

    level: int
    label: str
    text: str
    run_in: str = ""


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths; None = equal
    title: str = ""


@dataclass(frozen=True)
class Cell:
    """One cell of a form: a printed ``label`` (centred) or a filled-in value, spanning ``span`` grid
    columns; ``foot`` is a line set flush right at the cell's foot (the （公章） 年 月 日 of an opinion box)."""

    text: str = ""
    span: int = 1
    label: bool = False
    foot: str = ""


@dataclass(frozen=True)
class FormRow:
    cells: tuple[Cell, ...]
    lines: int = 1  # the row's least height, in table lines (an opinion box is taller)


@dataclass(frozen=True)
class FormTable:
    """A form on a grid of columns, as the seed prints 附件1: label and value cells, some spanning columns."""

    widths: tuple[float, ...]  # relative widths of the grid's columns
    rows: tuple[FormRow, ...]


@dataclass(frozen=True)
class Figure:
    """A framed drawing of centred text lines (e.g. a plaque layout in annex 7)."""

    caption: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PlaqueFigure:
    """A station plaque's real art (annex 7), drawn from a plaque record (docgen.records.plaque.Plaque)."""

    caption: str
    plaque: Plaque


Block = Paragraph | Heading | Table | FormTable | Figure | PlaqueFigure


@dataclass(frozen=True)
class AttachedFile:
    """An attachment that is a file of its own (a workbook, a form, a scan): carried beside the 公文 as it is."""

    suffix: str  # its type: xlsx, docx, pdf, png, jpg or csv
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Attachment:
    """附件: listed in the 附件说明 and, when it has blocks, printed on pages of its own; when it is a file,
    carried beside the 公文."""

    number: int
    title: str
    blocks: tuple[Block, ...] = ()
    file: AttachedFile | None = None


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期; ``sealed`` selects the stamped-ready layout with a reserved seal area (one per organ).

    A joint document (联合行文) lists every signing organ in ``organs``, the 主办机关 first; ``organ`` is
    then the 主办机关."""

    organ: str
    date: str
    sealed: bool = False
    organs: tuple[str, ...] = ()
    signer_title: str = ""  # 命令（令）: the 签发人's 职务, printed left of the signature stamp (签名章)
    signer_name: str = ""  # 命令（令）: whose signature stamp goes in the reserved stamp area

    @property
    def names(self) -> tuple[str, ...]:
        """The 署名 in order: the joint organs, or the one organ."""
        return self.organs or (self.organ,)


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送 list, 印发机关 and 印发日期, printed at the foot of the last (even) page."""

    printer: str
    print_date: str
    cc: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """版头: 份号, 密级和保密期限, 紧急程度, 发文机关标志, 发文字号 and (上行文) 签发人."""

    mark: str  # the whole mark; of a joint mark, the word set to the right of the names (文件)
    doc_number: str
    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    signers: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()  # a joint mark (联合行文, §7.2.3): the organs' names stacked, the 主办机关 first
    format: str = "文件"  # GB/T 9704 §10: 文件, or 信函, 命令 (doc_number the 令号), 纪要 (doc_number the 期号)
    letter_footer: str = ""  # 信函: a line just above page 1's second double line (address, telephone)

    @property
    def upward(self) -> bool:
        """上行文 (to a superior organ): carries 签发人."""
        return bool(self.signers)


@dataclass(frozen=True)
class Attendance:
    """A 纪要's list of 出席 (present), 请假 (excused) or 列席 (sitting in): its label and units and names."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class OfficialDocument:
    name: str  # file stem for the artifacts
    header: Header
    title: str
    addressees: str
    body: tuple[Block, ...]
    signature: Signature
    attachments: tuple[Attachment, ...] = ()
    note: tuple[str, ...] = ()  # 附注, one string a line (联系人, 电话, 电子邮箱 …), printed in full-width brackets
    colophon: Colophon | None = None
    title_lines: tuple[str, ...] = field(default=())  # explicit title breaks, when the author gave them
    names: tuple[str, ...] = ()  # the record's station and organ names: a title is not broken inside them
    attendance: tuple[Attendance, ...] = ()  # 纪要: printed after the body

    def text_runs(self) -> list[str]:
        """Every string that will be printed, for font coverage checks."""
        h = self.header
        runs = [*h.joint, h.mark, h.doc_number, h.copy_number, h.secrecy, h.urgency, *h.signers, self.title,
                self.addressees, *self.signature.names, self.signature.date, *self.note]
        for block in self.body + tuple(b for a in self.attachments for b in a.blocks):
            runs += _block_text(block)
        runs += [a.title for a in self.attachments]
        runs += [h.letter_footer, self.signature.signer_title, *(t for a in self.attendance for t in (a.label + "：", *a.names))]
        if self.colophon:
            runs += [self.colophon.printer, self.colophon.print_date, *self.colophon.cc]
        return [r for r in runs if r]


def _block_text(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Heading):
        return [block.label, block.text, block.run_in]
    if isinstance(block, Table):
        return [block.title, *block.columns, *(c for row in block.rows for c in row)]
    if isinstance(block, FormTable):
        return [t for row in block.rows for cell in row.cells for t in (cell.text, cell.foot)]
    if isinstance(block, PlaqueFigure):
        return [block.caption]
    return [block.caption, *block.lines]
