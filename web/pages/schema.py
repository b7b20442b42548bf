"""Forms generated from a kind's own record schema (the pydantic model docgen validates with).

Each top-level field of the record becomes one form field: its title is the label, a ``Literal`` a select
(with the Chinese words its title gives each value), a list of plain values a textarea of one value a line
(a list of ``Literal`` values a set of check boxes), a ``bool`` a 是/否 select, and anything deeper (a
nested model, a list of models) a YAML text area whose help names the sub-fields. Nothing is validated
here: what the person typed is turned into a record dict and docgen (``docgen.kinds.parse_record``) says
what is wrong, in the CLI's words, which the page shows next to the field the problem's path starts with.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from docgen.kinds import DocumentKind
from docgen.problems import InvalidRecord, Problem
from docgen.records.base import parse_yaml_text
from docgen.records.fields import DocNumber

# Fields a form never shows: the kind is the page's choice; the register allocates 公文 numbers at sign-off.
HIDDEN = {"kind"}
NUMBER_FIELDS = {"doc_number", "first_number"}


# Placeholders that show the shape of the deeper fields people fill most (the schema's help says the rest).
EXAMPLES = {
    "issuer": "organ: 焦作市市场监督管理局",
    "body": "- 现将有关事项通知如下。\n- h1: 工作目标\n- 一段正文……\n- h2: 具体要求\n  text: 紧接标题的正文。",
    "signature": "organ: 焦作市市场监督管理局\ndate: 2021年8月3日\nseal: sealed",
    "colophon": "cc: [焦作市人民政府办公室]\nprinter: 焦作市市场监督管理局办公室\nprint_date: 2021年8月3日",
    "attachments": "- title: 知识产权保护工作站申请表\n  blocks:\n    - 附件正文……",
    "request": "title: 关于申请确定为知识产权保护联系点的请示\nnumber: 焦汽协〔2021〕8号",
    "head": "name: 王芳\nmobile: \"13812345678\"\nmessenger: \"12345678\"",
    "staff": "name: 赵强\nmobile: \"13937112233\"",
    "stations": "- name: 知识产权保护工作站山阳区太行路商会站\n  variant: contact\n  bureau: 山阳区市场监督管理局",
}
WIDE_TEXT = {"title", "addressees", "note", "notice", "address", "organisation", "station", "equipment", "printer"}


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # text | number | date | select | checks | lines | yaml | bool
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    value: Any = ""  # what the page shows (a string, or a list for checks)
    errors: list[str] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        return self.widget in ("yaml", "lines", "checks") or self.name in WIDE_TEXT

    @property
    def placeholder(self) -> str:
        return EXAMPLES.get(self.name, "")

    @property
    def values(self) -> list[str]:
        return list(self.value) if isinstance(self.value, (list, tuple)) else []


def _unwrap(annotation: Any) -> Any:
    """The annotation without Annotated/Optional wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _choice_labels(title: str, values: list[str]) -> list[tuple[str, str]]:
    """A Literal's values with the words its title gives them: '样式（general 一般工作站 / contact 联系点）'."""
    out = []
    for value in values:
        found = re.search(rf"(?:^|[（(/\s]){re.escape(value)}\s+([^/）)]+)", title) if value else None
        label = found.group(1).strip() if found else (value or "（无）")
        out.append((value, label if label == value else f"{label}（{value}）"))
    return out


def _bare_title(title: str) -> str:
    """'样式（general 一般工作站 / contact 联系点）' → '样式' (the choices are shown by the select)."""
    return re.sub(r"（[^（）]*[a-z][^（）]*）$", "", title) or title


def _sub_fields(model: type[BaseModel]) -> str:
    parts = []
    for name, info in model.model_fields.items():
        mark = "（必填）" if info.is_required() else ""
        parts.append(f"{name}：{info.title or name}{mark}")
    return "；".join(parts)


def form_fields(kind: DocumentKind, *, numbered_by_register: bool) -> list[FormField]:
    """The form of a kind's record, field by field, in the schema's order."""
    fields = []
    for name, info in kind.record.model_fields.items():
        if name in HIDDEN or (numbered_by_register and name in NUMBER_FIELDS):
            continue
        title = info.title or name
        annotation = _unwrap(info.annotation)
        origin = get_origin(annotation)
        required = info.is_required()
        f = FormField(name, _bare_title(title), "text", required)
        if origin is Literal:
            f.widget = "select"
            f.choices = _choice_labels(title, [str(v) for v in get_args(annotation)])
            if not required:
                f.choices = [("", "（默认）")] + [c for c in f.choices if c[0] != ""]
        elif annotation is bool:
            f.widget = "bool"
            f.choices = [("", "（默认）"), ("true", "是"), ("false", "否")]
        elif annotation in (int, float):
            f.widget = "number"
        elif annotation is dt.date:
            f.widget = "date"
            f.help = "如 2021年8月3日"
        elif annotation is DocNumber:
            f.help = "如 焦市监办〔2021〕135号"
        elif origin in (list, tuple) and annotation is not None:
            args = get_args(annotation)
            inner = _unwrap(args[0]) if args else str
            if origin is tuple and all(_unwrap(a) in (int, float) for a in args):
                f.help = "宽x高（毫米），如 600x400"
            elif get_origin(inner) is Literal:
                f.widget = "checks"
                f.choices = [(str(v), str(v)) for v in get_args(inner)]
            elif inner in (str, int, float) or inner is DocNumber:
                f.widget = "lines"
                f.help = "每行一项"
            else:
                f.widget = "yaml"
                f.help = "YAML 列表，每项以“- ”开头" + (f"；每项的字段：{_sub_fields(inner)}" if _is_model(inner) else "")
        elif _is_model(annotation):
            f.widget = "yaml"
            f.help = f"YAML，字段：{_sub_fields(annotation)}"
        elif annotation is not str:
            f.widget = "yaml"
            f.help = "YAML"
        fields.append(f)
    return fields


def record_from_post(kind: DocumentKind, fields: list[FormField], post) -> tuple[dict, list[Problem]]:
    """The record the form describes (empty fields left out, so the schema's defaults apply), and the
    problems of reading it (a YAML text area that is not YAML). Each field keeps what was typed."""
    record: dict[str, Any] = {"kind": kind.name}
    problems: list[Problem] = []
    for f in fields:
        if f.widget == "checks":
            chosen = [v for v in post.getlist(f.name) if v in dict(f.choices)]
            f.value = chosen
            if chosen:
                record[f.name] = chosen
            continue
        raw = post.get(f.name, "")
        raw = raw.replace("\r\n", "\n") if isinstance(raw, str) else ""
        f.value = raw
        if not raw.strip():
            continue
        if f.widget == "lines":
            record[f.name] = [line.strip() for line in raw.split("\n") if line.strip()]
        elif f.widget == "bool":
            record[f.name] = raw == "true"
        elif f.widget == "number":
            text = raw.strip()
            try:
                record[f.name] = int(text) if re.fullmatch(r"[+-]?\d{1,15}", text) else float(text)
            except ValueError:
                record[f.name] = text  # docgen names the rule
        elif f.widget == "yaml":
            try:
                record[f.name] = parse_yaml_text(raw, f.label)
            except InvalidRecord as exc:
                problems += [Problem(f.name, p.value, p.rule, f.label) for p in exc.problems]
        else:
            record[f.name] = raw.strip()
    return record, problems


def top_field(problem: Problem) -> str:
    """The top-level field a problem's path starts with ('signature.date' → 'signature')."""
    return re.split(r"[.\[]", problem.field, maxsplit=1)[0]


def attach(fields: list[FormField], problems: list[Problem]) -> list[str]:
    """Puts each problem's Chinese message next to its field; returns the messages no field shows."""
    by_name = {f.name: f for f in fields}
    rest = []
    for p in problems:
        target = by_name.get(top_field(p))
        if target is not None:
            target.errors.append(p.message())
        else:
            rest.append(p.message())
    return rest


def fill(fields: list[FormField], record: dict) -> None:
    """Shows a record's values in the form (an uploaded file, a draft being edited)."""
    import yaml

    for f in fields:
        if f.name not in record:
            continue
        value = record[f.name]
        if f.widget == "checks":
            f.value = [str(v) for v in value] if isinstance(value, list) else []
        elif f.widget == "lines" and isinstance(value, list):
            f.value = "\n".join(str(v) for v in value)
        elif f.widget == "bool":
            f.value = "true" if value is True else "false" if value is False else ""
        elif f.widget == "yaml":
            f.value = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False)
        elif isinstance(value, (list, tuple)) and f.help.startswith("宽x高"):
            f.value = "x".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
        else:
            f.value = str(value)
