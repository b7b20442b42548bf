"""Station lists as offices keep them (annex 2's 工作站统计表 in CSV, XLSX or YAML) → StationRow data.

Only the columns a plaque needs are read — 序号, 站名, 所属辖区局 and an optional 样式 — so annex 2's
other columns (负责人及联系方式, 工作站指导员…) may stay in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.problems import InvalidRecord, Problem
from docgen.records import limits
from docgen.records.base import read_bounded, read_csv, read_yaml
from docgen.records.spreadsheet import open_workbook, sheet_rows

COLUMNS = {
    "name": ("站名", "工作站名称", "工作站", "规范名称", "名称", "station", "name"),
    "bureau": ("所属辖区局", "辖区局", "所属辖区", "bureau"),
    "serial": ("序号", "serial", "no"),
    "variant": ("样式", "标牌样式", "类型", "variant"),
}
HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the header


def _key(header: Any) -> str | None:
    text = "".join(str(header or "").split()).lower()
    for key, names in COLUMNS.items():
        if text in (n.lower() for n in names):
            return key
    return None


def rows_from_table(table: list[list[Any]], source: str) -> list[dict]:
    """Find the header (the first row naming a station column), then read each non-blank row."""
    for h, header in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = [_key(cell) for cell in header]
        if "name" in keys:
            break
    else:
        raise InvalidRecord([Problem("表头", source, "找不到站名列：表头应有「站名」（或「工作站名称」「station」）")])
    rows = []
    for raw in table[h + 1:]:
        cells = ["" if c is None else str(c).strip() for c in raw]
        if not any(cells):
            continue
        row: dict[str, Any] = {}
        for key, cell in zip(keys, cells):
            if key and cell and key not in row:
                row[key] = cell
        serial = row.get("serial", "")
        row["serial"] = int(float(serial)) if serial.replace(".", "", 1).isdigit() else None
        row.setdefault("name", "")
        rows.append(row)
    return rows


def read_stations(path: str | Path) -> list[dict]:
    """Station rows from a .csv, .xlsx or .yaml file."""
    path = Path(path)
    if not path.exists():
        raise InvalidRecord([Problem("文件", str(path), "文件不存在")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return rows_from_table(read_csv(path), str(path))
    if suffix in (".xlsx", ".xlsm"):
        book = open_workbook(read_bounded(path, limits.WORKBOOK_BYTES), str(path), read_only=True)
        try:
            return rows_from_table([list(row) for _, row in sheet_rows(book.worksheets[0], str(path))], str(path))
        finally:
            book.close()
    if suffix in (".yaml", ".yml"):
        data = read_yaml(path)
        data = data.get("stations", data) if isinstance(data, dict) else data
        if not isinstance(data, list):
            raise InvalidRecord([Problem("stations", str(path), "YAML 应为站点列表，每项含 name（站名）")])
        return [row if isinstance(row, dict) else {"name": str(row)} for row in data]
    raise InvalidRecord([Problem("文件", str(path), "站点清单应为 .csv、.xlsx 或 .yaml 文件")])
