"""附件1 知识产权保护联系点申请表: the record and its rules, the form as the seed prints it (one page, merged
cells, ☑/☐), the workbook a station fills in and reading it back, and the blank forms 1–6."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from docgen.annexes.application import application_form
from docgen.annexes.application_workbook import FIRST_ROW, read_application_workbook, write_application_workbook
from docgen.check.report import check_pdf
from docgen.content.document import FormTable
from docgen.kinds import render_file
from docgen.problems import InvalidRecord
from docgen.records.annexes.annex1 import ContactPointApplication, findings
from docgen.pdf.document import render_attachments_pdf
from tests.pdf_readback import page_texts, squash, view_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "applications"


def app(name: str = "shanyang-auto-parts") -> ContactPointApplication:
    return ContactPointApplication.load(SAMPLES / f"{name}.yaml")


def test_every_box_of_the_seeds_form_is_on_the_form():
    form = next(b for b in application_form().blocks if isinstance(b, FormTable))
    labels = [c.text for row in form.rows for c in row.cells if c.label]
    assert labels == ["单位名称", "联系人", "部门", "联系电话", "电邮、QQ", "单位地址", "单位网址", "工作站所在区域主要行业领域",
                      "工作站名称", "管理人员数", "专职", "兼职", "负责人", "手机", "QQ、微信", "工作人员", "手机", "QQ、微信",
                      "办公面积平方米", "工作机位台(套)", "办公设备", "办公环境", "申报单位意见", "辖区市场监管局意见",
                      "工作站指导员"]
    assert all(sum(c.span for c in row.cells) == len(form.widths) for row in form.rows)  # merged cells fill the grid


def test_a_clerks_rules_name_the_box_the_value_and_the_rule():
    data = {"organisation": "焦作市汽车零部件行业协会", "contact_person": "张伟", "phone": "3911111",
            "email_qq": "jzqp at 163", "address": "焦作市山阳区人民路100号", "industries": "汽车零部件、造船",
            "station": "山阳区汽车零部件协会知识产权工作站", "full_time": "两", "part_time": 1,
            "head": {"name": "王芳", "mobile": "0391-3911111", "messenger": "1"}, "website": "not a site",
            "office_area": "-5"}
    with pytest.raises(InvalidRecord) as caught:
        ContactPointApplication.parse(data)
    messages = {p.label or p.field: p.message() for p in caught.value.problems}
    assert "带区号的固定电话" in messages["联系电话"]
    assert "电子邮箱" in messages["电邮、QQ"]
    assert "只能取以下值之一：汽车零部件、电子信息" in messages["工作站所在区域主要行业领域"]
    assert "是否应为「知识产权保护工作站山阳区汽车零部件协会站」" in messages["工作站名称"]
    assert "不小于 0 的整数" in messages["管理人员数（专职）"]
    assert "11 位手机号" in messages["手机"] and "微信号" in messages["QQ、微信"]
    assert "网址" in messages["单位网址"] and "不能小于 0" in messages["办公面积（平方米）"]


def test_the_seeds_requirements_are_findings_not_errors():
    assert findings(app()) == []
    lacking = app("wenxian-yam-market")
    assert findings(lacking) == ["未填写办公面积或办公设备（设立要求：有必要的办公场所和办公设备）",
                                 "未明确负责人（设立要求：有专人负责工作站工作）"]
    artifacts = render_file(SAMPLES / "wenxian-yam-market.yaml")
    assert all("未明确负责人（设立要求：有专人负责工作站工作）" in a.warnings for a in artifacts)


@pytest.mark.parametrize("filled", [False, True])
def test_the_form_prints_on_one_page_with_its_boxes(filled, tmp_path):
    artifact = render_attachments_pdf((application_form(app() if filled else None),), "form")
    assert artifact.pages == 1
    path = tmp_path / "form.pdf"
    path.write_bytes(artifact.data)
    report = check_pdf(path)
    assert report.passed, report.text()
    text = squash(page_texts(artifact.data)[0])
    assert text.startswith("附件1知识产权保护联系点申请表填报时间：") and text.endswith("本表交由辖区市场监管局存档")
    if filled:
        for value in ("焦作市汽车零部件行业协会", "0391-3911111", "jzqp@163.com", "汽车零部件☑电子信息☐机械制造☑",
                      "13812345678", "zhaoqiang_jz", "设置知识产权保护宣传标牌☑制度上墙☑", "2021年8月25日", "李明0391-3568888"):
            assert value in text, value
    else:
        assert "☑" not in text and text.count("☐") == 10 and text.count("（公章）年月日") == 2
    view = view_of(artifact.data, tmp_path)
    assert all(28 - 0.3 <= ln.x0 and ln.x1 <= 184 + 0.3 for ln in view.pages[0].text_lines())


def test_workbook_round_trip_gives_the_identical_record():
    record = app()
    assert read_application_workbook(write_application_workbook(record)) == record


def test_a_person_fills_the_blank_workbook_and_every_bad_box_is_reported_by_row():
    book = openpyxl.load_workbook(io.BytesIO(write_application_workbook()))
    sheet = book["附件1"]
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_ROW, sheet.max_row + 1)}
    values = {"填报时间": "2021年9月1日", "单位名称": "焦作市电子信息行业协会", "联系人": "陈静", "联系电话": "0391-3566666",
              "电邮、QQ": "583920114", "单位地址": "焦作市解放区民主路8号", "工作站所在区域主要行业领域": "电子信息",
              "工作站名称": "知识产权保护工作站解放区电子信息协会站", "管理人员数：专职": 1, "管理人员数：兼职": 2,
              "负责人": "陈静", "负责人手机": "13839110099", "办公面积（平方米）": 30, "办公环境：制度上墙": "是",
              "辖区市场监管局": "解放区市场监督管理局"}
    for label, value in values.items():
        sheet.cell(rows[label], 2, value)
    good = io.BytesIO()
    book.save(good)
    record = read_application_workbook(good.getvalue())
    assert record.head.mobile == "13839110099" and record.rules_on_wall and not record.signage
    assert record.bureau == "解放区市场监督管理局" and record.filled_on.isoformat() == "2021-09-01"
    sheet.cell(rows["负责人手机"], 2, "1383911")
    sheet.cell(rows["工作站名称"], 2, "电子信息站")
    bad = io.BytesIO()
    book.save(bad)
    with pytest.raises(InvalidRecord) as caught:
        read_application_workbook(bad.getvalue(), "申请表.xlsx")
    messages = [p.message() for p in caught.value.problems]
    assert any(m.startswith(f"附件1 第 {rows['负责人手机']} 行「负责人手机」") for m in messages)
    assert any(m.startswith(f"附件1 第 {rows['工作站名称']} 行「工作站名称」") for m in messages)


def test_blank_workbook_has_yes_no_drop_downs():
    sheet = openpyxl.load_workbook(io.BytesIO(write_application_workbook()))["附件1"]
    assert [c.value for c in sheet[2]] == ["项目", "填写内容", "填写要求"]
    assert any(v.formula1 == '"是,否"' for v in sheet.data_validations.dataValidation)


def test_docgen_forms_writes_the_blank_forms_1_to_6(tmp_path):
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "forms", "-o", str(tmp_path)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "附件1-6空白表.pdf"
    report = check_pdf(pdf)
    assert report.passed, report.text()
    texts = page_texts(pdf.read_bytes())
    assert [t[:3] for t in texts if t.startswith("附件")] == [f"附件{n}" for n in range(1, 7)]
    assert "1.***市场监管局知识产权保护机构基本情况" in "".join(texts)
    assert (tmp_path / "附件1-知识产权保护联系点申请表.xlsx").exists() and (tmp_path / "附件2-6-报送表.xlsx").exists()
