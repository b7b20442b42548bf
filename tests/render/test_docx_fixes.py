"""The PDF's layout fixes of issue 14 in the DOCX, judged where a user sees them: laid out again by LibreOffice,
read back. Table and form cells wrap where the PDF wraps them (no lone last character: 填报单/位, 有限公/司), a
form's boxes keep clear of the rules (新材料☐), and cited document numbers 〔2021〕57号 stay whole in body text
without leaving joiners in the text a reader copies."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from docgen.annexes.application import application_form
from docgen.annexes.consolidate import consolidate
from docgen.annexes.pages import annex_attachments
from docgen.annexes.submissions import read_submission
from docgen.check.readback import read_pdf
from docgen.docx.attachments import render_attachments_docx
from docgen.docx.document import render_docx
from docgen.layout.columns import FORM_INSET, SMALL
from docgen.docx.units import tw
from docgen.pdf.document import render_attachments_pdf
from docgen.records.annexes.annex1 import ContactPointApplication
from tests.libreoffice import to_pdf
from tests.notice_cases import content, notice

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MM = 25.4 / 72
CJK = re.compile(r"[\u4e00-\u9fff]")
INK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9☐☑]")  # characters whose ink fills their box (no punctuation)
WORD_JOINER = "\u2060"
FILL = "根据市场监管总局关于加强知识产权保护工作的意见和省局部署要求现将有关事项通知如下请认真贯彻"
# a cited number set off by brackets (kept whole with its 机关代字) and one after other text (〔2021〕57号 alone),
# each starting at every place around a line's end
SET_OFF = [FILL[:k] + "按照《关于印发知识产权保护规范的通知》（豫市监〔2021〕57号）要求，认真执行。" for k in range(14, 28)]
RUN_ON = [FILL[:k] + "根据焦市监〔2021〕57号文件精神执行。" for k in range(18, 28)]


def _attachments() -> dict[str, tuple]:
    """The city's consolidated annexes 2–6 (a 填报单位 column, long headers) and a filled 附件1 form."""
    districts = ("xiuwu", "shanyang", "jiefang", "boai", "wenxian")
    reports = [read_submission(SAMPLES / "annexes" / f"{name}.yaml") for name in districts]
    app = ContactPointApplication.load(SAMPLES / "applications" / "shanyang-auto-parts.yaml")
    return {"annexes": annex_attachments(consolidate(reports).rows, with_district=True),
            "form": (application_form(app),)}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each case as the PDF draws it and as LibreOffice lays out its DOCX."""
    out = tmp_path_factory.mktemp("docx-fixes")
    pdfs = {}
    for name, attachments in _attachments().items():
        (out / f"{name}-direct.pdf").write_bytes(render_attachments_pdf(attachments, name).data)
        (out / f"{name}.docx").write_bytes(render_attachments_docx(attachments, name).data)
        pdfs[name] = (out / f"{name}-direct.pdf", to_pdf(out / f"{name}.docx", out))
    (out / "cited.docx").write_bytes(render_docx(content(notice(name="cited", body=SET_OFF + RUN_ON))).data)
    pdfs["cited"] = (None, to_pdf(out / "cited.docx", out))
    return pdfs


def _cell_lines(path: Path) -> list[tuple[str, ...]]:
    """Every table cell's lines of text, read between the drawn rules (a turned page's lines run up it)."""
    cells = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
                for x0, top, x1, bottom in filter(None, table.cells):
                    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                              and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                    if not inside:
                        continue
                    upright = 2 * sum(c["upright"] for c in inside) >= len(inside)
                    lines: dict[int, list[dict]] = {}
                    for c in inside:  # a line: glyphs on one baseline (across the page where it is turned)
                        key = round(c["bottom"] / 4) if upright else round((c["x0"] + c["x1"]) / 6)
                        lines.setdefault(key, []).append(c)
                    order = (lambda c: c["x0"]) if upright else (lambda c: -c["top"])
                    cells.append(tuple("".join(c["text"] for c in sorted(line, key=order)).replace(" ", "")
                                       for _, line in sorted(lines.items())))
    return cells


def _lone(cells: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Cells whose last line holds one Chinese character alone."""
    return [cell for cell in cells if len(cell) > 1 and len(cell[-1]) == 1 and CJK.match(cell[-1])]


def _document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


# ---- 1. cells wrap where the PDF wraps them ----

@pytest.mark.parametrize("name", ["annexes", "form"])
def test_libreoffice_leaves_no_lone_character_in_a_cell_where_the_pdf_has_none(rendered, name):
    direct, office = rendered[name]
    pdf_cells, office_cells = _cell_lines(direct), _cell_lines(office)
    assert len(office_cells) == len(pdf_cells) > 30
    assert set(_lone(office_cells)) <= set(_lone(pdf_cells)), _lone(office_cells)


def test_libreoffice_breaks_long_headers_and_names_as_the_pdf_does(rendered):
    """Where greedy breaking would end a header or a name in one character (填报单/位, 工作站指导员姓名及联系方/式,
    温县铁棍山药专业合作/社), the PDF moves one more down; LibreOffice's lines are the PDF's."""
    direct, office = rendered["annexes"]
    pdf_cells, office_cells = _cell_lines(direct), _cell_lines(office)
    for text in ("填报单位", "工作站指导员姓名及联系方式", "温县铁棍山药专业合作社", "温县知识产权纠纷人民调解委员会"):
        in_pdf = {cell for cell in pdf_cells if "".join(cell) == text and len(cell) > 1}
        assert in_pdf, text
        assert in_pdf <= {cell for cell in office_cells if "".join(cell) == text}, (text, in_pdf)


# ---- 2. the form's boxes keep clear of the rules ----

def test_form_cells_keep_the_pdf_inset_beside_their_text():
    xml = _document_xml(render_attachments_docx(_attachments()["form"], "form").data)
    margins = re.search(r"<w:tblCellMar>(.*?)</w:tblCellMar>", xml).group(1)
    for side in ("left", "right"):
        assert f'<w:{side} w:w="{tw(SMALL.pad + FORM_INSET)}" w:type="dxa"/>' in margins


def test_libreoffice_keeps_the_form_text_and_boxes_clear_of_the_rules(rendered):
    """Every character of the form (a box ☐ at a line's end above all) stands the PDF's padding and inset clear
    of the rules beside it; LibreOffice set them 1.1 mm from the rule before (新材料☐ against it)."""
    with pdfplumber.open(rendered["form"][1]) as pdf:
        page = pdf.pages[0]
        verticals = [e for e in page.edges if e["orientation"] == "v"]
        gaps = []
        for c in page.chars:
            if not INK.match(c["text"]):
                continue
            middle = (c["top"] + c["bottom"]) / 2
            across = [e["x0"] for e in verticals if e["top"] < middle < e["bottom"]]
            left, right = [x for x in across if x <= c["x0"]], [x for x in across if x >= c["x1"]]
            if left and right:
                gaps.append((min(c["x0"] - max(left), min(right) - c["x1"]) * MM, c["text"]))
        text = "".join(c["text"] for c in sorted(page.chars, key=lambda c: (round(c["bottom"]), c["x0"])))
    assert len(gaps) > 300 and sum(t in "☐☑" for _, t in gaps) >= 10
    assert min(gaps)[0] > SMALL.pad + FORM_INSET - 0.2, min(gaps)
    assert "新材料☐" in text


# ---- 3. cited numbers stay whole ----

def test_body_text_joins_a_cited_number_in_a_run_of_its_own():
    xml = _document_xml(render_docx(content(notice(name="x", body=[SET_OFF[0]]))).data)
    joined = WORD_JOINER.join("豫市监〔2021〕57号")
    assert f'<w:lang w:eastAsia="zxx"/></w:rPr><w:t xml:space="preserve">{joined}</w:t>' in xml


def test_libreoffice_keeps_cited_numbers_whole_and_copies_no_joiner(rendered):
    view = read_pdf(rendered["cited"][1])
    lines = [ln.text for page in view.pages for ln in page.text_lines()]
    assert sum("豫市监〔2021〕57号" in text for text in lines) == len(SET_OFF)
    assert sum("〔2021〕57号" in text for text in lines) == len(SET_OFF) + len(RUN_ON)
    with pdfplumber.open(rendered["cited"][1]) as pdf:
        assert not any(WORD_JOINER in c["text"] for page in pdf.pages for c in page.chars)
