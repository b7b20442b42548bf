"""Field types with GB/T 9704 rules: 发文字号 (document number) and 成文日期 (dates)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_DOC_NUMBER = re.compile(r"^(?P<code>[^〔〕\[\]（）()【】第\s]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")
SEQ_DIGITS = 6  # a 发文字号's sequence: an office issues far fewer than a million documents a year
_WRONG_BRACKETS = re.compile(r"[\[\]（）()【】［］]")


@dataclass(frozen=True)
class DocNumber:
    """发文字号: 机关代字 + 〔year〕 + sequence + 号, e.g. 焦市监办〔2021〕135号."""

    code: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"

    @classmethod
    def parse(cls, value: Any) -> "DocNumber":
        if isinstance(value, DocNumber):
            return value
        if not isinstance(value, str) or not value.strip():
            raise ValueError("发文字号不能为空，格式如 焦市监办〔2021〕135号")
        text = value.strip()
        if _WRONG_BRACKETS.search(text):
            raise ValueError("年份须用六角括号〔〕括入（不用 [ ]、（ ）或【】），如 焦市监办〔2021〕135号")
        if "第" in text:
            raise ValueError("序号前不加「第」字，如 焦市监办〔2021〕135号")
        match = _DOC_NUMBER.match(text)
        if match is None:
            seq = re.search(r"〕(\d+)号$", text)
            if seq and seq.group(1).startswith("0"):
                raise ValueError("序号不编虚位（不加前导 0），如 1 号而不是 001 号")
            raise ValueError("格式应为 机关代字〔年份〕序号号，年份写全四位，如 焦市监办〔2021〕135号")
        if len(match["seq"]) > SEQ_DIGITS:
            raise ValueError(f"序号最多 {SEQ_DIGITS} 位（实际 {len(match['seq']):,} 位），如 焦市监办〔2021〕135号")
        return cls(match["code"], int(match["year"]), int(match["seq"]))


_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def format_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, full year, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("日期格式应为 2021年8月3日")
    text = value.strip()
    match = _CN_DATE.match(text)
    if match is None:
        iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
        if iso is None:
            raise ValueError("日期格式应为 2021年8月3日（阿拉伯数字，年份写全）")
        match = iso
    year, month, day = match.groups()
    if match.re is _CN_DATE and (month.startswith("0") or day.startswith("0")):
        raise ValueError(f"月、日不编虚位（不加前导 0），应写作 {int(year)}年{int(month)}月{int(day)}日")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError("不存在这一天") from None


DocNumberField = Annotated[DocNumber, BeforeValidator(DocNumber.parse), PlainSerializer(str)]
DateField = Annotated[dt.date, BeforeValidator(parse_date), PlainSerializer(format_date)]
