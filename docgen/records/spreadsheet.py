"""Opening an .xlsx someone sent: the ZIP is measured (size, unpacked size, compression ratio), every XML
part's prolog is refused if it declares a DOCTYPE or entity, and every sheet's extent is checked, all
before openpyxl sees a byte. A damaged file becomes a Chinese InvalidRecord naming the file."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, Iterator

from openpyxl import Workbook, load_workbook

from docgen.problems import InvalidRecord, Problem
from docgen.records import limits

NOT_XLSX = "不是 Excel 工作簿（.xlsx）"
UNREADABLE = "不是可以读取的 Excel 工作簿（.xlsx）"
PROLOG_BYTES = 1024 * 1024  # how far an XML part may run before its first element
CHUNK = 256 * 1024
RATIO_FLOOR = 1024 * 1024  # small parts may compress well without harm

_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^<>]*)>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^<>]*?ref\s*=\s*["']([^"']+)["']""")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,9})$")


def open_workbook(data: bytes, source: str, *, read_only: bool = False) -> Workbook:
    """An openpyxl Workbook (values, not formulas) of ``data``, checked against the limits first."""
    limits.WORKBOOK_BYTES.check(len(data), "文件", source)
    archive = _archive(data, source)
    try:
        _check_sizes(archive, source)
        for info in archive.infolist():
            if not info.is_dir():
                _check_part(archive, info, source)
    except InvalidRecord:
        raise
    except Exception as exc:  # a damaged entry
        raise damaged(source, exc) from None
    finally:
        archive.close()
    try:
        book = load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as exc:
        raise damaged(source, exc) from None
    if not read_only:
        for sheet in book.worksheets:
            _check_extent(sheet.title, sheet.max_row, sheet.max_column, source)
    return book


def sheet_rows(sheet: Any, source: str, *, min_row: int = 1) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) for each row from ``min_row``; stops with the limit error past TABLE_ROWS
    or TABLE_COLUMNS, whatever the sheet's dimension claimed."""
    rows = sheet.iter_rows(min_row=min_row, values_only=True)
    number = min_row - 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # read-only sheets are parsed while iterating
            raise damaged(source, exc) from None
        number += 1
        limits.TABLE_ROWS.check(number, f"工作表「{sheet.title}」", source)
        limits.TABLE_COLUMNS.check(len(values), f"工作表「{sheet.title}」第 {number} 行", source)
        yield number, values


def damaged(source: str, exc: BaseException) -> InvalidRecord:
    """The error for a workbook openpyxl or zipfile could not read (never a traceback)."""
    return InvalidRecord([Problem("文件", source, f"{UNREADABLE}：文件已损坏或格式不对（{type(exc).__name__}）")], source)


def _archive(data: bytes, source: str) -> zipfile.ZipFile:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        why = "这是旧版 .xls 或加密的工作簿，请在 Excel/WPS 中另存为 .xlsx（不加密）"
    elif not data.startswith(b"PK"):
        why = "文件不是 ZIP 格式（可能是 CSV、文本或其他文件改了扩展名），请在 Excel/WPS 中另存为 .xlsx"
    else:
        try:
            return zipfile.ZipFile(io.BytesIO(data))
        except Exception:
            why = "ZIP 结构已损坏，无法打开"
    raise InvalidRecord([Problem("文件", source, f"{NOT_XLSX}：{why}")], source)


def _check_sizes(archive: zipfile.ZipFile, source: str) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        limits.WORKBOOK_UNPACKED_BYTES.check(total, "文件", source)
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size // max(info.compress_size, 1)
            limits.WORKBOOK_COMPRESSION_RATIO.check(ratio, f"文件中的部件 {_name(info)}", source)


def _name(info: zipfile.ZipInfo) -> str:
    return info.filename[:80]


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> None:
    """Refuse a DOCTYPE/ENTITY in the prolog; measure the part further when it is a worksheet."""
    with archive.open(info) as stream:
        head = b""
        while True:
            chunk = stream.read(CHUNK)
            head += chunk
            verdict = _prolog(head, at_end=not chunk)
            if verdict is not None:
                break
            if len(head) > PROLOG_BYTES:
                raise InvalidRecord([Problem("文件", source, f"{UNREADABLE}：部件 {_name(info)} 的 XML 开头异常")], source)
        if verdict == "doctype":
            raise InvalidRecord([Problem("文件", source, f"{UNREADABLE}：部件 {_name(info)} 声明了 DOCTYPE 或实体"
                                                       "（ENTITY），工作簿中不应出现，可能是恶意文件")], source)
        if verdict == "worksheet":
            _check_sheet(stream, head, _name(info), source)


def _prolog(head: bytes, at_end: bool) -> str | None:
    """What the XML prolog of ``head`` shows: "doctype", "worksheet" (root element), "other", or None
    when more bytes are needed."""
    text = _decode(head)
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n\ufeff":
            pos += 1
        rest = text[pos:]
        if not rest:
            return "other" if at_end else None
        if rest.startswith("<?"):
            end = rest.find("?>")
        elif rest.startswith("<!--"):
            end = rest.find("-->")
        elif rest.startswith("<!"):
            return "doctype"
        elif rest.startswith("<"):
            name = re.match(r"<(?:[\w.-]+:)?([\w.-]+)", rest)
            if not name and not at_end and len(rest) < 64:
                return None
            return "worksheet" if name and name.group(1) == "worksheet" else "other"
        else:
            return "other"  # not XML: openpyxl decides
        if end < 0:
            return "other" if at_end else None
        pos += end + 2


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and head[1:2] == b"\x00") or head[:1] == b"\x00":
        encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else (
            "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
        return head[: len(head) // 2 * 2].decode(encoding, "replace")
    return head.decode("utf-8", "replace")


def _check_sheet(stream: Any, head: bytes, part: str, source: str) -> None:
    """The sheet's claimed dimension, then its real rows (counted and numbered) as the part streams by."""
    dimension = _DIMENSION.search(head[:CHUNK])
    if dimension:
        last = dimension.group(1).decode("ascii", "replace").split(":")[-1]
        ref = _CELL_REF.match(last.strip())
        if ref:
            _check_extent(part, int(ref.group(2)), _column_number(ref.group(1)), source)
    rows = 0
    buffer = head
    while True:
        cut = len(buffer) - 4096 if buffer else 0
        chunk = stream.read(CHUNK)
        if not chunk:
            cut = len(buffer)
        for match in _ROW_TAG.finditer(buffer):
            if match.start() >= cut:
                break
            rows += 1
            number = _ROW_NUMBER.search(match.group(1))
            _check_extent(part, max(rows, int(number.group(1)[:16]) if number else 0), 0, source)
        if not chunk:
            return
        buffer = buffer[max(cut, 0):] + chunk


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _check_extent(sheet: str, rows: int, columns: int, source: str) -> None:
    """``sheet`` is a sheet's title, or its part's name before openpyxl has read the titles."""
    where = f"工作表（{sheet}）" if "/" in sheet else f"工作表「{sheet}」"
    limits.TABLE_ROWS.check(rows, where, source)
    limits.TABLE_COLUMNS.check(columns, where, source)
