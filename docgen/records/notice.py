"""The record of a hand-written 公文 (kind ``notice``), as staff write it in YAML."""

from __future__ import annotations

import binascii
import io
import re
import zipfile
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BeforeValidator, Discriminator, Field, PrivateAttr, Tag, ValidationInfo,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from docgen.fonts.metrics import role_metrics
from docgen.records.base import Record
from docgen.records.fields import DateField, DocNumberField
from docgen.records.filenames import check_filename
from docgen.records.formats import AttendanceSpec, Format, OrderSigner, check_format
from docgen.records.limits import ATTACHMENT_FILE_BYTES, BODY_BLOCKS, TABLE_COLUMNS, TABLE_ROWS, TITLE_CHARS, at_most

Text = Annotated[str, Field(min_length=1)]


TITLE_SIZE_PT = 22.0  # 二号, the title's size (§7.3.1)
TYPE_WIDTH_MM = 156.0  # the 版心 a title line must fit (§5.2.1)


def _title_line(line: str) -> str:
    """A hand-broken title line fits the type area at the title's size and face (二号小标宋)."""
    metrics = role_metrics("xiaobiaosong")
    width = sum(metrics.advance(c) for c in line) * TITLE_SIZE_PT * 25.4 / 72
    if width > TYPE_WIDTH_MM + 0.01:
        most = int(TYPE_WIDTH_MM / (TITLE_SIZE_PT * 25.4 / 72))
        raise ValueError(f"这一行宽 {width:.1f} mm，超出版心宽 {TYPE_WIDTH_MM:g} mm（标题为二号小标宋，"
                         f"每行最多 {most} 个汉字）：请在更前处分行")
    return line


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


JOINT_ORGANS = (2, 4)  # 联合行文: how many issuing organs a joint document may name


def _joint_organs(organs: list[str]) -> list[str]:
    seen = [o for n, o in enumerate(organs) if o in organs[:n]]
    if seen:
        raise ValueError(f"联合发文机关不能重复（「{seen[0]}」出现了不止一次）")
    return organs


class NoticeIssuer(Issuer):
    """The issuer of a 公文: one organ, or 2–4 organs issuing jointly (联合行文, §7.2.3), the 主办机关 first.

    A joint mark stacks the organs' names with 文件 to their right (``joint_mark: joint``), or shows the
    主办机关's mark alone (``joint_mark: sponsor``)."""

    organ: str = Field("", title="发文机关")
    organs: list[Text] = Field(default_factory=list, title="联合发文机关（主办机关在前）",
                               min_length=JOINT_ORGANS[0], max_length=JOINT_ORGANS[1])
    joint_mark: Literal["joint", "sponsor"] = Field("joint", title="联合行文的发文机关标志")

    @field_validator("organs")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        return _joint_organs(v)

    @model_validator(mode="after")
    def _default_mark(self) -> "NoticeIssuer":
        if "organs" not in self.model_fields_set:
            if not self.organ:
                raise ValueError("请写明发文机关（organ），联合行文写 organs：2–4 个机关，主办机关在前")
            if "joint_mark" in self.model_fields_set:
                raise ValueError("joint_mark 只用于联合行文（organs）")
            return super()._default_mark()
        if self.organ and self.organ != self.organs[0]:
            raise ValueError(f"联合行文的 organ 应为主办机关「{self.organs[0]}」（organs 的第一个），"
                             f"这里是「{self.organ}」；可以只写 organs")
        if self.mark and self.joint_mark == "joint":
            raise ValueError("联合发文机关标志由各机关名称加「文件」组成，不另写 mark；"
                             "只用主办机关的标志请写 joint_mark: sponsor")
        object.__setattr__(self, "organ", self.organs[0])
        return super()._default_mark()

    @property
    def joint(self) -> bool:
        return bool(self.organs)


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


# the types an attachment file may have: its suffix → media type
ATTACHMENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "csv": "text/csv",
}
_SUFFIXES = {**{t: t for t in ATTACHMENT_TYPES}, "jpeg": "jpg"}
_OOXML_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}  # the part a real one has
_CSV_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refused(rule: str, name: str) -> PydanticCustomError:
    """A refused file, named by its name, never quoted: raised as an ``unsafe_value`` error, whose shown value
    is the part named (docgen.records.base.problems_from), here the file's name instead of its content."""
    return PydanticCustomError("unsafe_value", "{rule}", {"rule": rule, "where": "", "part": name})


def _type_problem(suffix: str, data: bytes) -> str | None:
    """Why ``data`` is not a file of type ``suffix``, judged by what it holds (magic bytes, the OOXML package's
    parts, CSV as text), or None."""
    said = f"内容不是 {suffix} 文件（按文件头判断），与扩展名不符"
    if suffix in _OOXML_PART:
        if not data.startswith(b"PK\x03\x04"):
            return said
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())  # the central directory only: nothing unpacked
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            return f"不是完整的 {suffix} 文件（ZIP 包损坏）"
        if _OOXML_PART[suffix] not in names:
            return said
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return "含有宏（VBA），不能作为附件"
        return None
    if suffix == "pdf":
        return None if data.startswith(b"%PDF-") else said
    if suffix == "png":
        return None if data.startswith(b"\x89PNG\r\n\x1a\n") else said
    if suffix == "jpg":
        return None if data.startswith(b"\xff\xd8\xff") else said
    for encoding in ("utf-8-sig", "gb18030"):  # csv: text in UTF-8 or GB18030, no control characters
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "不是 CSV 文本：含有控制字符（如二进制内容）" if _CSV_CONTROL.search(data) else None
    return "不是 CSV 文本：既不是 UTF-8 也不是 GB18030 编码"


class AttachmentFile(Record):
    """An attachment that is a file of its own (a workbook, a form, a scan): carried beside the 公文, listed in
    its 附件说明, not printed. A record read from disk names it (``file: 申请表.xlsx``) and docgen reads it in
    (docgen.records.includes); a record from the network carries it: its ``name`` and its bytes in ``base64``.
    The type comes from the name and must be what the bytes are."""

    name: Text = Field(title="文件名")
    base64: str = Field(title="文件内容（base64 编码）", repr=False)
    _data: bytes = PrivateAttr(b"")

    @classmethod
    def _refuse_unsafe_values(cls, value: Any) -> Any:
        """Replaces every record's text check: ``base64`` is no text (its alphabet and size are checked below)
        and ``name`` is checked as a file name."""
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        check_filename(v)
        if "." not in v or v.rpartition(".")[2].lower() not in _SUFFIXES:
            raise ValueError("附件文件只能是以下类型之一：" + "、".join(ATTACHMENT_TYPES) + "（按扩展名）")
        return v

    @model_validator(mode="after")
    def _content(self) -> "AttachmentFile":
        most = ATTACHMENT_FILE_BYTES
        if len(self.base64) > (most.maximum + 2) // 3 * 4 + 4:  # measured before decoding
            raise _refused(f"{most.rule()}（实际约 {len(self.base64) * 3 // 4:,} {most.unit}）", self.name)
        try:
            data = binascii.a2b_base64(self.base64, strict_mode=True)
        except (binascii.Error, ValueError):
            raise _refused("文件内容（base64）不是有效的 base64 编码", self.name) from None
        if len(data) > most.maximum:
            raise _refused(f"{most.rule()}（实际 {len(data):,} {most.unit}）", self.name)
        if not data:
            raise _refused("文件是空的", self.name)
        problem = _type_problem(self.suffix, data)
        if problem:
            raise _refused(problem, self.name)
        self._data = data
        return self

    @property
    def suffix(self) -> str:
        """The file's type: xlsx, docx, pdf, png, jpg or csv."""
        return _SUFFIXES[self.name.rpartition(".")[2].lower()]

    @property
    def data(self) -> bytes:
        """The file's bytes, decoded and checked."""
        return self._data


class AttachmentSpec(Record):
    """附件: pages of its own (``blocks``), a file carried beside the 公文 (``file:`` on disk, ``content`` over
    the network), or only its name in the 附件说明."""

    title: Text = Field(title="附件名称")
    blocks: list[Block] = Field(default_factory=list, title="附件内容")
    content: AttachmentFile | None = Field(None, title="附件文件")

    @field_validator("title")
    @classmethod
    def _no_end_punctuation(cls, v: str) -> str:
        if v[-1] in "。，；：、.,;:":
            raise ValueError("附件名称后不加标点符号")
        return _title_length(v)

    @field_validator("content")
    @classmethod
    def _pages_or_file(cls, v: AttachmentFile | None, info: ValidationInfo) -> AttachmentFile | None:
        if v is not None and info.data.get("blocks"):
            raise _refused("附件或者排成附件页（blocks），或者是单独的文件（file），不能两者都有", v.name)
        return v


class SignatureSpec(Record):
    """署名 and 成文日期: one organ, or (联合行文) one 署名 per issuing organ, each sealed when ``seal: sealed``."""

    organ: str = Field("", title="署名（发文机关）")
    organs: list[Text] = Field(default_factory=list, title="联合行文的署名（主办机关在前）",
                               min_length=JOINT_ORGANS[0], max_length=JOINT_ORGANS[1])
    date: DateField = Field(title="成文日期")
    seal: Literal["unsealed", "sealed"] = Field("unsealed", title="用印方式")

    @field_validator("organs")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        return _joint_organs(v)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.organs) or (self.organ,)


class ColophonSpec(Record):
    cc: list[Text] = Field(default_factory=list, title="抄送机关")
    printer: str = Field("", title="印发机关")  # required but in a 信函 (records.formats)
    print_date: DateField | None = Field(None, title="印发日期")


_SECRECY = re.compile(r"^(绝密|机密|秘密)(★.+)?$")

# 文种: the 15 kinds of 公文 of the 党政机关公文处理工作条例 (第八条); 命令 is also written 令
DOC_TYPES = ("决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
             "议案", "函", "纪要")
_TITLE_ENDS = {"命令": ("命令", "令")}  # what else a title of the 文种 may end with
_UPWARD = "请示是上行文：请把 direction 设为 上行文，并写明签发人（signers）"


def doc_type_of(title: str) -> str:
    """The 文种 a title ends with (…的通知 → 通知), the longest that fits; "" when it ends with none."""
    return max((t for t in DOC_TYPES if title.endswith(t)), key=len, default="")


def _note_lines(value: Any) -> Any:
    """附注 as lines: text with newlines, or a list of lines; blank lines dropped."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


class NoticeRecord(Record):
    """A 公文 written by hand: the seed notice is one (samples/notices/jiaozuo-2021-135.yaml)."""

    kind: Literal["notice"] = Field(title="记录种类")
    format: Format = Field("文件", title="公文格式（文件、信函、命令、纪要）")
    name: str = Field("", title="输出文件名")
    issuer: NoticeIssuer = Field(title="发文机关")
    doc_number: DocNumberField = Field(title="发文字号")
    copy_number: str = Field("", title="份号")
    secrecy: str = Field("", title="密级和保密期限")
    urgency: Literal["", "特急", "加急"] = Field("", title="紧急程度")
    direction: Literal["下行文", "平行文", "上行文"] = Field("下行文", title="行文方向")
    signers: list[Text] = Field(default_factory=list, title="签发人")
    title: Text = Field(title="标题")
    title_lines: list[Annotated[Text, AfterValidator(_title_line)]] = Field(default_factory=list, title="标题分行")
    doc_type: Literal[DOC_TYPES] | None = Field(None, title="文种（不写则按标题结尾）", validate_default=True)
    addressees: str = Field("", title="主送机关", validate_default=True)  # required in a 文件 or 信函
    body: Annotated[list[Block], at_most(BODY_BLOCKS)] = Field(title="正文", min_length=1)
    attachments: list[AttachmentSpec] = Field(default_factory=list, title="附件")
    signature: SignatureSpec | None = Field(None, title="署名和成文日期", validate_default=True)  # none in 命令, 纪要
    note: Annotated[list[Text], BeforeValidator(_note_lines)] = Field(default_factory=list,
                                                                      title="附注（每行一项，如联系人、电话、电子邮箱）")
    colophon: ColophonSpec | None = Field(None, title="版记")
    letter_footer: str = Field("", title="信函首页底部一行（如地址、电话）")
    order_number: str = Field("", title="令号（命令）")
    signer: OrderSigner | None = Field(None, title="签发人（命令）")
    issue_number: str = Field("", title="期号（纪要）")
    attendance: AttendanceSpec | None = Field(None, title="出席、请假、列席（纪要）")

    @field_validator("addressees", "signature")
    @classmethod
    def _needed_by_format(cls, value: Any, info: ValidationInfo) -> Any:
        """主送机关 and 署名 are required in the 文件 and 信函 formats: checked with the other fields, so a record
        that breaks several rules hears of this one too."""
        fmt = info.data.get("format", "文件")
        if fmt in ("文件", "信函") and not value:
            what = "主送机关（addressees）" if info.field_name == "addressees" else "署名和成文日期（signature）"
            raise ValueError(f"{fmt}格式必须写明{what}")
        return value

    @model_validator(mode="after")
    def _format(self) -> "NoticeRecord":
        """GB/T 9704 §10: the fields each format needs and refuses (docgen.records.formats)."""
        return check_format(self)

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

    @field_validator("title_lines")
    @classmethod
    def _title_lines_join(cls, v: list[str], info: ValidationInfo) -> list[str]:
        title = info.data.get("title")
        if v and title is not None and "".join(v) != title:
            raise ValueError(f"各行连起来是「{''.join(v)}」，与标题（title）「{title}」不一致：分行只能断开标题，"
                             "不能增删改字")
        return v

    @field_validator("addressees")
    @classmethod
    def _addressees_colon(cls, v: str) -> str:
        return v.rstrip("：:")

    @field_validator("doc_type")
    @classmethod
    def _doc_type(cls, v: str | None, info: ValidationInfo) -> str | None:
        """文种: said, or read from the title's end (None when it ends with none); the title ends with it
        (…的通知), and a 请示 goes up (上行文) with its 签发人 (§7.2.6)."""
        title = info.data.get("title")
        if title is None:
            return v
        if v is None:
            found = doc_type_of(title) or None
            if found == "请示" and info.data.get("direction") != "上行文":
                raise ValueError("标题以「请示」结尾，是请示；" + _UPWARD)
            return found
        if not title.endswith(_TITLE_ENDS.get(v, (v,))):
            raise ValueError(f"标题应以文种「{v}」结尾（如「关于……的{v}」），这里的标题「{title}」不是："
                             "请改标题或文种（doc_type）")
        if v == "请示" and info.data.get("direction") != "上行文":
            raise ValueError(_UPWARD)
        return v
        said = v
        v = v or doc_type_of(title)  # "" when the title ends with no 文种
        if not title.endswith(_TITLE_ENDS.get(v, (v,))):
            raise ValueError(f"标题应以文种「{v}」结尾（如「关于……的{v}」），这里的标题「{title}」不是："
                             "请改标题或文种（doc_type）")
        if v == "请示" and info.data.get("direction") != "上行文":
            by = "" if said else "标题以「请示」结尾，是请示；"
            raise ValueError(f"{by}请示是上行文：请把 direction 设为 上行文，并写明签发人（signers）")
        return v

    @model_validator(mode="after")
    def _signers(self) -> "NoticeRecord":
        if self.direction == "上行文" and not self.signers:
            raise ValueError("上行文必须写明签发人（signers）")
        if self.direction != "上行文" and self.signers:
            raise ValueError("只有上行文标注签发人；请把 direction 设为 上行文 或删去 signers")
        return self

    @field_validator("signature")
    @classmethod
    def _joint_signature(cls, sign: SignatureSpec, info: ValidationInfo) -> SignatureSpec:
        """A joint document is signed by each of its organs (§7.3.5); one organ signs alone."""
        issuer = info.data.get("issuer")
        if sign is None:
            return sign
        if sign.organ and sign.organs:
            raise ValueError("只写 organ（单一机关）或 organs（联合行文）之一")
        if issuer is None:
            return sign
        if not issuer.joint:
            if sign.organs:
                raise ValueError("联合行文的署名（organs）要求发文机关也联合：请在 issuer.organs 列出各发文机关")
            if not sign.organ:
                raise ValueError("请写明署名（organ）")
            return sign
        if sign.organ:
            raise ValueError(f"联合行文由各发文机关署名：请把 organ 改为 organs（{len(issuer.organs)} 个，"
                             "主办机关在前），或删去它以沿用 issuer.organs")
        if not sign.organs:
            return sign.model_copy(update={"organs": list(issuer.organs)})
        if len(sign.organs) != len(issuer.organs):
            raise ValueError(f"署名有 {len(sign.organs)} 个，发文机关（issuer.organs）有 {len(issuer.organs)} 个："
                             "每个发文机关各署一名")
        return sign
