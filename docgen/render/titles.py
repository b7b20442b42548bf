"""Breaking a 公文 title into lines at word boundaries, in a trapezoid or diamond shape (GB/T 9704 §7.3.1).

Both renderers use the same breaks, so the DOCX and the PDF show the same title. Word boundaries come
from jieba's segmentation (loaded only when a title needs more than one line and gives no title_lines);
the issuing organ's name and the closing "的+文种" are kept whole.
"""

from __future__ import annotations

import itertools
import logging
from functools import lru_cache

from docgen import gbt9704

def chars_per_line(width: float) -> int:
    """二号 title characters that fit ``width`` mm."""
    return int(width / gbt9704.mm(gbt9704.SIZE_ER))


TITLE_CHARS_PER_LINE = chars_per_line(gbt9704.TYPE_WIDTH)  # the 156 mm type area
_CONJUNCTIONS = ("和", "与", "及", "暨")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in ("市场监督管理局", "知识产权保护", "联系点", "工作站", "工作体系"):
        jieba.add_word(word)
    return jieba


def _boundaries(title: str, organ: str) -> dict[int, float]:
    """Cost of breaking before each position (lower is better); positions inside words are absent."""
    costs: dict[int, float] = {}
    pos = 0
    for word in _jieba().cut(title):
        pos += len(word)
        costs[pos] = 4.0
    costs.pop(len(title), None)
    for i in range(1, len(title)):
        before, after = title[i - 1], title[i]
        if title.startswith("关于", i):
            costs[i] = 0.0
        elif before in "、，；：）》" or after in "（《":
            costs[i] = 1.0
        elif after in _CONJUNCTIONS and i in costs:
            costs[i] = 1.5
        elif before == "于" and title[i - 2:i] == "关于":
            costs[i] = 3.0
    last_de = title.rfind("的")
    if last_de > 0 and len(title) - last_de <= 4:
        costs[last_de] = 0.5
        for i in range(last_de + 1, len(title)):
            costs.pop(i, None)
    if organ and organ in title:
        start = title.index(organ)
        for i in range(start + 1, start + len(organ)):
            costs.pop(i, None)
    return costs


def _shape_cost(lengths: list[float]) -> float:
    """Trapezoid (each line no shorter than the one above) or diamond (middle longest) are good;
    a stub line (a third of the longest, or less) is bad."""
    longest = max(lengths)
    cost = sum(0.5 * max(0.0, 0.45 * longest - n) for n in lengths)
    if len(lengths) == 2:
        top, bottom = lengths
        return cost + (0.0 if top <= bottom else 0.5 * (top - bottom))
    middle = max(lengths[1:-1])
    cost += sum(0.5 * max(0, n - middle) for n in (lengths[0], lengths[-1]))
    return cost + 0.05 * (longest - min(lengths))


def _width(text: str) -> float:
    """Width in characters of the title's face: half-width letters and digits count a half."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def break_title(title: str, organ: str = "", max_chars: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    if _width(title) <= max_chars:
        return (title,)
    costs = _boundaries(title, organ)
    positions = sorted(costs)
    for count in range(2, len(title) // max_chars + 4):
        best: tuple[float, tuple[int, ...]] | None = None
        for cut in itertools.combinations(positions, count - 1):
            edges = (0, *cut, len(title))
            lengths = [_width(title[a:b]) for a, b in zip(edges, edges[1:])]
            if max(lengths) > max_chars:
                continue
            score = sum(costs[c] for c in cut) + _shape_cost(lengths)
            if best is None or score < best[0]:
                best = (score, cut)
        if best is not None:
            edges = (0, *best[1], len(title))
            return tuple(title[a:b] for a, b in zip(edges, edges[1:]))
    # No word boundaries fit (an unusually long word): fall back to even character counts.
    count = -(-len(title) // max_chars)
    step = -(-len(title) // count)
    return tuple(title[i:i + step] for i in range(0, len(title), step))
