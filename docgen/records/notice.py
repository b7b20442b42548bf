"""The record of a hand-written 公文 (kind ``notice``), as staff write it in YAML."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from docgen.records.base import Record
from docgen.records.fields import DateField, DocNumberField
from docgen.records.filenames import check_filename
from docgen.records.limits import BODY_BLOCKS, TABLE_COLUMNS, TABLE_ROWS, TITLE_CHARS, at_most

Text = Annotated[str, Field(min_length=1)]


def _title_length(value: str) -> str:
    """A title is laid out in at most a dozen lines: longer text is a paragraph, not a title."""
    if len(value) > TITLE_CHARS.maximum:
        raise ValueError(f"超过上限：{TITLE_CHARS.label}最多 {TITLE_CHARS.maximum:,} {TITLE_CHARS.unit}，"
                         f"这里有 {len(value):,} {TITLE_CHARS.unit}")
    return value


class Issuer(Record):
    organ: Text = Field(title="发文机关")
    mark: str = Field("", title="发文机关标志")

    @model_validator(mode="after")
    def _default_mark(self) -> "Issuer":
        if not self.mark:
            object.__setattr__(self, "mark", f"{self.organ}文件")
        return self


class HeadingBlock(Record):
    """One numbered heading; give exactly one of h1…h4. ``text`` continues the paragraph after it."""

    h1: str | None = Field(None, title="一级标题")
    h2: str | None = Field(None, title="二级标题")
    h3: str | None = Field(None, title="三级标题")
    h4: str | None = Field(None, title="四级标题")
    text: str = Field("", title="标题后正文")
    restart: bool = Field(False, title="重新编号")

    @model_validator(mode="after")
    def _one_level(self) -> "HeadingBlock":
        given = [lvl for lvl in (1, 2, 3, 4) if getattr(self, f"h{lvl}")]
        if len(given) != 1:
            raise ValueError("每个标题块只能有 h1、h2、h3、h4 中的一个")
        return self

    @property
    def level(self) -> int:
        return next(lvl for lvl in (1, 2, 3, 4) if getattr(self, f"h{lvl}"))

    @property
    def heading(self) -> str:
        return getattr(self, f"h{self.level}")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


class TableSpec(Record):
    title: str = Field("", title="表名")
    columns: Annotated[list[Text], at_most(TABLE_COLUMNS)] = Field(title="表头", min_length=1)
    rows: Annotated[list[list[Any]], at_most(TABLE_ROWS)] = Field(default_factory=list, title="表格行")
    widths: list[float] | None = Field(None, title="列宽比例")

    @model_validator(mode="after")
    def _shape(self) -> "TableSpec":
        n = len(self.columns)
        for i, row in enumerate(self.rows, 1):
            if len(row) != n:
                raise ValueError(f"第 {i} 行有 {len(row)} 格，表头有 {n} 列")
        if self.widths is not None and (len(self.widths) != n or any(w <= 0 for w in self.widths)):
            raise ValueError(f"列宽比例应为 {n} 个正数")
        object.__setattr__(self, "rows", [[_cell(c) for c in row] for row in self.rows])
        return self


class TableBlock(Record):
    table: TableSpec = Field(title="表格")


class FigureSpec(Record):
    caption: Text = Field(title="图题")
    lines: list[Text] = Field(title="图中文字", min_length=1)


class FigureBlock(Record):
    figure: FigureSpec = Field(title="图")


class PlaqueFigureSpec(Record):
    caption: Text = Field(title="图题")
    station: Text = Field(title="站名（标牌第二行）")
    bureau: str = Field("", title="市场监督管理局（联系点标牌第三行；空则为一般工作站标牌）")


class PlaqueBlock(Record):
    """A station plaque drawn as the real art of annex 7 (工作站图样)."""

    plaque: PlaqueFigureSpec = Field(title="标牌图样")


class FormBlock(Record):
    """A blank annex form of the seed notice (附件1–6), drawn from the forms' one definition."""

    form: int = Field(ge=1, le=6, title="附件表格（1–6）")


def _block_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "~p"
    if isinstance(value, dict):
        if "table" in value:
            return "~table"
        if "figure" in value:
            return "~figure"
        if "plaque" in value:
            return "~plaque"
        if "form" in value:
            return "~form"
        if any(k in value for k in ("h1", "h2", "h3", "h4")):
            return "~heading"
        return None
    return {HeadingBlock: "~heading", TableBlock: "~table", FigureBlock: "~figure",
            PlaqueBlock: "~plaque", FormBlock: "~form"}.get(type(value))


Block = Annotated[
    Union[
        Annotated[Text, Tag("~p")],
        Annotated[HeadingBlock, Tag("~heading")],
        Annotated[TableBlock, Tag("~table")],
        Annotated[FigureBlock, Tag("~figure")],
        Annotated[PlaqueBlock, Tag("~plaque")],
        Annotated[FormBlock, Tag("~form")],
    ],
    Discriminator(_block_tag, custom_error_type="block_kind",
                  custom_error_message="正文块只能是：一段文字，或 h1–h4 标题，或 table 表格，或 figure 图，或 plaque 标牌图样，"
                                         "或 form 附件表格"),
]


class AttachmentSpec(Record):
    title: Text = Field(title="附件名称")
    blocks: list[Block] = Field(default_factory=list, title="附件内容")

    @field_validator("title")
    @classmethod
    def _no_end_punctuation(cls, v: str) -> str:
        if v[-1] in "。，；：、.,;:":
            raise ValueError("附件名称后不加标点符号")
        return _title_length(v)


class SignatureSpec(Record):
    organ: Text = Field(title="署名（发文机关）")
    date: DateField = Field(title="成文日期")
    seal: Literal["unsealed", "sealed"] = Field("unsealed", title="用印方式")


class ColophonSpec(Record):
    cc: list[Text] = Field(default_factory=list, title="抄送机关")
    printer: Text = Field(title="印发机关")
    print_date: DateField = Field(title="印发日期")


_SECRECY = re.compile(r"^(绝密|机密|秘密)(★.+)?$")


class NoticeRecord(Record):
    """A 公文 written by hand: the seed notice is one (samples/notices/jiaozuo-2021-135.yaml)."""

    kind: Literal["notice"] = Field(title="文种")
    name: str = Field("", title="输出文件名")
    issuer: Issuer = Field(title="发文机关")
    doc_number: DocNumberField = Field(title="发文字号")
    copy_number: str = Field("", title="份号")
    secrecy: str = Field("", title="密级和保密期限")
    urgency: Literal["", "特急", "加急"] = Field("", title="紧急程度")
    direction: Literal["下行文", "平行文", "上行文"] = Field("下行文", title="行文方向")
    signers: list[Text] = Field(default_factory=list, title="签发人")
    title: Text = Field(title="标题")
    title_lines: list[Text] = Field(default_factory=list, title="标题分行")
    addressees: Text = Field(title="主送机关")
    body: Annotated[list[Block], at_most(BODY_BLOCKS)] = Field(title="正文", min_length=1)
    attachments: list[AttachmentSpec] = Field(default_factory=list, title="附件")
    signature: SignatureSpec = Field(title="署名和成文日期")
    note: str = Field("", title="附注")
    colophon: ColophonSpec | None = Field(None, title="版记")

    @field_validator("copy_number")
    @classmethod
    def _copy_number(cls, v: str) -> str:
        if v and not re.fullmatch(r"\d{6}", v):
            raise ValueError("份号为 6 位阿拉伯数字，如 000123")
        return v

    @field_validator("name")
    @classmethod
    def _file_name(cls, v: str) -> str:
        return check_filename(v)

    @field_validator("secrecy")
    @classmethod
    def _secrecy(cls, v: str) -> str:
        if v and not _SECRECY.match(v):
            raise ValueError("密级只能是 绝密、机密、秘密，保密期限用★隔开，如 秘密★1年")
        return v

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        return _title_length(v)

    @field_validator("addressees")
    @classmethod
    def _addressees_colon(cls, v: str) -> str:
        return v.rstrip("：:")

    @model_validator(mode="after")
    def _signers(self) -> "NoticeRecord":
        if self.direction == "上行文" and not self.signers:
            raise ValueError("上行文必须写明签发人（signers）")
        if self.direction != "上行文" and self.signers:
            raise ValueError("只有上行文标注签发人；请把 direction 设为 上行文 或删去 signers")
        if self.title_lines and "".join(self.title_lines) != self.title:
            raise ValueError("标题分行（title_lines）连起来必须与标题（title）一字不差")
        return self
