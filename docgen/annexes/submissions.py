"""District submissions in any of the forms they arrive in: the workbook we sent (XLSX), one table as CSV,
or a YAML record. Good rows are kept; each bad one is reported by row and column."""

from __future__ import annotations

from pathlib import Path

from docgen.annexes.forms import sub_tables
from docgen.annexes.workbook import DistrictTables, accept_row, read_workbook, sheet_name
from docgen.problems import InvalidRecord, Problem
from docgen.records import limits
from docgen.records.base import read_bounded, read_csv, read_yaml


def read_yaml_submission(path: Path) -> DistrictTables:
    """kind: district-report, district: …, then one list of rows per table key (stations, enterprises …)."""
    data = read_yaml(path)
    if not isinstance(data, dict) or data.get("kind") != "district-report":
        raise InvalidRecord([Problem("kind", data.get("kind") if isinstance(data, dict) else data,
                                     "区局报送记录的文种应为 district-report")], str(path))
    known = {table.key for _, table in sub_tables()} | {"kind", "district"}
    unknown = [key for key in data if key not in known]
    result = DistrictTables(str(data.get("district") or "").strip())
    result.problems += [Problem(key, None, "未知的表格（可用：" + "、".join(sorted(known - {"kind", "district"})) + "）")
                        for key in unknown]
    if not result.district:
        result.problems.append(Problem("district", "", "必须写明填报单位（所属辖区局）"))
    for form, table in sub_tables():
        result.rows[table.key] = []
        for n, row in enumerate(data.get(table.key) or [], 1):
            where = f"{sheet_name(form, table)} 第 {n} 行"
            if not isinstance(row, dict):
                result.problems.append(Problem(where, row, "每行应为键值对（字段: 值）"))
                continue
            accepted = accept_row(table, row, where, result.problems)
            if accepted is not None:
                result.rows[table.key].append(accepted)
    return result


def read_csv_table(path: Path, district: str) -> DistrictTables:
    """One table as CSV (UTF-8 or GB18030), headed by the seed's column headers; the table is found by them."""
    reader = read_csv(path)
    if not reader:
        raise InvalidRecord([Problem("文件", str(path), "文件是空的")])
    header = [h.strip() for h in reader[0]]
    for form, table in sub_tables():
        names = [c.header for c in table.columns]
        if all(name in header for name in names):
            result = DistrictTables(district, {t.key: [] for _, t in sub_tables()})
            for n, values in enumerate(reader[1:], 2):
                if not any(v.strip() for v in values):
                    continue
                row = {c.field: values[header.index(c.header)] if header.index(c.header) < len(values) else ""
                       for c in table.columns}
                accepted = accept_row(table, row, f"{path.name} 第 {n} 行", result.problems)
                if accepted is not None:
                    result.rows[table.key].append(accepted)
            return result
    raise InvalidRecord([Problem("表头", "、".join(header), "与附件2–6 任何一张表的表头都不一致")], str(path))


def read_submission(path: Path) -> DistrictTables:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(read_bounded(path, limits.WORKBOOK_BYTES), str(path))
    if suffix in (".yaml", ".yml"):
        return read_yaml_submission(path)
    if suffix == ".csv":
        return read_csv_table(path, path.stem)
    raise InvalidRecord([Problem("文件", str(path), "只能导入 .xlsx、.csv 或 .yaml 文件")])
