"""通报: every number computed from the districts' reports and the inspection notes (change the records, the
text changes), the consolidated tables attached, stamped-ready whatever the body length."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from docgen.annexes.kind import build_report
from docgen.annexes.workbook import write_workbook
from docgen.check.report import check_pdf
from docgen.content.bulletin import build_bulletin
from docgen.kinds import read_record
from docgen.problems import InvalidRecord
from docgen.records.annexes.report import DistrictReport
from docgen.records.bulletin import BulletinRecord
from docgen.pdf.document import render_pdf
from tests.pdf_readback import page_texts, squash

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "bulletins" / "city-2021-inspection.yaml"


@pytest.fixture
def data() -> dict:
    return read_record(SAMPLE)


def body_text(record: dict) -> str:
    doc = build_bulletin(BulletinRecord.parse(record))
    return "".join(getattr(b, "label", "") + b.text + getattr(b, "run_in", "") for b in doc.body)


def report_of(record: dict, short: str) -> dict:
    return next(s["report"] for s in record["submissions"] if s["report"]["district"].startswith(short))


def test_the_numbers_are_those_of_the_records(data):
    reports = [DistrictReport.parse(s["report"]) for s in data["submissions"]]
    text = body_text(data)
    stations = sum(len(r.stations) for r in reports)
    officers = sum(len(r.case_officers) for r in reports)
    volunteers = sum(t.members for r in reports for t in r.volunteer_teams)
    assert f"{len(reports)}个县（市）区市场监管局报送了体系建设情况" in text
    assert f"全市共建立知识产权保护工作站{stations}个，其中确定为知识产权保护联系点2个" in text
    assert f"知识产权办案骨干{officers}人" in text and f"志愿者{volunteers}人" in text
    assert f"列入知识产权重点保护企业名录{sum(len(r.enterprises) for r in reports)}家" in text
    assert "解放区、山阳区、温县执法队伍知识产权办案骨干不少于3人，达到工作目标；修武县仅有2人、博爱县仅有1人，未达到" in text
    assert "博爱县尚未建立知识产权保护工作站" in text
    assert "修武县的知识产权保护工作站修武县产业集聚区园区站未明确负责人" in text
    assert "重复报送1处" in text


def _officer(name: str, unit: str) -> dict:
    return {"person": name, "post": "执法队员", "unit": unit, "contact": "13523910077"}


def _complete(data: dict) -> None:
    """Every district up to the targets: 修武县 and 博爱县 get their 骨干, 修武县's station a head, 博爱县 a station."""
    xiuwu, boai = report_of(data, "修武县"), report_of(data, "博爱县")
    xiuwu["case_officers"].append(_officer("郑伟", "修武县市场监管综合执法大队"))
    boai["case_officers"] += [_officer(n, "博爱县市场监管综合执法大队") for n in ("李想", "王凯")]
    xiuwu["stations"][-1]["head"] = "郭涛 13523910051"
    boai["stations"] = [{"station": "知识产权保护工作站博爱县竹编协会站", "head": "许亮 13782910001",
                         "bureau": "博爱县市场监督管理局", "instructor": "程远 13782910011"}]


def test_changing_the_records_changes_the_text(data):
    before = body_text(data)
    _complete(data)
    after = body_text(data)
    assert after != before
    assert "各县（市）区执法队伍知识产权办案骨干均不少于3人，达到工作目标。" in after and "仅有" not in after
    assert "未明确负责人" not in after and "各县（市）区均已建立知识产权保护工作站" in after
    assert "全市共建立知识产权保护工作站7个" in after and "全市共建立知识产权保护工作站6个" in before
    data["inspections"][0]["contact_points"].append("知识产权保护工作站山阳区电子商务园区站")
    assert "其中确定为知识产权保护联系点3个" in body_text(data)


def test_commendations_and_corrections_come_from_the_inspection_notes(data):
    text = body_text(data)
    assert "（一）山阳区市场监督管理局。依托太行路商会建立工作站并确定为联系点，开展商标维权培训6场；建立电子商务园区" in text
    assert "修武县市场监督管理局。工作站指导员对接帮扶记录不完整；执法队伍知识产权办案骨干须充实到不少于3人" in text
    assert "请上述单位于2021年11月30日前完成整改" in text
    for inspection in data["inspections"]:
        inspection["commendations"], inspection["corrections"] = [], []
    _complete(data)
    quiet = body_text(data)
    assert "工作亮点" not in quiet and "存在问题和整改要求" not in quiet


def test_inspection_notes_must_match_the_reports(data):
    data["inspections"].append({"district": "武陟县", "commendations": ["x"]})
    data["inspections"][0]["contact_points"].append("知识产权保护工作站山阳区不存在的园区站")
    with pytest.raises(InvalidRecord) as caught:
        build_bulletin(BulletinRecord.parse(data))
    messages = [p.message() for p in caught.value.problems]
    assert any("武陟县" in m and "没有这个区局的报送" in m for m in messages)
    assert any("不存在的园区站" in m and "工作站统计表" in m for m in messages)


def test_the_bulletin_prints_with_its_consolidated_tables_and_passes_the_check(data, tmp_path):
    artifact = render_pdf(build_bulletin(BulletinRecord.parse(data)))
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(artifact.data)
    report = check_pdf(path)
    assert report.passed, report.text()
    assert report.seal_area is not None
    texts = page_texts(artifact.data)
    labels = [t[:3] for t in texts if t.startswith("附件") and not t.startswith("附件：")]
    assert labels == ["附件1", "附件2", "附件3", "附件4", "附件5", "附件6"]
    whole = squash("".join(texts))
    assert "附件：1.各县（市）区知识产权保护工作体系建设情况汇总表" in whole
    for name in ("焦作市山阳精密轴承有限公司", "河南理工大学知识产权志愿服务队"):  # cells wrap: their first line
        assert name[:5] in whole


def test_reports_sent_as_workbooks_and_csv_are_read_from_a_folder(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("shanyang", "xiuwu"):
        record = DistrictReport.load(ROOT / "samples" / "annexes" / f"{name}.yaml")
        tables = build_report(record, name)[1]
        (folder / f"{name}.xlsx").write_bytes(write_workbook(tables.district, tables))
    (folder / "解放区市场监督管理局.csv").write_bytes(
        "市场监管所名称,负责人,电话\n民主市场监管所,罗成,0391-2921111\n焦北市场监管所,,12\n".encode("gb18030"))
    record = tmp_path / "bulletin.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace("submissions_folder: ../annexes", "submissions_folder: 报送")
    record.write_text(text.replace("  - district: 解放区\n    contact_points: [知识产权保护工作站解放区民主路服装市场站]\n", ""),
                      encoding="utf-8")
    data = read_record(record, include_root=tmp_path)
    assert [s["report"]["district"] for s in data["submissions"]] == ["山阳区市场监督管理局", "修武县市场监督管理局",
                                                                      "解放区市场监督管理局"]
    assert len(data["submissions"][2]["rejected"]) == 1
    text = body_text(data)
    assert "3个县（市）区市场监管局报送了体系建设情况" in text and "不符合填报要求的数据1行" in text
    assert "解放区尚未建立知识产权保护工作站" in text


def test_sealed_signature_stays_with_body_text_whatever_the_body_length(data, tmp_path):
    """Commendations of 0 to 24 lines sweep the bulletin's end across a page boundary; every case passes."""
    pages = set()
    for n in range(0, 25, 2):
        record = copy.deepcopy(data)
        record["inspections"][2]["commendations"] = [f"第{i + 1}项工作扎实推进并取得明显成效" for i in range(n)]
        artifact = render_pdf(build_bulletin(BulletinRecord.parse(record)))
        path = tmp_path / f"sweep-{n}.pdf"
        path.write_bytes(artifact.data)
        report = check_pdf(path)
        assert report.passed, report.text()
        pages.add(report.seal_area["page"])
    assert len(pages) >= 2
