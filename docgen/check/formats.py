"""`docgen check` for the special formats of GB/T 9704 §10 — 信函, 命令（令）, 纪要: which format a PDF is
in (its ``DocgenFormat`` document-info entry, else its layout), and the rules that format is judged by in
place of the ordinary 文件 layout's (docgen.check.rules)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from docgen.check.readback import PdfView, TextLine
from docgen.check.rules import (DATE, FAIL, NA, PASS, ROW_MARGIN, Result, Structure, _f, _near, _ok,
                                _unnumbered_allowed, all_rules, attachments, attachments_only, colophon,
                                content_above, fonts, grid, header, landscape_pages, page_numbers, paper, signature,
                                type_area)
from docgen.layout import gbt9704
from docgen.layout.special import (FORMAT_KEY, LETTER_FOOT_RULE_BOTTOM, LETTER_MARK_TOP,
                                   LETTER_RULE_BELOW_MARK, LETTER_RULE_LENGTH, ORDER_MARK_TOP, SEVEN_EIGHTHS,
                                   STAMP_AREA_KEY)

P = gbt9704.LINE_PITCH_MM
FORMATS = ("文件", "信函", "命令", "纪要")  # the formats a PDF's DocgenFormat may name
C = gbt9704.CHAR_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
CENTRE = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH / 2
ORDER_NUMBER = re.compile(r"^第\d+号$")
ISSUE_NUMBER = re.compile(r"^(〔\d{4}〕)?第\d+期$")
HEI = ("hei", "sans", "黑")  # how a 黑体 face is named: SimHei, Noto Sans CJK, 黑体


def _letter_rules(view: PdfView) -> list:
    """Page 1's red rules of a letter's double lines: 170 mm long (an ordinary red rule is 156 mm)."""
    return sorted((r for r in view.pages[0].rules if r.red and _near(r.width, LETTER_RULE_LENGTH, 5.0)),
                  key=lambda r: r.top)


def document_format(view: PdfView) -> tuple[str, str]:
    """The format (文件, 信函, 命令 or 纪要) and how it was known: ``DocgenFormat`` in the document info, else the
    layout — 170 mm red double lines a 信函, a red mark ending in 令 over a centred 第N号 a 命令, a red mark
    ending in 纪要 a 纪要."""
    recorded = view.metadata.get(FORMAT_KEY)
    if recorded in FORMATS:
        return recorded, f"文档信息 {FORMAT_KEY}"
    first = view.pages[0]
    marks = [ln for ln in first.text_lines() if ln.red and ln.em_top < 130]
    mark = "".join(ln.text for ln in marks).strip()
    if len(_letter_rules(view)) >= 2:
        return "信函", "版式（170 mm 红色双线）"
    if mark.endswith("令") and any(ORDER_NUMBER.match(ln.text.strip()) for ln in first.text_lines()):
        return "命令", "版式（标志以「令」结尾，其下有令号）"
    if mark.endswith("纪要"):
        return "纪要", "版式（标志以「纪要」结尾）"
    return "文件", ""


def format_rules(view: PdfView) -> list[Result]:
    """Every rule for the PDF, judged by the layout of its format."""
    fmt, how = document_format(view)
    if fmt == "文件" or attachments_only(view):
        return all_rules(view)
    s = Structure(view)
    found = Result(f"特定格式：{fmt}格式（GB/T 9704 第 10 章）", PASS, how)
    # each header rule also tells the structure which lines are its own (not the flow's) before the rest look
    if fmt == "信函":
        head, skip = _letter_header(view, s)
        area = type_area(_without(view, skip))
        ending = signature(view, s)
        numbers, foot = _letter_page_numbers(view), _letter_colophon(view)
    else:
        head = _order_header(view, s) if fmt == "命令" else _minutes_header(view, s)
        area = type_area(view)
        ending = _order_signature(view, s) if fmt == "命令" else _attendance(view, s)
        numbers, foot = page_numbers(view), colophon(view, s)
    return ([found] + paper(view) + area + head + grid(view, s) + ending + attachments(view, first=1)
            + landscape_pages(view) + numbers + foot + fonts(view))


def _without(view: PdfView, skip: list[TextLine]) -> PdfView:
    """``view`` without the lines ``skip`` (a letter's mark, which stands above the type area by design)."""
    ids = {id(x) for x in skip}
    pages = [replace(p, lines=[ln for ln in p.lines if id(ln) not in ids]) for p in view.pages]
    return replace(view, pages=pages)


# ---- 信函 ----

def _letter_header(view: PdfView, s: Structure) -> tuple[list[Result], list[TextLine]]:
    """§10.1: the mark 30 mm from the page top, the double lines, the 版头 elements and the title."""
    first, out = view.pages[0], []
    if not s.mark:
        return [Result("信函：发文机关标志（红色）", FAIL, "第 1 页未找到红色发文机关标志", "居中、红色、上边缘距页面上边 30 mm")], []
    mark = s.mark[0]
    out.append(_ok("信函：发文机关标志上边缘距页面上边 30 mm", _near(mark.em_top, LETTER_MARK_TOP, 1.0),
                   f"{_f(mark.em_top)} mm", f"{_f(LETTER_MARK_TOP)} ±1 mm"))
    out.append(_ok("信函：发文机关标志居中、不超出版心宽度、不加「文件」",
                   _near(mark.centre, CENTRE, 1.0) and mark.x1 - mark.x0 <= gbt9704.TYPE_WIDTH + 0.5
                   and not mark.text.endswith("文件"),
                   f"「{mark.text}」中线 {_f(mark.centre)} mm，宽 {_f(mark.x1 - mark.x0)} mm", "中线 106 ±1 mm，宽 ≤ 156 mm"))
    rules = _letter_rules(view)
    upper = [r for r in rules if r.y < 150]
    lower = [r for r in rules if r.y >= 150]
    good_upper = len(upper) == 2 and upper[0].thickness > upper[1].thickness \
        and _near(upper[0].top - mark.em_bottom, LETTER_RULE_BELOW_MARK, 0.5)
    out.append(_ok("信函：标志下 4 mm 红色双线（上粗下细）", good_upper,
                   (f"距标志 {_f(upper[0].top - mark.em_bottom)} mm，粗细 " + "/".join(f"{r.thickness:.2f}" for r in upper)
                    + " mm") if upper else "未找到", f"{_f(LETTER_RULE_BELOW_MARK)} ±0.5 mm，上线粗于下线"))
    good_lower = len(lower) == 2 and lower[0].thickness < lower[1].thickness \
        and _near(lower[-1].bottom, LETTER_FOOT_RULE_BOTTOM, 0.5)
    out.append(_ok("信函：距下页边 20 mm 红色双线（上细下粗）", good_lower,
                   (f"下缘 {_f(lower[-1].bottom)} mm，粗细 " + "/".join(f"{r.thickness:.2f}" for r in lower) + " mm")
                   if lower else "未找到", f"{_f(LETTER_FOOT_RULE_BOTTOM)} ±0.5 mm，下线粗于上线"))
    out.append(_ok("信函：双线长 170 mm、居中", len(rules) == 4 and all(
        _near(r.width, LETTER_RULE_LENGTH, 1.0) and _near((r.x0 + r.x1) / 2, CENTRE, 1.0) for r in rules),
        "、".join(f"{_f(r.width)}（中线 {_f((r.x0 + r.x1) / 2)}）" for r in rules) + " mm", "170 ±1 mm，中线 106 ±1 mm"))
    feet = [ln for ln in first.text_lines() if not ln.red and ln.em_top > gbt9704.TYPE_BOTTOM]
    if feet and lower:  # a line above the second double line (an address): 7/8 of a 三号 height above it
        gap = lower[0].top - feet[-1].em_bottom
        out.append(_ok("信函：第二条红色双线上一行文字距该线三号字高的 7/8", _near(gap, SEVEN_EIGHTHS, 0.5),
                       f"「{feet[-1].text[:12]}」距双线 {_f(gap)} mm", f"{SEVEN_EIGHTHS:.2f} ±0.5 mm"))
    if not upper:
        return out, [mark, *feet]
    line_bottom = upper[-1].bottom
    titles = [ln for ln in first.text_lines() if ln.size > 20 and ln.em_top > line_bottom]
    title_top = titles[0].em_top if titles else gbt9704.TYPE_BOTTOM
    head = [ln for ln in first.text_lines() if line_bottom < ln.em_top < title_top and not ln.red]
    s.header_lines = head  # 份号, 密级, 紧急程度 and 发文字号: the 版头, not the flow
    s.titles = titles
    number = s.doc_number
    elements = [ln for ln in head if ln is not number and _near(ln.x0, gbt9704.MARGIN_LEFT, 0.6)]
    if elements:
        e = elements[0]
        out.append(_ok("信函：份号、密级和保密期限、紧急程度顶格居左，首个距双线三号字高的 7/8",
                       all(_near(ln.x0, gbt9704.MARGIN_LEFT, 0.6) for ln in elements)
                       and _near(e.em_top - line_bottom, SEVEN_EIGHTHS, 0.5),
                       f"「{e.text}」左端 {_f(e.x0)} mm，距双线 {_f(e.em_top - line_bottom)} mm",
                       f"左端 {_f(gbt9704.MARGIN_LEFT)}，距双线 {SEVEN_EIGHTHS:.2f} ±0.5 mm"))
    if number is None:
        out.append(Result("信函：发文字号", FAIL, "未找到 ××〔年份〕序号号 格式的发文字号", "顶格居版心右边缘"))
        return out, [mark, *feet]
    if elements:
        lines = (number.baseline - elements[0].baseline) / P
        placed, expected = _near(lines, 2.0, 0.1), "首个要素下空一行（基线相距 2 行）"
        measured = f"距首个要素 {lines:.2f} 行"
    else:
        placed, expected = _near(number.em_top - line_bottom, SEVEN_EIGHTHS, 0.5), f"距双线 {SEVEN_EIGHTHS:.2f} ±0.5 mm"
        measured = f"距双线 {_f(number.em_top - line_bottom)} mm"
    out.append(_ok("信函：发文字号顶格居版心右边缘", _near(number.x1, RIGHT, 0.6) and placed,
                   f"右端 {_f(number.x1)} mm，{measured}", f"右端 {_f(RIGHT)} ±0.6 mm，{expected}"))
    if titles:
        last = max(head, key=lambda ln: ln.em_bottom)
        gap = titles[0].em_top - last.em_bottom
        out.append(_ok("信函：标题居中，与其上最后一个要素相距二行",
                       2 * P - 1 <= gap <= 3 * P and all(_near(t.centre, CENTRE, 1.0) for t in titles),
                       f"相距 {_f(gap)} mm，中线 {', '.join(_f(t.centre) for t in titles)} mm",
                       f"{_f(2 * P)}–{_f(3 * P)} mm，中线 106 ±1 mm"))
    else:
        out.append(Result("信函：标题", FAIL, "第 1 页未找到二号标题", "22 pt，居中"))
    body = s.text_lines(first)
    out.append(_ok("首页显示正文", bool(body), f"正文 {len(body)} 行", "主送机关之后至少 1 行正文"))
    return out, [mark, *feet]


def _letter_page_numbers(view: PdfView) -> list[Result]:
    """§10.1: page 1 shows no page number; every other page as a 文件's (page_numbers' first rule)."""
    numbered = page_numbers(view)[0] if len(view.pages) > 1 else Result("页码", NA, "只有 1 页", "")
    unnumbered = [p.number for p in view.pages if p.page_number is None]
    stray = [n for n in unnumbered if n != 1 and n not in _unnumbered_allowed(view)]
    return [numbered,
            _ok("信函：首页不显示页码", view.pages[0].page_number is None,
                "首页无页码" if view.pages[0].page_number is None else f"首页印有「{view.pages[0].page_number.text}」",
                "首页无页码"),
            _ok("无页码的页只能是首页、版记前的空白页和其后的版记页", not stray, f"无页码页：{unnumbered or '无'}",
                "第 2 页起均有页码")]


def _letter_colophon(view: PdfView) -> list[Result]:
    """§10.1: the 版记 has neither 印发机关和印发日期 nor rules; 抄送 at the foot of the last page's type area."""
    last = view.pages[-1]
    lines = last.text_lines()
    cc = next((n for n, ln in enumerate(lines) if ln.text.startswith(("抄送", "分送"))), None)
    rules = [r for r in last.rules if not r.red and r.width > 150 and r.thickness < 0.6
             and r.y > last.verticals_bottom + 0.5]
    printed = [ln for ln in lines if ln.text.endswith("印发")]
    if cc is None and not rules and not printed:
        return [Result("版记", NA, "无抄送", "")]
    bottom = lines[-1].em_bottom if cc is not None else 0.0
    expected = gbt9704.TYPE_BOTTOM - (P - gbt9704.mm(gbt9704.SIZE_SI)) / 2
    return [_ok("信函：版记无分隔线、无印发机关和印发日期，抄送在末页版心最下方",
                not rules and not printed and cc is not None and _near(bottom, expected, 1.0),
                f"分隔线 {len(rules)} 条，印发行 {len(printed)} 行，末行下缘 {_f(bottom)} mm",
                f"无分隔线、无印发行，末行下缘 {_f(expected)} ±1 mm")]


# ---- 命令（令） ----

def _order_header(view: PdfView, s: Structure) -> list[Result]:
    """§10.2: the mark 20 mm below the type area's top, the 令号 centred two blank lines under it, the body
    two blank lines under the 令号."""
    first, out = view.pages[0], []
    if not s.mark:
        return [Result("命令：发文机关标志（红色）", FAIL, "第 1 页未找到红色标志", "居中、红色、上边缘距版心上边缘 20 mm")]
    mark = s.mark[0]
    out.append(_ok("命令：标志上边缘距版心上边缘 20 mm", _near(mark.em_top, ORDER_MARK_TOP, 1.0),
                   f"距页面上边 {_f(mark.em_top)} mm", f"{_f(ORDER_MARK_TOP)} ±1 mm"))
    out.append(_ok("命令：标志由发文机关全称加「命令」或「令」组成，居中", mark.text.endswith("令")
                   and _near(mark.centre, CENTRE, 1.0) and mark.x1 - mark.x0 <= gbt9704.TYPE_WIDTH + 0.5,
                   f"「{mark.text}」中线 {_f(mark.centre)} mm", "以「令」结尾，中线 106 ±1 mm"))
    number = next((ln for ln in first.text_lines() if ORDER_NUMBER.match(ln.text.strip()) and ln.em_top > mark.em_bottom), None)
    s.titles = []  # a 命令 has no title; its mark (large) is not one
    if number is None:
        out.append(Result("命令：令号", FAIL, "标志下未找到「第N号」", "标志下空二行居中"))
        return out
    s.header_lines = [ln for ln in first.text_lines() if ln.em_bottom <= mark.em_top] + [number]  # 份号… and 令号
    lines = (number.baseline - mark.baseline) / P
    gap = number.em_top - mark.em_bottom
    out.append(_ok("命令：令号在标志下空二行居中", 2 * P - 1 <= gap <= 2.5 * P + 1 and _near(number.centre, CENTRE, 1.0),
                   f"「{number.text}」距标志 {_f(gap)} mm，中线 {_f(number.centre)} mm",
                   f"{_f(2 * P)}–{_f(2.5 * P)} mm，中线 106 ±1 mm"))
    body = [ln for ln in s.body_lines(first) if ln.em_top > number.em_bottom]
    if body:
        lines = (body[0].baseline - number.baseline) / P
        out.append(_ok("命令：正文在令号下空二行", 2.5 <= lines <= 3.5, f"基线相距 {lines:.2f} 行",
                       "3 行（二行空行，对齐行格时 ±0.5 行）"))
    else:
        out.append(Result("命令：正文", FAIL, "令号下未找到正文", "令号下空二行"))
    return out


def _stamp_area(view: PdfView) -> dict | None:
    raw = view.metadata.get(STAMP_AREA_KEY)
    try:
        area = json.loads(raw) if raw else None
    except (TypeError, ValueError):
        return None
    return area if isinstance(area, dict) and {"page", "x", "y", "width", "height"} <= set(area) else None


def _order_signature(view: PdfView, s: Structure) -> list[Result]:
    """§7.3.5.4: the 签发人's signature stamp two blank lines under the body, right-indented 4 字, the 职务 two
    字 to its left and centred on it vertically, the date one blank line under it, right-indented 4 字."""
    if s.date is None:
        return [Result("命令：成文日期", FAIL, "未找到成文日期行", "签名章下空一行右空四字")]
    page, date = s.date_page, s.date
    above = [ln for ln in s.body_lines(page) if ln.baseline < date.baseline - 0.5 and id(ln) not in {id(x) for x in s.header_lines}]
    if not above:
        return [Result("命令：签发人职务", FAIL, "成文日期上方未找到签发人职务", "签名章左空二字")]
    title, body = above[-1], content_above(s, page, above[:-1], above[-1].em_top)
    out = [_ok("落款与正文同页（不单独成页）", body.found, body.described(page.number), "至少 1 行正文或表格"),
           _ok("命令：成文日期右空四字", _near(date.x1, RIGHT - 4 * C, 1.0), f"右端 {_f(date.x1)} mm",
               f"{_f(RIGHT - 4 * C)} ±1 mm")]
    stamp = _stamp_area(view)
    if stamp is None or stamp["page"] != page.number:
        # no stamp area recorded: the stamp stands between the 职务's line and the date, right of the 职务
        lines = (date.baseline - title.baseline) / P
        out.append(_ok("命令：签名章（按版式推定）在正文下空二行、职务在其左、日期在其下空一行",
                       body.found and (title.em_top - ROW_MARGIN - body.row_bottom) / P >= 1.5 and lines >= 2
                       and title.x1 < RIGHT - 4 * C - 2 * C, f"职务「{title.text}」右端 {_f(title.x1)} mm，距日期 {lines:.2f} 行",
                       "职务在签名章左、日期在其下"))
        return out
    left, right = stamp["x"] - stamp["width"] / 2, stamp["x"] + stamp["width"] / 2
    top, bottom = stamp["y"] - stamp["height"] / 2, stamp["y"] + stamp["height"] / 2
    last = body.row_bottom
    out.append(_ok("命令：签名章在正文下空二行、右空四字", _near(top - last, 2 * P, 0.5) and _near(right, RIGHT - 4 * C, 0.5),
                   f"签名章区（文档信息 {STAMP_AREA_KEY}）：第 {stamp['page']} 页，{_f(left)}–{_f(right)} × {_f(top)}–{_f(bottom)} mm，"
                   f"距正文 {_f(top - last)} mm", f"距正文 {_f(2 * P)} ±0.5 mm，右端 {_f(RIGHT - 4 * C)} ±0.5 mm"))
    middle = (title.em_top + title.em_bottom) / 2
    out.append(_ok("命令：签发人职务在签名章左空二字、上下居中", _near(title.x1, left - 2 * C, 1.0) and _near(middle, stamp["y"], 0.5),
                   f"「{title.text}」右端 {_f(title.x1)} mm，中线高 {_f(middle)} mm", f"右端 {_f(left - 2 * C)} ±1 mm，"
                   f"中线高 {_f(stamp['y'])} ±0.5 mm"))
    out.append(_ok("命令：成文日期在签名章下空一行", _near(date.em_top - ROW_MARGIN - bottom, P, 0.5),
                   f"{_f(date.em_top - ROW_MARGIN - bottom)} mm", f"{_f(P)} ±0.5 mm"))
    return out


# ---- 纪要 ----

def _minutes_header(view: PdfView, s: Structure) -> list[Result]:
    """§10.3: the 文件 版头 with the mark "……纪要" and the 期号 in the 发文字号's place."""
    first = view.pages[0]
    s.doc_number = next((ln for ln in first.text_lines() if ISSUE_NUMBER.match(ln.text.strip())), s.doc_number)
    out = [Result(r.rule.replace("发文字号", "期号"), r.status, r.measured, r.expected, r.note) for r in header(view, s)]
    mark = "".join(ln.text for ln in s.mark)
    return out + [_ok("纪要：标志由「……纪要」组成", mark.endswith("纪要"), f"「{mark}」", "以「纪要」结尾")]


def _attendance(view: PdfView, s: Structure) -> list[Result]:
    """§10.3: after the body, one blank line, "出席：" in 三号黑体 indented 2 字, names in 三号仿宋, continuation
    lines under the first name; 请假 and 列席 likewise, each on a new line; no signature and no seal."""
    found = [(page, n, ln) for page in view.pages for n, ln in enumerate(s.body_lines(page))
             if ln.text.startswith(("出席：", "请假：", "列席："))]
    out = [_ok("纪要：不署名、不加盖印章", not view.seal_areas() and not any(p.seals for p in view.pages)
               and not any(DATE.match(ln.text) for p in view.pages for ln in s.body_lines(p)),
               "无印章、无落款日期" if not view.seal_areas() else "有印章区", "无署名、无印章")]
    if not found:
        return out + [Result("纪要：出席人员", FAIL, "未找到「出席：」", "正文下空一行，左空二字")]
    problems = []
    for k, (page, n, line) in enumerate(found):
        lines = s.body_lines(page)
        label = line.glyphs[:3]
        if not _near(line.x0, page.area.left + 2 * C, 0.6):
            problems.append(f"「{line.text[:3]}」左端 {_f(line.x0)} mm")
        if not (_near(line.size, gbt9704.SIZE_SAN, 0.3) and all(any(h in gl.font.lower() for h in HEI) for gl in label)):
            problems.append(f"「{line.text[:3]}」非三号黑体（{'、'.join(sorted({gl.font for gl in label}))}）")
        if k == 0 and n > 0 and not _near((line.baseline - lines[n - 1].baseline) / P, 2.0, 0.1):
            problems.append(f"「出席：」距正文 {(line.baseline - lines[n - 1].baseline) / P:.2f} 行")
        start = line.glyphs[3].x0 if len(line.glyphs) > 3 else line.x1
        following = lines[n + 1:]
        for more in following:
            if more.text.startswith(("出席：", "请假：", "列席：")) or not _near(more.baseline - line.baseline, P, 0.5):
                break
            if not _near(more.x0, start, 0.6):
                problems.append(f"「{line.text[:3]}」续行左端 {_f(more.x0)} mm，冒号后首字 {_f(start)} mm")
            line = more
    labels = "、".join(ln.text[:2] for _, _, ln in found)
    out.append(_ok("纪要：出席、请假、列席：正文下空一行、左空二字、三号黑体，回行与冒号后首字对齐", not problems,
                   "；".join(problems[:3]) or f"{labels}，{len(found)} 项均符合",
                   f"左端 {_f(gbt9704.MARGIN_LEFT + 2 * C)} mm，标签三号黑体，续行与冒号后首字对齐"))
    return out
