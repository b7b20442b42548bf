"""Records that name other files: a key ending in ``_file`` (``application_file: 申请表.xlsx``) or ``_folder``
(``submissions_folder: 报送/``) is replaced, when the record is read, by what the file or folder holds
(``application``, ``submissions``), relative to the record's own folder. A record on the queue therefore
carries all its data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.problems import InvalidRecord, Problem

SUBMISSION_SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")


def _application(path: Path) -> dict:
    """An 附件1: its YAML record, or the workbook a station filled in."""
    from docgen.annexes.application_workbook import read_application_workbook
    from docgen.records.base import read_yaml

    if path.suffix.lower() == ".xlsx":
        return read_application_workbook(path.read_bytes(), str(path)).model_dump(mode="json")
    return read_yaml(path)


def _submissions(folder: Path) -> list[dict]:
    """Every district's report in a folder (workbooks, CSV tables, YAML), as district-report data; rows
    that could not be accepted travel with it, to be reported."""
    from docgen.annexes.submissions import read_submission

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUBMISSION_SUFFIXES) if folder.is_dir() else []
    if not files:
        raise InvalidRecord([Problem("submissions_folder", str(folder), "文件夹不存在或没有 .xlsx、.csv、.yaml 报送文件")])
    out = []
    for path in files:
        tables = read_submission(path)
        report = {"kind": "district-report", "district": tables.district,
                  **{key: [row.model_dump(mode="json") for row in rows] for key, rows in tables.rows.items()}}
        out.append({"report": report, "rejected": _rejected_rows(path, tables.problems)})
    return out


def _rejected_rows(path: Path, problems: list) -> list[str]:
    """One line per rejected row (a row may break several rules), its file named."""
    rows: dict[str, list[str]] = {}
    for p in problems:
        where = p.field.split("「")[0].strip()
        rows.setdefault(where, []).append(p.message().removeprefix(where))
    return [(where if path.name in where else f"{path.name} {where}") + "：" + "；".join(m.strip() for m in messages)
            for where, messages in rows.items()]


LOADERS = {"application_file": ("application", _application), "submissions_folder": ("submissions", _submissions)}


def expand(data: Any, base: Path) -> Any:
    """``data`` with every file reference (at any depth) replaced by what it names."""
    if isinstance(data, list):
        return [expand(item, base) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in LOADERS and isinstance(value, str):
            target, load = LOADERS[key]
            path = (base / value).resolve()
            if not path.exists():
                raise InvalidRecord([Problem(key, value, "文件或文件夹不存在（路径相对于记录文件所在的文件夹）")])
            out[target] = load(path)
        else:
            out[key] = expand(value, base)
    return out
