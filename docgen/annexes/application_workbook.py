"""附件1 as a workbook a station fills in (openpyxl): one row per box of the form — 项目, 填写内容, 填写要求 —
with drop-downs for the yes/no boxes, and reading it back into an application record, every bad box
reported by row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.annexes.application import NUMBER, TITLE
from docgen.annexes.workbook import BOX
from docgen.problems import InvalidRecord, Problem
from docgen.records.annexes.annex1 import INDUSTRIES, ContactPointApplication
from docgen.records.fields import format_date
from docgen.records.spreadsheet import open_workbook, sheet_rows
from docgen.render.sheets import put, workbook_bytes

SHEET = f"附件{NUMBER}"
FIRST_ROW = 3  # row 1: title, row 2: headers
YES, NO = "是", "否"


@dataclass(frozen=True)
class Box:
    path: str  # the record field, dotted for nested ones (head.mobile)
    label: str  # what the form prints
    hint: str
    kind: str = "text"  # text | date | yes-no | list


BOXES = (
    Box("filled_on", "填报时间", "如 2021年8月20日", "date"),
    Box("organisation", "单位名称", "设立单位全称"),
    Box("contact_person", "联系人", "姓名"),
    Box("department", "部门", ""),
    Box("phone", "联系电话", "手机号，或带区号的固定电话，如 0391-3568888"),
    Box("email_qq", "电邮、QQ", "电子邮箱或 QQ 号"),
    Box("address", "单位地址", ""),
    Box("website", "单位网址", "如 www.jzqp.org.cn，可不填"),
    Box("industries", "工作站所在区域主要行业领域", "可多选，用「、」隔开：" + "、".join(INDUSTRIES), "list"),
    Box("station", "工作站名称", "规范名称：知识产权保护工作站XXX站（XXX 为协会、园区或市场）"),
    Box("full_time", "管理人员数：专职", "人数"),
    Box("part_time", "管理人员数：兼职", "人数"),
    Box("head.name", "负责人", "姓名"),
    Box("head.mobile", "负责人手机", "11 位手机号"),
    Box("head.messenger", "负责人QQ、微信", "QQ 号或微信号"),
    Box("staff.name", "工作人员", "姓名"),
    Box("staff.mobile", "工作人员手机", "11 位手机号"),
    Box("staff.messenger", "工作人员QQ、微信", "QQ 号或微信号"),
    Box("office_area", "办公面积（平方米）", "数字"),
    Box("workstations", "工作机位（台/套）", "数字"),
    Box("equipment", "办公设备", "如 电脑 4 台、打印机 1 台"),
    Box("signage", "办公环境：设置知识产权保护宣传标牌", "选择 是 或 否", "yes-no"),
    Box("rules_on_wall", "办公环境：制度上墙", "选择 是 或 否", "yes-no"),
    Box("applicant_opinion.organ", "申报单位（盖章单位）", ""),
    Box("applicant_opinion.text", "申报单位意见", ""),
    Box("applicant_opinion.date", "申报单位意见日期", "如 2021年8月20日", "date"),
    Box("bureau_opinion.organ", "辖区市场监管局", "如 山阳区市场监督管理局"),
    Box("bureau_opinion.text", "辖区市场监管局意见", ""),
    Box("bureau_opinion.date", "辖区市场监管局意见日期", "如 2021年8月25日", "date"),
    Box("instructor", "工作站指导员", "姓名和联系电话"),
)


def _value(app: ContactPointApplication, box: Box) -> object:
    value: object = app
    for part in box.path.split("."):
        value = getattr(value, part, None) if value is not None else None
    if value is None:
        return None
    if box.kind == "date":
        return format_date(value)  # type: ignore[arg-type]
    if box.kind == "yes-no":
        return YES if value else NO
    if box.kind == "list":
        return "、".join(value)  # type: ignore[arg-type]
    return value


def write_application_workbook(app: ContactPointApplication | None = None) -> bytes:
    """The workbook: blank (sent with the notice) or filled from ``app``."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.cell(1, 1, f"附件{NUMBER}　{TITLE}").font = Font(name="黑体", size=14)
    for c, (header, width) in enumerate((("项目", 34), ("填写内容", 48), ("填写要求", 56)), 1):
        cell = sheet.cell(2, c, header)
        cell.font, cell.border = Font(name="黑体", size=11), BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions["ABC"[c - 1]].width = width
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    yes_no.error = f"请选择 {YES} 或 {NO}"
    sheet.add_data_validation(yes_no)
    for r, box in enumerate(BOXES, FIRST_ROW):
        for c, value in enumerate((box.label, _value(app, box) if app else None, box.hint), 1):
            cell = put(sheet, r, c, value)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if box.kind == "yes-no":
            yes_no.add(f"B{r}")
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    return workbook_bytes(book)


def _cell_data(box: Box, value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        return None
    if box.kind == "yes-no":
        return {YES: True, NO: False}.get(str(value), value)
    if box.kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def read_application_workbook(data: bytes, source: str = "") -> ContactPointApplication:
    """Reads a filled workbook back; every bad box is reported by its row and the form's label."""
    book = open_workbook(data, source)
    if SHEET not in book.sheetnames:
        raise InvalidRecord([Problem("工作表", SHEET, f"工作簿中没有工作表「{SHEET}」")], source)
    sheet = book[SHEET]
    record: dict = {"kind": "contact-point-application"}
    rows = {str((row[0] if row else None) or "").strip(): r for r, row in sheet_rows(sheet, source, min_row=FIRST_ROW)}
    where = {}
    for box in BOXES:
        r = rows.get(box.label)
        if r is None:
            continue
        where[box.path] = f"{SHEET} 第 {r} 行「{box.label}」"
        value = _cell_data(box, sheet.cell(r, 2).value)
        if value is None:
            continue
        target = record
        *parents, leaf = box.path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    try:
        return ContactPointApplication.parse(record, source)
    except InvalidRecord as exc:
        raise InvalidRecord([Problem(_where(p.field, where), p.value, p.rule) for p in exc.problems], source) from None


def _where(field: str, where: dict[str, str]) -> str:
    """The row of the box a problem is about (its parent's first box for a missing group)."""
    path = field.split("[")[0]
    return where.get(path) or next((w for p, w in where.items() if p.startswith(path + ".")), path)
