"""The base of every record: strict, hand-writable in YAML, and explained in Chinese when wrong."""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records import limits

R = TypeVar("R", bound="Record")

# pydantic's error types → the rule, in Chinese, that a clerk can act on
_RULES = {
    "missing": "必填项，不能缺少",
    "extra_forbidden": "未知字段（可能拼写错误），不能接受",
    "string_type": "应为文字",
    "string_too_short": "不能为空（至少 {min_length} 个字）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项一行，以 - 开头）",
    "dict_type": "应为键值对（字段: 值）",
    "model_type": "应为键值对（字段: 值）",
    "literal_error": "只能取以下值之一：{expected}",
    "enum": "只能取以下值之一：{expected}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "union_tag_invalid": "类型只能是：{expected_tags}",
    "string_pattern_mismatch": "格式不正确",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "union_tag_not_found": "缺少类型字段 {discriminator}",
}


class Record(BaseModel):
    """A record staff submit. Unknown fields are refused so that a typo never passes silently."""

    # defer_build: a model's validator is built when it first validates, so a process builds only its kind's
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_unsafe_values(cls, value: Any) -> Any:
        """Every raw value, at any depth: no character XML forbids, no inf/nan, no huge int or text."""
        found = unsafe_value(value)
        if found:
            where, part, rule = found
            context = {"rule": rule, "where": where, "part": _displayable(part)}
            raise PydanticCustomError("unsafe_value", "{rule}", context)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_non_finite(cls, value: Any) -> Any:
        """A number converted from text ("inf", "1e999", "nan") is refused like one written as .inf."""
        items = value if isinstance(value, (list, tuple)) else (value,)
        for item in items:
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"数值不能是无穷大或非数（{item}），应为普通数字")
        return value

    @classmethod
    def parse(cls: type[R], data: Any, source: str = "") -> R:
        """Validate ``data``; raise InvalidRecord with every problem in Chinese."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidRecord(problems_from(exc, cls), source) from None

    @classmethod
    def load(cls: type[R], path: str | Path) -> R:
        return cls.parse(read_yaml(path), source=str(path))


# Characters XML 1.0 forbids (plus DEL and C1 controls): they break word/document.xml and openpyxl. And the
# invisible ones: zero-width characters (they make two names that look alike differ) and text-direction
# overrides (they make text read otherwise than it is stored).
INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
FORBIDDEN_CHARS = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufffe\\uffff\\ud800-\\udfff{INVISIBLE}]")


ENCODED_KEY = "base64"  # a file's content carried in a record (docgen.records.notice.AttachmentFile): not text


def printable(text: str) -> str:
    """``text`` with every forbidden character shown as U+XXXX, safe to print in a message."""
    return FORBIDDEN_CHARS.sub(lambda m: f"U+{ord(m.group()):04X}", text)


def _char_kind(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return "孤立的代理项"
    if code in (0xFFFE, 0xFFFF):
        return "非字符"
    if re.match(f"[{INVISIBLE}]", ch):
        return "不可见的格式字符（零宽字符或文字方向控制符）"
    return "控制字符"


def _digits(number: int) -> int:
    try:
        return len(str(abs(number)))
    except ValueError:  # beyond Python's str() digit limit
        return int(abs(number).bit_length() * 0.30103) + 1


def _over(limit: limits.Limit, value: int) -> str:
    return f"{limit.error(value, '').problems[0].rule}（实际 {value:,} {limit.unit}）"


def unsafe_value(value: Any, where: str = "", depth: int = 0) -> tuple[str, Any, str] | None:
    """Why a raw value may not reach a record, as (path inside the value, offending part, rule); None when
    it may. Walks strings, lists and dicts at any depth."""
    if depth > limits.NESTING_DEPTH.maximum:
        return where, "…", _over(limits.NESTING_DEPTH, depth)
    if isinstance(value, str):
        if len(value) > limits.TEXT_CHARS.maximum:
            return where, value, _over(limits.TEXT_CHARS, len(value))
        bad = FORBIDDEN_CHARS.search(value)
        if bad:
            ch = bad.group()
            return where, value, (f"第 {bad.start() + 1} 个字符是{_char_kind(ch)} U+{ord(ch):04X}，"
                                  "公文和表格中不能出现（多为复制粘贴带入），请删去")
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        digits = _digits(value)
        return (where, value, _over(limits.INTEGER_DIGITS, digits)) if digits > limits.INTEGER_DIGITS.maximum else None
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, value, f"数值不能是无穷大或非数（{value}），应为普通数字")
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = unsafe_value(item, f"{where}[{i + 1}]", depth + 1)
            if found:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == ENCODED_KEY and isinstance(item, str):
                continue  # a file's content: its model checks the alphabet and limits.ATTACHMENT_FILE_BYTES
            inner = f"{where}.{printable(key) if isinstance(key, str) else key}"
            found = (unsafe_value(key, inner, depth + 1) if isinstance(key, str) else None) \
                or unsafe_value(item, inner, depth + 1)
            if found:
                return found
    return None


def read_bounded(path: str | Path, limit: limits.Limit) -> bytes:
    """A regular file's bytes, its size checked against ``limit`` before anything is read."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InvalidRecord([Problem("文件", str(path), "文件不存在")]) from None
    except IsADirectoryError:
        raise InvalidRecord([Problem("文件", str(path), "是文件夹，不是文件")]) from None
    except OSError as exc:
        raise InvalidRecord([Problem("文件", str(path), f"无法打开（{exc.strerror}）")]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InvalidRecord([Problem("文件", str(path), "是文件夹，不是文件")])
        if not stat.S_ISREG(info.st_mode):
            raise InvalidRecord([Problem("文件", str(path), "不是普通文件（是设备、管道或套接字），不能读取")])
        limit.check(info.st_size, "文件", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit.maximum + 1)  # the file may have grown since fstat
    finally:
        os.close(fd)
    limit.check(len(data), "文件", str(path))
    return data


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses alias bombs, deep nesting, duplicated keys and huge integers while composing."""

    source = ""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0  # aliases as if every one were expanded
        self._inside: dict[str, int] = {}  # anchor → expanded aliases inside its node
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.anchors:
                self._aliases += 1 + self._inside.get(event.anchor, 0)
                limits.YAML_ALIASES.check(self._aliases, f"第 {line} 行的别名", self.source)
            return super().compose_node(parent, index)
        self._depth += 1
        limits.NESTING_DEPTH.check(self._depth, f"第 {line} 行", self.source)
        before = self._aliases
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if event.anchor is not None:
            self._inside[event.anchor] = self._aliases - before
        if isinstance(node, yaml.MappingNode):
            self._refuse_duplicate_keys(node)
        return node

    def _refuse_duplicate_keys(self, node: yaml.MappingNode) -> None:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            construct = self.yaml_constructors.get(key_node.tag)
            try:
                key = construct(self, key_node) if construct else key_node.value
                hash(key)
            except (TypeError, ValueError, yaml.YAMLError):
                key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                shown = printable(str(key))
                raise InvalidRecord([Problem(f"第 {line} 行的键", shown,
                                             f"键重复：同一层中「{shown}」已在第 {seen[key]} 行出现"
                                             "（YAML 只会保留后一个），请删去一处或改名")], self.source)
            seen[key] = line

    def construct_yaml_int(self, node):
        raw = str(node.value).replace("_", "").lstrip("+-")
        raw = raw[2:] if raw[:2].lower() in ("0x", "0b", "0o") else raw
        limits.INTEGER_DIGITS.check(len(raw), f"第 {node.start_mark.line + 1} 行的整数", self.source)
        return super().construct_yaml_int(node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)


def parse_yaml_text(text: str, source: str) -> Any:
    """Parse YAML text (a file's or a request's) within the limits; errors name ``source``, never the content."""
    size = len(text) if len(text) > limits.RECORD_BYTES.maximum else len(text.encode("utf-8", "surrogatepass"))
    limits.RECORD_BYTES.check(size, "文件", source)
    loader = _BoundedLoader(text)
    loader.source = source
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        problem = printable(str(getattr(exc, "problem", None) or "无法解析"))[:80]
        raise InvalidRecord([Problem("文件", source, f"YAML 格式错误（{where}）：{problem}")]) from None
    except RecursionError:
        raise InvalidRecord([Problem("文件", source, "YAML 嵌套过深，无法读取")]) from None
    finally:
        loader.dispose()


def read_yaml(path: str | Path) -> Any:
    """Read a hand-written YAML record; a syntax error is reported with its line, not a traceback."""
    path = Path(path)
    data = read_bounded(path, limits.RECORD_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRecord([Problem("文件", str(path), "不是 UTF-8 编码的文本文件")]) from None
    return parse_yaml_text(text, str(path))


def read_csv(path: str | Path) -> list[list[str]]:
    """Read a CSV as staff save it from Excel or WPS: UTF-8 (with or without BOM) or GB18030."""
    source = str(path)
    raw = read_bounded(path, limits.CSV_BYTES)
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise InvalidRecord([Problem("文件", source, f"第 {line} 行含有空字符（NUL），不是文本 CSV"
                                                    "（可能是 UTF-16 编码或二进制文件）；请另存为 UTF-8 的 CSV")])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _csv_rows(text, source)
    raise InvalidRecord([Problem("文件", source, "编码无法识别（应为 UTF-8 或 GB18030 的 CSV）")])


def _csv_rows(text: str, source: str) -> list[list[str]]:
    import csv
    import io

    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            n = len(rows) + 1
            limits.TABLE_ROWS.check(n, "文件", source)
            limits.TABLE_COLUMNS.check(len(row), f"第 {n} 行", source)
            for c, cell in enumerate(row):
                limits.CELL_CHARS.check(len(cell), f"第 {n} 行第 {c + 1} 列", source)
            rows.append(row)
    except csv.Error as exc:
        n = len(rows) + 1
        if "field larger than field limit" in str(exc):
            over = limits.CELL_CHARS.error(csv.field_size_limit(), f"第 {n} 行", source).problems[0]
            raise InvalidRecord([Problem(over.field, f"超过 {csv.field_size_limit():,} 字", over.rule)], source) from None
        raise InvalidRecord([Problem(f"第 {n} 行", source, "CSV 格式错误，无法读取")], source) from None
    return rows


def problems_from(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not _is_union_tag(part)]
        field = _path(loc)
        rule = _rule(err)
        value = ABSENT if err["type"] == "missing" else _displayable(err.get("input", ABSENT))
        if err["type"] == "unsafe_value":  # name the very part inside the field
            field += err["ctx"]["where"]
            rule = err["ctx"]["rule"]
            value = err["ctx"]["part"]
        if err["type"] == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            if close:
                rule += f"；是否想写 {close[0]}？"
            elif allowed:
                rule += "；此处允许的字段：" + "、".join(allowed)
            value = ABSENT
        problems.append(Problem(field, value, rule, _label(model, loc)))
    return problems


def _displayable(value: Any) -> Any:
    """The value as a message may show it: forbidden characters as U+XXXX, huge integers by their size."""
    if isinstance(value, str):
        return printable(value) if FORBIDDEN_CHARS.search(value) else value
    if isinstance(value, bool) or value is None or value is ABSENT or isinstance(value, float):
        return value
    if isinstance(value, int):
        digits = _digits(value)
        return f"（{digits:,} 位整数）" if digits > 60 else value
    try:
        text = str(value)
    except (ValueError, RecursionError):
        return "（无法显示的值）"
    return printable(text) if FORBIDDEN_CHARS.search(text) else value


def _is_union_tag(part: Any) -> bool:
    """pydantic names a union's branch in the location; staff need not see it.

    Records tag their union branches with names starting with "~" (see records.notice.Block).
    """
    return isinstance(part, str) and part.startswith(("function-", "~"))


def _path(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{printable(str(part))}" if out else printable(str(part)))
    return out or "记录"


def _rule(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        return message.removeprefix("Value error, ")
    template = _RULES.get(kind)
    if template is None:
        return err["msg"] if _is_chinese(err["msg"]) else f"格式不正确（{err['msg']}）"
    ctx = dict(err.get("ctx", {}))
    if isinstance(ctx.get("expected"), str):  # pydantic's "'a', 'b' or 'c'" → a、b、c
        ctx["expected"] = ctx["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _walk(model: Any, loc: list[Any]) -> Any:
    """The model class reached by following ``loc`` through nested fields (None when lost)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
    return current


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _label(model: Any, loc: list[Any]) -> str:
    names = [p for p in loc if not isinstance(p, int)]
    if not names:
        return ""
    parent = _walk(model, loc[: max(i for i, p in enumerate(loc) if not isinstance(p, int))])
    fields = getattr(parent, "model_fields", {}) or {}
    info = fields.get(names[-1])
    return (info.title or "") if info else ""


def _allowed_fields(model: Any, loc: list[Any]) -> list[str]:
    parent = _walk(model, loc)
    fields = getattr(parent, "model_fields", None) or {}
    return [name for name, info in fields.items()]
