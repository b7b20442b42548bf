"""Cells of the workbooks and CSV files docgen writes, safe to open: text that a spreadsheet would read as a
formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``, ``+``, ``-``, ``@``, or a leading tab or CR) is kept as
text, as the spreadsheet-injection guidance says — in XLSX a string cell with Excel's quote prefix (the value
reads back unchanged), in CSV a leading ``'``. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from docgen.render.package import stable_package

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def put(sheet, row: int, column: int, value: Any, style: str | None = None):
    """Write ``value`` into a worksheet cell as data, never as a formula; returns the cell."""
    cell = sheet.cell(row, column, value)
    if style:
        cell.style = style
    if formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_field(value: Any) -> Any:
    return "'" + value if formula_like(value) else value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV that Excel and WPS open as UTF-8 (with a BOM), every text field neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def workbook_bytes(book) -> bytes:
    """An openpyxl workbook's XLSX bytes, the same for the same content (fixed times and stamps)."""
    out = io.BytesIO()
    book.save(out)
    return stable_package(out.getvalue())
