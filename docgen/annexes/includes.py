"""The files a record may name, read for the programme's records: ``application_file`` (an 附件1, as YAML
or the workbook a station filled in), ``submissions_folder`` (the districts' reports) and an attachment's
``file`` (carried beside a 公文, docgen.records.includes.read_attachment_file). Where a file may
be and how much of it is read is docgen.records.includes' business; this module says what the files hold."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records import limits
from docgen.records.base import parse_yaml_text
from docgen.records.includes import (Loaders, Refused, expand as expand_within, inside, read_attachment_file,
                                     read_included, reader_rules)

SUBMISSION_SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")
APPLICATION_KIND = "contact-point-application"

_UNREADABLE = (OSError, ValueError, KeyError, IndexError, EOFError, RecursionError)


def read_application_file(path: Path) -> dict:
    """An 附件1: its YAML record, or the workbook a station filled in. A file that is not one is refused
    without being quoted; a real application's bad boxes are checked (and shown) with the record."""
    from docgen.annexes.application_workbook import read_application_workbook  # openpyxl: only when asked for

    data = read_included(path)
    if path.suffix.lower() == ".xlsx":
        try:
            return read_application_workbook(data, path.name).model_dump(mode="json")
        except InvalidRecord as exc:
            if any(p.field == "文件" or p.field == "工作表" for p in exc.problems):
                raise Refused("不是可读取的附件1 申请表工作簿：" + reader_rules(exc)) from None
            raise  # a real application workbook with bad boxes: reported by row, as staff need
        except _UNREADABLE as exc:
            raise Refused(f"不是可读取的附件1 申请表工作簿（{type(exc).__name__}）") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("不是 UTF-8 编码的 YAML 文本，也不是 .xlsx 工作簿") from None
    try:
        record = parse_yaml_text(text, path.name)
    except InvalidRecord as exc:
        raise Refused("不是可读取的附件1 申请表：" + reader_rules(exc)) from None
    if not isinstance(record, dict):
        raise Refused("不是附件1 申请表：应为 YAML 键值对记录（kind: contact-point-application）或填好的 Excel 申请表")
    if record.get("kind", APPLICATION_KIND) != APPLICATION_KIND:
        raise Refused(f"不是附件1 申请表：记录的文种（kind）应为 {APPLICATION_KIND}")
    return record


def _submission_files(folder: Path, root: Path) -> list[Path]:
    """The names of a folder's report files (by suffix, sorted), at most ``FOLDER_FILES``; each is resolved
    and checked by the caller."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise Refused("文件夹不存在（路径相对于记录文件所在的文件夹）") from None
    except OSError as exc:
        raise Refused(f"无法访问（{exc.strerror}）") from None
    if not stat.S_ISDIR(info.st_mode):
        raise Refused("不是文件夹")
    files = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.lower().endswith(SUBMISSION_SUFFIXES):
                    continue
                files.append(entry.name)
                if len(files) > limits.FOLDER_FILES.maximum:
                    rule = limits.FOLDER_FILES.error(len(files), "").problems[0].rule
                    raise Refused(f"{rule}（已超过 {limits.FOLDER_FILES.maximum:,} 个）")
    except OSError as exc:
        raise Refused(f"无法列出文件（{exc.strerror}）") from None
    if not files:
        raise Refused("文件夹中没有 .xlsx、.csv、.yaml 报送文件")
    return [folder / name for name in sorted(files)]


def _submissions(folder: Path, root: Path) -> list[dict]:
    """Every district's report in a folder (workbooks, CSV tables, YAML), as district-report data; rows
    that could not be accepted travel with it, to be reported. A file that cannot be read as a report is
    refused by name, not quoted."""
    from docgen.annexes.submissions import read_submission  # openpyxl: only when asked for
    from docgen.annexes.workbook import read_workbook

    problems, out = [], []
    for listed in _submission_files(folder, root):
        try:
            path = inside(listed.name, folder, root)  # an entry may be a symlink out; its reader bounds it
            try:
                tables = read_workbook(read_included(path), listed.name) if path.suffix.lower() == ".xlsx" \
                    else read_submission(path)
            except InvalidRecord as exc:
                raise Refused("不能作为区局报送读取：" + reader_rules(exc)) from None
            except _UNREADABLE as exc:
                raise Refused(f"不能作为区局报送读取（{type(exc).__name__}）") from None
        except Refused as exc:
            problems.append(Problem(listed.name, ABSENT, str(exc)))
            continue
        report = {"kind": "district-report", "district": tables.district,
                  **{key: [row.model_dump(mode="json") for row in rows] for key, rows in tables.rows.items()}}
        out.append({"report": report, "rejected": rejected_rows(listed, tables.problems)})
    if problems:
        raise InvalidRecord(problems)
    return out


def rejected_rows(path: Path, problems: list) -> list[str]:
    """One line per rejected row (a row may break several rules), its file named."""
    rows: dict[str, list[str]] = {}
    for p in problems:
        where = p.field.split("「")[0].strip()
        rows.setdefault(where, []).append(p.message().removeprefix(where))
    return [(where if path.name in where else f"{path.name} {where}") + "：" + "；".join(m.strip() for m in messages)
            for where, messages in rows.items()]


LOADERS: Loaders = {
    "application_file": ("application", lambda path, root: read_application_file(path)),
    "submissions_folder": ("submissions", _submissions),
    "file": ("content", read_attachment_file),  # an attachment that is a file of its own
}


def expand(data: Any, base: Path | None = None, root: str | Path | None = None, *, remote: bool = False,
           source: str = "") -> Any:
    """``data`` with its ``application_file``, ``submissions_folder`` and attachments' ``file`` references read
    in (see docgen.records.includes.expand)."""
    return expand_within(data, base, root, remote=remote, source=source, loaders=LOADERS)
