"""批复: generated from an 附件1 application (or a station proposal) and a decision, worded by the editable
text templates, stamped-ready whatever the body length, and made in batches with their plaques."""

from __future__ import annotations

import copy
import csv
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from docgen.check.report import check_pdf
from docgen.content.reply import build_reply
from docgen.content.wording import DEFAULT_DIR
from docgen.kinds import parse_record, read_record, render_data, render_file
from docgen.problems import InvalidRecord
from docgen.records.reply import ReplyRecord
from docgen.render.formats import render_official
from docgen.pdf.document import render_pdf
from tests.pdf_readback import page_texts, squash

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "replies"


def record(name: str) -> dict:
    return read_record(SAMPLES / f"{name}.yaml")


def checked(artifact, tmp_path: Path, name: str = "reply.pdf"):
    path = tmp_path / name
    path.write_bytes(artifact.data)
    report = check_pdf(path)
    assert report.passed, report.text()
    return report


def text_of(artifact) -> str:
    return squash("".join(page_texts(artifact.data)))


def test_approval_cites_the_request_states_the_decision_and_its_conditions(tmp_path):
    doc = build_reply(ReplyRecord.parse(record("shanyang-approve-contact-point")))
    assert doc.title == "关于同意确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点的批复"
    assert doc.addressees == "焦作市汽车零部件行业协会"
    pdf = render_pdf(doc)
    text = text_of(pdf)
    assert "你单位《关于申请确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点的请示》（焦汽协〔2021〕8号）收悉。" in text
    assert "同意确定知识产权保护工作站山阳区汽车零部件协会站为山阳区市场监督管理局知识产权保护联系点" in text
    for task in ("开展知识产权维权普法宣传培训", "协助、配合知识产权管理行政部门开展知识产权行政执法工作",
                 "帮助辖区企业建立知识产权保护体系", "有专人负责工作站工作", "明确李明为工作站指导员"):
        assert task in text
    assert text.index("此复。") < text.index("山阳区市场监督管理局2021年8月30日")
    assert "山阳区市场监督管理局办公室2021年8月30日印发" in text  # the 版记
    report = checked(pdf, tmp_path)
    assert report.seal_area and report.seal_area["diameter"] == 42.0


def test_decline_gives_the_reasons_or_what_the_application_lacks(tmp_path):
    declined = ReplyRecord.parse(record("wenxian-decline-contact-point"))
    assert not declined.reasons
    text = text_of(render_pdf(build_reply(declined)))
    assert "不同意确定为温县市场监督管理局知识产权保护联系点" in text
    assert "1.未填写办公面积或办公设备（设立要求：有必要的办公场所和办公设备）；" in text
    assert "2.未明确负责人（设立要求：有专人负责工作站工作）。" in text
    data = copy.deepcopy(record("shanyang-approve-contact-point"))
    data.update(decision="decline", reasons=["工作站成立不满一年。", "未开展宣传培训活动"])
    text = text_of(render_pdf(build_reply(ReplyRecord.parse(data))))
    assert "1.工作站成立不满一年；2.未开展宣传培训活动。" in text
    data["reasons"] = []  # a complete application declined without a reason: refused, in Chinese
    with pytest.raises(InvalidRecord, match="不同意的批复须写明理由"):
        ReplyRecord.parse(data)


def test_a_new_stations_establishment_is_approved_with_the_seeds_tasks_and_requirements(tmp_path):
    doc = build_reply(ReplyRecord.parse(record("gaoxin-approve-station")))
    assert doc.title == "关于同意设立知识产权保护工作站焦作高新区新材料产业园区站的批复"
    text = text_of(render_pdf(doc))
    assert "服务对象为新材料产业园区内企业" in text and "工作站主要工作任务" in text and "工作站设立要求" in text


def test_the_wrong_inputs_are_refused_in_chinese():
    data = record("gaoxin-approve-station")
    data.pop("proposal")
    with pytest.raises(InvalidRecord, match="设立工作站的批复须写明设立申请"):
        ReplyRecord.parse(data)
    data = record("shanyang-approve-contact-point")
    data["reasons"] = ["多余"]
    with pytest.raises(InvalidRecord, match="同意的批复不写不同意的理由"):
        ReplyRecord.parse(data)
    data = record("shanyang-approve-contact-point")
    data["doc_number"] = "山市监[2021]45号"
    with pytest.raises(InvalidRecord, match="六角括号"):
        ReplyRecord.parse(data)


@pytest.fixture
def text_dir(tmp_path, monkeypatch):
    """A copy of the text templates that a test may edit, in the folder DOCGEN_TEXT_DIR names."""
    folder = tmp_path / "text"
    shutil.copytree(DEFAULT_DIR, folder)
    monkeypatch.setenv("DOCGEN_TEXT_DIR", str(folder))
    return folder


def test_an_edited_template_changes_both_the_docx_and_the_pdf(text_dir):
    path = text_dir / "reply-contact-point-approve.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("此复。", "特此批复。"), encoding="utf-8")
    docx_artifact, pdf = render_official(build_reply(ReplyRecord.parse(record("shanyang-approve-contact-point"))))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_artifact.data)).paragraphs]
    assert "特此批复。" in paragraphs and "此复。" not in paragraphs
    assert "特此批复。" in text_of(pdf)


@pytest.mark.parametrize("edit,where,rule", [
    (lambda t: t.replace("{{ station }}为知识产权", "{{ station 为知识产权"), "第 3 行", "模板语法错误"),
    (lambda t: t.replace("{{ applicant }}", "{{ applicant_name }}"), "第 4 行", "applicant_name"),
])
def test_a_broken_template_is_named_with_its_line(text_dir, edit, where, rule):
    path = text_dir / "reply-contact-point-approve.txt"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InvalidRecord) as caught:
        build_reply(ReplyRecord.parse(record("shanyang-approve-contact-point")))
    [problem] = caught.value.problems
    assert problem.field == "文字模板 reply-contact-point-approve.txt" and problem.value == where
    assert rule in problem.rule


@pytest.mark.parametrize("code", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ applicant.__class__ }}",
    "{% set x = config %}{{ lipsum.__globals__['os'].system('id') }}",
])
def test_an_edited_template_cannot_reach_python(text_dir, code):
    """Templates run in Jinja's sandbox: an escape is refused by template and line, nothing runs or prints."""
    path = text_dir / "reply-contact-point-approve.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(4, code)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidRecord) as caught:
        build_reply(ReplyRecord.parse(record("shanyang-approve-contact-point")))
    [problem] = caught.value.problems
    assert problem.field == "文字模板 reply-contact-point-approve.txt" and problem.value == "第 5 行"
    assert "uid=" not in caught.value.report()


def test_values_are_data_never_template_code_or_structure():
    data = record("shanyang-approve-contact-point")
    data["request"]["title"] = "关于{{ 7*7 }}的请示\n# 伪造的标题"
    doc = build_reply(ReplyRecord.parse(data))
    first = doc.body[0].text
    assert "《关于{{ 7*7 }}的请示 # 伪造的标题》" in first
    assert not any(getattr(b, "text", "") == "伪造的标题" for b in doc.body)


def _reasons(n: int) -> list[str]:
    return [f"第{i + 1}次检查时工作站台账资料不完整" for i in range(n)]  # one line each


def test_sealed_signature_stays_with_body_text_whatever_the_body_length(tmp_path):
    """Declines of 1 to 50 one-line reasons sweep the body across three pages: every reply passes the checker
    in sealed mode (seal area on the page of the last body line, its top within one line of it, 版记 on an
    even page), lines tightened (§7.3.5.5) or carried over where the seal would not fit."""
    base = record("shanyang-approve-contact-point")
    pages, tightened = set(), 0
    for n in range(1, 51):
        data = {**copy.deepcopy(base), "decision": "decline", "reasons": _reasons(n)}
        artifact = render_pdf(build_reply(ReplyRecord.parse(data)))
        report = checked(artifact, tmp_path, f"sweep-{n}.pdf")
        seal = report.seal_area
        assert seal["page"] == artifact.facts["seal_area"]["page"]
        assert artifact.pages % 2 == 0
        pages.add(seal["page"])
        tightened += bool(artifact.facts["tightened_pages"])
    assert len(pages) >= 3 and tightened  # the seal moved across three pages in the sweep


def test_cli_renders_a_reply_with_the_bureaus_seal_image(tmp_path):
    from PIL import Image

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (300, 300), (230, 0, 18, 160)).save(seal)
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(SAMPLES / "shanyang-approve-contact-point.yaml"),
                             "-o", str(tmp_path / "out"), "--seal", str(seal)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "out" / "shanyang-approve-contact-point.pdf"
    import pdfplumber

    report = check_pdf(pdf)
    assert report.passed, report.text()
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[report.seal_area["page"] - 1].images) == 1
    bad = subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(SAMPLES / "shanyang-approve-contact-point.yaml"),
                          "-o", str(tmp_path / "out"), "--seal", str(pdf)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "印章图片应为 PNG" in bad.stderr and "Traceback" not in bad.stderr


def test_a_batch_gives_every_reply_numbered_on_and_a_plaque_for_each_approval(tmp_path):
    [archive] = render_file(SAMPLES / "city-batch-2021-09.yaml")
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    replies = sorted(n for n in names if n.startswith("批复/") and n.endswith(".pdf"))
    assert len(replies) == 4 and len([n for n in names if n.startswith("批复/") and n.endswith(".docx")]) == 4
    plaques = sorted(n for n in names if n.startswith("标牌/印刷文件/"))
    assert [p.split("/")[-1][:3] for p in plaques] == ["001", "002", "004"]  # 003 was declined: no plaque
    assert "标牌/拼版-1220x2440.pdf" in names and "标牌/签样-A4.pdf" in names
    rows = list(csv.reader(io.StringIO(zipfile.ZipFile(io.BytesIO(archive.data)).read("清单.csv").decode("utf-8-sig"))))
    numbers = [r[3] for r in rows[1:] if r[1] == "批复"]
    assert numbers == ["焦市监〔2021〕150号", "焦市监〔2021〕151号", "焦市监〔2021〕152号", "焦市监〔2021〕153号"]
    assert [r[4] for r in rows[1:] if r[1] == "批复"] == ["同意", "同意", "不同意", "同意"]
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zf:
        for n, name in enumerate(replies):
            path = tmp_path / f"{n}.pdf"
            path.write_bytes(zf.read(name))
            assert check_pdf(path).passed
    kind, batch = parse_record(read_record(SAMPLES / "city-batch-2021-09.yaml"))
    items = kind.split(batch)
    plaque_items = [i.data for i in items if i.data["kind"] == "plaque"]
    assert [p["variant"] for p in plaque_items] == ["contact", "contact", "general"]
    assert all(p.get("bureau") == "焦作市市场监督管理局" for p in plaque_items[:2])


def test_a_failing_item_does_not_stop_the_batch():
    data = read_record(SAMPLES / "city-batch-2021-09.yaml")
    data["replies"][1]["application"]["station"] = "知识产权保护工作站" + "很长" * 20 + "园区站"  # too long for a plaque
    [archive] = render_data(data, "batch")
    assert archive.facts["replies"] == 4 and len(archive.facts["failed"]) == 1
    assert any("002" in w for w in archive.warnings)


def test_a_batch_merges_its_results_as_they_come():
    from docgen.kinds import ItemResult

    kind, batch = parse_record(read_record(SAMPLES / "city-batch-2021-09.yaml"))
    results = [ItemResult(item, render_data(item.data, item.label)) for item in kind.split(batch)]
    [listed] = kind.merge(batch, results)
    [streamed] = kind.merge(batch, iter(results))
    assert streamed.data == listed.data and streamed.facts == listed.facts
    names = zipfile.ZipFile(io.BytesIO(listed.data)).namelist()
    assert names.index("批复/004-修武县云台山旅游商品协会站-批复.pdf") < names.index("标牌/拼版-1220x2440.pdf") < names.index("清单.csv")
