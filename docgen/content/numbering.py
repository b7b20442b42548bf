"""Heading numbers of a 公文: 一、 · （一） · 1. · （1）, generated, never typed."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"标题序号只支持 1–99，得到 {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


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
