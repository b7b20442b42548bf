"""Cell rules a clerk would want on the annex forms: telephone numbers, e-mail, QQ, names with contacts,
and the 规范名称 of stations. Messages say, in Chinese, what a good value looks like."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")  # with its area code, optional extension
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
QQ = re.compile(r"^[1-9]\d{4,11}$")
WECHAT = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{5,19}$")
WEBSITE = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+(:\d+)?(/\S*)?$")
STATION = re.compile(r"^知识产权保护工作站(?P<xxx>.+?)站$")
STATION_KINDS = ("协会", "商会", "园区", "市场")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 13812345678.0
    return str(value).strip()


def phone(value: Any) -> str:
    text = re.sub(r"[\s（）()]", "", _text(value)).replace("—", "-").replace("－", "-")
    if not (MOBILE.match(text) or LANDLINE.match(text)):
        raise ValueError("应为 11 位手机号（如 13812345678）或带区号的固定电话（如 0391-3568888）")
    return text


def mobile(value: Any) -> str:
    text = re.sub(r"[\s\-]", "", _text(value))
    if not MOBILE.match(text):
        raise ValueError("应为 11 位手机号，如 13812345678")
    return text


def email(value: Any) -> str:
    text = _text(value)
    if not EMAIL.match(text):
        raise ValueError("电子邮箱格式不正确，如 jzsjsgk@163.com")
    return text


def qq(value: Any) -> str:
    text = _text(value)
    if not QQ.match(text):
        raise ValueError("QQ 号应为 5–12 位数字，首位不为 0")
    return text


def email_or_qq(value: Any) -> str:
    """电邮、QQ: the form has one box for either."""
    text = _text(value)
    if EMAIL.match(text) or QQ.match(text):
        return text
    raise ValueError("应填电子邮箱（如 jzsjsgk@163.com）或 QQ 号（5–12 位数字，首位不为 0）")


def instant_messenger(value: Any) -> str:
    """QQ、微信: a QQ number, a WeChat ID (6–20 letters, digits, _ or -, starting with a letter) or the
    mobile number WeChat is registered with; may be left blank."""
    text = _text(value)
    if not text or QQ.match(text) or WECHAT.match(text) or MOBILE.match(text):
        return text
    raise ValueError("应填 QQ 号或微信号（微信号 6–20 位，以字母开头，可含字母、数字、_ 和 -）")


def website(value: Any) -> str:
    text = _text(value)
    if text and not WEBSITE.match(text):
        raise ValueError("网址格式不正确，如 www.jzgxq.gov.cn 或 https://www.jzgxq.gov.cn")
    return text


def area(value: Any) -> float:
    text = _text(value).removesuffix("平方米").removesuffix("㎡").strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError("应为平方米数，如 60 或 45.5") from None
    if number < 0:
        raise ValueError("面积不能小于 0")
    return number


def person_with_contact(value: Any) -> str:
    """"姓名 电话": a name and a telephone number, as the forms' 负责人及联系方式 columns ask."""
    text = _text(value)
    match = re.match(r"^(?P<name>[^\d\s，,；;]{2,10})[\s，,；;：:]*(?P<phone>[\d\-—－（）() ]{7,})$", text)
    if match is None:
        raise ValueError("应写姓名和联系电话，如 王芳 13812345678")
    return f"{match['name']} {phone(match['phone'])}"


def optional_person_with_contact(value: Any) -> str:
    return person_with_contact(value) if _text(value) else ""


def normalised_station(name: str) -> str | None:
    """The 规范名称 知识产权保护工作站XXX站 for a name that is close to it (None when no guess)."""
    core = name.replace("知识产权保护工作站", "").replace("知识产权工作站", "").strip()
    core = core.removesuffix("站")
    if not core or not any(kind in core for kind in STATION_KINDS):
        return None
    return f"知识产权保护工作站{core}站"


def station_name(value: Any) -> str:
    text = _text(value)
    match = STATION.match(text)
    if match and any(kind in match["xxx"] for kind in STATION_KINDS):
        return text
    guess = normalised_station(text)
    hint = f"，是否应为「{guess}」？" if guess and guess != text else ""
    raise ValueError("站名应为规范名称「知识产权保护工作站XXX站」，XXX 为协会、园区或市场" + hint)


def items(value: Any) -> Any:
    """A cell listing several choices, 、 (or ，/,) between them, as a list; a list stays as it is."""
    if isinstance(value, str):
        return [part.strip() for part in value.replace("，", "、").replace(",", "、").split("、") if part.strip()]
    return value


def count(value: Any) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d+", text):
        raise ValueError("应为不小于 0 的整数")
    return int(text)


Phone = Annotated[str, BeforeValidator(phone)]
Mobile = Annotated[str, BeforeValidator(mobile)]
EmailOrQQ = Annotated[str, BeforeValidator(email_or_qq)]
Messenger = Annotated[str, BeforeValidator(instant_messenger)]
Website = Annotated[str, BeforeValidator(website)]
Area = Annotated[float, BeforeValidator(area)]
PersonContact = Annotated[str, BeforeValidator(person_with_contact)]
OptionalPersonContact = Annotated[str, BeforeValidator(optional_person_with_contact)]
StationName = Annotated[str, BeforeValidator(station_name)]
Count = Annotated[int, BeforeValidator(count)]
Items = BeforeValidator(items)  # list[...] fields filled from one cell: Annotated[list[X], Items]
Text = Annotated[str, BeforeValidator(_text)]
