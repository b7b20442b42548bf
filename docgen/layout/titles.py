"""Breaking a 公文 title into lines at word boundaries, in a trapezoid or diamond shape (GB/T 9704 §7.3.1).

Both renderers use the same breaks, so the DOCX and the PDF show the same title. Word boundaries come
from jieba's segmentation (loaded only when a title needs more than one line and gives no title_lines);
the issuing organ's name, the names the record gives (主送 and 署名 organs, a 批复's station and applicant),
cited document numbers (X〔YYYY〕N号) and the closing "的+文种" are kept whole (§7.3.1 词意完整).
"""

from __future__ import annotations

import re
from functools import lru_cache

from docgen.content.document import OfficialDocument
from docgen.layout import gbt9704
from docgen.records.limits import TITLE_CHARS

def chars_per_line(width: float) -> int:
    """二号 title characters that fit ``width`` mm."""
    return int(width / gbt9704.mm(gbt9704.SIZE_ER))


TITLE_CHARS_PER_LINE = chars_per_line(gbt9704.TYPE_WIDTH)  # the 156 mm type area
CITED_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,4}〔\d{4}〕\d+号")  # a document number, 机关代字 included
_CONJUNCTIONS = ("和", "与", "及", "暨")


@lru_cache(maxsize=1)
def _jieba():
    from docgen.layout.words import segmenter  # jieba, its dictionary read from an index, not loaded whole

    tokenizer = segmenter()
    for word in ("市场监督管理局", "知识产权保护", "联系点", "工作站", "工作体系"):
        tokenizer.add_word(word)
    return tokenizer


def _boundaries(title: str, organ: str, names: tuple[str, ...] = ()) -> dict[int, float]:
    """Cost of breaking before each position (lower is better); positions inside words are absent.

    ``names`` are words too: a break may fall at their edges, never inside them."""
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
    tail = len(title)  # the closing "的+文种", never broken
    last_de = title.rfind("的")
    if last_de > 0 and len(title) - last_de <= 4:
        costs[last_de] = 2.0  # a good break, but not one that leaves 的+文种 alone on a line
        tail = last_de
    spans = [m.span() for name in names for m in re.finditer(re.escape(name), title)]
    for start, end in spans:
        for edge in (start, end):
            if 0 < edge < tail:
                costs.setdefault(edge, 4.0)
    for number in CITED_NUMBER.finditer(title):  # with the 机关代字 before it, however it is set off
        spans.append((number.start(), number.end()))
        if number.end() < tail:
            costs.setdefault(number.end(), 4.0)
    if organ and organ in title:
        start = title.index(organ)
        spans.append((start, start + len(organ)))
    spans.append((tail, len(title)))
    for start, end in spans:
        for i in range(start + 1, end):
            costs.pop(i, None)
    return costs


def _width(text: str) -> float:
    """Width in characters of the title's face: half-width letters and digits count a half."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


# ---- choosing the breaks ----
#
# A choice of breaks is scored as the sum of the break costs (``_boundaries``) and a shape cost over the line
# widths n_1 … n_k (L the longest line, M the longest middle line, m the shortest):
#   every line:  0.5 · max(0, 0.45 L − n_i)           (a stub line)
#   two lines:   0.5 · max(0, n_1 − n_2)              (a trapezoid: the top line no longer than the bottom one)
#   three+:      0.5 · max(0, n_1 − M) + 0.5 · max(0, n_k − M) + 0.05 · (L − m)   (a diamond)
# The fewest lines that fit win; among those the lowest score, and among equal scores the earliest breaks.
#
# Scores are kept exact, as integers in 1/400 of a character: widths are counted in half characters (a
# half-width letter is 1, a CJK character 2), so 0.5 · max(0, 0.45 L − n) is max(0, 45 L − 100 n) and so on.

UNIT = 400  # score units a character


def _halves(text: str) -> list[int]:
    return [1 if ord(c) < 0x2000 else 2 for c in text]


def _stub(limit: int, width: int) -> int:
    """The stub-line term of one line when no line is wider than ``limit``."""
    return max(0, 45 * limit - 100 * width)


def _closing(count: int, limit: int, first: int, middle: int, last: int, shortest: int) -> int:
    """The shape terms that are not a sum over lines, once the last line is known."""
    if count == 2:
        return 100 * max(0, first - last)
    return 100 * max(0, first - middle) + 100 * max(0, last - middle) + 10 * (limit - shortest)


def _optimal_breaks(title: str, costs: dict[int, float], max_chars: int) -> tuple[int, ...] | None:
    """The best breaks with the fewest lines (at most the old bound of len // max_chars + 3), or None.

    Dynamic programming over break positions, exact although the shape cost is not a sum over lines:
    - L (the longest line) is enumerated as a bound ``limit``: with every line at most ``limit`` the stub
      terms become a sum over lines. Scoring with a bound above the true L only raises a score (the stub
      terms and 0.05 · (L − m) grow with L), and the bound equal to the true L scores it exactly, so the
      least score over all bounds is the exact optimum.
    - M (the longest middle line), m (the shortest line) and the first line's width are carried as state;
      at each position and line count only the states no other state beats on all of score, breaks so far
      (earlier first), first width (lower), M (higher) and m (higher) are kept. The last line closes a
      state with the terms of ``_closing``.
    Widths take at most 2 · max_chars values, so the states at a position are bounded and the whole is
    polynomial: O(n · w · lines · s · bounds) for w positions a line can span and s kept states.
    """
    n = len(title)
    edge = [0]
    for h in _halves(title):
        edge.append(edge[-1] + h)
    points = [0, *sorted(costs), n]
    breaks = {p: round(UNIT * c) for p, c in costs.items()}
    breaks[n] = 0
    widest = 2 * max_chars
    follows = {a: [b for b in points if a < b and edge[b] - edge[a] <= widest] for a in points[:-1]}

    def fewest_to_end(limit: int) -> dict[int, int]:
        """Least lines from each position to the end, no line wider than ``limit``."""
        need = {n: 0}
        for a in reversed(points[:-1]):
            options = [need[b] + 1 for b in follows[a] if b in need and edge[b] - edge[a] <= limit]
            if options:
                need[a] = min(options)
        return need

    count = fewest_to_end(widest).get(0)
    if count is None or count > n // max_chars + 3:
        return None
    limits = sorted({edge[b] - edge[a] for a in points[:-1] for b in follows[a]})
    best: tuple[int, tuple[int, ...]] | None = None
    for limit in limits:
        if limit * count < edge[n]:
            continue
        found = _breaks_within(limit, count, points, edge, breaks, follows, fewest_to_end(limit))
        if found is not None and (best is None or found < best):
            best = found
    return best[1] if best else None


def _breaks_within(limit: int, count: int, points: list[int], edge: list[int], breaks: dict[int, int],
                   follows: dict[int, list[int]], need: dict[int, int]) -> tuple[int, tuple[int, ...]] | None:
    """(score, breaks) of the best ``count`` lines no wider than ``limit``; scored with ``limit`` as L."""
    n = points[-1]
    # a state: (score so far, breaks so far, first width, longest middle width, shortest width)
    layer: dict[int, list[tuple]] = {0: [(0, (), 0, 0, 0)]}
    best = None
    for line in range(1, count + 1):
        grown: dict[int, list[tuple]] = {}
        for a, states in layer.items():
            for b in follows[a]:
                width = edge[b] - edge[a]
                if width > limit or (line == count if b != n else line != count):
                    continue
                if b != n and need.get(b, count) > count - line:  # the rest would not fit in the lines left
                    continue
                for score, cut, first, middle, shortest in states:
                    score += breaks[b] + _stub(limit, width)
                    if line == 1:
                        state = (score, (b,), width, 0, width)
                    elif b == n:
                        total = score + _closing(count, limit, first, middle, width, min(shortest, width))
                        if best is None or (total, cut) < best:
                            best = (total, cut)
                        continue
                    else:
                        state = (score, (*cut, b), first, max(middle, width), min(shortest, width))
                    grown.setdefault(b, []).append(state)
        layer = {b: _undominated(states) for b, states in grown.items()}
    return best


def _undominated(states: list[tuple]) -> list[tuple]:
    """The states no other state beats: lower (score, breaks), first width no wider, M and m no smaller."""
    kept: list[tuple] = []
    for state in sorted(states):
        _, _, first, middle, shortest = state
        if not any(k[2] <= first and k[3] >= middle and k[4] >= shortest for k in kept):
            kept.append(state)
    return kept


def _even(title: str, max_chars: int) -> tuple[str, ...]:
    """Even character counts: for a title no word boundaries fit, or one longer than any record allows."""
    count = -(-len(title) // max_chars)
    step = -(-len(title) // count)
    return tuple(title[i:i + step] for i in range(0, len(title), step))


def break_title(title: str, organ: str = "", max_chars: int = TITLE_CHARS_PER_LINE,
                names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The title's lines: the fewest that fit, broken where the break costs and the shape cost are lowest.
    ``names`` (station and organ names) are not broken, unless no breaks outside them fit."""
    if _width(title) <= max_chars:
        return (title,)
    if len(title) > TITLE_CHARS.maximum:  # longer than a record lets in: do not segment or search it
        return _even(title, max_chars)
    names = tuple(n for n in names if 1 < len(n) and _width(n) < max_chars)
    cut = _optimal_breaks(title, _boundaries(title, organ, names), max_chars)
    if cut is None and names:
        cut = _optimal_breaks(title, _boundaries(title, organ), max_chars)
    if cut is None:  # no word boundaries fit (an unusually long word)
        return _even(title, max_chars)
    edges = (0, *cut, len(title))
    return tuple(title[a:b] for a, b in zip(edges, edges[1:]))


def document_names(doc: OfficialDocument) -> tuple[str, ...]:
    """The names a 公文's title is not broken inside: the record's own (``doc.names``), the 主送 organs, the
    署名 organs and the joint issuers."""
    addressees = re.split(r"[、，,；;]", doc.addressees)
    return tuple(dict.fromkeys(n.strip() for n in (*doc.names, *addressees, *doc.signature.names, *doc.header.joint)
                               if n.strip()))


def document_title(doc: OfficialDocument) -> tuple[str, ...]:
    """The title's lines as both renderers draw them: the author's ``title_lines``, or ``break_title``'s."""
    return doc.title_lines or break_title(doc.title, organ=doc.signature.organ, names=document_names(doc))
