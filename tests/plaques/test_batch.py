"""plaque-batch: station lists in, one ZIP out (PDFs, proofs, imposed sheets with marks, contact sheet, failures)."""

import csv
import io
import zipfile
from io import BytesIO

import pdfplumber
import pikepdf
import pytest
from openpyxl import Workbook

from docgen.cli import main
from docgen.kinds import get, render_data
from docgen.pdf.imposition import impose
from docgen.records.sheet import Sheet, parse_sheet
from docgen.plaques.stations import read_stations
from docgen.problems import InvalidRecord

ANNEX2 = ["序号", "站名", "负责人及联系方式", "所属辖区局", "工作站指导员姓名及联系方式"]
ROWS = [
    [1, "知识产权保护工作站焦作高新区园区站", "王建国 13903910001", "高新区市场监督管理局", "李敏"],
    [2, "知识产权保护工作站山阳区太行路商会站", "张丽", "山阳区市场监管局", "赵强"],
    [3, "", "刘洋", "解放区局", "孙磊"],
    [None, None, None, None, None],
    [4, "武陟县詹店镇喆堃产业园区站", "许晨", "武陟县", "冯雪"],
]


def _zip(artifact) -> zipfile.ZipFile:
    return zipfile.ZipFile(BytesIO(artifact.data))


def _placements(pdf: bytes) -> list[int]:
    with pikepdf.open(BytesIO(pdf)) as doc:
        return [sum(1 for _, op in pikepdf.parse_content_stream(page) if str(op) == "Do") for page in doc.pages]


def test_split_items_are_plain_self_contained_plaque_records():
    kind = get("plaque-batch")
    record = kind.record.parse({"kind": "plaque-batch", "variant": "contact", "size": "400x300",
                                "stations": [{"name": "知识产权保护工作站甲园区站", "bureau": "山阳区"},
                                             {"serial": 7, "name": "乙站", "variant": "general", "bureau": "山阳区"}]})
    items = kind.split(record)
    assert [i.label for i in items] == ["001-甲园区站", "007-乙站"]
    assert items[0].data == {"kind": "plaque", "station": "知识产权保护工作站甲园区站", "variant": "contact",
                             "bureau": "山阳区", "size": [400.0, 300.0], "scheme": "red", "text_as": "outlines",
                             "proof_dpi": 150}
    assert "bureau" not in items[1].data  # a general plaque prints no bureau line
    get("plaque").record.parse(items[0].data)


def test_batch_zip_holds_everything_and_lists_failures(tmp_path):
    stations = [{"name": r[1] or "", "bureau": r[3] or ""} for r in ROWS if r[0]]
    [artifact] = render_data({"kind": "plaque-batch", "title": "测试", "variant": "contact", "sheet": "A1", "size": "400x300",
                              "proof_dpi": 40, "stations": stations}, "b")
    names = _zip(artifact).namelist()
    assert artifact.filename == "测试标牌.zip"
    assert sorted(n for n in names if n.startswith("印刷文件/")) == [
        "印刷文件/001-焦作高新区园区站.pdf", "印刷文件/002-山阳区太行路商会站.pdf", "印刷文件/004-武陟县詹店镇喆堃产业园区站.pdf"]
    assert len([n for n in names if n.startswith("校样/") and n.endswith("-校样.png")]) == 3
    assert {"拼版-A1.pdf", "签样-A4.pdf", "清单.csv", "字体报告.txt", "失败清单.txt"} <= set(names)
    failures = _zip(artifact).read("失败清单.txt").decode()
    assert "003-未填站名" in failures and "站名（station）" in failures and "不能为空" in failures
    assert artifact.facts["failed"] == ["003-未填站名"] and artifact.warnings
    manifest = list(csv.reader(io.StringIO(_zip(artifact).read("清单.csv").decode("utf-8-sig"))))
    assert [row[4] for row in manifest[1:]] == ["已生成", "已生成", "失败", "已生成"]
    # A1 takes two 400×300 plaques (with bleed and marks) a sheet: 3 plaques → 2 sheets
    imposed = _zip(artifact).read("拼版-A1.pdf")
    assert _placements(imposed) == [2, 1]
    with pdfplumber.open(BytesIO(_zip(artifact).read("签样-A4.pdf"))) as sheet:
        assert len(sheet.pages) == 1 and sheet.pages[0].width == pytest.approx(595.3, abs=0.1)


@pytest.mark.parametrize("sheet,count,expected", [
    ("1220x2440", 13, [6, 6, 1]), ("A0", 3, [2, 1]), ("roll:1370", 9, [9]),
])
def test_imposition_counts_and_marks(sheet, count, expected):
    pdf = render_data({"kind": "plaque", "station": "焦作高新区园区站"}, "p")[0].data
    imposed, facts = impose([pdf] * count, parse_sheet(sheet))
    assert _placements(imposed) == expected and facts["per_sheet"] == expected
    with pdfplumber.open(BytesIO(imposed)) as doc:
        page = doc.pages[0]
        assert len(page.lines) >= 8 * expected[0]  # every placed plaque brings its eight crop marks
        for obj in page.lines:
            assert 0 <= obj["x0"] and obj["x1"] <= page.width and 0 <= obj["top"] and obj["bottom"] <= page.height
        if sheet.startswith("roll"):
            assert page.width == pytest.approx(1370 * 72 / 25.4, abs=0.1) and page.height < 5000 * 72 / 25.4


def test_a_sheet_too_small_is_a_chinese_error():
    pdf = render_data({"kind": "plaque", "station": "焦作高新区园区站"}, "p")[0].data
    with pytest.raises(ValueError, match="大于拼版幅面"):
        impose([pdf], Sheet(297, 420, "A3"))
    with pytest.raises(InvalidRecord, match="拼版幅面"):
        render_data({"kind": "plaque-batch", "sheet": "B9", "stations": [{"name": "甲站"}]}, "b")


def test_station_lists_from_csv_and_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["工作站统计表"])
    sheet.append(ANNEX2)
    for row in ROWS:
        sheet.append(row)
    book.save(tmp_path / "annex2.xlsx")
    with open(tmp_path / "annex2.csv", "w", encoding="gb18030", newline="") as f:
        csv.writer(f).writerows([ANNEX2, *ROWS])
    for path in (tmp_path / "annex2.xlsx", tmp_path / "annex2.csv"):
        rows = read_stations(path)
        assert [r["name"] for r in rows] == [ROWS[0][1], ROWS[1][1], "", ROWS[4][1]]
        assert rows[1]["bureau"] == "山阳区市场监管局" and rows[3]["serial"] == 4
    (tmp_path / "bad.csv").write_text("序号,负责人\n1,王\n", encoding="utf-8")
    with pytest.raises(InvalidRecord, match="找不到站名列"):
        read_stations(tmp_path / "bad.csv")


def test_cli_plaques_command(tmp_path, capsys):
    path = tmp_path / "stations.csv"
    path.write_text("站名,所属辖区局\n焦作高新区园区站,高新区\n山阳区太行路商会站,山阳区\n", encoding="utf-8")
    rc = main(["plaques", str(path), "-o", str(tmp_path / "out"), "--variant", "contact", "--size", "400x300",
               "--scheme", "black", "--text-as", "fonts", "--dpi", "40", "--sheet", "A2"])
    assert rc == 0
    [zip_path] = (tmp_path / "out").glob("*.zip")
    names = zipfile.ZipFile(zip_path).namelist()
    assert "拼版-A2.pdf" in names and len([n for n in names if n.startswith("印刷文件/")]) == 2
    pdf = zipfile.ZipFile(zip_path).read("印刷文件/001-焦作高新区园区站.pdf")
    assert "高新区市场监督管理局知识产权保护联系点" in pdfplumber.open(BytesIO(pdf)).pages[0].extract_text()
    assert main(["plaques", str(tmp_path / "missing.csv"), "-o", str(tmp_path)]) == 1
    assert "文件不存在" in capsys.readouterr().err


def test_the_imposed_sheet_places_each_plaque_whole_with_its_bleed_marks_and_job_line():
    pdf = render_data({"kind": "plaque", "station": "焦作高新区园区站"}, "p")[0].data
    imposed, _ = impose([pdf, pdf], parse_sheet("A0"))
    with pikepdf.open(BytesIO(pdf)) as single, pikepdf.open(BytesIO(imposed)) as doc:
        media = [float(v) for v in single.pages[0].MediaBox]
        forms = list(doc.pages[0].Resources.XObject.values())
        # each form is the whole print file, not clipped to the trim
        assert len(forms) == 2 and all([float(v) for v in form.BBox] == media for form in forms)


def test_merge_reads_the_results_once_as_they_come_and_writes_the_same_zip(monkeypatch):
    from docgen.kinds import ItemResult
    from docgen.render import package

    kind = get("plaque-batch")
    batch = kind.record.parse({"kind": "plaque-batch", "title": "测试", "proof_dpi": 30, "sheet": "A1",
                               "stations": [{"name": "焦作高新区园区站"}, {"name": ""}, {"name": "山阳区太行路商会站"}]})
    results = []
    for item in kind.split(batch):
        try:
            results.append(ItemResult(item, render_data(item.data, item.label)))
        except InvalidRecord as exc:
            results.append(ItemResult(item, [], exc.report()))
    [listed] = kind.merge(batch, results)
    monkeypatch.setattr(package, "SPOOL", 1024)  # a ZIP past the spool size goes to a temporary file
    [streamed] = kind.merge(batch, (r for r in results))
    assert streamed.data == listed.data and streamed.facts == listed.facts and streamed.warnings == listed.warnings
    assert listed.facts["plaques"] == 2 and listed.facts["failed"] == ["002-未填站名"]
