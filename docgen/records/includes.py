"""Records that name other files: a key ending in ``_file`` (``application_file: 申请表.xlsx``) or ``_folder``
(``submissions_folder: 报送/``), or an attachment's ``file`` (``file: 申请表.xlsx``), is replaced, when the record
is read, by what the file or folder holds (``application``, ``submissions``, ``content``), relative to the
record's own folder. A record on the queue therefore carries all its data.

What may be read is bounded:

- only inside the *include root* (by default the working directory of the command; widened only by an
  explicit ``include_root``, ``docgen render --include-root DIR``): the path is resolved first — symlinks
  and ``..`` included — and then checked, so neither an absolute path, ``../`` nor a symlink leads out;
- only regular files (no device, pipe or folder where a file is expected), no larger than
  ``limits.INCLUDE_BYTES``, measured before reading; a folder's report files at most ``limits.FOLDER_FILES``;
- a file that is refused is named, never quoted: what it holds does not come back in a message.

A record that arrives over the network (queue, web, API) carries its files with it and names none on the
server: ``expand(data, remote=True)`` (or ``refuse_file_references``) refuses every ``*_file`` / ``*_folder``
key (and every ``file``) at any depth.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any, Callable

from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records import limits
from docgen.records.base import printable

REFERENCE_SUFFIXES = ("_file", "_folder")
REFERENCE_KEYS = ("file",)  # an attachment that is a file (docgen.records.notice.AttachmentFile)

REMOTE_RULE = ("通过网络提交的记录不能引用服务器上的文件：请把文件的内容直接写进记录"
               "（如以 application 代替 application_file，以 submissions 代替 submissions_folder，"
               "附件文件以 content: {name: 文件名, base64: 内容} 代替 file），或随记录上传文件")


Loaders = dict[str, tuple[str, Callable[[Path, Path], Any]]]  # reference key → (key it becomes, reader(path, root))


class Refused(Exception):
    """A file the include layer will not read: the rule, in Chinese (never the file's content)."""


# ---- where a file may be ----

def include_root(root: str | Path | None = None) -> Path:
    """The folder includes must stay inside: ``root`` if given, else the working directory; resolved."""
    return Path(root if root is not None else os.getcwd()).resolve()


def inside(value: str, base: Path, root: Path) -> Path:
    """``value`` (relative to ``base``) resolved — symlinks followed, ``..`` applied — and refused unless
    it is inside ``root``. Containment is checked before existence: nothing is learnt of a path outside."""
    try:
        path = (base / value).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL in the path, a symlink loop
        raise Refused("不是有效的路径（含空字符，或符号链接循环）") from None
    if not path.is_relative_to(root):
        raise Refused(f"在允许读取的文件夹之外（只能读取 {root} 之内的文件；绝对路径、../ 和指向外面的符号链接都不行；"
                       "确需读取其他文件夹时，用 --include-root 指定）")
    return path


def read_included(path: Path, limit: limits.Limit = limits.INCLUDE_BYTES) -> bytes:
    """A regular file's bytes within ``limit`` (``read_bounded`` checks by stat before reading, and while
    reading); its refusal is said in the include's words."""
    from docgen.records.base import read_bounded

    try:
        return read_bounded(path, limit)
    except InvalidRecord as exc:
        rules = [p.rule + ("（路径相对于记录文件所在的文件夹）" if p.rule == "文件不存在" else "") for p in exc.problems]
        raise Refused("；".join(rules)) from None


def read_attachment_file(path: Path, root: Path) -> dict:
    """An attachment's ``file:`` as the record carries it over the network: its name and its bytes in base64
    (docgen.records.notice.AttachmentFile checks its type), within ``ATTACHMENT_FILE_BYTES``."""
    data = read_included(path, limits.ATTACHMENT_FILE_BYTES)
    return {"name": path.name, "base64": base64.b64encode(data).decode("ascii")}


# ---- what a refused file's reader said, without its content ----

_YAML_ERROR = re.compile(r"^(YAML 格式错误（[^）]*）)")


def reader_rules(exc: InvalidRecord) -> str:
    """The rules a reader reported, without the values it quoted (they are the refused file's content);
    a YAML syntax error keeps its position, not the parser's excerpt."""
    rules = []
    for p in exc.problems:
        rule = p.rule
        match = _YAML_ERROR.match(rule)
        rules.append(match.group(1) if match else rule)
    return "；".join(dict.fromkeys(rules))


# ---- the walk ----

def _is_reference(key: Any) -> bool:
    return isinstance(key, str) and (key.endswith(REFERENCE_SUFFIXES) or key in REFERENCE_KEYS)


def refuse_file_references(data: Any, source: str = "") -> None:
    """For a record received over the network: raise InvalidRecord naming every ``*_file`` / ``*_folder`` /
    ``file`` key, at any depth; such a record must carry what the file holds instead."""
    problems = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                if _is_reference(key):
                    problems.append(Problem(path, ABSENT, REMOTE_RULE))
                else:
                    stack.append((path, item))
        elif isinstance(value, list):
            stack += [(f"{where}[{i + 1}]", item) for i, item in enumerate(value)]
    if problems:
        raise InvalidRecord(sorted(problems, key=lambda p: p.field), source)


def expand(data: Any, base: Path | None = None, root: str | Path | None = None, *, remote: bool = False,
           source: str = "", loaders: Loaders | None = None) -> Any:
    """``data`` with every file reference (at any depth) replaced by what it names, read relative to
    ``base`` (the record's folder) and only inside ``root`` (default: the working directory).
    ``loaders``: what each reference key reads (``docgen.annexes.includes.LOADERS`` for the programme's
    records); ``remote=True``: the record came over the network; any file reference is refused and nothing
    is read."""
    if remote:
        refuse_file_references(data, source)
        return data
    problems: list[Problem] = []
    out = _expand(data, Path(base if base is not None else "."), include_root(root), "", problems, loaders or {})
    if problems:
        raise InvalidRecord(problems, source)
    return out


def _expand(data: Any, base: Path, root: Path, where: str, problems: list[Problem], loaders: Loaders) -> Any:
    if isinstance(data, list):
        return [_expand(item, base, root, f"{where}[{i + 1}]", problems, loaders) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        field = f"{where}.{key}" if where else str(key)
        if key not in loaders:
            if _is_reference(key):
                problems.append(Problem(field, ABSENT, "未知的文件引用，可用：" + "、".join(loaders)))
                continue
            out[key] = _expand(value, base, root, field, problems, loaders)
            continue
        target, load = loaders[key]
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(field, ABSENT, "应为文件或文件夹的路径（文字）"))
            continue
        shown = printable(value)
        try:
            out[target] = load(inside(value, base, root), root)
        except Refused as exc:
            problems.append(Problem(field, shown, str(exc)))
        except InvalidRecord as exc:  # a folder's refused files, a real application workbook's bad boxes
            problems += [Problem(f"{field}「{shown}」中的 {p.field}", p.value, p.rule, p.label) for p in exc.problems]
    return out
