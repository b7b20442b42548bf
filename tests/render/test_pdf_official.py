"""The print master of a 公文, read back: the seed notice and varied notices pass `docgen check`, and the
layout rules that need a page layout hold (grid, signature with the body, 版记 on an even last page…)."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from docgen.layout import gbt9704
from docgen.check.report import check_pdf
from docgen.content.notice import build_notice
from docgen.records.notice import NoticeRecord
from docgen.pdf.document import render_pdf
from tests.notice_cases import CASES, body_of_lines, content, notice
from tests.pdf_readback import page_texts, squash, view_of

SEED = "samples/notices/jiaozuo-2021-135.yaml"
P = gbt9704.LINE_PITCH_MM


def checked(artifact, tmp_path, name="doc.pdf"):
    path = tmp_path / name
    path.write_bytes(artifact.data)
    report = check_pdf(path)
    assert report.passed, report.text()
    return report


@pytest.fixture(scope="module")
def seed():
    record = NoticeRecord.load(SEED)
    return record, render_pdf(build_notice(record))


def test_seed_passes_every_rule(seed, tmp_path):
    report = checked(seed[1], tmp_path)
    assert report.seal_area["page"] >= 1
    assert {r.rule for r in report.results} >= {"发文机关标志上边缘距页面上边 72 mm", "满行 28 字（版心宽 156 mm）"}


def test_seed_text_comes_back_complete_and_in_order(seed):
    record, artifact = seed
    text = squash("".join(page_texts(artifact.data)))
    position = 0
    for block in record.body:
        parts = [block] if isinstance(block, str) else [block.heading, block.text]
        for part in filter(None, parts):
            found = text.find(squash(part), position)
            assert found >= 0, f"missing or out of order: {part[:30]}"
            position = found + len(squash(part))
    for attachment in record.attachments:
        assert squash(attachment.title) in text


def test_seed_grid_holds_22_lines_of_28_characters(seed, tmp_path):
    view = view_of(seed[1].data, tmp_path)
    full_pages = 0
    for page in view.pages[1:5]:
        body = [ln for ln in page.text_lines() if abs(ln.size - 16) < 0.5]
        if len(body) == 22:
            full_pages += 1
            pitches = [b.baseline - a.baseline for a, b in zip(body, body[1:])]
            assert all(abs(p - P) < 0.05 for p in pitches)
        for line in body:
            if abs(line.x1 - 184) < 0.3 and abs(line.x0 - 28) < 0.3 and all(ord(c) > 0x2000 for c in line.text):
                assert len(line.text) in (27, 28, 29), line.text
    assert full_pages >= 3


def test_seed_header_positions(seed, tmp_path):
    first = view_of(seed[1].data, tmp_path).pages[0]
    mark = next(ln for ln in first.lines if ln.red)
    assert mark.text == "焦作市市场监督管理局办公室文件"
    assert abs(mark.em_top - 72.0) < 0.2 and mark.x1 - mark.x0 <= 156.1
    number = next(ln for ln in first.lines if "〔2021〕" in ln.text)
    rule = next(r for r in first.rules if r.red)
    assert abs(rule.width - 156) < 0.1 and abs(rule.y - number.em_bottom - 4) < 0.3
    titles = [ln.text for ln in first.lines if ln.size > 20 and not ln.red]
    assert titles == ["焦作市市场监督管理局", "关于加强知识产权保护工作体系建设的通知"]


def test_page_numbers_odd_right_even_left_with_full_em_dashes(seed, tmp_path):
    view = view_of(seed[1].data, tmp_path)
    unnumbered = [page for page in view.pages if page.page_number is None]
    if unnumbered:  # §7.5: only a blank page before the 版记's own page, and that page
        assert [p.number for p in unnumbered] == [len(view.pages) - 1, len(view.pages)] and not unnumbered[0].lines
    for page in view.pages[:len(view.pages) - len(unnumbered)]:
        number = page.page_number
        assert number is not None and number.text == f"— {page.number} —"
        dash = number.glyphs[0]
        assert abs((dash.x1 - dash.x0) - gbt9704.mm(14)) < 0.05  # U+2014 a full em (FandolSong)
        if page.number % 2:
            assert abs(number.x1 - (184 - gbt9704.CHAR_PITCH_MM)) < 0.3
        else:
            assert abs(number.x0 - (28 + gbt9704.CHAR_PITCH_MM)) < 0.3


def test_seed_attachments_each_start_a_page_with_label_and_title(seed):
    texts = page_texts(seed[1].data)
    labels = [n for n, t in enumerate(texts) for k in range(1, 8) if t.startswith(f"附件{k}")]
    assert len(labels) == 7 and labels == sorted(labels)


@pytest.mark.parametrize("case", sorted(CASES))
def test_varied_notices_pass_every_rule(case, tmp_path):
    artifact = render_pdf(content(CASES[case]))
    checked(artifact, tmp_path)


def test_rare_characters_are_drawn_and_reported(tmp_path):
    artifact = render_pdf(content(CASES["rare_characters"]))
    assert "王堃、李喆、张焜" in "".join(page_texts(artifact.data))
    assert set("堃喆焜") <= set(artifact.fonts.fallbacks)
    assert not artifact.fonts.missing
    # a glyph from a fallback font does not move its line off the grid
    view = view_of(artifact.data, tmp_path)
    line = next(ln for ln in view.pages[0].lines if "堃" in ln.text)
    assert len({round(gl.baseline, 2) for gl in line.glyphs}) == 1


def test_template_syntax_in_fields_prints_literally():
    text = "".join(page_texts(render_pdf(content(CASES["template_injection"])).data))
    assert "{{7*7}}" in squash(text) and "{%forxiny%}" in squash(text) and "<b>粗体</b>" in text
    assert "49" not in text


def test_upward_document_carries_two_signers_in_kaiti(tmp_path):
    artifact = render_pdf(content(CASES["upward_two_signers"]))
    with pdfplumber.open(io.BytesIO(artifact.data)) as pdf:
        chars = pdf.pages[0].chars
    sign = next(c for c in chars if c["text"] == "签")
    line = [c for c in chars if abs(c["top"] - sign["top"]) < 1]
    names = [c for c in line if c["text"] in "张建国李明"]
    assert "".join(c["text"] for c in names) == "张建国李明"
    assert all("FandolKai" in c["fontname"] for c in names) and "FandolFang" in sign["fontname"]
    assert any("〔2024〕30号" in "".join(c["text"] for c in line) for _ in [0])  # 发文字号 on the 签发人 line


def test_copy_number_secrecy_urgency_on_lines_one_to_three(tmp_path):
    first = view_of(render_pdf(content(CASES["header_marks"])).data, tmp_path).pages[0]
    top = {ln.text: ln for ln in first.lines if ln.em_top < 71}
    assert list(top) == ["000123", "秘密★1年", "特急"]
    for n, text in enumerate(top):
        assert abs(top[text].em_top - (37 + n * P + (P - gbt9704.mm(16)) / 2)) < 0.2 and abs(top[text].x0 - 28) < 0.1
    assert "NotoSansCJK" in top["特急"].glyphs[0].font.replace("-", "")


def test_annex_list_items_align_under_the_first_number(tmp_path):
    view = view_of(render_pdf(content(CASES["many_attachments"])).data, tmp_path)
    lines = [ln for page in view.pages for ln in page.lines]
    first = next(ln for ln in lines if ln.text.startswith("附件：1."))
    one = next(gl for gl in first.glyphs if gl.text == "1")
    for n in range(2, 7):
        item = next(ln for ln in lines if ln.text.startswith(f"{n}."))
        assert abs(item.x0 - one.x0) < 0.1
    wrapped = lines[lines.index(next(ln for ln in lines if ln.text.startswith("3."))) + 1]
    name_start = next(ln for ln in lines if ln.text.startswith("3.")).glyphs[2].x0
    assert abs(wrapped.x0 - name_start) < 0.25  # a wrapped name aligns with the name's first character


def test_three_line_title_breaks_at_word_boundaries(tmp_path):
    first = view_of(render_pdf(content(CASES["three_line_title"])).data, tmp_path).pages[0]
    titles = [ln.text for ln in first.lines if ln.size > 20 and not ln.red]
    assert len(titles) == 3 and all(len(t) <= 20 for t in titles)
    assert "".join(titles) == CASES["three_line_title"]["title"]
    assert titles[-1].endswith("的通知") and not titles[1].startswith("的")


def _sweep(seal: str):
    for n in range(4, 40):
        record = notice(name=f"sweep-{n}", body=body_of_lines(n),
                        signature={"organ": "焦作市市场监督管理局", "date": "2024年8月3日", "seal": seal})
        yield n, render_pdf(content(record))


@pytest.mark.parametrize("seal", ["unsealed", "sealed"])
def test_signature_never_alone_and_colophon_on_even_last_page_across_page_boundaries(seal, tmp_path):
    """Body lengths swept across pages 1–3: every case passes the checker (signature with body text,
    seal within one line, 版记 at the foot of an even last page, numbering exceptions)."""
    tightened = carried = 0
    for n, artifact in _sweep(seal):
        report = checked(artifact, tmp_path, f"sweep-{n}.pdf")
        assert artifact.pages % 2 == 0, n
        tightened += bool(artifact.facts["tightened_pages"])
        carried += any("落款" in r.rule and "有正文" in r.measured for r in report.results)
    assert tightened >= 1  # some lengths needed §7.3.5.5's tighter spacing
    assert carried


def test_blank_page_before_colophon_and_both_unnumbered(tmp_path):
    """When the content fills an even page, a blank page precedes the 版记 page; neither is numbered."""
    for n in range(25, 45):
        artifact = render_pdf(content(notice(body=body_of_lines(n))))
        numbered = artifact.facts["numbered_pages"]
        if artifact.pages == 4 and numbered == [1, 2]:
            texts = page_texts(artifact.data)
            assert texts[2] == "" and "印发" in texts[3]
            checked(artifact, tmp_path)
            return
    pytest.fail("no body length put the content end on a full even page")


def test_seal_image_placed_in_the_seal_area_and_never_on_a_draft(tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (200, 200), (230, 0, 18, 180)).save(buffer, "PNG")
    doc = content(CASES["sealed"])
    stamped = render_pdf(doc, seal_image=buffer.getvalue())
    area = stamped.facts["seal_area"]
    with pdfplumber.open(io.BytesIO(stamped.data)) as pdf:
        images = pdf.pages[area["page"] - 1].images
        assert len(images) == 1
        image = images[0]
        assert abs(gbt9704.mm(image["x0"]) - (area["x"] - 21)) < 0.3 and abs(gbt9704.mm(image["top"]) - (area["y"] - 21)) < 0.3
    draft = render_pdf(doc, draft=True, seal_image=buffer.getvalue())
    with pdfplumber.open(io.BytesIO(draft.data)) as pdf:
        assert not any(page.images for page in pdf.pages)
        assert all("草稿" in "".join(c["text"] for c in page.chars) for page in pdf.pages)


def test_same_record_renders_the_same_bytes():
    doc = content(CASES["short_unsealed"])
    assert render_pdf(doc).data == render_pdf(doc).data


def test_a_wide_table_attachment_is_turned_and_the_colophon_stays_upright(tmp_path):
    """§8: an attachment whose table has more than six columns is set on a turned page, head to the left,
    its page number upright; a 版记 after it goes on an upright even page of its own."""
    columns = ["序号", "企业名称", "企业类别", "保护种类", "运用方式", "企业负责人及联系方式", "联络员及联系方式"]
    rows = [[str(n), f"焦作市第{n}精密机械有限公司", "高新技术企业", "专利重点", "所有", f"王芳 1381234{n:04d}",
             f"李明 0391-35{n:05d}"] for n in range(1, 40)]
    record = notice(name="wide", attachments=[{"title": "知识产权重点保护企业名录",
                                                "blocks": [{"table": {"columns": columns, "rows": rows}}]}])
    artifact = render_pdf(content(record))
    report = checked(artifact, tmp_path)
    assert any(r.rule.startswith("横排表格页") and r.status == "通过" for r in report.results)
    view = view_of(artifact.data, tmp_path)
    turned = [p for p in view.pages if p.area.landscape]
    assert turned and all(p.page_number is not None for p in turned)
    last = view.pages[-1]
    assert not last.area.landscape and last.number % 2 == 0 and any("印发" in ln.text for ln in last.text_lines())
    for page in turned:  # the table inside the turned 版心, its header repeated on every turned page
        a = page.area
        assert all(a.left - 0.5 <= ln.x0 and ln.x1 <= a.right + 0.5 for ln in page.text_lines() if ln is not page.page_number)
        assert any(ln.text.startswith("序号") for ln in page.text_lines())
