"""Trust nothing that comes in: YAML, CSV, workbooks and raw record values are measured before the expensive
work starts, and every refusal is a Chinese message naming the field or limit and the value."""

from __future__ import annotations

import contextlib
import io
import signal
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from docgen.annexes.application_workbook import read_application_workbook, write_application_workbook
from docgen.annexes.submissions import read_csv_table, read_yaml_submission
from docgen.annexes.workbook import HEADER_ROW, read_workbook, write_workbook
from docgen.kinds import parse_record
from docgen.plaques.stations import read_stations
from docgen.problems import InvalidRecord
from docgen.records import limits
from docgen.records.base import parse_yaml_text, read_csv, read_yaml
from docgen.records.spreadsheet import open_workbook, sheet_rows

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@contextlib.contextmanager
def must_not_hang(seconds: int = 60):
    """Fails the test (instead of hanging the suite) if the refusal never comes."""
    def timeout(*_):
        raise AssertionError(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(call, *args, **kwargs) -> str:
    with must_not_hang(), pytest.raises(InvalidRecord) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------- YAML

def test_yaml_alias_bomb_is_refused_while_composing():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        name, prev = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    message = refused(parse_yaml_text, "\n".join(lines), "bomb.yaml")
    assert "YAML 别名（*引用）数最多 100 个" in message and "bomb.yaml" in message and "行的别名" in message


def test_a_few_ordinary_aliases_and_merge_keys_still_work():
    data = parse_yaml_text("base: &b {organ: 甲局, date: 2021年8月3日}\nsig: *b\nother: {<<: *b, organ: 乙局}\n", "ok.yaml")
    assert data["sig"] == {"organ": "甲局", "date": "2021年8月3日"} and data["other"]["organ"] == "乙局"


def test_deep_yaml_nesting_is_refused_not_a_recursion_error():
    message = refused(parse_yaml_text, "x: " + "[" * 5000 + "]" * 5000, "deep.yaml")
    assert "嵌套层数最多 30 层" in message and "31 层" in message


def test_a_5000_digit_integer_is_refused():
    message = refused(parse_yaml_text, "copy_number: " + "7" * 5000, "big.yaml")
    assert "整数位数最多 15 位" in message and "5,000 位" in message and "第 1 行" in message


def test_duplicated_keys_are_refused_naming_key_and_lines():
    message = refused(parse_yaml_text, "kind: notice\ntitle: 甲\nbody: []\ntitle: 乙\n", "dup.yaml")
    assert "「title」已在第 2 行出现" in message and "第 4 行" in message


def test_yaml_record_file_size_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(limits.RECORD_BYTES.maximum + 1)  # sparse: big on paper, cheap to make
    message = refused(read_yaml, path)
    assert "记录文件大小最多 5,242,880 字节" in message and f"{limits.RECORD_BYTES.maximum + 1:,}" in message


@pytest.mark.parametrize("path,rule", [("/dev/zero", "不是普通文件"), ("/", "是文件夹")])
def test_devices_and_folders_are_never_read(path, rule):
    for reader in (read_yaml, read_csv):
        message = refused(reader, path)
        assert rule in message and f"「{path}」" in message


def test_yaml_syntax_errors_never_quote_the_file():
    message = refused(parse_yaml_text, "secret: [ 机密内容\n  x: y: z\n", "s.yaml")
    assert "YAML 格式错误（第" in message and "机密内容" not in message


# ---------------------------------------------------------------- record values

def _notice() -> dict:
    return yaml.safe_load((SAMPLES / "notices" / "jiaozuo-2021-135.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe", "\ud800"])
def test_control_characters_in_a_notice_title_are_refused(char):
    data = _notice()
    data["title"] = "焦作市" + char + "关于加强知识产权保护工作体系建设的通知"
    message = refused(parse_record, data, "n.yaml")
    assert "标题（title）" in message and f"第 4 个字符" in message and f"U+{ord(char):04X}" in message
    assert char not in message  # shown as U+XXXX, never raw


def test_control_character_deep_in_a_body_block_names_the_place():
    data = _notice()
    data["body"][1] = {"h1": "指导\x1b思想"}
    message = refused(parse_record, data, "n.yaml")
    assert "正文（body[2].h1）的值「指导U+001B思想」" in message and "第 3 个字符" in message


def test_tab_and_newlines_remain_allowed():
    data = _notice()
    data["body"][0] = "第一行\n第二行\t续\r\n"
    assert parse_record(data, "n.yaml")


def test_control_characters_in_annex_rows_from_csv_and_yaml(tmp_path):
    path = tmp_path / "温县.csv"
    path.write_bytes("志愿者服务队名称,类别（专职、兼职）,人数,联系人,联系方式\n"
                     "温县太极\x07拳志愿服务队,兼职,12,宁静,13603910099\n".encode("utf-8"))
    result = read_csv_table(path, "温县市场监督管理局")
    assert result.rows["volunteer_teams"] == []
    assert any("第 2 行「志愿者服务队名称」" in p.message() and "U+0007" in p.message() for p in result.problems)
    path = tmp_path / "温县.yaml"
    path.write_text('kind: district-report\ndistrict: 温县市场监督管理局\nvolunteer_teams:\n'
                    '  - {team: "温县太极\\e拳志愿服务队", category: 兼职, members: 12, contact_person: 宁静,'
                    ' contact: "13603910099"}\n', encoding="utf-8")
    result = read_yaml_submission(path)
    assert result.rows["volunteer_teams"] == []
    assert any("第 1 行「志愿者服务队名称」" in p.message() and "第 5 个字符" in p.message() and "U+001B" in p.message()
               for p in result.problems)


@pytest.mark.parametrize("area", [float("inf"), float("nan"), "inf", "1e999"])
def test_infinite_or_nan_areas_are_refused(area):
    data = yaml.safe_load((SAMPLES / "applications" / "gaoxin-park.yaml").read_text(encoding="utf-8"))
    data["office_area"] = area
    message = refused(parse_record, data, "a.yaml")
    assert "办公面积（平方米）（office_area）" in message and "无穷大或非数" in message


def test_yaml_inf_widths_are_refused(tmp_path):
    data = _notice()
    data["body"].append({"table": {"rows": [["甲", "乙"]], "widths": [1.0, float("inf")]}})
    message = refused(parse_record, data, "n.yaml")
    assert "无穷大或非数（inf）" in message


def test_huge_integers_and_texts_in_records_are_refused():
    data = _notice()
    data["copy_number"] = 10 ** 20
    assert "整数位数最多 15 位（实际 21 位）" in refused(parse_record, data, "n.yaml")
    data["copy_number"] = 10 ** 5000  # beyond what str() of an int allows
    assert "「（5,001 位整数）」" in refused(parse_record, data, "n.yaml")
    data = _notice()
    data["addressees"] = "甲" * (limits.TEXT_CHARS.maximum + 1)
    assert "一个字段的文字长度最多 50,000 字（实际 50,001 字）" in refused(parse_record, data, "n.yaml")


# ---------------------------------------------------------------- CSV

def test_a_two_million_character_csv_cell_names_row_and_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("站名,所属辖区局\n甲站,高新区\n乙站," + "长" * 2_000_000 + "\n", encoding="utf-8")
    message = refused(read_csv, path)
    assert "第 3 行" in message and "单元格文字长度最多 5,000 字" in message


def test_csv_cells_rows_and_columns_over_the_limits(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("站名\n" + "甲" * 5001 + "\n", encoding="utf-8")
    assert "第 2 行第 1 列" in (m := refused(read_csv, path)) and "5,001 字" in m
    path.write_text("a\n" * (limits.TABLE_ROWS.maximum + 1), encoding="utf-8")
    assert "表格行数最多 50,000 行" in (m := refused(read_csv, path)) and "50,001 行" in m
    path.write_text(",".join(["x"] * 201) + "\n", encoding="utf-8")
    assert "表格列数最多 200 列" in (m := refused(read_csv, path)) and "201 列" in m and "第 1 行" in m


def test_csv_with_nul_bytes_is_refused_clearly(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("站名\n甲站\n".encode("utf-16"))
    message = refused(read_csv, path)
    assert "空字符（NUL）" in message and "UTF-16" in message


def test_csv_file_size_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.truncate(limits.CSV_BYTES.maximum + 1)
    assert "CSV 文件大小最多 20,971,520 字节" in refused(read_csv, path)


# ---------------------------------------------------------------- workbooks

def _rezip(data: bytes, change) -> bytes:
    """The workbook ``data`` with each entry's bytes passed through ``change(name, bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return out.getvalue()


def _small_book() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["站名", "所属辖区局"])
    book.active.append(["焦作高新区园区站", "高新区"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_renamed_xlsx_is_told_in_chinese(tmp_path):
    path = tmp_path / "stations.xlsx"
    path.write_text("站名,所属辖区局\n甲站,高新区\n", encoding="utf-8")
    message = refused(read_stations, path)
    assert "不是 Excel 工作簿（.xlsx）" in message and "不是 ZIP 格式" in message and "stations.xlsx" in message


def test_a_zip_bomb_workbook_is_refused_before_inflating():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b" " * (1024 * 1024)
            for _ in range(210):  # 210 MB of spaces
                entry.write(block)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    message = refused(read_workbook, data, "bomb.xlsx")
    assert "Excel 文件解压后的大小最多 209,715,200 字节" in message and "bomb.xlsx" in message


def test_an_absurd_compression_ratio_is_refused():
    def pad(name, data):
        padding = b" " * (20 * 1024 * 1024)
        return data.replace(b"<sheetData>", b"<sheetData>" + padding) if "worksheets" in name else data
    message = refused(open_workbook, _rezip(_small_book(), pad), "ratio.xlsx")
    assert "压缩比最多 500 倍" in message and "xl/worksheets/sheet1.xml" in message


def test_an_xml_entity_in_a_workbook_part_is_refused():
    def doctype(name, data):
        if name != "xl/workbook.xml":
            return data
        return b'<?xml version="1.0"?>\n<!DOCTYPE workbook [<!ENTITY big "lol">]>\n' + data
    blank = write_application_workbook()
    message = refused(read_application_workbook, _rezip(blank, doctype), "申请表.xlsx")
    assert "DOCTYPE" in message and "xl/workbook.xml" in message and "申请表.xlsx" in message


def _far_row_sheet(dimension: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + dimension.encode() +
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
            b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("dimension", ["", '<dimension ref="A1:A1"/>', '<dimension ref="A1:A1048576"/>'])
def test_a_cell_at_the_last_row_is_refused_whatever_the_dimension_says(tmp_path, dimension):
    data = _rezip(_small_book(), lambda name, d: _far_row_sheet(dimension) if name == "xl/worksheets/sheet1.xml" else d)
    path = tmp_path / "stations.xlsx"
    path.write_bytes(data)
    for attempt in (lambda: read_stations(path), lambda: read_workbook(data, "far.xlsx")):
        message = refused(attempt)
        assert "表格行数最多 50,000 行" in message and "1,048,576 行" in message


def test_a_dimension_wider_than_the_column_limit_is_refused():
    def wide(name, data):
        claim = b'<dimension ref="A1:XFD2"/>'
        return data.replace(b'<dimension ref="A1:B2"/>', claim) if "worksheets" in name else data
    message = refused(open_workbook, _rezip(_small_book(), wide), "wide.xlsx", read_only=True)
    assert "表格列数最多 200 列" in message and "16,384 列" in message


def test_sheet_rows_stops_at_the_row_limit_even_without_a_dimension():
    sheet = openpyxl.Workbook().active
    sheet.cell(limits.TABLE_ROWS.maximum + 1, 1, "x")
    rows = sheet_rows(sheet, "memory.xlsx")
    with must_not_hang(), pytest.raises(InvalidRecord, match="表格行数最多 50,000 行"):
        for number, _ in rows:
            assert number <= limits.TABLE_ROWS.maximum


def test_damaged_workbooks_become_chinese_errors_naming_the_file():
    good = write_workbook("温县市场监督管理局")
    truncated = good[: len(good) // 2]
    assert "不是 Excel 工作簿（.xlsx）" in refused(read_workbook, truncated, "half.xlsx")
    broken = _rezip(good, lambda name, d: d[:-40] if name == "xl/workbook.xml" else d)
    message = refused(read_workbook, broken, "broken.xlsx")
    assert "不是可以读取的 Excel 工作簿（.xlsx）" in message and "broken.xlsx" in message
    assert "旧版 .xls" in refused(open_workbook, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xlsx")


def test_workbook_size_is_checked_first():
    message = refused(open_workbook, b"PK" + b"\0" * limits.WORKBOOK_BYTES.maximum, "huge.xlsx")
    assert "Excel 文件大小最多 20,971,520 字节" in message


def test_good_workbooks_still_read():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook("温县市场监督管理局")))
    sheet = book["附件6"]
    for col, value in enumerate(["温县太极拳志愿服务队", "兼职", 12, "宁静", "13603910099"], 1):
        sheet.cell(HEADER_ROW + 1, col, value)
    out = io.BytesIO()
    book.save(out)
    result = read_workbook(out.getvalue(), "wenxian.xlsx")
    assert [row.team for row in result.rows["volunteer_teams"]] == ["温县太极拳志愿服务队"] and not result.problems
    read_only = open_workbook(out.getvalue(), "wenxian.xlsx", read_only=True)
    try:
        rows = list(sheet_rows(read_only["附件6"], "wenxian.xlsx", min_row=HEADER_ROW + 1))
    finally:
        read_only.close()
    assert rows[0][0] == HEADER_ROW + 1 and rows[0][1][:2] == ("温县太极拳志愿服务队", "兼职")
