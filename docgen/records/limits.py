"""The limits on what comes in, in one place. Every record, included file, workbook, CSV and batch is
measured against them *before* the expensive work starts (parsing, opening a workbook, laying out, drawing),
and a value over a limit is refused in Chinese, naming the limit, the value and the field.

The README's "Limits" table is this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BeforeValidator

from docgen.problems import InvalidRecord, Problem


@dataclass(frozen=True)
class Limit:
    label: str  # what staff call the measured thing
    maximum: int
    unit: str

    def check(self, value: int, field: str, source: str = "") -> None:
        """Raise InvalidRecord when ``value`` is over the limit."""
        if value > self.maximum:
            raise self.error(value, field, source)

    def error(self, value: int, field: str, source: str = "") -> InvalidRecord:
        return InvalidRecord([Problem(field, f"{value:,} {self.unit}", self.rule())], source)

    def rule(self) -> str:
        return f"超过上限：{self.label}最多 {self.maximum:,} {self.unit}"


def at_most(limit: Limit) -> BeforeValidator:
    """For a list field: refuse more than ``limit`` items before any item is validated."""

    def check(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) > limit.maximum:
            raise ValueError(f"{limit.rule()}（实际 {len(value):,} {limit.unit}）")
        return value

    return BeforeValidator(check)


MB = 1024 * 1024

# files
RECORD_BYTES = Limit("记录文件大小", 5 * MB, "字节")
INCLUDE_BYTES = Limit("引用文件大小", 20 * MB, "字节")
FOLDER_FILES = Limit("文件夹中的报送文件数", 200, "个")
WORKBOOK_BYTES = Limit("Excel 文件大小", 20 * MB, "字节")
WORKBOOK_UNPACKED_BYTES = Limit("Excel 文件解压后的大小", 200 * MB, "字节")
CSV_BYTES = Limit("CSV 文件大小", 20 * MB, "字节")
ATTACHMENT_FILE_BYTES = Limit("附件文件大小", 3 * MB, "字节")  # an attachment that is a file: base64 in a record

# shape of data
YAML_ALIASES = Limit("YAML 别名（*引用）数", 100, "个")
NESTING_DEPTH = Limit("嵌套层数", 30, "层")
TABLE_ROWS = Limit("表格行数", 50_000, "行")
TABLE_COLUMNS = Limit("表格列数", 200, "列")
CELL_CHARS = Limit("单元格文字长度", 5_000, "字")
TEXT_CHARS = Limit("一个字段的文字长度", 50_000, "字")
TITLE_CHARS = Limit("标题长度", 200, "字")
BODY_BLOCKS = Limit("正文段落和标题数", 5_000, "段")
INTEGER_DIGITS = Limit("整数位数", 15, "位")

# work
BATCH_ITEMS = Limit("一批的条目数", 5_000, "项")
PROOF_PIXELS = Limit("校样图像像素数", 60_000_000, "像素")

# appended with docgen.records.spreadsheet: a part of an .xlsx inflating this many times its packed size is a bomb
WORKBOOK_COMPRESSION_RATIO = Limit("Excel 文件中一个部件的压缩比", 500, "倍")
