"""The special formats of GB/T 9704 §10 on a 公文 record: 信函, 命令（令） and 纪要 — their own fields and
the rules that tie a record's fields to its format (the ordinary 文件 format is the default)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from docgen.fonts.metrics import role_metrics
from docgen.records.base import Record
from docgen.records.fields import DateField

Text = Annotated[str, Field(min_length=1)]

FORMATS = ("文件", "信函", "命令", "纪要")
Format = Literal["文件", "信函", "命令", "纪要"]
ORDER_NUMBER = re.compile(r"^第[1-9]\d{0,5}号$")  # 令号: 第12号
ISSUE_NUMBER = re.compile(r"^(〔\d{4}〕)?第[1-9]\d{0,5}期$")  # 期号: 第3期, 〔2024〕第3期
SAN_PT, LETTER_LINE_MM = 16.0, 170.0  # 三号 (pt); a 信函's double lines, which its footer line may span (mm)
ORDER_HEADER_LINES = 2  # 命令: lines of the type area above its mark (20 mm down) for 份号, 密级, 紧急程度
MARK_WORDS = {"命令": ("命令", "令"), "纪要": ("纪要",)}  # what a 命令's or a 纪要's mark ends with


class OrderSigner(Record):
    """命令（令）: the 签发人 whose signature stamp (签名章) signs the order (§7.3.5.4), and the date."""

    title: Text = Field(title="签发人职务")
    name: Text = Field(title="签发人姓名")
    date: DateField = Field(title="成文日期")


class AttendanceSpec(Record):
    """纪要: the units and names of those present (出席), excused (请假) and sitting in (列席)."""

    present: list[Text] = Field(alias="出席", min_length=1, title="出席")
    excused: list[Text] = Field(default_factory=list, alias="请假", title="请假")
    attending: list[Text] = Field(default_factory=list, alias="列席", title="列席")

    def lists(self) -> list[tuple[str, list[str]]]:
        """(label, names) in print order, empty lists left out."""
        return [(label, names) for label, names in (("出席", self.present), ("请假", self.excused),
                                                    ("列席", self.attending)) if names]


_ONLY = {"letter_footer": ("信函首页底部一行", "信函"), "order_number": ("令号", "命令"), "signer": ("签发人（命令）", "命令"),
         "issue_number": ("期号", "纪要"), "attendance": ("出席、请假、列席", "纪要")}


def _width_mm(text: str) -> float:
    """The width of one line of 三号 仿宋 (its characters' advances, mm)."""
    return sum(role_metrics("fangsong").advance(c) for c in text) * SAN_PT * 25.4 / 72


def _problems(record: Record) -> list[str]:
    """What the record's fields break of its format's rules, each naming the field, the value and the rule."""
    fmt, out = record.format, []
    for name, (label, owner) in _ONLY.items():
        if getattr(record, name) and fmt != owner:
            out.append(f"{label}（{name}）只用于{owner}格式（format: {owner}），这里的格式是「{fmt}」：请删去它或改 format")
    if fmt != "文件":
        if record.issuer.joint:
            out.append(f"联合行文（issuer.organs）只用于文件格式，这里的格式是「{fmt}」")
        if record.signers:
            out.append(f"签发人（signers）只标注在上行文的文件格式版头，{fmt}格式不编排")
    mark = record.issuer.mark
    given = "mark" in record.issuer.model_fields_set
    if fmt == "信函" and given and mark.endswith("文件"):
        out.append(f"信函格式的发文机关标志（issuer.mark）「{mark}」不加「文件」：用发文机关全称或规范化简称")
    if fmt in MARK_WORDS and given and not mark.endswith(MARK_WORDS[fmt]):
        words = "或".join(f"「{w}」" for w in MARK_WORDS[fmt])
        out.append(f"{fmt}格式的标志（issuer.mark）「{mark}」应以{words}结尾")
    if fmt == "信函" and record.colophon and (record.colophon.printer or record.colophon.print_date):
        out.append("信函格式的版记不编排印发机关和印发日期：请删去 colophon.printer 和 colophon.print_date，只留抄送（cc）")
    if fmt != "信函" and record.colophon and not (record.colophon.printer and record.colophon.print_date):
        out.append("版记须写明印发机关（colophon.printer）和印发日期（colophon.print_date）")
    if record.letter_footer and _width_mm(record.letter_footer) > LETTER_LINE_MM + 0.01:
        out.append(f"信函首页底部一行（letter_footer）「{record.letter_footer}」宽 {_width_mm(record.letter_footer):.1f} mm，"
                   f"超出红色双线的长度 {LETTER_LINE_MM:g} mm（三号仿宋，一行约 30 字）：请删减")
    if fmt == "命令":
        if not record.order_number:
            out.append("命令（令）格式必须写明令号（order_number），如 第12号")
        elif not ORDER_NUMBER.match(record.order_number):
            out.append(f"令号（order_number）「{record.order_number}」格式应为 第N号（阿拉伯数字，不编虚位），如 第12号")
        if record.signer is None:
            out.append("命令（令）格式由签发人签名章落款：请写明 signer（title 职务、name 姓名、date 成文日期）")
        if record.signature is not None:
            out.append("命令（令）格式不署发文机关名称：请删去 signature，成文日期写在 signer.date")
        if record.title_lines:
            out.append("命令（令）格式不编排标题（令号下空二行即为正文），不必写 title_lines")
        given = [label for label, value in (("份号", record.copy_number), ("密级", record.secrecy),
                                            ("紧急程度", record.urgency)) if value]
        if len(given) > ORDER_HEADER_LINES:
            out.append(f"命令（令）格式的标志上边缘距版心上边缘 20 mm，其上只容 {ORDER_HEADER_LINES} 行："
                       f"份号、密级和保密期限、紧急程度最多写两项，这里写了{'、'.join(given)}")
    if fmt == "纪要":
        if not record.issue_number:
            out.append("纪要格式必须写明期号（issue_number），如 第3期")
        elif not ISSUE_NUMBER.match(record.issue_number):
            out.append(f"期号（issue_number）「{record.issue_number}」格式应为 第N期，如 第3期")
        if record.attendance is None:
            out.append("纪要格式必须写明出席人员（attendance.出席）")
        if record.signature is not None:
            out.append("纪要格式不署名、不加盖印章：请删去 signature")
    return out


def format_mark(record: Record) -> str:
    """The mark a format prints when the record gives none: 信函 the organ's name, 命令 name + 令, 纪要
    name + 纪要; 文件 keeps the issuer's (name + 文件)."""
    if "mark" in record.issuer.model_fields_set or record.format == "文件":
        return record.issuer.mark
    organ = record.issuer.organ
    return {"信函": organ, "命令": organ + "令", "纪要": organ + "纪要"}[record.format]


def check_format(record: Record) -> Record:
    """The record, its mark defaulted for its format; every broken format rule raised at once."""
    problems = _problems(record)
    if problems:
        raise ValueError("；".join(problems))
    mark = format_mark(record)
    if mark != record.issuer.mark:
        object.__setattr__(record, "issuer", record.issuer.model_copy(update={"mark": mark}))
    return record
