"""Station plaques (annex 7 of the seed notice): one plaque (kind ``plaque``) or a station list (``plaque-batch``).

A plaque reads, centred: 知识产权保护工作站 / the station's short name / for a contact point (联系点) only,
``***市场监督管理局知识产权保护联系点``. Stations are named 知识产权保护工作站XXX站 (规范名称); the plaque's
second line is the XXX站 part.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from docgen.records.base import Record
from docgen.records.sheet import check_sheet
from docgen.records.limits import BATCH_ITEMS, PROOF_PIXELS, at_most

TITLE = "知识产权保护工作站"
CONTACT_POINT = "知识产权保护联系点"
BUREAU_SUFFIX = "市场监督管理局"
NAME_MIN, NAME_MAX = 2, 30
BUREAU_MAX = 24
SIDE_MIN, SIDE_MAX = 100.0, 3000.0  # mm, a finished side a sign shop makes

_ALIASES = {
    "variant": {"一般": "general", "一般工作站": "general", "图一": "general",
                "联系点": "contact", "联系点工作站": "contact", "图二": "contact"},
    "scheme": {"红白": "red", "红字白底": "red", "黑白": "black", "黑字白底": "black",
               "钛金": "gold", "黑字钛金底": "gold"},
    "text_as": {"转曲": "outlines", "曲线": "outlines", "嵌入字体": "fonts", "文字": "fonts"},
}


def _alias(field: str):
    def convert(value: Any) -> Any:
        return _ALIASES[field].get(value.strip(), value.strip()) if isinstance(value, str) else value
    return BeforeValidator(convert)


Variant = Annotated[Literal["general", "contact"], _alias("variant")]
SchemeKey = Annotated[Literal["red", "black", "gold"], _alias("scheme")]
TextAs = Annotated[Literal["outlines", "fonts"], _alias("text_as")]


def parse_size(value: Any) -> tuple[float, float]:
    """``600x400`` / ``600×400`` / ``[600, 400]`` → (width, height) in mm."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        parts = list(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*[x×X*]\s*\d+(\.\d+)?\s*(mm)?\s*", value):
        parts = re.split(r"[x×X*]", value.replace("mm", ""))
    else:
        raise ValueError("应写成「宽x高」（毫米），如 600x400 或 400x300")
    try:
        width, height = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError("应写成「宽x高」（毫米），如 600x400 或 400x300") from None
    if not all(SIDE_MIN <= side <= SIDE_MAX for side in (width, height)):
        raise ValueError(f"每边应在 {SIDE_MIN:.0f}～{SIDE_MAX:.0f} 毫米之间")
    return width, height


def short_name(station: str) -> str:
    """The plaque's line 2: the 规范名称 without its 知识产权保护工作站 prefix."""
    return station.strip().removeprefix(TITLE).strip()


def bureau_line(bureau: str) -> str:
    """Line 3 of a contact point: 山阳区 / 山阳区局 / 山阳区市场监管局 → 山阳区市场监督管理局知识产权保护联系点."""
    base = bureau.strip().removesuffix(CONTACT_POINT)
    for suffix in (BUREAU_SUFFIX, "市场监管局", "监管局", "局"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return f"{base}{BUREAU_SUFFIX}{CONTACT_POINT}" if base else ""


def _no_control(value: str) -> str:
    if any(ord(c) < 32 or c in "\u2028\u2029" for c in value):
        raise ValueError("不能含换行或控制字符")
    return value


def visible(text: str) -> str:
    """The characters of ``text`` that leave a mark on the plaque: not spaces, zero-width or other format and
    control characters, nor combining marks standing alone."""
    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ"
                   and unicodedata.category(c) not in ("Mn", "Me"))


def _invisible(what: str, value: str) -> str:
    codes = "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(value.strip()))
    return f"{what}只有空格、零宽字符或格式控制符（{codes}），标牌上什么也印不出"


class PlaqueOptions(Record):
    """What a plaque looks like; the batch gives these once for every station."""

    variant: Variant = Field("general", title="样式（general 一般工作站 / contact 联系点）")
    size: tuple[float, float] = Field((600.0, 400.0), title="成品尺寸（宽x高，毫米）")
    scheme: SchemeKey = Field("red", title="配色（red 红字标题 / black 黑字白底 / gold 黑字钛金底）")
    text_as: TextAs = Field("outlines", title="文字输出（outlines 转曲 / fonts 嵌入字体）")
    proof_dpi: int = Field(150, ge=30, le=600, title="校样分辨率（dpi）")

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> tuple[float, float]:
        return parse_size(value)

    @field_validator("proof_dpi")
    @classmethod
    def _proof_pixels(cls, dpi: int, info: ValidationInfo) -> int:
        """The proof is drawn at ``proof_dpi`` over the finished size: bounded before a pixel is drawn."""
        size = info.data.get("size")
        if size:
            pixels = int(size[0] / 25.4 * dpi * size[1] / 25.4 * dpi)
            if pixels > PROOF_PIXELS.maximum:
                fits = int(dpi * (PROOF_PIXELS.maximum / pixels) ** 0.5)
                raise ValueError(f"在 {size[0]:g}×{size[1]:g} 毫米上为 {pixels:,} 像素，{PROOF_PIXELS.rule()}；"
                                 f"此尺寸请用 {fits} dpi 以下")
        return dpi


class Plaque(PlaqueOptions):
    """One station's plaque (标牌)."""

    kind: Literal["plaque"] = "plaque"
    station: str = Field(min_length=1, title="站名")
    bureau: str = Field("", title="辖区市场监督管理局（联系点第三行）")

    @field_validator("station", "bureau")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _no_control(value)

    @field_validator("station")
    @classmethod
    def _visible_station(cls, value: str) -> str:
        if short_name(value) and not visible(short_name(value)):
            raise ValueError(_invisible("站名", short_name(value)) + "，请写出站名，如「焦作高新区园区站」")
        return value

    @field_validator("bureau")
    @classmethod
    def _visible_bureau(cls, value: str) -> str:
        if value.strip() and not visible(value):
            raise ValueError(_invisible("辖区局", value) + "，请写出辖区局，如「山阳区市场监督管理局」")
        return value

    @model_validator(mode="after")
    def _lines(self) -> "Plaque":
        name = short_name(self.station)
        if not name:
            raise ValueError(f"站名（station）只有前缀「{TITLE}」，缺少站名本身，如「焦作高新区园区站」")
        if len(name) > NAME_MAX:
            raise ValueError(f"站名（station）「{name}」有 {len(name)} 个字，应为 {NAME_MIN}～{NAME_MAX} 个字")
        if len(visible(name)) < NAME_MIN:
            raise ValueError(f"站名（station）「{name}」有 {len(visible(name))} 个字（不计空格和零宽字符），"
                             f"应为 {NAME_MIN}～{NAME_MAX} 个字")
        if self.variant == "contact":
            if not bureau_line(self.bureau):
                raise ValueError("联系点标牌（variant: contact）须填写辖区市场监督管理局（bureau），如「山阳区市场监督管理局」")
            if len(self.bureau) > BUREAU_MAX:
                raise ValueError(f"辖区局（bureau）「{self.bureau}」超过 {BUREAU_MAX} 个字")
        elif self.bureau:
            raise ValueError("一般工作站标牌没有第三行；要印「…市场监督管理局知识产权保护联系点」请写 variant: contact")
        return self

    @property
    def lines(self) -> list[tuple[str, str]]:
        """(role, text) from top to bottom: title, station, and for a contact point the bureau line."""
        out = [("title", TITLE), ("station", short_name(self.station))]
        if self.variant == "contact":
            out.append(("bureau", bureau_line(self.bureau)))
        return out


class StationRow(Record):
    """One row of a station list (annex 2: 序号/站名/负责人及联系方式/所属辖区局/工作站指导员…)."""

    serial: int | None = Field(None, title="序号")
    name: str = Field("", title="站名")  # blank names reach the item, which fails with the Chinese reason
    bureau: str = Field("", title="所属辖区局")
    variant: Variant | None = Field(None, title="样式")


def sheet_for(value: str, info: ValidationInfo) -> str:
    """A batch's imposition sheet: one the plaques (``size``, validated before it) fit on."""
    check_sheet(value, info.data.get("size"))
    return value


class PlaqueBatch(PlaqueOptions):
    """Plaques for a list of stations: one ZIP with each plaque, an imposed print file and a contact sheet."""

    kind: Literal["plaque-batch"] = "plaque-batch"
    title: str = Field("", title="批次名称")
    sheet: str = Field("1220x2440", title="拼版幅面（A0…A3、SRA3、宽x高 毫米，或卷材 roll:宽）")
    stations: Annotated[list[StationRow], at_most(BATCH_ITEMS)] = Field(min_length=1, title="站点清单")

    @field_validator("sheet")
    @classmethod
    def _sheet(cls, value: str, info: ValidationInfo) -> str:
        return sheet_for(value, info)
