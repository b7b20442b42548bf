"""Hostile and unusual input never crashes or hangs the renderers (issue 10): figure blocks, hundreds of
headings, one-column and blank tables, plaque names of zero-width characters, long titles.

Potentially hanging cases run under ``signal.alarm``: a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import itertools
import math
import re
import signal
import zipfile
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from docgen.layout import gbt9704
from docgen.content.document import Figure, Table
from docgen.kinds import parse_record, read_record
from docgen.plaques import layout as plaque_layout
from docgen.plaques.art import plaque_pdf
from docgen.problems import InvalidRecord
from docgen.records.limits import TITLE_CHARS
from docgen.records.notice import NoticeRecord
from docgen.records.plaque import Plaque
from docgen.layout import titles
from docgen.layout.columns import column_widths
from docgen.docx.document import render_docx
from docgen.layout.body import figure_pieces
from docgen.pdf.document import render_pdf
from tests.notice_cases import ORGAN, content, notice
from tests.pdf_readback import page_texts, squash

P = gbt9704.LINE_PITCH_MM


@pytest.fixture
def alarm():
    """Fail (rather than hang) when the test runs past 60 s."""
    def timeout(*_):
        raise TimeoutError("did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return xml


def plain(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


# ---- figure blocks ----

FIGURE_LINES = ["知识产权保护工作站", "焦作高新区园区站", "焦作市市场监督管理局知识产权保护联系点"]


def _figure_notice(lines: list[str], caption: str = "图1 工作站标牌样式") -> dict:
    return notice(body=["标牌式样如下：", {"figure": {"caption": caption, "lines": lines}}, "请按图制作。"])


def _frames(pdf: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the rectangles (x0, top, x1, bottom in mm) as wide as a figure's frame."""
    out = []
    with pdfplumber.open(BytesIO(pdf)) as doc:
        for page in doc.pages:
            k = 25.4 / 72
            out.append([(r["x0"] * k, r["top"] * k, r["x1"] * k, r["bottom"] * k) for r in page.rects
                        if abs((r["x1"] - r["x0"]) * k - gbt9704.FIGURE_WIDTH) < 1])
    return out


def test_figure_block_renders_to_pdf_in_a_framed_box(alarm):
    pdf = render_pdf(content(_figure_notice(FIGURE_LINES))).data
    text = squash("".join(page_texts(pdf)))
    for part in ["图1工作站标牌样式", *FIGURE_LINES, "请按图制作。"]:
        assert squash(part) in text
    frames = [f for page in _frames(pdf) for f in page]
    assert len(frames) == 1
    x0, top, x1, bottom = frames[0]
    assert abs((bottom - top) - gbt9704.FIGURE_WIDTH * 2 / 3) < 0.5  # 3:2, the plaque proportion
    assert abs((x0 + x1) / 2 - (gbt9704.PORTRAIT.left + gbt9704.PORTRAIT.width / 2)) < 0.5  # centred


def test_figure_block_renders_to_docx_as_a_framed_cell_in_heiti(alarm):
    xml = docx_text(render_docx(content(_figure_notice(FIGURE_LINES))).data)
    text = plain(xml)
    assert "图1 工作站标牌样式" in text and "请按图制作。" in text
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, flags=re.S)
    figure = next(t for t in tables if FIGURE_LINES[0] in t)
    assert f'<w:tblW w:w="{round(gbt9704.FIGURE_WIDTH / 25.4 * 1440)}"' in figure
    assert 'w:rStyle w:val="HeiChar"' in figure and figure.count("<w:br/>") == len(FIGURE_LINES) - 1
    assert all(line in plain(figure) for line in FIGURE_LINES)


def test_a_figure_taller_than_a_page_continues_in_frames_that_fit_the_page(alarm):
    lines = [f"第{i}行图中文字" for i in range(1, 81)]
    pieces = figure_pieces(Figure("图2 很多行", tuple(lines)))
    assert len(pieces) > 1 and sum(len(rows) for rows, _ in pieces) == len(lines)
    assert all(h + P / 2 <= gbt9704.PORTRAIT.height + 1e-6 for _, h in pieces)
    record = _figure_notice(lines, caption="图2 很多行")
    pdf = render_pdf(content(record)).data
    text = squash("".join(page_texts(pdf)))
    assert all(squash(line) in text for line in lines)
    for page in _frames(pdf):
        for _, top, _, bottom in page:
            assert gbt9704.PORTRAIT.top - 0.5 <= top and bottom <= gbt9704.PORTRAIT.bottom + 0.5  # every frame on its page
    assert all(line in plain(docx_text(render_docx(content(record)).data)) for line in lines)


def test_a_figure_line_longer_than_the_frame_wraps_inside_it(alarm):
    lines = ["长" * 300]
    pieces = figure_pieces(Figure("图3", tuple(lines)))
    assert sum(len(rows) for rows, _ in pieces) == math.ceil(300 / (gbt9704.FIGURE_WIDTH // gbt9704.CHAR_PITCH_MM))
    pdf = render_pdf(content(_figure_notice(lines, caption="图3 " * 40))).data
    assert squash("长" * 300) in squash("".join(page_texts(pdf)))


# ---- tables ----

@pytest.mark.parametrize("rows", [[["甲"], ["乙单位名称"]], [], [[""], ["   "]]])
def test_one_column_table_has_the_type_area_width(rows):
    widths = column_widths(Table(("名称",), tuple(tuple(r) for r in rows)))
    assert len(widths) == 1 and abs(widths[0] - gbt9704.TYPE_WIDTH) < 1e-6


@pytest.mark.parametrize("table", [
    {"columns": ["名称"], "rows": [["甲"], ["乙"]]},
    {"columns": ["名称", "数量"], "rows": []},
    {"columns": ["名称", "数量"], "rows": [["   ", " "], ["", None]]},
    {"columns": ["名称", "数量"], "rows": [["\u3000\u3000", "\u3000"]]},
    {"title": "表1", "columns": ["a", "b"], "rows": [["A" * 400, "1" * 200]]},
])
def test_unusual_tables_render_in_both_formats(table, alarm):
    record = notice(body=["如下表：", {"table": table}])
    pdf = render_pdf(content(record)).data
    assert squash("如下表：") in squash("".join(page_texts(pdf)))
    assert "如下表：" in plain(docx_text(render_docx(content(record)).data))


# ---- many headings ----

def test_500_first_level_headings_render(alarm):
    body = [{"h1": f"第{i}项工作安排"} for i in range(1, 501)]
    doc = content(notice(body=body))
    labels = [block.label for block in doc.body]
    assert labels[0] == "一、" and labels[99] == "一百、" and labels[100] == "一百零一、" and labels[-1] == "五百、"
    pages = page_texts(render_pdf(doc).data)
    assert squash("五百、第500项工作安排") in squash("".join(pages))
    assert len(pages) < 30  # 22 headings a page, not one (a run of kept-together headings longer than a page)
    assert "五百、第500项工作安排" in plain(docx_text(render_docx(doc).data))


# ---- plaques ----

@pytest.mark.parametrize("station", ["\u200b\u200b\u200b", "知识产权保护工作站\u200b\u200d\u2060",
                                     "\ufeff\u00ad", "知识产权保护工作站\u200b \u200b"])
def test_a_station_name_without_visible_characters_is_refused_naming_the_field(station):
    with pytest.raises(InvalidRecord) as info:
        Plaque.parse({"kind": "plaque", "station": station})
    report = info.value.report()
    assert "站名（station）" in report and "零宽字符" in report and "U+" in report


@pytest.mark.parametrize("station", ["知识产权保护工作站\u200b\u200b站", "焦作高新区\u200b园区站", "焦作\u202e站区园新高"])
def test_invisible_characters_inside_a_name_are_refused_by_code_point(station):
    """Zero-width characters make two names that look alike differ; a direction override makes a name read
    otherwise than it is stored: both are refused where records are read, naming the character."""
    with pytest.raises(InvalidRecord) as info:
        Plaque.parse({"kind": "plaque", "station": station})
    report = info.value.report()
    assert "站名（station）" in report and "不可见的格式字符" in report and "U+20" in report


def test_a_bureau_without_visible_characters_is_refused_naming_the_field():
    with pytest.raises(InvalidRecord) as info:
        Plaque.parse({"kind": "plaque", "station": "山阳区汽车零部件协会站", "variant": "contact",
                      "bureau": "\u200b\u200b"})
    assert "（bureau）" in info.value.report() and "零宽字符" in info.value.report()


def test_a_plaque_figure_in_a_notice_with_an_invisible_name_is_refused():
    record = notice(body=[{"plaque": {"caption": "图1", "station": "\u200b\u200b"}}])
    with pytest.raises(InvalidRecord) as info:
        content(record)
    assert "plaque.station" in info.value.report() and "U+200B" in info.value.report()


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b\u200b\u200b", "焦作\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b站",
                                  "焦作高新区" + "\u200b" * 40 + "新材料产业园区站"])
def test_layout_never_divides_by_a_zero_width(name):
    # past the record's rules (as a caller building a Plaque in code could): the layout must still not fail
    plaque = Plaque.model_construct(**{**Plaque.parse({"station": "焦作高新区园区站"}).__dict__, "station": name})
    lay = plaque_layout.layout(plaque)
    assert all(math.isfinite(line.size) and line.size > 0 for line in lay.lines)
    size, rows = plaque_layout._fit("station", "\u200b" * 8, 50.0, 400.0)
    assert size == 50.0 and rows == ["\u200b" * 8]


def test_zero_width_characters_inside_a_name_still_render_past_the_record_rules():
    plaque = Plaque.model_construct(**{**Plaque.parse({"station": "焦作高新区园区站"}).__dict__,
                                       "station": "焦作高新区\u200b园区站"})
    assert plaque_pdf(plaque).startswith(b"%PDF")


# ---- titles ----

def _old_shape_cost(lengths: list[float]) -> float:
    """The shape cost as it was (docgen/layout/titles.py before issue 10)."""
    longest = max(lengths)
    cost = sum(0.5 * max(0.0, 0.45 * longest - n) for n in lengths)
    if len(lengths) == 2:
        top, bottom = lengths
        return cost + (0.0 if top <= bottom else 0.5 * (top - bottom))
    middle = max(lengths[1:-1])
    cost += sum(0.5 * max(0, n - middle) for n in (lengths[0], lengths[-1]))
    return cost + 0.05 * (longest - min(lengths))


def old_break_title(title: str, organ: str = "", max_chars: int = titles.TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """The exhaustive search the dynamic programme replaced: every combination of break points."""
    if titles._width(title) <= max_chars:
        return (title,)
    costs = titles._boundaries(title, organ)
    positions = sorted(costs)
    for count in range(2, len(title) // max_chars + 4):
        best = None
        for cut in itertools.combinations(positions, count - 1):
            edges = (0, *cut, len(title))
            lengths = [titles._width(title[a:b]) for a, b in zip(edges, edges[1:])]
            if max(lengths) > max_chars:
                continue
            score = sum(costs[c] for c in cut) + _old_shape_cost(lengths)
            if best is None or score < best[0]:
                best = (score, cut)
        if best is not None:
            edges = (0, *best[1], len(title))
            return tuple(title[a:b] for a, b in zip(edges, edges[1:]))
    count = -(-len(title) // max_chars)
    step = -(-len(title) // count)
    return tuple(title[i:i + step] for i in range(0, len(title), step))


def _sample_titles() -> set[tuple[str, str]]:
    """(title, organ) of the samples' 公文 — notices, replies and bulletins as docgen/content builds them,
    the titles reply.py and bulletin.py generate included — and of their attachments."""
    found: set[tuple[str, str]] = set()
    for path in sorted(Path("samples").glob("**/*.yaml")):
        kind, record = parse_record(read_record(path), str(path))
        records = [parse_record(item.data) for item in kind.split(record)] if kind.is_batch else [(kind, record)]
        for k, r in records:
            if k.name in ("notice", "reply", "bulletin"):
                doc = k.build(r, "sample")
                found.add((doc.title, doc.signature.organ))
                found.update((a.title, "") for a in doc.attachments)
    return found


REALISTIC = [
    f"{ORGAN}关于印发焦作市知识产权保护工作站建设管理办法和知识产权保护联系点认定办法（试行）的通知",
    f"{ORGAN}关于2021年度全市知识产权保护工作站和知识产权保护联系点检查情况的通报",
    f"{ORGAN}关于做好2024年度知识产权保护工作站和联系点年度报告及数据统计报送工作的通知",
    f"{ORGAN}关于表扬2021年度知识产权保护工作先进集体和先进个人的决定",
    "河南省市场监督管理局办公室转发国家知识产权局关于进一步加强知识产权保护工作体系建设的指导意见的通知",
    "关于印发《焦作市知识产权保护工作站管理办法（试行）》《焦作市知识产权保护联系点认定办法》的通知",
    f"{ORGAN}关于不同意确定温县铁棍山药专业市场为知识产权保护联系点的批复",
]


def test_breaks_are_the_same_as_the_exhaustive_search_on_ordinary_titles():
    cases = sorted(_sample_titles() | {(t, ORGAN) for t in REALISTIC})
    multi = 0
    for title, organ in cases:
        for max_chars in (titles.TITLE_CHARS_PER_LINE, titles.chars_per_line(gbt9704.LANDSCAPE.width)):
            new = titles.break_title(title, organ, max_chars)
            assert new == old_break_title(title, organ, max_chars), (title, max_chars)
            multi += len(new) > 1
    assert multi >= 12  # a dozen titles of two or three lines at least were compared


def test_breaks_are_the_same_as_the_exhaustive_search_on_four_to_six_lines():
    # narrow lines make ordinary titles four to six lines long: the diamond's non-additive terms at work
    counts = set()
    for title in REALISTIC[:5]:
        for max_chars in (9, 10, 12):
            new = titles.break_title(title, ORGAN, max_chars)
            assert new == old_break_title(title, ORGAN, max_chars), (title, max_chars)
            counts.add(len(new))
    assert max(counts) >= 5


# realistic, and past the exhaustive search: 42 break points, 5.2 million ways to make its 7 lines
TITLE_116 = (f"{ORGAN}关于印发焦作市知识产权保护工作站建设管理办法、知识产权保护联系点认定办法、知识产权重点保护企业"
             "名录管理办法（试行）以及进一步加强和改进全市知识产权保护工作体系建设和知识产权纠纷多元化解机制建设"
             "若干政策和措施的通知")


@pytest.mark.parametrize("title", [
    "测" * 120,
    "测" * TITLE_CHARS.maximum,
    TITLE_116,
    "关于" + "、".join(f"第{i}批知识产权保护工作站" for i in range(1, 15)) + "的通知",
])
def test_long_titles_are_broken_quickly_in_the_fewest_lines(title, alarm):
    lines = titles.break_title(title, ORGAN)
    assert "".join(lines) == title
    assert all(titles._width(line) <= titles.TITLE_CHARS_PER_LINE for line in lines)
    assert len(lines) <= math.ceil(titles._width(title) / titles.TITLE_CHARS_PER_LINE) + 1


@pytest.mark.parametrize("names", [
    ("知识产权保护工作站", "工作站山阳区", "山阳区汽车零部件协会站", "协会站为知识产权"),  # names that overlap
    ("关于同意确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点",),  # a name longer than a line
    tuple("知识产权保护工作站山阳区汽车零部件协会站"[i:i + 3] for i in range(0, 20)),  # names everywhere
])
def test_names_that_leave_no_break_still_give_a_title_that_fits(names, alarm):
    title = "关于同意确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点的批复〔2021〕8号"
    lines = titles.break_title(title, ORGAN, names=names)
    assert "".join(lines) == title
    assert all(titles._width(line) <= titles.TITLE_CHARS_PER_LINE for line in lines)


def test_a_116_character_title_renders(alarm):
    title = TITLE_116
    assert len(title) == 116
    text = squash("".join(page_texts(render_pdf(content(notice(title=title))).data)))
    assert squash(title) in text


def test_a_title_over_the_limit_is_refused_naming_the_field_and_the_limit():
    with pytest.raises(InvalidRecord) as info:
        NoticeRecord.parse(notice(title="测" * 10_000, attachments=[{"title": "附" * 300}]))
    report = info.value.report()
    assert "标题（title）" in report and "10,000 字" in report and f"最多 {TITLE_CHARS.maximum} 字" in report
    assert "attachments[1].title" in report and "300 字" in report
    NoticeRecord.parse(notice(title="测" * TITLE_CHARS.maximum))  # the limit itself is allowed


def test_break_title_of_any_length_finishes(alarm):
    lines = titles.break_title("测" * 10_000)
    assert "".join(lines) == "测" * 10_000 and all(len(line) <= titles.TITLE_CHARS_PER_LINE for line in lines)
