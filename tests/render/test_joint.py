"""联合行文 (GB/T 9704 §7.2.3, §7.3.5): 2–4 issuing organs. The record is checked, the joint mark stacks the
names with 文件 to their right, and the signatures stand side by side under their own seal areas (sealed) or one
under another (unsealed) — in the PDF read back, through `docgen check`, and in the DOCX laid out by LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from docgen.check.report import check_pdf
from docgen.content.notice import build_notice
from docgen.docx.document import render_docx
from docgen.layout import gbt9704
from docgen.layout.compose import compose
from docgen.pdf.document import render_pdf
from docgen.problems import InvalidRecord
from docgen.records.notice import NoticeRecord
from tests.notice_cases import ORGAN, notice
from tests.pdf_readback import view_of

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "notices"
SEALED = SAMPLES / "joint-2024-45.yaml"  # two organs, sealed
UNSEALED = SAMPLES / "joint-2024-52.yaml"  # three organs, unsealed
P = gbt9704.LINE_PITCH_MM
C = gbt9704.CHAR_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
IP, POLICE, COMMERCE = "焦作市知识产权局", "焦作市公安局", "焦作市商务局"
DATE = "2024年8月3日"


def joint(organs: list[str], seal: str = "sealed", **issuer) -> dict:
    return notice(issuer={"organs": organs, **issuer}, signature={"date": DATE, "seal": seal})


def problems(record: dict) -> list[str]:
    with pytest.raises(InvalidRecord) as caught:
        NoticeRecord.parse(record)
    return [p.message() for p in caught.value.problems]


def rendered(record: dict | Path, tmp_path: Path, name: str = "doc.pdf", **options):
    parsed = NoticeRecord.load(record) if isinstance(record, Path) else NoticeRecord.parse(record)
    doc = build_notice(parsed)
    artifact = render_pdf(doc, **options)
    path = tmp_path / name
    path.write_bytes(artifact.data)
    return doc, artifact, path


def seal_record(path: Path):
    with pikepdf.open(path) as pdf:
        raw = pdf.docinfo.get("/DocgenSealArea")
        return None if raw is None else json.loads(str(raw))


def lines_with(view, texts: set[str]):
    """The black 三号 read-back lines (or pieces of lines, cut at wide gaps) whose text is one of ``texts``."""
    from docgen.check.rules import _segments

    return [seg for page in view.pages for ln in page.text_lines() if not ln.red and abs(ln.size - gbt9704.SIZE_SAN) < 0.5
            for seg in _segments(ln) if seg.text in texts]


# ---- the record ----

@pytest.mark.parametrize("changes,field,rule", [
    ({"issuer": {"organs": [ORGAN]}}, "issuer.organs", "至少需要 2 项"),
    ({"issuer": {"organs": [ORGAN, IP, POLICE, COMMERCE, "焦作市文化局"]}}, "issuer.organs", "最多 4 项"),
    ({"issuer": {"organs": [ORGAN, ""]}}, "issuer.organs", "不能为空"),
    ({"issuer": {"organs": [ORGAN, ORGAN]}}, "issuer.organs", "不能重复"),
    ({"issuer": {"organs": [ORGAN, IP], "mark": "某某文件"}}, "issuer", "joint_mark: sponsor"),
    ({"issuer": {"organ": IP, "organs": [ORGAN, IP]}}, "issuer", "主办机关"),
    ({"issuer": {"organ": ORGAN, "joint_mark": "sponsor"}}, "issuer", "只用于联合行文"),
    ({"issuer": {"organs": [ORGAN, IP]}, "signature": {"organs": [ORGAN, IP, POLICE], "date": DATE}},
     "signature", "每个发文机关各署一名"),
    ({"issuer": {"organs": [ORGAN, IP]}, "signature": {"organ": ORGAN, "date": DATE}}, "signature", "organs"),
    ({"signature": {"organs": [ORGAN, IP], "date": DATE}}, "signature", "issuer.organs"),
    ({"signature": {"date": DATE}}, "signature", "请写明署名"),
])
def test_bad_joint_records_are_refused_in_chinese_naming_field_and_rule(changes, field, rule):
    [message] = problems(notice(**changes))
    assert f"（{field}" in message and rule in message


def test_a_joint_record_signs_with_every_organ_unless_it_names_them():
    record = NoticeRecord.parse(joint([ORGAN, IP, POLICE]))
    assert record.issuer.organ == ORGAN and record.signature.names == (ORGAN, IP, POLICE)
    doc = build_notice(record)
    assert doc.header.joint == (ORGAN, IP, POLICE) and doc.header.mark == "文件"
    assert doc.signature.organ == ORGAN and doc.signature.names == (ORGAN, IP, POLICE)
    sponsor = build_notice(NoticeRecord.parse(joint([ORGAN, IP], joint_mark="sponsor")))
    assert sponsor.header.joint == () and sponsor.header.mark == f"{ORGAN}文件"


# ---- the PDF ----

def test_sealed_joint_pdf_mark_names_and_seal_areas(tmp_path):
    doc, artifact, path = rendered(SEALED, tmp_path)
    report = check_pdf(path)
    assert report.passed, report.text()
    assert {"联合行文：印章一一对应、居中下压各发文机关署名", "联合行文：印章排列整齐、互不相交或相切，每排两端不出版心"} \
        <= {r.rule for r in report.results}
    view = view_of(artifact.data, tmp_path)

    # the joint mark: the names stacked from 72 mm, spread to one width, 文件 to their right, centred on them
    mark = [ln for ln in view.pages[0].text_lines() if ln.red]
    names = [ln for ln in mark if ln.text != "文件"]
    [word] = [ln for ln in mark if ln.text == "文件"]
    assert [n.text for n in names] == list(doc.header.joint)
    assert abs(names[0].em_top - gbt9704.MARK_TOP) < 0.5 and names[0].em_bottom < names[1].em_top
    assert abs(names[0].x0 - names[1].x0) < 0.3 and abs(names[0].x1 - names[1].x1) < 0.3
    assert word.x0 > names[0].x1 and abs((word.em_top + word.em_bottom) / 2 - (names[0].em_top + names[1].em_bottom) / 2) < 0.3
    assert abs((names[0].x0 + word.x1) / 2 - (gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH / 2)) < 0.5

    # the 署名 side by side, the 主办机关 first, each under its seal area; the last over the date
    signed = lines_with(view, set(doc.signature.names))
    date = lines_with(view, {doc.signature.date})[0]
    assert [s.text for s in signed] == list(doc.signature.names)
    assert abs(signed[0].baseline - signed[1].baseline) < 0.1 and signed[0].x1 < signed[1].x0
    seals = seal_record(path)
    assert isinstance(seals, list) and len(seals) == 2 and artifact.facts["seal_areas"] == seals
    assert report.seal_area == seals[-1] == artifact.facts["seal_area"]
    for seal, name in zip(seals, signed):
        assert abs(seal["x"] - name.centre) < 0.1 and seal["diameter"] == gbt9704.SEAL_DIAMETER
        assert seal["y"] - 21 < name.em_top and seal["y"] + 21 > name.em_bottom
    assert abs(seals[-1]["x"] - date.centre) < 0.1 and seals[-1]["y"] + 21 > date.em_bottom
    assert abs(RIGHT - date.x1 - 4 * C) < 0.5  # the date right-indented 4 字
    assert seals[1]["x"] - seals[0]["x"] > gbt9704.SEAL_DIAMETER  # never touching


def test_short_names_put_seals_2_mm_apart_in_one_row(tmp_path):
    organs = ["市市场监管局", "市知识产权局", "市公安局"]
    _, _, path = rendered(joint(organs), tmp_path)
    assert check_pdf(path).passed
    seals = seal_record(path)
    assert len({s["y"] for s in seals}) == 1
    gaps = [b["x"] - a["x"] - gbt9704.SEAL_DIAMETER for a, b in zip(seals, seals[1:])]
    assert all(0 < g <= 3 for g in gaps)
    assert seals[0]["x"] - 21 >= gbt9704.MARGIN_LEFT and seals[-1]["x"] + 21 <= RIGHT


@pytest.mark.parametrize("organs,rows", [([ORGAN, IP, POLICE, COMMERCE], [2, 2]), ([ORGAN, IP, POLICE], [2, 1])])
def test_seals_that_do_not_fit_one_row_take_two_rows_within_the_type_area(organs, rows, tmp_path):
    doc, artifact, path = rendered(joint(organs), tmp_path)
    report = check_pdf(path)
    assert report.passed, report.text()
    seals = seal_record(path)
    ys = sorted({s["y"] for s in seals})
    assert [sum(s["y"] == y for s in seals) for y in ys] == rows
    assert ys[1] - ys[0] >= gbt9704.SEAL_DIAMETER  # rows do not touch
    assert all(gbt9704.MARGIN_LEFT <= s["x"] - 21 and s["x"] + 21 <= RIGHT for s in seals)
    view = view_of(artifact.data, tmp_path)
    signed = lines_with(view, set(organs))
    assert [s.text for s in signed] == organs  # in the organs' order, row by row
    date = lines_with(view, {DATE})[0]
    assert abs(seals[-1]["x"] - date.centre) < 0.1  # the last seal presses the last 署名 and the date


def test_unsealed_joint_pdf_stacks_the_names_and_records_no_seal(tmp_path):
    doc, artifact, path = rendered(UNSEALED, tmp_path)
    report = check_pdf(path)
    assert report.passed, report.text()
    assert seal_record(path) is None and "seal_area" not in artifact.facts
    view = view_of(artifact.data, tmp_path)
    mark = [ln for ln in view.pages[0].text_lines() if ln.red]
    assert [ln.text for ln in mark][0] == doc.header.joint[0] and len(mark) == 3  # the middle line holds 文件
    signed = lines_with(view, set(doc.signature.names))
    date = lines_with(view, {doc.signature.date})[0]
    assert [s.text for s in signed] == list(doc.signature.names)
    assert all(abs(s.x0 - signed[0].x0) < 0.1 for s in signed)  # starting together
    assert all(abs(b.baseline - a.baseline - P) < 0.1 for a, b in zip(signed, signed[1:] + [date]))
    assert abs(max(s.x1 for s in signed) - (RIGHT - 2 * C)) < 0.5 and abs(date.x0 - signed[0].x0 - 2 * C) < 0.5


def test_sponsor_mark_alone(tmp_path):
    doc, artifact, path = rendered(joint([ORGAN, IP], seal="unsealed", joint_mark="sponsor"), tmp_path)
    assert check_pdf(path).passed
    mark = [ln for ln in view_of(artifact.data, tmp_path).pages[0].text_lines() if ln.red]
    assert [ln.text for ln in mark] == [f"{ORGAN}文件"]


def test_both_drawers_record_the_same_seal_areas(tmp_path):
    doc, _, direct = rendered(SEALED, tmp_path, "direct.pdf")
    _, _, reference = rendered(SEALED, tmp_path, "reference.pdf", pdf_engine="weasyprint")
    assert seal_record(reference) == seal_record(direct)
    report = check_pdf(reference)
    assert report.passed, report.text()


def test_no_seal_image_on_a_joint_document_and_one_organ_keeps_one_seal_area(tmp_path):
    doc = build_notice(NoticeRecord.load(SEALED))
    artifact = render_pdf(doc, seal_image=b"\x89PNG one organ's seal")  # never placed over every organ
    assert any("联合行文" in w for w in artifact.warnings)
    with pikepdf.open(io.BytesIO(artifact.data)) as pdf:
        assert not any(page.get_images() for page in pdf.pages)
    single = compose(build_notice(NoticeRecord.parse(notice(signature={"organ": ORGAN, "date": DATE, "seal": "sealed"}))))
    assert len(single.seals) == 1 and single.seal is single.seals[0]
    _, _, path = rendered(notice(signature={"organ": ORGAN, "date": DATE, "seal": "sealed"}), tmp_path)
    assert isinstance(seal_record(path), dict)  # one organ: the object it always was


# ---- the DOCX, laid out by LibreOffice ----

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("sample", [SEALED, UNSEALED, joint([ORGAN, IP, POLICE, COMMERCE])],
                         ids=["sealed-2", "unsealed-3", "sealed-4-two-rows"])
def test_docx_through_libreoffice_keeps_the_joint_layout(sample, tmp_path):
    from tests.libreoffice import to_pdf

    doc = build_notice(NoticeRecord.load(sample) if isinstance(sample, Path) else NoticeRecord.parse(sample))
    docx = tmp_path / "joint.docx"
    docx.write_bytes(render_docx(doc).data)
    pdf = to_pdf(docx, tmp_path)
    report = check_pdf(pdf)
    assert report.passed, report.text()
    view = view_of(pdf.read_bytes(), tmp_path, "lo.pdf")
    mark = [ln for ln in view.pages[0].text_lines() if ln.red]
    assert abs(mark[0].em_top - gbt9704.MARK_TOP) < 1.0
    word = [g for ln in mark for g in ln.glyphs if g.text in "文件"]
    names = [g for ln in mark for g in ln.glyphs if g.text not in "文件"]
    assert min(g.x0 for g in word) > max(g.x1 for g in names)  # 文件 to the right of the stacked names
    signed = lines_with(view, set(doc.signature.names))
    assert [s.text for s in signed] == list(doc.signature.names)
    if doc.signature.sealed:  # side by side, each centred and standing where its seal area is
        assert abs(signed[0].baseline - signed[1].baseline) < 0.3 and signed[0].x1 < signed[1].x0
        seals = compose(doc).seals
        assert all(abs(s.x - name.centre) < 1.0 and s.y - 21 < name.em_top and name.em_bottom < s.y + 21
                   for s, name in zip(seals, signed))
    else:  # one under another, starting together
        assert all(abs(s.x0 - signed[0].x0) < 0.5 for s in signed)
        assert all(abs(b.baseline - a.baseline - P) < 0.3 for a, b in zip(signed, signed[1:]))
