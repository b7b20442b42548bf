"""Annex forms 2–6: cell rules, the district workbook round trip, imports that keep good rows and report
bad ones by row and column, and the city's consolidation with duplicates and findings."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from docgen.annexes.consolidate import consolidate, consolidated_workbook
from docgen.annexes.kind import build_report
from docgen.annexes.submissions import read_csv_table, read_submission, read_yaml_submission
from docgen.annexes.workbook import HEADER_ROW, read_workbook, write_workbook
from docgen.records.annexes import cells
from docgen.records.annexes.report import DistrictReport

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "annexes"


@pytest.mark.parametrize("value,ok", [("13812345678", True), ("0391-3568888", True), ("03913568888", True),
                                      ("0391-3568888-801", True), ("12812345678", False), ("3568888", False),
                                      ("1381234567", False)])
def test_telephone_numbers(value, ok):
    if ok:
        assert cells.phone(value)
    else:
        with pytest.raises(ValueError, match="手机号|固定电话"):
            cells.phone(value)


def test_spreadsheet_numbers_and_other_cells():
    assert cells.phone(13812345678.0) == "13812345678"
    assert cells.email("jzsjsgk@163.com") and cells.qq("12345")
    for bad, rule in ((lambda: cells.email("jzs jsgk@163.com")), "邮箱"), ((lambda: cells.qq("0123")), "QQ"), \
                     ((lambda: cells.count("-1")), "整数"), ((lambda: cells.person_with_contact("王芳")), "姓名和联系电话"):
        with pytest.raises(ValueError, match=rule):
            bad()


def test_station_names_follow_the_seed_and_close_ones_get_the_normalised_form():
    assert cells.station_name("知识产权保护工作站焦作高新区园区站")
    with pytest.raises(ValueError, match="是否应为「知识产权保护工作站焦作高新区园区站」"):
        cells.station_name("焦作高新区园区知识产权保护工作站")
    with pytest.raises(ValueError, match="规范名称"):
        cells.station_name("某某公司")


def _tables(name: str):
    return build_report(DistrictReport.load(SAMPLES / f"{name}.yaml"), name)[1]


def test_workbook_round_trip_gives_identical_records():
    tables = _tables("shanyang")
    back = read_workbook(write_workbook(tables.district, tables))
    assert not back.problems
    assert back.district == tables.district
    assert back.rows == tables.rows


def test_blank_workbook_has_headers_frozen_widths_and_drop_downs():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook("温县市场监督管理局")))
    assert book.sheetnames == ["附件2", "附件3", "附件4-1", "附件4-2", "附件4-3", "附件5", "附件6"]
    sheet = book["附件3"]
    assert [c.value for c in sheet[HEADER_ROW]][:4] == ["序号", "企业名称", "企业类别", "知识产权重点保护种类"]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["B"].width > 20
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("高新技术企业" in f for f in lists) and any('"使用,所有"' == f for f in lists)


def test_a_person_fills_the_workbook_good_rows_are_kept_bad_ones_reported():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook("温县市场监督管理局")))
    sheet = book["附件6"]
    for col, value in enumerate(["温县太极拳志愿服务队", "兼职", 12, "宁静", "13603910099"], 1):
        sheet.cell(HEADER_ROW + 1, col, value)
    for col, value in enumerate(["温县怀药志愿服务队", "临时", -3, "周", "12345"], 1):
        sheet.cell(HEADER_ROW + 2, col, value)
    out = io.BytesIO()
    book.save(out)
    result = read_workbook(out.getvalue(), "wenxian.xlsx")
    assert [row.team for row in result.rows["volunteer_teams"]] == ["温县太极拳志愿服务队"]
    messages = [p.message() for p in result.problems]
    row5 = [m for m in messages if m.startswith(f"附件6 第 {HEADER_ROW + 2} 行")]
    assert {"「类别（专职、兼职）」", "「人数」", "「联系人」", "「联系方式」"} <= {m[m.index("「"):m.index("」") + 1] for m in row5}


def test_csv_and_yaml_imports_keep_good_rows(tmp_path):
    csv_path = tmp_path / "博爱县市场监督管理局.csv"
    csv_path.write_bytes("市场监管所名称,负责人,电话\n清化市场监管所,许亮,0391-8621234\n月山市场监管所,,123\n".encode("gb18030"))
    result = read_csv_table(csv_path, "博爱县市场监督管理局")
    assert [row.office for row in result.rows["supervision_offices"]] == ["清化市场监管所"]
    assert any("第 3 行「电话」" in p.message() for p in result.problems)
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: district-report\ndistrict: 温县市场监督管理局\ncase_officers:\n"
                   "  - {person: 贺平, post: 队长, unit: 温县执法大队, contact: 13603910001}\n"
                   "  - {person: 邱, post: 队员, unit: 温县执法大队, contact: 1360391}\n", encoding="utf-8")
    result = read_yaml_submission(bad)
    assert len(result.rows["case_officers"]) == 1
    assert any(p.message().startswith("附件4-2 第 2 行「姓名」") for p in result.problems)


def test_consolidation_orders_by_district_renumbers_and_reports():
    submissions = [read_submission(SAMPLES / f"{name}.yaml") for name in ("xiuwu", "shanyang", "jiefang")]
    result = consolidate(submissions)
    assert [s.district[:3] for s in result.summaries] == ["解放区", "山阳区", "修武县"]
    assert [d[:3] for d, _ in result.rows["stations"]] == ["解放区", "山阳区", "山阳区", "修武县", "修武县"]
    assert result.duplicates == ["「焦作市山阳精密轴承有限公司」重复：山阳区市场监督管理局、修武县市场监督管理局均已报送"]
    xiuwu = result.summaries[2]
    assert xiuwu.case_officers == 2 and any("未达到不少于 3 人" in f for f in xiuwu.findings)
    assert any("未明确负责人" in f for f in xiuwu.findings)
    assert not result.summaries[0].findings
    book = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(result)))
    stations = book["附件2"]
    assert [stations.cell(HEADER_ROW + i, 1).value for i in range(1, 6)] == [1, 2, 3, 4, 5]
    assert book["汇总"].cell(HEADER_ROW + 3, 4).value == 2
    assert "重复" in [c.value for c in book["重复与退回"]["A"]]


def test_cli_consolidates_a_folder_of_workbooks(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("xiuwu", "shanyang", "jiefang"):
        tables = _tables(name)
        (folder / f"{name}.xlsx").write_bytes(write_workbook(tables.district, tables))
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "consolidate", str(folder), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "附件2-6汇总.xlsx").exists()
    assert "修武县市场监督管理局：执法队伍知识产权办案骨干 2 人" in result.stdout


def test_consolidated_annexes_print_as_attachment_pages(tmp_path):
    from docgen.annexes.pages import annex_attachments
    from docgen.check.readback import read_pdf
    from docgen.check.report import check_pdf
    from docgen.pdf.document import render_attachments_pdf

    result = consolidate([read_submission(SAMPLES / f"{name}.yaml") for name in ("xiuwu", "shanyang", "jiefang")])
    artifact = render_attachments_pdf(annex_attachments(result.rows, with_district=True), "annexes")
    path = artifact.write(tmp_path)
    report = check_pdf(path)
    assert report.passed, report.text()
    view = read_pdf(path)
    labels = [page.text_lines()[0].text for page in view.pages if page.text_lines()[0].text.startswith("附件")]
    assert labels == ["附件2", "附件3", "附件4", "附件5", "附件6"]
    for page in view.pages:
        lines = page.text_lines()
        a = page.area  # the landscape 版心 on a page turned for a wide table (§8)
        assert all(a.left - 0.5 <= ln.x0 and ln.x1 <= a.right + 0.5 for ln in lines)  # columns inside the type area
        rows = [ln.text for ln in lines]
        if any("焦作市山阳精密轴承" in t or "怀府堂" in t for t in rows) and not rows[0].startswith("附件"):
            assert any(t.startswith("序号") for t in rows)  # the header row repeated on a continued page
    text = "".join(ln.text for page in view.pages for ln in page.text_lines())
    for _, row in result.rows["enterprises"]:
        assert row.enterprise[:4] in text


def test_a_district_report_renders_every_annex_in_every_format(tmp_path):
    import docx as python_docx

    from docgen.kinds import render_file
    from tests.pdf_readback import page_texts

    artifacts = {a.filename.rsplit(".", 1)[1]: a for a in render_file(SAMPLES / "shanyang.yaml")}
    assert set(artifacts) == {"xlsx", "pdf", "docx"}
    titles = ["工作站统计表", "知识产权重点保护企业名录", "知识产权保护执法队伍建设情况汇总表", "知识产权保护社会服务机构名录",
              "知识产权保护志愿者队伍名录"]
    texts = page_texts(artifacts["pdf"].data)
    assert [t[:3] for t in texts if t.startswith("附件")] == ["附件2", "附件3", "附件4", "附件5", "附件6"]
    assert all(any(title in t for t in texts) for title in titles)
    assert "1.山阳区市场监管局知识产权保护机构基本情况" in "".join(texts)
    document = python_docx.Document(io.BytesIO(artifacts["docx"].data))
    paragraphs = [p.text for p in document.paragraphs]
    assert all(title in paragraphs for title in titles)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "焦作市山阳精密轴承有限公司" in cells and "王芳 13812345678" in cells
    book = openpyxl.load_workbook(io.BytesIO(artifacts["xlsx"].data))
    assert book["附件3"].cell(HEADER_ROW + 1, 2).value == "焦作市山阳精密轴承有限公司"
