"""The base of every record: strict, hand-writable in YAML, and explained in Chinese when wrong."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from docgen.problems import ABSENT, InvalidRecord, Problem

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

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

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


def read_yaml(path: str | Path) -> Any:
    """Read a hand-written YAML record; a syntax error is reported with its line, not a traceback."""
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidRecord([Problem("文件", str(path), "文件不存在")]) from None
    except UnicodeDecodeError:
        raise InvalidRecord([Problem("文件", str(path), "不是 UTF-8 编码的文本文件")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise InvalidRecord([Problem("文件", str(path), f"YAML 格式错误（{where}）：{getattr(exc, 'problem', exc)}")]) from None


def read_csv(path: str | Path) -> list[list[str]]:
    """Read a CSV as staff save it from Excel or WPS: UTF-8 (with or without BOM) or GB18030."""
    import csv
    import io

    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(raw.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise InvalidRecord([Problem("文件", str(path), "编码无法识别（应为 UTF-8 或 GB18030 的 CSV）")])


def problems_from(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [part for part in err["loc"] if not _is_union_tag(part)]
        field = _path(loc)
        rule = _rule(err)
        value = ABSENT if err["type"] == "missing" else err.get("input", ABSENT)
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


def _is_union_tag(part: Any) -> bool:
    """pydantic names a union's branch in the location; staff need not see it.

    Records tag their union branches with names starting with "~" (see records.notice.Block).
    """
    return isinstance(part, str) and part.startswith(("function-", "~"))


def _path(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
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
