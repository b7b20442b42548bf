"""The special formats of GB/T 9704 §10 — 信函, 命令（令）, 纪要: the record's rules, the layout read back from
the PDF (positions in mm, within 0.5 mm), the format recorded in the document info, and `docgen check`
judging each format by its own rules."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from docgen.check.formats import document_format
from docgen.check.readback import PdfView, read_pdf
from docgen.check.report import check_pdf
from docgen.content.notice import build_notice
from docgen.layout import gbt9704, special
from docgen.pdf.document import render_pdf
from docgen.problems import InvalidRecord
from docgen.records.notice import NoticeRecord

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "notices"
LETTER, ORDER, MINUTES = (SAMPLES / f"{n}.yaml" for n in ("letter-2024-18", "order-2024-3", "minutes-2024-5"))
P = gbt9704.LINE_PITCH_MM
C = gbt9704.CHAR_PITCH_MM
LEFT, RIGHT = gbt9704.MARGIN_LEFT, gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
CENTRE = LEFT + gbt9704.TYPE_WIDTH / 2
SAN = gbt9704.mm(gbt9704.SIZE_SAN)  # a 三号 character's height, mm
ROW = (P - SAN) / 2  # a 三号 line's em box from its row's edge
TOL = 0.5


def near(value: float, target: float, tolerance: float = TOL) -> bool:
    return abs(value - target) <= tolerance


def record(path: Path, **changes) -> dict:
    data = NoticeRecord.load(path).model_dump(by_alias=True, exclude_unset=True)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def render(source: Path | dict, tmp_path: Path, name: str = "doc.pdf", **options) -> tuple[Path, PdfView]:
    parsed = NoticeRecord.load(source) if isinstance(source, Path) else NoticeRecord.parse(source)
    path = tmp_path / name
    path.write_bytes(render_pdf(build_notice(parsed), **options).data)
    return path, read_pdf(path)


def info(path: Path) -> dict:
    with pikepdf.open(path) as pdf:
        return {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("special")


@pytest.fixture(scope="module")
def letter(out):
    return render(LETTER, out, "letter.pdf")


@pytest.fixture(scope="module")
def order(out):
    return render(ORDER, out, "order.pdf")


@pytest.fixture(scope="module")
def minutes(out):
    return render(MINUTES, out, "minutes.pdf")


def failed(path: Path) -> list[str]:
    return [f"{r.rule}：{r.measured}" for r in check_pdf(path).failures()]


# ---- the record ----

def problems(data: dict) -> str:
    with pytest.raises(InvalidRecord) as caught:
        NoticeRecord.parse(data)
    return "\n".join(p.message() for p in caught.value.problems)


@pytest.mark.parametrize("source, changes, words", [
    (ORDER, {"order_number": ""}, ["令号（order_number）", "第12号"]),
    (ORDER, {"order_number": "12号"}, ["「12号」", "第N号"]),
    (ORDER, {"signer": None}, ["signer"]),
    (ORDER, {"signature": {"organ": "焦作市市场监督管理局", "date": "2024年5月6日"}}, ["不署发文机关名称", "signature"]),
    (ORDER, {"copy_number": "000003", "secrecy": "秘密★1年", "urgency": "特急"}, ["最多写两项", "份号、密级、紧急程度"]),
    (MINUTES, {"attendance": None}, ["出席"]),
    (MINUTES, {"issue_number": "五"}, ["期号（issue_number）", "「五」"]),
    (MINUTES, {"signature": {"organ": "焦作市市场监督管理局", "date": "2024年5月6日"}}, ["纪要格式不署名"]),
    (LETTER, {"issuer": {"organ": "焦作市市场监督管理局", "mark": "焦作市市场监督管理局文件"}}, ["不加「文件」"]),
    (LETTER, {"colophon": {"cc": ["某局"], "printer": "办公室", "print_date": "2024年6月24日"}}, ["不编排印发机关"]),
    (LETTER, {"addressees": ""}, ["主送机关（addressees）"]),
    (LETTER, {"order_number": "第3号"}, ["令号（order_number）只用于命令格式", "「信函」"]),
    (LETTER, {"letter_footer": "地址：" + "焦作市人民路" * 6}, ["letter_footer", "超出红色双线的长度 170 mm"]),
    (ORDER, {"letter_footer": "电话：0391-3568888"}, ["letter_footer）只用于信函格式"]),
    (LETTER, {"format": "文件", "attendance": {"出席": ["张三"]}}, ["只用于纪要格式", "「文件」"]),
    (LETTER, {"format": "公函"}, ["format", "「公函」"]),
])
def test_a_format_refuses_what_it_does_not_print_and_names_what_it_needs(source, changes, words):
    message = problems(record(source, **changes))
    assert all(word in message for word in words), message


def test_each_format_defaults_its_own_mark():
    organ = "焦作市市场监督管理局"
    assert NoticeRecord.load(LETTER).issuer.mark == organ
    assert NoticeRecord.load(ORDER).issuer.mark == organ + "令"
    data = record(MINUTES, issuer={"organ": organ})
    assert NoticeRecord.parse(data).issuer.mark == organ + "纪要"
    assert NoticeRecord.parse(record(ORDER, issuer={"organ": organ, "mark": organ + "命令"})).issuer.mark == organ + "命令"


# ---- 信函 (§10.1) ----

def test_letter_mark_30_mm_from_the_top_between_its_double_lines(letter):
    _, view = letter
    first = view.pages[0]
    mark = next(ln for ln in first.text_lines() if ln.red)
    assert mark.text == "焦作市市场监督管理局" and near(mark.em_top, 30.0) and near(mark.centre, CENTRE)
    reds = sorted((r for r in first.rules if r.red), key=lambda r: r.top)
    assert len(reds) == 4 and all(near(r.width, 170.0) and near(r.x0, CENTRE - 85.0) for r in reds)
    upper, lower = reds[:2], reds[2:]
    assert near(upper[0].top - mark.em_bottom, 4.0) and upper[0].thickness > upper[1].thickness  # thick over thin
    assert near(lower[1].bottom, 297.0 - 20.0) and lower[0].thickness < lower[1].thickness  # thin over thick
    assert all(not r.red for page in view.pages[1:] for r in page.rules)  # the letterhead is page 1's alone


def test_letter_footer_line_stands_seven_eighths_of_a_san_above_the_second_double_line(letter):
    _, view = letter
    first = view.pages[0]
    foot = next(ln for ln in first.text_lines() if ln.text.startswith("地址："))
    lower = sorted((r for r in first.rules if r.red), key=lambda r: r.top)[2]
    assert near(lower.top - foot.em_bottom, 7 / 8 * SAN) and near(foot.centre, CENTRE)
    assert foot.em_top > gbt9704.TYPE_BOTTOM  # below the type area, between it and the double line


def test_letter_elements_flush_left_and_number_flush_right_under_the_first_line(letter):
    _, view = letter
    lines = view.pages[0].text_lines()
    line_bottom = sorted((r for r in view.pages[0].rules if r.red), key=lambda r: r.top)[1].bottom
    copy, urgency, number = (next(ln for ln in lines if ln.text == t) for t in ("000018", "加急", "焦市监函〔2024〕18号"))
    assert near(copy.x0, LEFT) and near(copy.em_top - line_bottom, 7 / 8 * SAN)
    assert near(urgency.x0, LEFT) and near(urgency.baseline - copy.baseline, P)
    assert near(number.x1, RIGHT) and near(number.baseline - copy.baseline, 2 * P)  # one blank line under the first
    title = next(ln for ln in lines if ln.size > 20 and not ln.red)
    assert near(title.em_top - (number.em_bottom + ROW), 2 * P + (gbt9704.TITLE_PITCH_MM - gbt9704.mm(22)) / 2)


def test_letter_number_alone_stands_seven_eighths_of_a_san_under_the_line(tmp_path):
    data = record(LETTER)
    del data["copy_number"], data["urgency"]
    path, view = render(data, tmp_path)
    line_bottom = sorted((r for r in view.pages[0].rules if r.red), key=lambda r: r.top)[1].bottom
    number = next(ln for ln in view.pages[0].text_lines() if ln.text == "焦市监函〔2024〕18号")
    assert near(number.em_top - line_bottom, 7 / 8 * SAN) and near(number.x1, RIGHT)
    assert not failed(path)


def test_letter_page_one_has_no_page_number_and_the_others_do(letter):
    _, view = letter
    assert len(view.pages) == 2
    assert view.pages[0].page_number is None
    assert view.pages[1].page_number.text.replace(" ", "") == "—2—"


def test_letter_colophon_is_cc_alone_without_rules_at_the_foot_of_the_last_page(letter):
    _, view = letter
    last = view.pages[-1]
    cc = next(ln for ln in last.text_lines() if ln.text.startswith("抄送"))
    assert cc.text.endswith("河南省市场监督管理局知识产权保护处。")
    assert near(cc.em_bottom + (P - gbt9704.mm(gbt9704.SIZE_SI)) / 2, gbt9704.TYPE_BOTTOM)
    assert not any(ln.text.endswith("印发") for ln in last.text_lines())
    assert not [r for r in last.rules if r.width > 150]


# ---- 命令（令） (§10.2) ----

def test_order_mark_20_mm_below_the_type_area_then_the_order_number_and_the_body(order):
    _, view = order
    lines = view.pages[0].text_lines()
    mark = next(ln for ln in lines if ln.red)
    assert mark.text == "焦作市市场监督管理局令" and near(mark.em_top, gbt9704.MARGIN_TOP + 20.0) and near(mark.centre, CENTRE)
    number = next(ln for ln in lines if ln.text == "第3号")
    assert near(number.centre, CENTRE) and near(number.em_top - ROW - mark.em_bottom, 2 * P)  # two blank lines
    body = lines[lines.index(number) + 1]
    assert body.text.startswith("《焦作市知识产权保护工作站管理办法》")
    assert 2.5 <= (body.baseline - number.baseline) / P <= 3.5  # two blank lines, the body then on the grid
    assert near((body.em_top - ROW - gbt9704.MARGIN_TOP) / P, round((body.em_top - ROW - gbt9704.MARGIN_TOP) / P), 0.01)
    assert not any(ln.size > 20 for ln in lines if not ln.red)  # no title printed


def test_order_is_signed_by_the_signers_stamp_with_title_left_and_date_under(order):
    path, view = order
    stamp = json.loads(info(path)[special.STAMP_AREA_KEY])
    assert stamp["page"] == 1 and stamp["signer"] == "赵志刚" and "DocgenSealArea" not in info(path)
    left, right = stamp["x"] - stamp["width"] / 2, stamp["x"] + stamp["width"] / 2
    top, bottom = stamp["y"] - stamp["height"] / 2, stamp["y"] + stamp["height"] / 2
    lines = view.pages[0].text_lines()
    title = next(ln for ln in lines if ln.text == "局长")
    body = lines[lines.index(title) - 1]  # the 附件说明, the body's last line
    assert body.text == "附件：焦作市知识产权保护工作站管理办法"
    date = next(ln for ln in lines if ln.text == "2024年5月6日")
    assert near(top - (body.em_bottom + ROW), 2 * P)  # two blank lines under the body
    assert near(right, RIGHT - 4 * C)  # right-indented 4 字
    assert near(title.x1, left - 2 * C) and near((title.em_top + title.em_bottom) / 2, stamp["y"])
    assert near(date.x1, RIGHT - 4 * C) and near(date.em_top - ROW - bottom, P)  # one blank line under the stamp


def test_order_prints_two_header_elements_above_its_mark(tmp_path):
    path, view = render(record(ORDER, secrecy="秘密★1年", urgency="特急"), tmp_path)
    lines = view.pages[0].text_lines()
    secrecy, urgency = lines[0], lines[1]
    assert (secrecy.text, urgency.text) == ("秘密★1年", "特急")
    assert near(secrecy.x0, LEFT) and near(secrecy.em_top - ROW, gbt9704.MARGIN_TOP) and near(urgency.baseline - secrecy.baseline, P)
    assert urgency.em_bottom < gbt9704.MARGIN_TOP + 20.0
    assert not failed(path)


# ---- 纪要 (§10.3) ----

def test_minutes_mark_at_72_mm_with_the_issue_number_and_the_red_rule(minutes):
    _, view = minutes
    lines = view.pages[0].text_lines()
    mark = next(ln for ln in lines if ln.red)
    assert mark.text == "焦作市市场监督管理局局务会议纪要" and near(mark.em_top, 72.0)
    number = next(ln for ln in lines if ln.text == "第5期")
    assert near(number.centre, CENTRE) and near(number.em_top - ROW - mark.em_bottom, 2 * P)
    rule = next(r for r in view.pages[0].rules if r.red)
    assert near(rule.width, gbt9704.TYPE_WIDTH) and near(rule.y - number.em_bottom, 4.0)


def test_minutes_attendance_lists_after_the_body_and_no_signature(minutes):
    path, view = minutes
    lines = [ln for ln in view.pages[-1].text_lines() if abs(ln.size - gbt9704.SIZE_SAN) < 0.3]
    present = next(n for n, ln in enumerate(lines) if ln.text.startswith("出席："))
    assert near(lines[present].baseline - lines[present - 1].baseline, 2 * P)  # one blank line under the body
    starts = [n for n, ln in enumerate(lines) if ln.text.startswith(("出席：", "请假：", "列席："))]
    assert [lines[n].text[:3] for n in starts] == ["出席：", "请假：", "列席："]
    assert [lines[n].baseline - lines[starts[0]].baseline for n in starts] == pytest.approx([0, P, 2 * P], abs=TOL)
    for n in starts:
        label, names = lines[n].glyphs[:3], lines[n].glyphs[3:]
        assert near(lines[n].x0, LEFT + 2 * C)
        assert all("Sans" in gl.font for gl in label) and all("Fang" in gl.font for gl in names)  # 黑体, 仿宋
    attending = lines[starts[2]]
    assert lines[starts[2] + 1].text == "燕、执法支队吴海涛"
    assert near(lines[starts[2] + 1].x0, attending.glyphs[3].x0)  # under the first name after the colon
    assert "DocgenSealArea" not in info(path)
    assert not any(ln.text.startswith("2024年") and ln.text.endswith("日") for ln in lines)


# ---- the document info and the checker ----

@pytest.mark.parametrize("fixture, fmt", [("letter", "信函"), ("order", "命令"), ("minutes", "纪要")])
def test_each_format_is_recorded_and_passes_its_own_check(fixture, fmt, request):
    path, view = request.getfixturevalue(fixture)
    assert info(path)[special.FORMAT_KEY] == fmt
    report = check_pdf(path)
    assert report.passed, report.text()
    assert report.results[0].rule.startswith(f"特定格式：{fmt}格式")
    assert any(r.rule.startswith(f"{fmt}：") for r in report.results)


@pytest.mark.parametrize("source, fmt", [(LETTER, "信函"), (ORDER, "命令"), (MINUTES, "纪要")])
def test_the_reference_drawer_draws_the_same_format(source, fmt, tmp_path):
    path, view = render(source, tmp_path, pdf_engine="weasyprint")
    assert info(path)[special.FORMAT_KEY] == fmt
    assert (special.STAMP_AREA_KEY in info(path)) is (fmt == "命令")
    assert not failed(path)


@pytest.mark.parametrize("fixture, fmt", [("letter", "信函"), ("order", "命令"), ("minutes", "纪要")])
def test_without_the_document_info_the_format_is_known_from_the_layout(fixture, fmt, request, tmp_path):
    path, _ = request.getfixturevalue(fixture)
    bare = tmp_path / "bare.pdf"
    with pikepdf.open(path) as pdf:
        for key in ("/" + special.FORMAT_KEY, "/" + special.STAMP_AREA_KEY):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        pdf.save(bare)
    assert document_format(read_pdf(bare))[0] == fmt
    assert not failed(bare)


def test_a_letter_whose_mark_sits_at_72_mm_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(special, "LETTER_MARK_TOP", gbt9704.MARK_TOP)
    path, view = render(LETTER, tmp_path)
    assert near(next(ln for ln in view.pages[0].text_lines() if ln.red).em_top, 72.0)
    assert any(rule.startswith("信函：发文机关标志上边缘距页面上边 30 mm") for rule in failed(path))


def test_an_order_whose_mark_sits_at_72_mm_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(special, "ORDER_MARK_TOP", gbt9704.MARK_TOP)
    path, _ = render(ORDER, tmp_path)
    assert any(rule.startswith("命令：标志上边缘距版心上边缘 20 mm") for rule in failed(path))


def test_an_ordinary_document_is_still_judged_as_a_file(tmp_path):
    path, view = render(SAMPLES / "jiaozuo-2021-135.yaml", tmp_path)
    assert special.FORMAT_KEY not in info(path)
    assert document_format(view)[0] == "文件"
    assert check_pdf(path).passed


# ---- DOCX: what each format prints, through the 文件 template ----

def docx_paragraphs(source: Path, tmp_path: Path) -> tuple[Path, list]:
    from docx import Document

    from docgen.docx.document import render_docx

    path = tmp_path / "doc.docx"
    path.write_bytes(render_docx(build_notice(NoticeRecord.load(source))).data)
    return path, Document(str(path)).paragraphs


def test_docx_minutes_carry_the_attendance_and_no_signature(tmp_path):
    _, paragraphs = docx_paragraphs(MINUTES, tmp_path)
    texts = [p.text for p in paragraphs]
    present = next(p for p in paragraphs if p.text.startswith("出席："))
    assert present.runs[0].text == "出席：" and present.runs[0].style.style_id == "HeiChar"
    assert any(t.startswith("列席：办公室王芳") for t in texts)
    assert not any(t.strip() == "焦作市市场监督管理局" for t in texts)  # no 署名


def test_docx_order_prints_no_title_and_the_signers_title_and_date(tmp_path):
    _, paragraphs = docx_paragraphs(ORDER, tmp_path)
    texts = [p.text.strip() for p in paragraphs]
    assert "第3号" in texts and "局长" in texts and "2024年5月6日" in texts
    assert not any("关于公布" in t for t in texts)


def test_docx_letter_colophon_is_cc_alone(tmp_path):
    from docx import Document

    path, paragraphs = docx_paragraphs(LETTER, tmp_path)
    assert any(p.text.startswith("抄送：河南省市场监督管理局") for p in paragraphs)
    assert not any(p.text.endswith("印发") for p in paragraphs)
    assert not Document(str(path)).tables  # the 版记 is no ruled table


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("source, fmt", [(ORDER, "命令"), (MINUTES, "纪要")])
def test_docx_through_libreoffice_is_judged_by_its_format(source, fmt, tmp_path):
    from tests.libreoffice import to_pdf

    docx, _ = docx_paragraphs(source, tmp_path)
    pdf = to_pdf(docx, tmp_path)
    assert document_format(read_pdf(pdf))[0] == fmt
    report = check_pdf(pdf)
    assert report.passed, report.text()
