"""The annex workbook a district fills in and sends back (openpyxl): one sheet per table, the seed's
headers, frozen header rows, set widths, drop-down lists for enumerations — and reading it back."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.annexes.forms import AnnexForm, SubTable, sub_tables
from docgen.problems import InvalidRecord, Problem
from docgen.records.base import Record
from docgen.records.spreadsheet import open_workbook, sheet_rows
from docgen.render.sheets import put, workbook_bytes

HEADER_ROW = 3  # row 1: title, row 2: 填报单位, row 3: headers, data below
BLANK_ROWS = 30  # rows with borders and drop-downs in a blank form
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL, HEAD = "表格文字", "表头"  # the named styles of table cells and header cells


def new_book() -> Workbook:
    """A workbook with the table styles registered once: a cell takes a named style cheaply, where a border
    and an alignment given to each of 16,000 cells cost seconds."""
    book = Workbook()
    book.add_named_style(NamedStyle(CELL, border=BOX, alignment=Alignment(vertical="center", wrap_text=True)))
    book.add_named_style(NamedStyle(HEAD, font=Font(name="黑体", size=11), border=BOX,
                                    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)))
    return book


def sheet_header(sheet, title: str, headers, widths) -> None:
    """Row 1 the title; the header row styled, frozen, its columns set to ``widths``."""
    sheet.cell(1, 1, title).font = Font(name="黑体", size=14)
    for n, (header, width) in enumerate(zip(headers, widths), 1):
        sheet.cell(HEADER_ROW, n, header).style = HEAD
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)


def sheet_name(form: AnnexForm, table: SubTable) -> str:
    return f"附件{form.number}" if len(form.tables) == 1 else f"附件{form.number}-{form.tables.index(table) + 1}"


def sheet_title(form: AnnexForm, table: SubTable) -> str:
    return f"附件{form.number}　{form.title}" + (f"　{table.caption}" if len(form.tables) > 1 else "")


@dataclass
class DistrictTables:
    """What one district reported: its rows per table, and the rows that could not be accepted."""

    district: str
    rows: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def write_workbook(district: str, filled: DistrictTables | None = None) -> bytes:
    """A workbook for ``district``: blank (for distribution with the notice) or filled with its rows."""
    book = new_book()
    book.remove(book.active)
    for form, table in sub_tables():
        sheet = book.create_sheet(sheet_name(form, table))
        columns = table.columns
        headers = (["序号"] if table.numbered else []) + [c.header for c in columns]
        widths = ([6] if table.numbered else []) + [c.width * 8 for c in columns]
        sheet_header(sheet, sheet_title(form, table), headers, widths)
        sheet.cell(2, 1, "填报单位：")
        put(sheet, 2, 2, district)
        rows = filled.rows.get(table.key, []) if filled else []
        last = HEADER_ROW + max(len(rows), BLANK_ROWS)
        offset = 1 if table.numbered else 0
        for n, column in enumerate(columns, 1 + offset):
            if column.choices:
                if column.multiple:
                    check = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                           allow_blank=True, showErrorMessage=False)
                    check.prompt = "可填多项，用「、」隔开：" + "、".join(column.choices)
                else:
                    check = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
                    check.error = "请从下拉列表中选择：" + "、".join(column.choices)
                sheet.add_data_validation(check)
                check.add(f"{get_column_letter(n)}{HEADER_ROW + 1}:{get_column_letter(n)}{last}")
        for r in range(HEADER_ROW + 1, last + 1):
            for c in range(1, len(headers) + 1):
                sheet.cell(r, c).style = CELL
        for i, row in enumerate(rows, 1):
            values = ([i] if table.numbered else []) + [_cell(getattr(row, c.field)) for c in columns]
            for c, value in enumerate(values, 1):
                put(sheet, HEADER_ROW + i, c, value)
    return workbook_bytes(book)


def _cell(value) -> object:
    return "、".join(value) if isinstance(value, list) else value


def read_workbook(data: bytes, source: str = "") -> DistrictTables:
    """Reads a filled workbook back: every good row is kept, every bad one reported by sheet, row and column."""
    book = open_workbook(data, source)
    district = ""
    result = DistrictTables("")
    for form, table in sub_tables():
        name = sheet_name(form, table)
        if name not in book.sheetnames:
            result.problems.append(Problem(name, "缺少", f"工作簿中没有工作表「{name}」"))
            continue
        sheet = book[name]
        district = district or str(sheet.cell(2, 2).value or "").strip()
        columns = table.columns
        offset = 1 if table.numbered else 0
        result.rows[table.key] = []
        for r, row in sheet_rows(sheet, source, min_row=HEADER_ROW + 1):
            values = [row[c + offset] if c + offset < len(row) else None for c in range(len(columns))]
            if all(v in (None, "") for v in values):
                continue
            data_row = {c.field: ("" if v is None else v) for c, v in zip(columns, values)}
            accepted = accept_row(table, data_row, f"{name} 第 {r} 行", result.problems)
            if accepted is not None:
                result.rows[table.key].append(accepted)
    if not district:
        result.problems.append(Problem("填报单位", "", "工作表第 2 行「填报单位」未填写"))
    result.district = district
    return result


def accept_row(table: SubTable, data: dict, where: str, problems: list[Problem]) -> Record | None:
    """Validates one row; its problems are named by ``where`` and the column's header."""
    headers = {c.field: c.header for c in table.columns}
    try:
        return table.row.parse(data)
    except InvalidRecord as exc:
        for p in exc.problems:
            problems.append(Problem(f"{where}「{headers.get(p.field.split('[')[0], p.field)}」", p.value, p.rule))
        return None
