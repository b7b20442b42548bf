"""Heading numbers of a 公文: 一、 · （一） · 1. · （1）, generated, never typed."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九, 100 → 一百, 101 → 一百零一, 110 → 一百一十,
    1001 → 一千零一; up to 9999 (a record holds at most 5,000 body blocks)."""
    if not 1 <= n <= 9999:
        raise ValueError(f"标题序号只支持 1–9999，得到 {n}")
    if n < 100:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return _DIGITS[ones]
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def heading_label(level: int, n: int) -> str:
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"标题层级只有 1–4，得到 {level}")


class HeadingCounter:
    """Counts headings in document order; a heading resets the deeper levels below it."""

    def __init__(self) -> None:
        self._counts = [0, 0, 0, 0]

    def next(self, level: int, restart: bool = False) -> str:
        if restart:
            self._counts[level - 1] = 0
        self._counts[level - 1] += 1
        for deeper in range(level, 4):
            self._counts[deeper] = 0
        return heading_label(level, self._counts[level - 1])
