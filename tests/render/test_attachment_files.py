"""Issue 14: 附注 of several lines, attachments that are files of their own (carried beside the 公文), and
the 文种 a record says. Rendered for real and read back (the PDF with the checker's reader, the DOCX's XML)."""

from __future__ import annotations

import base64
import io
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document

from docgen.content.notice import build_notice
from docgen.kinds import parse_record, read_record, render_data, render_file
from docgen.layout import gbt9704
from docgen.layout.closing import note_rows
from docgen.layout.paragraphs import CELL, GRID_SPACING
from docgen.problems import InvalidRecord
from docgen.records import limits
from docgen.records.includes import refuse_file_references
from docgen.records.notice import NoticeRecord
from docgen.render.formats import render_official
from tests.notice_cases import ORGAN, notice
from tests.pdf_readback import squash, view_of

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "notices" / "tongji-2024-60.yaml"
EMAIL = "zhishichanquan.baohu@jiaozuo-scjg.gov.cn"
# a 附注 line whose e-mail address does not fit after its 21 characters: it moves down, whole
WRAPPING = "联系人：市局知识产权保护科王芳同志，电子邮箱：" + EMAIL
NOTE = ["联系人：市局知识产权保护科　王芳", "电话：0391-3568888", "电子邮箱：" + EMAIL]
INDENT = gbt9704.MARGIN_LEFT + 2 * CELL  # where a paragraph's first line starts, mm


def short(**changes) -> dict:
    """A one-page notice (short body, no 版记): its 附注 stays on page 1."""
    return notice(**{"body": ["请各单位按附件要求报送。"], "colophon": None, **changes})


def pdf_of(record: dict) -> bytes:
    doc = build_notice(NoticeRecord.parse(record), "case")
    [pdf] = [a for a in render_official(doc, formats=("pdf",)) if a.filename.endswith(".pdf")]
    return pdf.data


def lines_of(data: bytes, tmp_path: Path) -> list:
    return [line for page in view_of(data, tmp_path).pages for line in page.text_lines()]


def refused(call, *args) -> str:
    with pytest.raises(InvalidRecord) as caught:
        call(*args)
    return caught.value.report()


# ---- files to attach ----

def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["县（市）区", "工作站数"])
    book.active.append(["解放区", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("填报说明")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FILES = {
    "统计表.xlsx": xlsx_bytes,
    "填报说明.docx": docx_bytes,
    "联系人.csv": lambda: "单位,联系人\n解放区市场监督管理局,李明\n".encode("gb18030"),
    "流程图.png": lambda: b"\x89PNG\r\n\x1a\n" + bytes(64),
    "照片.jpg": lambda: b"\xff\xd8\xff\xe0" + bytes(64),
    "原件.pdf": lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(64),
}


def with_files(tmp_path: Path, files: dict[str, bytes], **changes) -> Path:
    """A record file in ``tmp_path`` naming each of ``files`` (written beside it) as an attachment."""
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    record = short(name="tongji", attachments=[{"title": Path(name).stem + "表", "file": name} for name in files],
                   **changes)
    path = tmp_path / "tongji.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return path


# ---- 附注 of several lines ----

def test_each_note_line_starts_its_own_line_indented_two_characters_in_one_pair_of_brackets(tmp_path):
    lines = lines_of(pdf_of(short(note=NOTE)), tmp_path)
    first = next(n for n, line in enumerate(lines) if line.text.startswith("（联系人"))
    printed = lines[first:first + 3]
    assert [squash(line.text) for line in printed] == [squash("（" + NOTE[0]), NOTE[1], NOTE[2] + "）"]
    for line in printed:  # each line a paragraph of its own: indented 2 字, one line below the other
        assert line.x0 == pytest.approx(INDENT, abs=0.3), line.text
    pitches = [b.baseline - a.baseline for a, b in zip(printed, printed[1:])]
    assert pitches == pytest.approx([gbt9704.LINE_PITCH_MM] * 2, abs=0.05)


def test_note_text_with_newlines_is_the_same_as_a_list_of_lines():
    as_text = NoticeRecord.parse(short(note="\n".join(NOTE) + "\n\n"))
    assert as_text.note == NoticeRecord.parse(short(note=NOTE)).note == NOTE
    assert NoticeRecord.parse(short(note="此件公开发布")).note == ["此件公开发布"]


def test_a_note_bracketed_by_its_author_is_not_bracketed_again(tmp_path):
    lines = lines_of(pdf_of(short(note=["（联系人：王芳", "电话：0391-3568888）"])), tmp_path)
    texts = [squash(line.text) for line in lines]
    assert "（联系人：王芳" in texts and "电话：0391-3568888）" in texts
    assert not any("（（" in t or "））" in t for t in texts)


def test_the_line_before_an_email_address_is_not_letter_spaced_across_the_line(tmp_path):
    rows = note_rows((WRAPPING,))
    assert [row.line.text for row in rows] == ["（联系人：市局知识产权保护科王芳同志，电子邮箱：", EMAIL + "）"]
    assert not rows[0].line.justify and rows[0].spacing == pytest.approx(GRID_SPACING)
    lines = lines_of(pdf_of(short(note=[WRAPPING])), tmp_path)
    above = next(line for line in lines if line.text.startswith("（联系人"))
    below = lines[lines.index(above) + 1]
    assert squash(below.text) == EMAIL + "）" and below.x0 == pytest.approx(gbt9704.MARGIN_LEFT, abs=0.3)
    steps = [b.x0 - a.x0 for a, b in zip(above.glyphs, above.glyphs[1:])]
    assert max(steps) == pytest.approx(CELL, abs=0.05)  # on the grid's pitch, not spread
    assert above.x1 == pytest.approx(INDENT + len(squash(above.text)) * CELL, abs=0.3)  # two cells short of the edge


def test_a_long_note_line_of_text_still_fills_its_full_lines():
    rows = note_rows(("请各单位指定专人负责，" * 6,))
    assert len(rows) > 1 and all(row.line.justify for row in rows[:-1]) and not rows[-1].line.justify


def test_the_docx_sets_each_note_line_as_a_note_paragraph(tmp_path):
    doc = build_notice(NoticeRecord.parse(short(note=NOTE, colophon=notice()["colophon"])), "case")
    [docx] = render_official(doc, formats=("docx",))
    body = Document(io.BytesIO(docx.data)).paragraphs
    notes = [p for p in body if p.style.name == "附注"]
    assert [p.text for p in notes] == ["（" + NOTE[0], NOTE[1], NOTE[2] + "）"]
    xml = [p._p.xml for p in notes]
    assert '<w:jc w:val="left"/>' in xml[2]  # the e-mail line is not justified
    assert all("<w:sectPr" not in x for x in xml[:2]) and "<w:sectPr" in xml[2]  # the flow ends with the last


# ---- attachments that are files ----

def test_attachment_files_are_listed_in_the_annex_list_and_carried_beside_the_document(tmp_path):
    files = {name: make() for name, make in FILES.items()}
    artifacts = render_file(with_files(tmp_path, files), include_root=tmp_path)
    names = [a.filename for a in artifacts]
    assert names[:2] == ["tongji.docx", "tongji.pdf"]
    carried = {a.filename: a for a in artifacts[2:]}
    expected = {f"tongji-附件{n}-{Path(name).stem}表.{Path(name).suffix[1:]}": data
                for n, (name, data) in enumerate(files.items(), 1)}
    assert {name: a.data for name, a in carried.items()} == expected
    assert carried["tongji-附件1-统计表表.xlsx"].media_type.endswith("spreadsheetml.sheet")
    assert carried["tongji-附件5-照片表.jpg"].media_type == "image/jpeg"
    view = view_of(artifacts[1].data, tmp_path)
    text = squash("".join(line.text for page in view.pages for line in page.text_lines()))
    assert "附件：1.统计表表" in text and "6.原件表" in text
    labels = [squash(line.text) for page in view.pages for line in page.text_lines()]
    assert not any(re.fullmatch(r"附件\d", label) for label in labels)  # a file is not printed: no attachment page


def test_the_sample_carries_its_two_files(tmp_path):
    artifacts = render_file(SAMPLE)
    assert [a.filename for a in artifacts] == [
        "tongji-2024-60.docx", "tongji-2024-60.pdf", "tongji-2024-60-附件1-知识产权保护工作站年度统计表.xlsx",
        "tongji-2024-60-附件2-各县（市）区知识产权保护工作联系人名单.csv"]
    assert artifacts[2].data == (SAMPLE.parent / "tongji-2024-60" / "工作站年度统计表.xlsx").read_bytes()


def test_an_attachment_title_is_made_a_safe_file_name(tmp_path):
    record = short(name="tongji", attachments=[{"title": "统计表/../汇总", "content": {
        "name": "a.csv", "base64": base64.b64encode(b"a,b\n").decode()}}])
    [carried] = [a for a in render_data(record, "tongji") if a.filename.endswith(".csv")]
    assert carried.filename == "tongji-附件1-统计表_.._汇总.csv"


def test_a_record_from_the_network_carries_the_file_content(tmp_path):
    data = xlsx_bytes()
    record = short(name="remote", attachments=[{"title": "统计表", "content": {
        "name": "统计表.xlsx", "base64": base64.b64encode(data).decode()}}])
    refuse_file_references(record)  # what the queue, the pages and the API check first
    artifacts = render_data(record, "remote")
    assert artifacts[-1].filename == "remote-附件1-统计表.xlsx" and artifacts[-1].data == data


def test_a_record_from_the_network_may_name_no_file():
    record = short(attachments=[{"title": "统计表", "file": "统计表.xlsx"}])
    message = refused(refuse_file_references, record, "api")
    assert "attachments[1].file" in message and "content" in message


@pytest.mark.parametrize("name, data, rule", [
    ("表.xlsx", "单位,联系人\n".encode(), "内容不是 xlsx 文件"),  # a CSV named .xlsx
    ("表.xlsx", docx_bytes(), "内容不是 xlsx 文件"),  # a Word document is a ZIP too
    ("表.docx", xlsx_bytes(), "内容不是 docx 文件"),
    ("表.png", b"GIF89a" + bytes(32), "内容不是 png 文件"),
    ("表.jpg", b"\x89PNG\r\n\x1a\n" + bytes(32), "内容不是 jpg 文件"),
    ("表.pdf", b"<html>%PDF-</html>", "内容不是 pdf 文件"),
    ("表.csv", b"\x00\x01\x02binary", "不是 CSV 文本"),
    ("表.xlsx", b"PK\x03\x04 broken", "ZIP 包损坏"),
    ("表.exe", b"MZ" + bytes(32), "只能是以下类型之一"),
    ("表.xlsx", b"", "文件是空的"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_named_not_quoted(tmp_path, name, data, rule):
    message = refused(lambda: parse_record(read_record(with_files(tmp_path, {name: data}), tmp_path)))
    assert rule in message and "attachments[1]" in message and name in message, message
    assert "binary" not in message and "html" not in message


def test_a_workbook_with_macros_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package, zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as book:
        for item in book.namelist():
            package.writestr(item, book.read(item))
        package.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    message = refused(lambda: parse_record(read_record(with_files(tmp_path, {"宏.xlsx": out.getvalue()}), tmp_path)))
    assert "宏" in message


@pytest.mark.parametrize("place", ["../outside.xlsx", "/etc/passwd", "link.xlsx"])
def test_a_file_outside_the_include_root_is_refused_before_it_is_read(tmp_path, place):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.xlsx").write_bytes(xlsx_bytes())
    os.symlink(tmp_path / "outside.xlsx", root / "link.xlsx")
    record = short(attachments=[{"title": "统计表", "file": place}])
    path = root / "r.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    message = refused(read_record, path, root)
    assert "attachments[1].file" in message and "允许读取的文件夹之外" in message


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = with_files(tmp_path, {"大.pdf": b"%PDF-1.4\n"})
    with open(tmp_path / "大.pdf", "r+b") as handle:
        handle.truncate(limits.ATTACHMENT_FILE_BYTES.maximum + 1)  # sparse: nothing is written
    message = refused(read_record, path, tmp_path)
    assert "attachments[1].file" in message and "大.pdf" in message
    assert limits.ATTACHMENT_FILE_BYTES.rule() in message


def test_remote_content_over_the_limit_or_not_base64_is_refused():
    most = limits.ATTACHMENT_FILE_BYTES.maximum
    big = base64.b64encode(b"%PDF-" + bytes(most)).decode()
    message = refused(NoticeRecord.parse, short(attachments=[{"title": "原件", "content": {"name": "原件.pdf", "base64": big}}]))
    assert limits.ATTACHMENT_FILE_BYTES.label in message and "原件.pdf" in message and big[:20] not in message
    message = refused(NoticeRecord.parse, short(attachments=[{"title": "原件", "content": {"name": "原件.pdf",
                                                                                          "base64": "%PDF-!!"}}]))
    assert "不是有效的 base64 编码" in message


def test_an_attachment_is_pages_or_a_file_not_both():
    content = {"name": "a.csv", "base64": base64.b64encode(b"a,b\n").decode()}
    message = refused(NoticeRecord.parse, short(attachments=[{"title": "表", "blocks": ["正文"], "content": content}]))
    assert "不能两者都有" in message


# ---- 文种 ----

def test_the_doc_type_is_read_from_the_title_when_not_said():
    assert NoticeRecord.parse(short()).doc_type == "通知"
    assert NoticeRecord.parse(short(title="关于商请协助开展知识产权保护工作的函")).doc_type == "函"
    assert NoticeRecord.parse(short(title="知识产权保护工作会议纪要")).doc_type == "纪要"
    assert NoticeRecord.parse(short(title="知识产权保护工作安排")).doc_type is None


def test_a_said_doc_type_must_end_the_title():
    assert NoticeRecord.parse(short(doc_type="通知")).doc_type == "通知"
    message = refused(NoticeRecord.parse, short(doc_type="通报"))
    assert "doc_type" in message and "标题应以文种「通报」结尾" in message
    message = refused(NoticeRecord.parse, short(doc_type="通知书"))
    assert "只能取以下值之一" in message and "请示" in message and "纪要" in message


@pytest.mark.parametrize("said", [None, "请示"])
def test_a_request_goes_up_with_its_signers(said):
    title = f"{ORGAN}关于申请知识产权保护工作站建设专项资金的请示"
    message = refused(NoticeRecord.parse, short(title=title, doc_type=said))
    assert "请示是上行文" in message and "signers" in message
    upward = NoticeRecord.parse(short(title=title, doc_type=said, direction="上行文", signers=["张建国"]))
    assert upward.doc_type == "请示"
    message = refused(NoticeRecord.parse, short(title=title, doc_type=said, direction="上行文"))
    assert "签发人" in message
