"""Generated wording (a 批复's text, a 通报's findings) lives in text templates staff edit in one place:
``templates/text/*.txt``, or the same names in the folder ``DOCGEN_TEXT_DIR`` names, which win. Both the
DOCX and the PDF are built from what a template gives, so an edit shows in both.

A template is Jinja over plain text. It may open with ``标题：`` and ``主送：`` lines; after a blank line
each line is a block of the body: ``# 一级标题``, ``## 二级标题。正文`` (the heading runs to its first
「。」 and the rest of the line continues the paragraph), ``### 三级标题。正文``, or a paragraph. Values
are data: whatever they hold is printed as one line of text, never read as template code or markup.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import (FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError,
                    UndefinedError)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from docgen.content.numbering import HeadingCounter
from docgen.content.document import (Attachment, Block, Colophon, Header, Heading, OfficialDocument, Paragraph,
                                     Signature)
from docgen.problems import InvalidRecord, Problem
from docgen.records.fields import format_date
from docgen.resources import shipped_folder

DEFAULT_DIR = shipped_folder("templates") / "text"  # the repository's templates/text, or the installed copy
LEVELS = {"#": 1, "##": 2, "###": 3, "####": 4}


@dataclass(frozen=True)
class Wording:
    title: str
    addressees: str
    body: tuple[Block, ...]


def issued_document(record, wording: Wording, name: str, attachments: tuple[Attachment, ...] = (),
                    names: tuple[str, ...] = ()) -> OfficialDocument:
    """The 公文 a generated wording makes, issued as ``record`` says: its issuer, 发文字号, date, seal
    (stamped-ready by default), 抄送 and 印发机关 (the issuer unless named); ``names`` are the record's
    names its title is not broken inside."""
    date = format_date(record.date)
    return OfficialDocument(
        name=record.name or name,
        header=Header(mark=record.issuer.mark, doc_number=str(record.doc_number)),
        title=wording.title,
        addressees=wording.addressees,
        body=wording.body,
        attachments=attachments,
        signature=Signature(record.issuer.organ, date, sealed=record.seal == "sealed"),
        colophon=Colophon(printer=record.printer or record.issuer.organ, print_date=date, cc=tuple(record.cc)),
        names=names,
    )


def _one_line(value: object) -> object:
    """What a value prints as: its text on one line, so data can never start a heading or a paragraph."""
    return " ".join(value.split()) if isinstance(value, str) else value


@lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    """Jinja's immutable sandbox: a template edited by staff may read the values it is given, never an
    attribute that leads out of them (``__globals__``, ``__class__`` …) nor change them."""
    return ImmutableSandboxedEnvironment(loader=FileSystemLoader(list(folders)), undefined=StrictUndefined,
                                         finalize=_one_line, keep_trailing_newline=True, lstrip_blocks=True,
                                         autoescape=False)


def template_folders() -> tuple[str, ...]:
    override = os.environ.get("DOCGEN_TEXT_DIR")
    return tuple(str(p) for p in ([Path(override)] if override else []) + [DEFAULT_DIR])


def render_wording(name: str, values: dict) -> Wording:
    """Fill the text template ``name`` (e.g. ``reply-contact-point-approve.txt``) with ``values``."""
    env = _environment(template_folders())
    try:
        template = env.get_template(name)
        text = template.render(values)
    except TemplateNotFound:
        raise _error(name, None, "文字模板不存在（应在 templates/text/ 或 DOCGEN_TEXT_DIR 指定的文件夹中）") from None
    except TemplateSyntaxError as exc:
        raise _error(name, exc.lineno, f"模板语法错误：{exc.message}") from None
    except SecurityError as exc:
        raise _error(name, _line_of(name), f"模板用了不允许的写法（只能读取给定的值）：{exc}") from None
    except UndefinedError as exc:
        raise _error(name, _line_of(name), f"用到了没有的值（{exc.message}）；可用的值："
                     + "、".join(sorted(values))) from None
    except TemplateError as exc:
        raise _error(name, _line_of(name), f"模板无法填写：{exc}") from None
    return parse_wording(text)


def _line_of(name: str) -> int | None:
    """The template line a render error came from: Jinja keeps it in the traceback's template frame."""
    tb = sys.exc_info()[2]
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _error(name: str, line: int | None, rule: str) -> InvalidRecord:
    where = f"第 {line} 行" if line else "某处"
    return InvalidRecord([Problem(f"文字模板 {name}", where, rule)])


def parse_wording(text: str) -> Wording:
    fields = {"标题": "", "主送": ""}
    lines = text.splitlines()
    start = 0
    while start < len(lines):
        key, sep, value = lines[start].partition("：")
        if not (sep and key in fields):
            break
        fields[key] = value.strip()
        start += 1
    counter = HeadingCounter()
    blocks: list[Block] = []
    for line in (ln.strip() for ln in lines[start:]):
        marker, _, rest = line.partition(" ")
        if marker in LEVELS and rest.strip():
            heading, stop, run_in = rest.strip().partition("。")
            level = LEVELS[marker]
            blocks.append(Heading(level, counter.next(level), heading + stop,
                                  run_in.strip()))
        elif line:
            blocks.append(Paragraph(line))
    return Wording(fields["标题"], fields["主送"], tuple(blocks))
