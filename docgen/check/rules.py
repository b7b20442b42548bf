"""GB/T 9704-2012 rules checked on a PDF read back: each returns results with measured values in mm/pt."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.layout import gbt9704
from docgen.check.readback import PAGE_NUMBER, PdfView, TextLine
from docgen.layout.closing import SEAL_AREA_KEY
from docgen.layout.linebreak import CITED_NUMBER, LATIN_WORD

P = gbt9704.LINE_PITCH_MM
C = gbt9704.CHAR_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
DOC_NUMBER = re.compile(r"〔\d{4}〕[1-9]\d*号")
DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
ANNEX_LABEL = re.compile(r"^附件\d*$")
NO_LINE_START = set("，。、；：？！）》」』】〕〉’”…—·％,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈‘“([{")
# a line that begins with a word no line may split (〔2021〕57号 with its organ, an e-mail or web address), maybe
# behind an opening mark: a word processor moves it down whole and spreads the line above it to the margin
KEPT_WHOLE = re.compile(r"[（(《“「]?(?:" + CITED_NUMBER.pattern + "|" + LATIN_WORD.pattern + ")")

PASS, FAIL, NA = "通过", "不通过", "不适用"
TOLERATED = "容许"  # met only once a known LibreOffice layout difference is taken out: reported, not a pass
LO = "LibreOffice 排版差异"
AUTOSPACE = "数字、字母与汉字之间的额外间距"
HANGING = "行末标点悬挂出版心右边缘"
ROW_MARGIN = (P - gbt9704.mm(gbt9704.SIZE_SAN)) / 2  # a 三号 line's em box, from its row's top or bottom


@dataclass
class Result:
    rule: str
    status: str
    measured: str = ""
    expected: str = ""
    note: str = ""  # for a tolerated result: which LibreOffice difference, and the value without it

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    @property
    def tolerated(self) -> bool:
        return self.status == TOLERATED


def _ok(rule: str, good: bool, measured: str, expected: str) -> Result:
    return Result(rule, PASS if good else FAIL, measured, expected)


def _judge(view: PdfView, rule: str, good: bool, good_without: bool, measured: str, expected: str,
           note: str) -> Result:
    """A rule met as measured passes; met only without LibreOffice's known differences (``good_without``,
    on a PDF LibreOffice exported) is tolerated and says so in ``note``; otherwise it fails."""
    if good:
        return Result(rule, PASS, measured, expected)
    if good_without and view.libreoffice:
        return Result(rule, TOLERATED, measured, expected, f"{LO}：{note}")
    return Result(rule, FAIL, measured, expected)


def _cells(text: str) -> float:
    """Character cells ``text`` takes: a Chinese character or full-width mark one, a Latin letter or digit half."""
    return sum(1 if ord(ch) >= 0x2E80 else 0.5 for ch in text)


def _near(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance


def _f(value: float) -> str:
    return f"{value:.1f}"


# ---- structure found on the pages ----

class Structure:
    """Where the parts of a 公文 are, found from what is on the pages (colours, sizes, text, positions)."""

    def __init__(self, view: PdfView):
        self.view = view
        first = view.pages[0]
        self.mark = [ln for ln in first.text_lines() if ln.red and ln.em_top < 130]
        self.doc_number = next((ln for ln in first.text_lines() if DOC_NUMBER.search(ln.text)), None)
        self.separator = next((r for r in first.rules if r.red and r.width > 100), None)
        below = self.separator.y if self.separator else 0
        self.titles = [ln for ln in first.text_lines() if ln.y_between(below, gbt9704.TYPE_BOTTOM) and ln.size > 20]
        # the 版头's own lines (份号, 密级, 紧急程度, 签发人) are above the red rule, not the flow
        self.header_lines = [ln for ln in first.text_lines() if self.separator and ln.em_bottom < self.separator.y]
        self.addressees = self._addressees(first)
        self.date, self.date_page = None, None
        for page in view.pages:
            for line in page.text_lines():
                if DATE.match(line.text) and _near(line.size, gbt9704.SIZE_SAN, 0.5):
                    self.date, self.date_page = line, page
        last = view.pages[-1]
        self.colophon_rules = [r for r in last.rules  # full-width rules below any table on the last page
                               if not r.red and r.width > 150 and r.thickness < 0.6 and r.y > gbt9704.MARGIN_TOP + 50
                               and r.y > last.verticals_bottom + 0.5]

    def _addressees(self, first) -> list[TextLine]:
        """主送机关: the flush-left 16 pt lines under the title, up to the one ending in "：" (at most three)."""
        if not self.titles:
            return []
        below = [ln for ln in first.text_lines() if ln.em_top > self.titles[-1].em_bottom
                 and _near(ln.size, gbt9704.SIZE_SAN, 0.5) and ln.baseline <= gbt9704.TYPE_BOTTOM + 1]
        out = []
        for line in below[:3]:
            if not _near(line.x0, first.area.left, 0.6):
                break
            out.append(line)
            if line.text.rstrip().endswith(("：", ":")):
                return out
        return []

    def body_lines(self, page) -> list[TextLine]:
        """16 pt lines of the flow: not the mark, 发文字号, title, 版头 lines, attachment label, date, page number."""
        skip = {id(x) for x in (*self.mark, *self.titles, *self.header_lines, self.doc_number, self.date)
                if x is not None}
        return [ln for ln in page.text_lines()
                if id(ln) not in skip and _near(ln.size, gbt9704.SIZE_SAN, 0.5) and ln.baseline <= gbt9704.TYPE_BOTTOM + 1
                and not ANNEX_LABEL.match(ln.text)]

    def text_lines(self, page) -> list[TextLine]:
        """正文 proper: the flow's lines without the 主送机关."""
        skip = {id(x) for x in self.addressees}
        return [ln for ln in self.body_lines(page) if id(ln) not in skip]


def _y_between(self: TextLine, top: float, bottom: float) -> bool:
    return top <= self.em_top and self.em_bottom <= bottom + 0.5


TextLine.y_between = _y_between  # type: ignore[attr-defined]


# ---- rules ----

def paper(view: PdfView) -> list[Result]:
    def a4(p) -> bool:
        w, h = (p.height, p.width) if p.sideways else (p.width, p.height)
        return _near(w, gbt9704.PAGE_WIDTH, 0.5) and _near(h, gbt9704.PAGE_HEIGHT, 0.5)

    bad = [p.number for p in view.pages if not a4(p)]
    sideways = [p.number for p in view.pages if p.sideways]
    p = view.pages[0]
    return [_ok("纸张 A4（210×297 mm）", not bad, f"{_f(p.width)}×{_f(p.height)} mm" +
                (f"；第 {'、'.join(map(str, sideways))} 页为横放的 A4（横排表格页）" if sideways else "") +
                (f"，第 {bad} 页不符" if bad else ""), "210×297 ±0.5 mm")]


def hangs(line: TextLine, right: float) -> bool:
    """A closing mark hung past the right edge of the type area, the rest of the line inside it."""
    if len(line.glyphs) < 2:
        return False
    last, before = line.glyphs[-1], line.glyphs[-2]
    return last.text in NO_LINE_START and last.x1 > right + 0.6 and right - 0.6 <= last.x0 <= right + 0.6 \
        and _near(before.x1, right, 0.6)  # a full line: the mark hangs instead of being squeezed in


def _inside_without_differences(line: TextLine, right: float) -> list[str]:
    """Which LibreOffice differences, taken out, bring a line that leaves the type area on the right back
    inside it; empty when they do not."""
    if not line.x1 > right + 0.6:
        return []
    extra = line.autospace()
    if extra and line.x1 - extra <= right + 0.6:
        return [AUTOSPACE]
    if hangs(line, right):
        return [HANGING]
    if extra and len(line.glyphs) > 1 and line.glyphs[-1].text in NO_LINE_START \
            and line.glyphs[-2].x1 - extra <= right + 0.6 and line.glyphs[-1].x0 - extra <= right + 0.6:
        return [AUTOSPACE, HANGING]
    return []


def type_area(view: PdfView) -> list[Result]:
    worst, bent = [], []
    for page in view.pages:
        a = page.area
        for line in page.text_lines():
            if line.x0 < a.left - 0.6 or line.x1 > a.right + 0.6 or line.em_top < a.top - 0.6 \
                    or line.em_bottom > a.bottom + 0.6:
                turned = "（横排页）" if a.landscape else ""
                where = (f"第{page.number}页{turned}「{line.text[:8]}」x {_f(line.x0)}–{_f(line.x1)} "
                         f"y {_f(line.em_top)}–{_f(line.em_bottom)}")
                differences = _inside_without_differences(line, a.right) \
                    if line.x0 >= a.left - 0.6 and line.em_top >= a.top - 0.6 and line.em_bottom <= a.bottom + 0.6 else []
                (bent if differences and view.libreoffice else worst).append((where, differences))
    turned = [p.number for p in view.pages if p.area.landscape]
    note = f"；第 {'、'.join(map(str, turned))} 页为横排表格页（§8），在其横向版心内量" if turned else ""
    shown = worst or bent
    kinds = sorted({d for _, ds in bent for d in ds})
    return [_judge(view, "文字均在版心内（x 28–184，y 37–262 mm）", not worst and not bent, not worst,
                   ("；".join(w for w, _ in shown[:3]) or "全部在版心内") + (f" 等 {len(shown)} 行" if len(shown) > 3 else "")
                   + note, "页码之外的文字不出版心",
                   f"{len(bent)} 行出右边缘仅因{'、'.join(kinds)}")]


def landscape_pages(view: PdfView) -> list[Result]:
    """§8: a turned table's head faces the left edge (binding edge of an odd page, outer edge of an even
    one) and the page number stays where every other page has it."""
    turned = [p for p in view.pages if p.area.landscape]
    backwards = [p.number for p in view.pages if p.backwards]
    if not turned and not backwards:
        return []
    misplaced = [p.number for p in turned if p.page_number is None and p.number not in _unnumbered_allowed(view)]
    measured = f"第 {'、'.join(str(p.number) for p in turned)} 页横排" if turned else "无正确横排的页"
    measured += f"；第 {backwards} 页表头朝右（文字自上而下）" if backwards else ""
    measured += f"；第 {misplaced} 页无页码" if misplaced else ""
    return [_ok("横排表格页：表头朝左（单页订口、双页切口），页码位置同其他页", not misplaced and not backwards,
                measured, "横排页文字自下而上，页码正排")]


def attachments_only(view: PdfView) -> bool:
    """Attachment pages printed on their own (e.g. annex forms): page 1 opens with 附件N, no 版头."""
    first = view.pages[0]
    lines = first.text_lines()
    return bool(lines) and bool(ANNEX_LABEL.match(lines[0].text)) and lines[0].em_top < first.area.top + P


def header(view: PdfView, s: Structure) -> list[Result]:
    out = []
    if attachments_only(view):
        return [Result("版头", NA, "附件单独成页，无版头", "")]
    if not s.mark:
        return [Result("发文机关标志（红色）", FAIL, "第 1 页未找到红色发文机关标志", "居中、红色、上边缘距页面上边 72 mm")]
    mark = s.mark[0]
    out.append(_ok("发文机关标志上边缘距页面上边 72 mm", _near(mark.em_top, gbt9704.MARK_TOP, 1.0), f"{_f(mark.em_top)} mm",
                   "72 ±1 mm"))
    left, right = min(m.x0 for m in s.mark), max(m.x1 for m in s.mark)  # a joint mark: names and 文件 together
    width, centre = right - left, (left + right) / 2
    out.append(_ok("发文机关标志居中且不超出版心宽度", _near(centre, gbt9704.PAGE_WIDTH / 2 + 1, 1.0) and width <= gbt9704.TYPE_WIDTH + 0.5,
                   f"中线 {_f(centre)} mm，宽 {_f(width)} mm", "中线 106 ±1 mm（版心中线），宽 ≤ 156 mm"))
    if s.doc_number is None:
        out.append(Result("发文字号", FAIL, "未找到 ××〔年份〕序号号 格式的发文字号", "机关代字〔2021〕135号"))
        return out
    dn = s.doc_number
    gap = dn.em_top - max(m.em_bottom for m in s.mark)
    out.append(_ok("发文字号在发文机关标志下空二行", 2 * P - 1 <= gap <= 2.5 * P + 1, f"间距 {_f(gap)} mm",
                   f"{_f(2 * P)}–{_f(2.5 * P)} mm"))
    upward = any("签发人" in ln.text for ln in view.pages[0].text_lines())
    if upward:
        out.append(_ok("上行文发文字号居左空一字", _near(dn.x0, gbt9704.MARGIN_LEFT + C, 1.0), f"左端 {_f(dn.x0)} mm",
                       f"{_f(gbt9704.MARGIN_LEFT + C)} ±1 mm"))
        signer = next(ln for ln in view.pages[0].text_lines() if "签发人" in ln.text)
        out.append(_ok("签发人居右空一字", _near(signer.x1, RIGHT - C, 1.0), f"右端 {_f(signer.x1)} mm",
                       f"{_f(RIGHT - C)} ±1 mm"))
    else:
        out.append(_ok("发文字号居中", _near(dn.centre, gbt9704.PAGE_WIDTH / 2 + 1, 1.0), f"中线 {_f(dn.centre)} mm", "106 ±1 mm"))
    sep = s.separator
    if sep is None:
        out.append(Result("红色分隔线", FAIL, "第 1 页未找到红色分隔线", "与版心等宽，发文字号下 4 mm"))
        return out
    out.append(_ok("红色分隔线与版心等宽", _near(sep.width, gbt9704.TYPE_WIDTH, 1.0) and _near(sep.x0, gbt9704.MARGIN_LEFT, 0.6),
                   f"宽 {_f(sep.width)} mm，左端 {_f(sep.x0)} mm", "156 ±1 mm，左端 28 mm"))
    out.append(_ok("红色分隔线在发文字号下 4 mm", _near(sep.y - dn.em_bottom, gbt9704.SEPARATOR_BELOW_DOC_NUMBER, 1.0),
                   f"{_f(sep.y - dn.em_bottom)} mm", "4 ±1 mm"))
    if s.titles:
        t = s.titles[0]
        out.append(_ok("标题二号字、居中", _near(t.size, gbt9704.SIZE_ER, 0.5) and all(_near(x.centre, gbt9704.PAGE_WIDTH / 2 + 1, 1.0) for x in s.titles),
                       f"{t.size:.1f} pt，中线 {', '.join(_f(x.centre) for x in s.titles)} mm", "22 pt，中线 106 ±1 mm"))
        gap = t.em_top - sep.y
        out.append(_ok("标题在红色分隔线下空二行", 2 * P - 1 <= gap <= 3 * P, f"{_f(gap)} mm", f"{_f(2 * P)}–{_f(3 * P)} mm"))
    else:
        out.append(Result("标题", FAIL, "第 1 页分隔线下未找到二号标题", "22 pt，居中"))
    body = s.text_lines(view.pages[0])
    measured = f"正文 {len(body)} 行" + (f"（主送机关「{s.addressees[0].text[:12]}」不计）" if s.addressees else "")
    out.append(_ok("首页显示正文", bool(body), measured, "主送机关之后至少 1 行正文"))
    return out


def grid(view: PdfView, s: Structure) -> list[Result]:
    pitches, full, counts, bad_full, spread = [], 0, {}, [], 0
    full_pages = []
    for page in view.pages:
        lines = s.body_lines(page)
        for a, b in zip(lines, lines[1:]):
            d = b.baseline - a.baseline
            if 0.5 * P < d < 1.5 * P:  # consecutive lines (blank lines between are multiples of P)
                pitches.append(d)
        right = page.area.right
        for n, line in enumerate(lines):
            x1 = line.glyphs[-2].x1 if view.libreoffice and hangs(line, right) else line.x1
            if _near(x1, right, 0.6) and all(len(gl.text.encode("utf-8")) == 3 for gl in line.glyphs):
                full += 1
                k = len(line.glyphs)
                cells = round((right - line.x0) / C)  # 28 (40 across a turned page), 2 fewer when indented
                counts[k] = counts.get(k, 0) + 1
                following = lines[n + 1].text.replace(" ", "") if n + 1 < len(lines) else ""
                nxt = following[:1]
                allowed = k == cells or (k == cells + 1 and line.text[-1] in NO_LINE_START) or \
                    (k == cells - 1 and (nxt in NO_LINE_START or nxt in NO_LINE_END or line.text[-1] in NO_LINE_END
                                         or nxt == ""))  # an opening mark is never left at a line's end
                kept = KEPT_WHOLE.match(following)
                if not allowed and kept and cells - k <= _cells(kept.group(0)) + 1:  # it did not fit in the gap
                    allowed, spread = True, spread + 1
                if not allowed:
                    bad_full.append(f"第{page.number}页「{line.text[:6]}…」{k}字")
        if lines and not page.area.landscape and lines[0].em_top < gbt9704.MARGIN_TOP + P \
                and lines[-1].em_bottom > gbt9704.TYPE_BOTTOM - P \
                and all(0.95 * P < b.baseline - a.baseline < 1.05 * P for a, b in zip(lines, lines[1:])):
            full_pages.append((page.number, len(lines)))
    out = []
    if pitches:
        normal = [d for d in pitches if _near(d, P, 0.15)]
        tight = [d for d in pitches if gbt9704.MIN_TIGHTENED_PITCH * P - 0.1 <= d < P - 0.15]
        # a tightened page keeps one pitch throughout; a lone short pitch is a line off the grid
        if len(set(round(d, 1) for d in tight)) > 1 or len(tight) == 1:
            tight = []
        other = len(pitches) - len(normal) - len(tight)
        out.append(_ok("正文行距（22 行撑满版心）", other == 0,
                       f"{len(normal)} 处 {_f(P)} mm" + (f"，{len(tight)} 处为使落款与正文同页而压缩" if tight else "")
                       + (f"，{other} 处异常" if other else ""), f"{P:.2f} ±0.15 mm"))
    if full:
        summary = "，".join(f"{k} 字 {v} 行" for k, v in sorted(counts.items()))
        if spread:
            summary += f"（其中 {spread} 行因下行以不可拆分的文号或网址开头而拉开字距）"
        out.append(_ok("满行 28 字（版心宽 156 mm）", not bad_full, summary + ("；" + "；".join(bad_full[:3]) if bad_full else ""),
                       "28 字（段首空二字的行 26 字）；因标点禁则可多或少 1 字"))
    for number, count in full_pages:
        out.append(_ok(f"第 {number} 页正文 22 行", count == gbt9704.LINES_PER_PAGE, f"{count} 行", "22 行"))
    return out


def page_numbers(view: PdfView) -> list[Result]:
    out, problems = [], []
    numbered = [p for p in view.pages if p.page_number is not None]
    unnumbered = [p.number for p in view.pages if p.page_number is None]
    for page in numbered:
        ln = page.page_number
        n = int(PAGE_NUMBER.match(ln.text).group(1))
        dashes = [gl for gl in ln.glyphs if gl.text == "—"]
        if n != page.number:
            problems.append(f"第{page.number}页印作 {n}")
        if not _near(ln.size, gbt9704.SIZE_SI, 0.3):
            problems.append(f"第{page.number}页 {ln.size:.1f} pt")
        for dash in dashes:
            if not _near((dash.x1 - dash.x0) / (dash.size * gbt9704.MM_PER_PT), 1.0, 0.05):
                problems.append(f"第{page.number}页一字线宽 {(dash.x1 - dash.x0) / (dash.size * gbt9704.MM_PER_PT):.2f} em")
                break
        centre = ln.baseline - 0.38 * ln.size * gbt9704.MM_PER_PT
        if not _near(centre, gbt9704.PAGE_NUMBER_DASH_Y, 1.5):
            problems.append(f"第{page.number}页一字线高 {_f(centre)} mm")
        if page.number % 2 and not _near(ln.x1, RIGHT - C, 1.0):
            problems.append(f"第{page.number}页（单页）右端 {_f(ln.x1)} mm")
        if not page.number % 2 and not _near(ln.x0, gbt9704.MARGIN_LEFT + C, 1.0):
            problems.append(f"第{page.number}页（双页）左端 {_f(ln.x0)} mm")
    out.append(_ok("页码 — N —：四号、一字线 1 em、距版心下边缘 7 mm、单页居右双页居左空一字", not problems and bool(numbered),
                   "；".join(problems[:4]) or f"{len(numbered)} 页均符合",
                   f"14 pt；一字线 1 em；{_f(gbt9704.PAGE_NUMBER_DASH_Y)} ±1.5 mm；单页右端 {_f(RIGHT - C)}、双页左端 {_f(gbt9704.MARGIN_LEFT + C)} mm"))
    allowed = _unnumbered_allowed(view)
    stray = [n for n in unnumbered if n not in allowed]
    out.append(_ok("无页码的页只能是版记前的空白页和其后的版记页", not stray, f"无页码页：{unnumbered or '无'}",
                   "其余各页均有页码（版记页前无空白页时版记页也编页码）"))
    return out


def _unnumbered_allowed(view: PdfView) -> set[int]:
    """Pages that may carry no number: a blank page before the 版记 page at the end, and that page."""
    total = len(view.pages)
    unnumbered = [p.number for p in view.pages if p.page_number is None]
    if total >= 2 and unnumbered and unnumbered[-1] == total and not view.pages[-2].lines:
        return {total, total - 1}  # §7.5: only when a blank page comes before the 版记 page
    return set()


def colophon(view: PdfView, s: Structure) -> list[Result]:
    rules = sorted(s.colophon_rules, key=lambda r: r.y)
    if not rules:
        return [Result("版记", NA, "末页未见版记分隔线", "")]
    last = view.pages[-1]
    out = [_ok("版记位于偶数页（双面印刷的最后一面）", last.number % 2 == 0, f"末页为第 {last.number} 页", "偶数页"),
           _ok("版记末条分隔线与版心下边缘重合", _near(rules[-1].y, gbt9704.TYPE_BOTTOM, 0.5), f"{_f(rules[-1].y)} mm", "262 ±0.5 mm"),
           _ok("版记分隔线与版心等宽", all(_near(r.width, gbt9704.TYPE_WIDTH, 1.0) for r in rules),
               "、".join(_f(r.width) for r in rules) + " mm", "156 ±1 mm")]
    thick = [rules[0], rules[-1]] if len(rules) > 1 else rules
    out.append(_ok("首末条分隔线为粗线（0.35 mm），中间为细线（0.25 mm）",
                   all(_near(r.thickness, gbt9704.COLOPHON_THICK_RULE, 0.06) for r in thick)
                   and all(_near(r.thickness, gbt9704.COLOPHON_THIN_RULE, 0.06) for r in rules[1:-1]),
                   "、".join(f"{r.thickness:.2f}" for r in rules) + " mm", "0.35 / 0.25 / 0.35 mm"))
    lines = [ln for ln in last.text_lines() if ln.baseline > rules[0].y]
    printed = [ln for ln in lines if ln.text.endswith("印发")]
    out.append(_ok("印发机关和印发日期（四号，末条分隔线之上）", bool(printed) and all(_near(ln.size, gbt9704.SIZE_SI, 0.3) for ln in printed),
                   printed[0].text if printed else "未找到「…印发」", "××××年×月×日印发，14 pt"))
    if printed:
        # 1 字 in from each side: of the 版记's 四号 (4.9 mm) or of the body's 三号 grid (5.6 mm)
        date = printed[-1]
        row = [ln for ln in lines if _near(ln.baseline, date.baseline, 0.4) and ln is not date and ln.x1 < date.x0]
        organ = row[0] if row else None
        inset = lambda v: gbt9704.mm(gbt9704.SIZE_SI) - 0.6 <= v <= C + 0.6
        out.append(_ok("印发机关左空一字、印发日期右空一字", inset(RIGHT - date.x1) and (organ is None or inset(organ.x0 - gbt9704.MARGIN_LEFT)),
                       (f"印发机关左端 {_f(organ.x0)} mm，" if organ else "") + f"印发日期右端 {_f(date.x1)} mm",
                       f"左端 {_f(gbt9704.MARGIN_LEFT + gbt9704.mm(gbt9704.SIZE_SI))}–{_f(gbt9704.MARGIN_LEFT + C)} mm，"
                       f"右端 {_f(RIGHT - C)}–{_f(RIGHT - gbt9704.mm(gbt9704.SIZE_SI))} mm"))
    cc = [ln for ln in lines if ln.text.startswith("抄送")]
    if cc:
        print_row = {round(ln.baseline, 1) for ln in printed}
        body = [ln for ln in lines if rules[0].y < ln.baseline and round(ln.baseline, 1) not in print_row]
        out.append(_ok("抄送以句号结束", body[-1].text.endswith("。"), body[-1].text[-6:], "以「。」结束"))
    return out


def _date_ends(date: TextLine) -> list[tuple[float, float, str]]:
    """The date line's ends as measured, then (when LibreOffice spaced its digits) as they would be without
    that space, kept at its left end, right end or centre (its alignment is not known)."""
    ends = [(date.x0, date.x1, "")]
    if date.autospace():
        names = {"right": "右端不动", "left": "左端不动", "centre": "中线不动"}
        for anchor in ("right", "left", "centre"):
            x0, x1 = date.without_autospace(anchor)
            ends.append((x0, x1, f"去掉{AUTOSPACE}（{_f(date.autospace())} mm，{names[anchor]}）日期为 {_f(x0)}–{_f(x1)} mm"))
    return ends


def _unsealed_at(organ: TextLine, x0: float, x1: float) -> bool:
    """§7.3.5.2: 署名 right-indented 2 字, the date starting 2 字 right of it (a longer date right-indented 2 字)."""
    return (_near(organ.x1, RIGHT - 2 * C, 1.0) or _near(x1, RIGHT - 2 * C, 1.0)) and _near(x0 - organ.x0, 2 * C, 1.0)


def _first_met(ends, test) -> tuple[bool, bool, str]:
    """Whether ``test`` holds on the measured ends, whether on ends without LibreOffice's spacing, and how."""
    raw = test(*ends[0][:2])
    without = next((how for x0, x1, how in ends[1:] if test(x0, x1)), "")
    return raw, bool(without), without


def _drawn_seal(page, organ: TextLine | None, date: TextLine) -> dict | None:
    """A seal drawn on the page (a picture or a red round mark) over the signature, as a seal area."""
    for x0, top, x1, bottom in page.seals:
        lines = [ln for ln in (organ, date) if ln is not None]
        if any(x0 < ln.x1 and ln.x0 < x1 and top < ln.em_bottom and ln.em_top < bottom for ln in lines):
            return {"page": page.number, "x": round((x0 + x1) / 2, 2), "y": round((top + bottom) / 2, 2),
                    "diameter": round(max(x1 - x0, bottom - top), 1)}
    return None


@dataclass
class Above:
    """The body content on the signature's page above it: body lines (not the 主送机关) and the bottom rule of
    a table's rows (a body ending with a table split across pages may leave only its rows there)."""

    lines: list[TextLine]
    table_bottom: float | None = None  # mm

    @property
    def found(self) -> bool:
        return bool(self.lines) or self.table_bottom is not None

    @property
    def bottom(self) -> float:
        """Where the content ends (mm): the last line's em box or the table's rule, the lower; 0 with none."""
        return self._lowest(0.0)

    @property
    def row_bottom(self) -> float:
        """The bottom of the last row: a line's em box and the margin under it, or the table's rule."""
        return self._lowest(ROW_MARGIN)

    def _lowest(self, below_line: float) -> float:
        edges = [self.lines[-1].em_bottom + below_line] if self.lines else []
        if self.table_bottom is not None:
            edges.append(self.table_bottom)
        return max(edges, default=0.0)

    def described(self, page: int) -> str:
        table = f"，表格下边线 {_f(self.table_bottom)} mm" if self.table_bottom is not None else ""
        return f"第 {page} 页有正文 {len(self.lines)} 行{table}"


def content_above(s: Structure, page, lines: list[TextLine], top: float) -> Above:
    """``lines`` (less the 主送机关) and the table whose column rules end above ``top`` (mm) on ``page``."""
    addressees = {id(x) for x in s.addressees}
    table = page.verticals_bottom if 0 < page.verticals_bottom <= top + 0.5 else None
    return Above([ln for ln in lines if id(ln) not in addressees], table)


def signature_mode(view: PdfView, s: Structure) -> tuple[bool, dict | None, str]:
    """Sealed or not, the seal area if one is known, and how that was decided: the PDF's ``DocgenSealArea``,
    else a seal drawn over the signature, else the layout (§7.3.5.1: the date right-indented 4 字 — unless
    the unsealed layout fits as well and the signature is only one blank line under the text). A joint
    signature (联合行文) is known by its own layout, `joint_signature`."""
    page, date = s.date_page, s.date
    joint = joint_signature(view, s)
    if joint is not None:
        return joint.sealed, joint.seals[-1] if joint.seals else None, joint.how
    organ, above = _signature_lines(s)
    recorded = view.seal_area()
    if recorded:
        return True, recorded, f"文档信息 {SEAL_AREA_KEY}"
    drawn = _drawn_seal(page, organ, date)
    if drawn:
        return True, drawn, "页面上绘有印章"
    if organ is None or not _near(date.x1, RIGHT - 4 * C, 1.0):  # a right-indented date: its right end as drawn
        return False, None, "版式（成文日期未右空四字）"
    unsealed = any(_unsealed_at(organ, x0, x1) for x0, x1, _ in _date_ends(date))
    if unsealed and above.found and organ.em_top - ROW_MARGIN - above.row_bottom < 1.5 * P:  # one blank row
        return False, None, "版式（署名在正文下空一行，合不加盖印章的版式）"
    return True, None, "版式（成文日期右空四字，署名以日期居中）"


def _signature_lines(s: Structure) -> tuple[TextLine | None, Above]:
    """The 署名 (the line above the date) and the body content above it on the date's page."""
    page = s.date_page
    above = [ln for ln in s.body_lines(page) if ln.baseline < s.date.baseline - 0.5]
    organ = above[-1] if above else None
    body = [ln for ln in above[:-1] if ln.baseline < (organ.baseline if organ else 0) - 0.5]
    return organ, content_above(s, page, body, organ.em_top if organ else s.date.em_top)


def _segments(line: TextLine) -> list[TextLine]:
    """A line cut where its glyphs stand more than 1.5 字 apart: 署名 side by side read back as one line."""
    parts = [[line.glyphs[0]]]
    for a, b in zip(line.glyphs, line.glyphs[1:]):
        if b.x0 - a.x1 > 1.5 * C:
            parts.append([])
        parts[-1].append(b)
    return [TextLine(glyphs) for glyphs in parts]


@dataclass
class JointSignature:
    """The 署名 of a joint document (联合行文) found above the date, in reading order."""

    names: list[TextLine]
    body: Above  # the body content above them on the date's page
    sealed: bool
    seals: list[dict]  # the recorded seal areas, in organ order
    how: str


def joint_signature(view: PdfView, s: Structure) -> JointSignature | None:
    """A joint signature (§7.3.5): recorded seal areas, one per organ (``DocgenSealArea`` a list); else 署名
    side by side on the line above the date (sealed); else 署名 one under another, starting together, each
    line right after the other (unsealed). None for one organ's signature."""
    page, date = s.date_page, s.date
    above = [ln for ln in s.body_lines(page) if ln.baseline < date.baseline - 0.5]
    seals = [a for a in view.seal_areas() if a["page"] == page.number]
    if len(view.seal_areas()) > 1:
        top = min(a["y"] - a["diameter"] / 2 for a in seals) if seals else date.em_top
        names = [seg for ln in above if ln.em_bottom > top for seg in _segments(ln)]
        body = content_above(s, page, [ln for ln in above if ln.em_bottom <= top], top)
        return JointSignature(names, body, True, view.seal_areas(), f"文档信息 {SEAL_AREA_KEY}（{len(view.seal_areas())} 个印章区）")
    if not above:
        return None
    row = _segments(above[-1])
    if len(row) > 1:
        body = content_above(s, page, above[:-1], above[-1].em_top)
        return JointSignature(row, body, True, [], "版式（署名并排）")
    stack = [above[-1]]
    for ln in reversed(above[:-1]):
        if not (_near(ln.x0, stack[0].x0, 1.0) and _near(stack[0].baseline - ln.baseline, P, 0.5)):
            break
        stack.insert(0, ln)
    if len(stack) < 2 or stack[0].x0 < page.area.left + 3 * C:
        return None
    body = content_above(s, page, above[:-len(stack)], stack[0].em_top)
    return JointSignature(stack, body, False, [], "版式（署名依次向下）")


def _joint_rules(view: PdfView, s: Structure, joint: JointSignature) -> list[Result]:
    date, names = s.date, joint.names
    ends = _date_ends(date)
    dates = f"日期 {_f(date.x0)}–{_f(date.x1)} mm"
    shown = "；".join(f"「{n.text}」{_f(n.x0)}–{_f(n.x1)}" for n in names)
    if not joint.sealed:
        start, longest = names[0].x0, max(n.x1 for n in names)
        test = lambda x0, x1: all(_near(n.x0, start, 1.0) for n in names) and _near(x0 - start, 2 * C, 1.0) \
            and (_near(longest, RIGHT - 2 * C, 1.0) or _near(x1, RIGHT - 2 * C, 1.0))
        raw, without, note = _first_met(ends, test)
        return [_judge(view, "不加盖印章：署名右空二字，日期首字比署名首字右移二字", raw, without,
                       f"联合行文，主办机关署名在前、其余依次向下：署名 {shown}；{dates}（{joint.how}）",
                       f"署名首字对齐于 {_f(start)}，最长署名右端 {_f(RIGHT - 2 * C)}，日期首字 {_f(start + 2 * C)} mm", note)]
    out = []
    raw, without, note = _first_met(ends, lambda x0, x1: _near(x1, RIGHT - 4 * C, 1.0))
    out.append(_judge(view, "加盖印章的成文日期右空四字", raw, without, f"右端 {_f(date.x1)} mm（{joint.how}）",
                      f"{_f(RIGHT - 4 * C)} ±1 mm", note))
    raw, without, note = _first_met(ends, lambda x0, x1: _near(names[-1].centre, (x0 + x1) / 2, 1.0))
    out.append(_judge(view, "发文机关署名以成文日期居中", raw, without,
                      f"联合行文，最后一个署名「{names[-1].text}」中线 {_f(names[-1].centre)}，日期中线 {_f(date.centre)} mm",
                      "相差 ≤ 1 mm", note))
    seals = joint.seals
    if not seals:
        return out
    d = [a["diameter"] for a in seals]
    pressed = len(seals) == len(names) and all(
        _near(a["x"], n.centre, 1.0) and a["y"] - a["diameter"] / 2 < n.em_top and a["y"] + a["diameter"] / 2 > n.em_bottom
        for a, n in zip(seals, names))
    out.append(_ok("联合行文：印章一一对应、居中下压各发文机关署名", pressed,
                   f"{len(seals)} 个印章区，署名 {shown}；印章中心 " + "、".join(_f(a["x"]) for a in seals) + " mm",
                   "每个署名一个印章区，中线相差 ≤ 1 mm，印章上缘高于署名、下缘低于署名"))
    gaps = [((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 - (a["diameter"] + b["diameter"]) / 2
            for i, a in enumerate(seals) for b in seals[i + 1:] if a["page"] == b["page"]]
    inside = all(a["x"] - a["diameter"] / 2 >= gbt9704.MARGIN_LEFT - 0.5 and a["x"] + a["diameter"] / 2 <= RIGHT + 0.5
                 for a in seals)
    rows = sorted({round(a["y"], 1) for a in seals})
    out.append(_ok("联合行文：印章排列整齐、互不相交或相切，每排两端不出版心", inside and all(g > 0 for g in gaps),
                   f"{len(rows)} 排；相邻印章最小间距 {_f(min(gaps))} mm；两端 {_f(min(a['x'] - a['diameter'] / 2 for a in seals))}–"
                   f"{_f(max(a['x'] + a['diameter'] / 2 for a in seals))} mm", f"间距 > 0，两端在 {_f(gbt9704.MARGIN_LEFT)}–{_f(RIGHT)} mm 内"))
    first, last = seals[0], seals[-1]
    last_text = joint.body.bottom
    top = first["y"] - first["diameter"] / 2
    out.append(_ok("首排印章与成文日期同页、上距正文一行之内", first["page"] == s.date_page.number and 0 <= top - last_text <= P,
                   f"第 {first['page']} 页，上缘距正文 {_f(top - last_text)} mm，直径 {'、'.join(_f(x) for x in sorted(set(d)))} mm",
                   f"同页，0–{_f(P)} mm"))
    out.append(_ok("最后一个印章压最后一个署名和成文日期", last["y"] + last["diameter"] / 2 > date.em_bottom
                   and _near(last["x"], date.centre, 1.5), f"印章中心 ({_f(last['x'])}, {_f(last['y'])}) mm，{dates}",
                   "印章下缘低于日期，中线对日期"))
    return out


def signature(view: PdfView, s: Structure) -> list[Result]:
    if s.date is None:
        return [Result("成文日期", NA, "未找到成文日期行", "")]
    page, date = s.date_page, s.date
    out = []
    m = DATE.match(date.text)
    out.append(_ok("成文日期用阿拉伯数字、不编虚位", not (m.group(2).startswith("0") or m.group(3).startswith("0")),
                   date.text, "如 2021年8月3日"))
    joint = joint_signature(view, s)
    organ, body = _signature_lines(s) if joint is None else (None, joint.body)
    out.append(_ok("落款与正文同页（不单独成页）", body.found, body.described(page.number), "至少 1 行正文或表格"))
    if joint is not None:
        return out + _joint_rules(view, s, joint)
    sealed, seal, how = signature_mode(view, s)
    ends = _date_ends(date)
    dates = f"日期 {_f(date.x0)}–{_f(date.x1)} mm"
    if not sealed:
        if organ is not None:
            raw, without, note = _first_met(ends, lambda x0, x1: _unsealed_at(organ, x0, x1))
            out.append(_judge(view, "不加盖印章：署名右空二字，日期首字比署名首字右移二字", raw, without,
                              f"署名 {_f(organ.x0)}–{_f(organ.x1)}，{dates}（{how}）",
                              f"署名右端 {_f(RIGHT - 2 * C)}，日期比署名右移 {_f(2 * C)} mm", note))
        return out
    raw, without, note = _first_met(ends, lambda x0, x1: _near(x1, RIGHT - 4 * C, 1.0))
    out.append(_judge(view, "加盖印章的成文日期右空四字", raw, without, f"右端 {_f(date.x1)} mm（{how}）",
                      f"{_f(RIGHT - 4 * C)} ±1 mm", note))
    if organ is not None:
        raw, without, note = _first_met(ends, lambda x0, x1: _near(organ.centre, (x0 + x1) / 2, 1.0))
        out.append(_judge(view, "发文机关署名以成文日期居中", raw, without,
                          f"署名中线 {_f(organ.centre)}，日期中线 {_f(date.centre)} mm", "相差 ≤ 1 mm", note))
    last_text = body.bottom
    if seal:
        top = seal["y"] - seal["diameter"] / 2
        out.append(_ok("印章与成文日期同页、上距正文一行之内", seal["page"] == page.number and 0 <= top - last_text <= P,
                       f"印章区（{how}）：第 {seal['page']} 页，中心 ({seal['x']}, {seal['y']}) mm，直径 {seal['diameter']} mm；"
                       f"上缘距正文 {_f(top - last_text)} mm", f"同页，0–{_f(P)} mm"))
        out.append(_ok("印章压署名和成文日期", organ is not None and top < organ.em_top
                       and seal["y"] + seal["diameter"] / 2 > date.em_bottom, "印章覆盖署名与日期" if organ else "未找到署名",
                       "印章上缘高于署名，下缘低于日期"))
    elif organ is not None:
        # no seal recorded or drawn: where a 42 mm seal would go, its top within one line of the text above
        # and pressing on both lines
        d = gbt9704.SEAL_DIAMETER
        low, high = max(last_text, date.em_bottom - d), min(last_text + P, organ.em_top)
        top = min(max(last_text + 0.3 * P, low), high)
        x = round((organ.centre + date.centre) / 2, 1)
        out.append(_ok("印章区（按版式推定，42 mm）：压署名和成文日期，上缘距正文一行之内", body.found and low <= high,
                       f"第 {page.number} 页，中心 ({x}, {_f(top + d / 2)}) mm，上缘距正文 {_f(top - last_text)} mm；"
                       f"署名上缘距正文 {_f(organ.em_top - last_text)} mm，日期下缘距正文 {_f(date.em_bottom - last_text)} mm",
                       f"署名上缘距正文 > 0，日期下缘距正文 < {_f(d + P)} mm"))
    return out


def attachments(view: PdfView, first: int = 1) -> list[Result]:
    out = []
    for page in view.pages[first:]:
        a = page.area
        lines = page.text_lines()
        if not lines or not ANNEX_LABEL.match(lines[0].text) or lines[0].em_top > a.top + P:
            continue
        label = lines[0]
        label_top = a.top + (P - gbt9704.mm(gbt9704.SIZE_SAN)) / 2
        good = _near(label.x0, a.left, 0.6) and _near(label.em_top, label_top, 1.5)
        title = next((ln for ln in lines[1:] if ln.size > 20), None)
        line3, centre = a.top + 2.5 * P, a.left + a.width / 2
        good_title = title is not None and _near((title.em_top + title.em_bottom) / 2, line3, 2.5) \
            and _near(title.centre, centre, 1.0)
        turned = "（横排）" if a.landscape else ""
        out.append(_ok(f"第 {page.number} 页{label.text}{turned}：标识顶格第 1 行、标题居中第 3 行", good and good_title,
                       f"标识 x {_f(label.x0)} y {_f(label.em_top)}；标题中线 "
                       + (f"{_f(title.centre)}、高 {_f((title.em_top + title.em_bottom) / 2)} mm" if title else "未找到"),
                       f"标识 x {_f(a.left)} y {_f(label_top)}；标题中线 {_f(centre)}、第 3 行 {_f(line3)} mm"))
    return out


def fonts(view: PdfView) -> list[Result]:
    type3 = [f for f in view.fonts if "Type3" in f]
    names = sorted({f.split("+")[-1] for f in view.fonts})
    return [_ok("字体已嵌入（无 Type 3 位图字体）", not type3, "、".join(names), "嵌入的 OpenType/TrueType 字体")]


def all_rules(view: PdfView) -> list[Result]:
    s = Structure(view)
    return (paper(view) + type_area(view) + header(view, s) + grid(view, s) + signature(view, s)
            + attachments(view, first=0 if attachments_only(view) else 1) + landscape_pages(view)
            + page_numbers(view) + colophon(view, s) + fonts(view))
