"""Layout defects of issue 14, each checked by reading the rendered PDF back: hand-broken titles that leave the
page, titles broken inside a name or a cited number, the 附件说明 under a table, page 1 off the 22-line grid,
tables' lone characters and split words, a form's box against its rule, blank pages, the 附注 under a sealed
signature, the checker on a signature page holding only table rows, and the line before a wrapped e-mail address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.check.report import check_pdf
from docgen.kinds import render_file
from docgen.layout import gbt9704, titles
from docgen.layout.linebreak import Run
from docgen.layout.paragraphs import CELL, paragraph
from docgen.pdf.document import render_pdf
from docgen.problems import InvalidRecord
from docgen.records.notice import NoticeRecord
from tests.notice_cases import ORGAN, SENTENCE, content, notice
from tests.pdf_readback import view_of

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
P = gbt9704.LINE_PITCH_MM
ON_GRID = (P - gbt9704.mm(gbt9704.SIZE_SAN)) / 2 + 0.88 * gbt9704.mm(gbt9704.SIZE_SAN)  # a grid line's baseline
TITLE = f"{ORGAN}关于开展知识产权保护工作站年度检查的通知"
CJK = re.compile(r"[\u4e00-\u9fff]")


def pdf_of(path: Path) -> bytes:
    return next(a.data for a in render_file(path) if a.filename.endswith(".pdf"))


def title_lines(view) -> list[str]:
    return [ln.text for ln in view.pages[0].lines if ln.size > 20 and not ln.red]


def on_grid(baseline: float) -> bool:
    """On one of the type area's 22 lines, as every page's body lines are."""
    return abs((baseline - gbt9704.MARGIN_TOP - ON_GRID + P / 2) % P - P / 2) < 0.05


def body_baselines(page) -> list[float]:
    return [ln.baseline for ln in page.lines if abs(ln.size - gbt9704.SIZE_SAN) < 0.3
            and not ln.red and ln.baseline > 120 and ln.baseline < gbt9704.TYPE_BOTTOM]


# ---- 1. hand-broken titles ----

def test_a_hand_broken_title_line_wider_than_the_type_area_is_refused_naming_line_width_and_rule():
    with pytest.raises(InvalidRecord) as info:
        NoticeRecord.parse(notice(title_lines=[TITLE[:22], TITLE[22:]]))
    report = info.value.report()
    assert "title_lines[1]" in report and TITLE[:22] in report
    assert "170.7 mm" in report and "版心宽 156 mm" in report and "二号小标宋" in report
    assert "title_lines[2]" not in report


def test_hand_broken_lines_must_join_to_the_title():
    with pytest.raises(InvalidRecord) as info:
        NoticeRecord.parse(notice(title_lines=["焦作市", "通知"]))
    assert "title_lines" in info.value.report() and "焦作市通知" in info.value.report()


def test_hand_broken_title_lines_that_fit_are_drawn_inside_the_type_area(tmp_path):
    view = view_of(render_pdf(content(notice(title_lines=[TITLE[:10], TITLE[10:]]))).data, tmp_path)
    lines = [ln for ln in view.pages[0].lines if ln.size > 20 and not ln.red]
    assert [ln.text for ln in lines] == [TITLE[:10], TITLE[10:]]
    assert all(28 - 0.1 <= ln.x0 and ln.x1 <= 184 + 0.1 for ln in lines)


# ---- 2. names and cited numbers are words ----

@pytest.mark.parametrize("sample, name", [
    ("replies/shanyang-approve-contact-point.yaml", "山阳区汽车零部件协会站"),
    ("replies/gaoxin-approve-station.yaml", "焦作高新区新材料产业园区站"),
    ("replies/wenxian-decline-contact-point.yaml", "温县铁棍山药市场站"),
])
def test_a_reply_title_keeps_the_station_name_on_one_line(sample, name, tmp_path):
    lines = title_lines(view_of(pdf_of(SAMPLES / sample), tmp_path))
    assert any(name in line for line in lines), lines
    assert all(line != "的批复" for line in lines)


def test_a_title_is_not_broken_inside_a_cited_document_number():
    title = f"{ORGAN}关于贯彻落实焦市监办〔2021〕135号文件精神进一步做好工作站建设的通知"
    for max_chars in range(12, 21):
        assert any("焦市监办〔2021〕135号" in line for line in titles.break_title(title, ORGAN, max_chars))


def test_a_title_is_not_broken_inside_the_names_it_is_given():
    title = "关于同意确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点的批复"
    lines = titles.break_title(title, names=("知识产权保护工作站", "山阳区汽车零部件协会站"))
    assert any("山阳区汽车零部件协会站" in line for line in lines) and "".join(lines) == title


@pytest.mark.parametrize("lead", range(14, 30))
def test_body_text_never_splits_a_cited_document_number(lead, tmp_path):
    # the number falls at every place of a line's end in turn
    text = "为" * lead + "贯彻《通知》（焦市监办〔2021〕57号）要求，现将有关事项通知如下。"
    data = render_pdf(content(notice(body=[text]))).data
    lines = [ln.text for ln in view_of(data, tmp_path).pages[0].lines]
    assert any("焦市监办〔2021〕57号" in line for line in lines), lines
    path = tmp_path / "cited.pdf"
    path.write_bytes(data)
    report = check_pdf(path)  # a line the number left short keeps its characters on the grid's cells
    assert report.passed, report.text()


# ---- 3. 附件说明 one blank line under a table ----

def test_the_annex_list_stands_one_blank_line_under_a_body_table(tmp_path):
    record = notice(body=[{"table": {"columns": ["序号", "单位"], "rows": [["1", "解放区"]]}}],
                    attachments=[{"title": "工作站统计表"}])
    doc = content(record)
    view = view_of(render_pdf(doc).data, tmp_path)
    page = view.pages[0]
    annex = next(ln for ln in page.lines if ln.text.startswith("附件："))
    table_bottom = max(r.y for r in page.rules if r.y < annex.baseline and r.width > 100)
    em_gap = (P - gbt9704.mm(gbt9704.SIZE_SAN)) / 2
    assert abs(annex.em_top - table_bottom - (P + em_gap)) < 0.3


# ---- 4. page 1 on the 22-line grid after any title ----

@pytest.mark.parametrize("title_count", [1, 2, 3])
def test_page_one_lines_sit_on_the_grid_after_a_title_of_any_length(title_count, tmp_path):
    title = {1: "关于开展知识产权保护工作站年度检查的通知", 2: TITLE,
             3: f"{ORGAN}关于做好2024年度知识产权保护工作站和联系点年度报告及数据统计报送工作的通知"}[title_count]
    view = view_of(render_pdf(content(notice(title=title, body=[SENTENCE * 30]))).data, tmp_path)
    assert len(title_lines(view)) == title_count
    first, second = body_baselines(view.pages[0]), body_baselines(view.pages[1])
    for baseline in first + second:
        assert on_grid(baseline), baseline
    assert first[-1] > gbt9704.TYPE_BOTTOM - P  # page 1 is filled to its last grid line


def test_a_reply_fills_page_one_to_its_last_grid_line(tmp_path):
    view = view_of(pdf_of(SAMPLES / "replies/shanyang-approve-contact-point.yaml"), tmp_path)
    assert body_baselines(view.pages[0])[-1] > gbt9704.TYPE_BOTTOM - P


# ---- 5. tables and forms ----

def _cell_lines(view, size: float) -> list[str]:
    """Each table cell's lines: a line read back is cut where its glyphs stand a cell's padding apart."""
    out = []
    for page in view.pages:
        for ln in page.lines:
            if abs(ln.size - size) > 0.3:
                continue
            parts = [[ln.glyphs[0]]]
            for a, b in zip(ln.glyphs, ln.glyphs[1:]):
                if b.x0 - a.x1 > 2.8:
                    parts.append([])
                parts[-1].append(b)
            out += ["".join(g.text for g in part).strip() for part in parts]
    return [text for text in out if text]


def _verticals(data: bytes) -> list[tuple[float, float, float]]:
    """Page 1's vertical rules: (x, top, bottom) in mm."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(gbt9704.mm((r["x0"] + r["x1"]) / 2), gbt9704.mm(r["top"]), gbt9704.mm(r["bottom"]))
                for r in pdf.pages[0].rects if r["x1"] - r["x0"] < 2 and r["bottom"] - r["top"] > 10]


def test_bulletin_tables_leave_no_lone_character_and_split_no_telephone_number(tmp_path):
    view = view_of(pdf_of(SAMPLES / "bulletins/city-2021-inspection.yaml"), tmp_path)
    cells = _cell_lines(view, gbt9704.TABLE_TEXT_SIZE) + _cell_lines(view, 12.0)
    assert cells
    lone = [c for c in cells if len(c) == 1 and CJK.match(c)]
    assert not lone, lone
    for bad in ("填报单", "有限公", "涉外专", "联系方"):
        assert bad not in cells
    for text in cells:  # a telephone number stands whole on its line
        for number in re.findall(r"[\d-]{5,}", text):
            assert re.fullmatch(r"1\d{10}|0\d{3}-\d{7}|\d{1,4}|20\d\d", number) or len(number) < 7, text


def test_the_application_form_keeps_boxes_off_the_rules_and_wraps_no_two_cells_to_three_lines(tmp_path):
    data = pdf_of(SAMPLES / "applications/shanyang-auto-parts.yaml")
    page = view_of(data, tmp_path).pages[0]
    verticals = _verticals(data)
    boxes = [g for ln in page.lines for g in ln.glyphs if g.text in "☐☑"]
    assert boxes
    for box in boxes:  # clear of the rules beside it by the padding and more
        beside = [x for x, top, bottom in verticals if top < box.baseline < bottom]
        assert min(min(abs(box.x1 - x), abs(box.x0 - x)) for x in beside) > 1.5, box
    assert any("新材料☐" in ln.text for ln in page.lines)
    # rows: no two cells of one row wrap to three lines or more
    from docgen.annexes.application import application_form
    from docgen.content.document import FormTable
    from docgen.kinds import parse_record, read_record
    from docgen.layout.body import cell_lines
    from docgen.layout.columns import FORM_INSET, SMALL, form_widths

    path = SAMPLES / "applications/shanyang-auto-parts.yaml"
    form = next(b for b in application_form(parse_record(read_record(path))[1]).blocks if isinstance(b, FormTable))
    grid = form_widths(form)
    for row in form.rows:
        column, tall = 0, 0
        for cell in row.cells:
            w = sum(grid[column:column + cell.span]) - 2 * FORM_INSET
            tall += len(cell_lines(cell.text, "fangsong", w, SMALL)) >= 3
            column += cell.span
        assert tall < 2, row


# ---- 6. the bulletin's 附件说明 ----

def test_the_annex_list_leaves_no_lone_character(tmp_path):
    view = view_of(pdf_of(SAMPLES / "bulletins/city-2021-inspection.yaml"), tmp_path)
    page = next(p for p in view.pages if any(ln.text.startswith("附件：") for ln in p.lines))
    start = next(n for n, ln in enumerate(page.lines) if ln.text.startswith("附件："))
    listed = [ln.text for ln in page.lines[start:start + 8] if abs(ln.size - gbt9704.SIZE_SAN) < 0.3]
    assert all(len(text.strip()) > 1 for text in listed), listed
    assert any(text.endswith("汇总表") for text in listed)


# ---- 7. no blank page ----

def _blank_pages(view) -> list[int]:
    """Pages without text, less the unnumbered blank page §7.5 allows before a 版记 page."""
    blank = [p.number for p in view.pages if not p.lines]
    last = view.pages[-1]
    if blank and blank[-1] == len(view.pages) - 1 and last.page_number is None:
        blank.pop()
    return blank


@pytest.mark.parametrize("rows", [10, 16, 24, 33])
def test_a_body_ending_with_a_table_renders_no_blank_page(rows, tmp_path):
    table = {"columns": ["序号", "单位", "电话"], "rows": [[str(i), f"单位{i}", "13812345678"] for i in range(rows)]}
    artifact = render_pdf(content(notice(body=[SENTENCE, {"table": table}])))
    view = view_of(artifact.data, tmp_path)
    assert not _blank_pages(view)
    signature_page = next(p for p in view.pages if any("2024年8月3日" == ln.text.strip() for ln in p.lines))
    assert any(abs(ln.size - gbt9704.TABLE_TEXT_SIZE) < 0.3 for ln in signature_page.lines)  # never alone


@pytest.mark.parametrize("sample", sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.glob("[nrb]*/*.yaml")
                                           if "batch" not in p.name))
def test_samples_render_no_blank_page(sample, tmp_path):
    view = view_of(pdf_of(SAMPLES / sample), tmp_path)
    assert not _blank_pages(view)
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_of(SAMPLES / sample))
    assert check_pdf(path).passed


# ---- 8. the 附注 under a sealed signature ----

NOTE = "联系人：市局知识产权保护科王芳，电话：0391-3568888"
SEALED = {"date": "2024年8月3日", "seal": "sealed"}
JOINT = {"organs": ["焦作市知识产权局", "焦作市公安局"]}


def _note_and_date(view):
    page = next(p for p in view.pages if any(ln.text.startswith("（联系人") for ln in p.lines))
    note = next(ln for ln in page.lines if ln.text.startswith("（联系人"))
    date = next(ln for ln in page.lines if ln.text.strip() == "2024年8月3日" and ln.baseline < note.baseline)
    return page, note, date


@pytest.mark.parametrize("engine", ["direct", "weasyprint"])
@pytest.mark.parametrize("joint", [False, True], ids=["one-organ", "joint"])
def test_a_note_under_a_sealed_signature_starts_on_the_first_grid_line_clear_of_the_seal(engine, joint, tmp_path):
    record = notice(signature=SEALED, note=[NOTE], issuer=JOINT) if joint else \
        notice(signature={**SEALED, "organ": ORGAN}, note=[NOTE])
    data = render_pdf(content(record), pdf_engine=engine).data
    view = view_of(data, tmp_path)
    page, note, date = _note_and_date(view)
    seal_bottom = max(a["y"] + a["diameter"] / 2 for a in view.seal_areas() if a["page"] == page.number)
    assert on_grid(date.baseline) and on_grid(note.baseline), (date.baseline, note.baseline)
    assert seal_bottom < note.em_top < seal_bottom + P  # clear of the seal area, on the first grid line below it
    assert note.x0 == pytest.approx(gbt9704.MARGIN_LEFT + 2 * CELL, abs=0.3)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(data)
    assert check_pdf(path).passed


def test_a_note_under_an_unsealed_signature_stays_on_the_line_after_the_date(tmp_path):
    page, note, date = _note_and_date(view_of(render_pdf(content(notice(note=[NOTE]))).data, tmp_path))
    assert note.baseline - date.baseline == pytest.approx(P, abs=0.05) and on_grid(note.baseline)


# ---- 9. the checker on a signature page holding only table rows ----

def _table_then_signature(rows: int, signature: dict, **changes) -> dict:
    table = {"columns": ["序号", "单位", "电话"], "rows": [[str(i), f"单位{i}", "13812345678"] for i in range(rows)]}
    return notice(body=[SENTENCE, {"table": table}], signature=signature, **changes)


@pytest.mark.parametrize("seal", ["unsealed", "sealed"])
@pytest.mark.parametrize("rows", [10, 24, 33])
def test_the_checker_passes_a_signature_under_the_rows_of_a_table_split_across_pages(rows, seal, tmp_path):
    record = _table_then_signature(rows, {"organ": ORGAN, "date": "2024年8月3日", "seal": seal})
    data = render_pdf(content(record)).data
    view = view_of(data, tmp_path)
    page = next(p for p in view.pages if any(ln.text.strip() == "2024年8月3日" for ln in p.lines))
    organ = next(ln for ln in page.lines if ln.text.strip() == ORGAN)
    above = [ln for ln in page.lines if ln.baseline < organ.baseline]
    assert page.number > 1 and above and all(abs(ln.size - gbt9704.TABLE_TEXT_SIZE) < 0.3 for ln in above)
    path = tmp_path / "table.pdf"
    path.write_bytes(data)
    report = check_pdf(path)
    assert report.passed, report.text()
    same_page = next(r for r in report.results if r.rule.startswith("落款与正文同页"))
    assert "表格下边线" in same_page.measured
    mode = next(r for r in report.results if "署名" in r.rule and "日期" in r.rule)
    assert ("不加盖印章" in mode.rule) == (seal == "unsealed"), mode.rule


def test_the_checker_passes_a_joint_signature_under_the_rows_of_a_split_table(tmp_path):
    record = _table_then_signature(24, SEALED, issuer=JOINT)
    path = tmp_path / "joint.pdf"
    path.write_bytes(render_pdf(content(record)).data)
    report = check_pdf(path)
    assert report.passed, report.text()
    assert any(r.rule.startswith("首排印章") and not r.failed for r in report.results)


# ---- 10. the line before a wrapped e-mail address ----

def _addressed(lead: int, address: str) -> str:
    return "各单位" + "为" * lead + f"将表发至邮箱{address}。"  # the address fits on the first line at lead 0


def _first_lead_wrapping(address: str) -> int:
    """The fewest 为 that move ``address`` to the second line: the address itself would still fit on the
    first, the marks after it would not."""
    def second_line(lead: int) -> str:
        rows = paragraph([Run(_addressed(lead, address), "fangsong")])
        return rows[1].line.text if len(rows) > 1 else ""

    return min(lead for lead in range(28) if second_line(lead).startswith(address[:2]))


@pytest.mark.parametrize("address", ["（zscqbh_jiaozuo@163.com）", "“zscqbh_jiaozuo@163.com”",
                                     "（https://www.jiaozuo.gov.cn/zscq）"])
def test_the_body_line_before_a_wrapped_email_address_is_set_on_the_grid_not_spread(address, tmp_path):
    text = _addressed(_first_lead_wrapping(address), address)
    data = render_pdf(content(notice(body=[text, SENTENCE]))).data
    lines = [ln for ln in view_of(data, tmp_path).pages[0].lines if abs(ln.size - gbt9704.SIZE_SAN) < 0.3]
    below = next(n for n, ln in enumerate(lines) if ln.text.startswith(address[:2]))
    above = lines[below - 1]
    assert address in lines[below].text  # the address moved down whole, with its marks
    steps = [b.x0 - a.x0 for a, b in zip(above.glyphs, above.glyphs[1:])]
    assert max(steps) == pytest.approx(CELL, abs=0.05), above.text  # on the grid's pitch, not spread
    assert above.x1 < gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH - CELL  # the line ends short
    path = tmp_path / "email.pdf"
    path.write_bytes(data)
    report = check_pdf(path)
    assert report.passed, report.text()
