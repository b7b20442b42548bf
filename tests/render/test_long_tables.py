"""Tables of many rows (the city's consolidated 附件3): what a late row holds is laid out as well as what the
first rows hold, and a PDF of thousands of pages keeps its pages in order."""

from __future__ import annotations

import io
import re

import pikepdf

from docgen.content.document import Attachment, Table
from docgen.pdf.document import render_attachments_pdf
from tests.pdf_readback import view_of

COLUMNS = ("序号", "填报单位", "企业名称", "企业类别", "知识产权重点保护种类", "知识产权运用方式（使用、所有）",
           "企业负责人及联系方式", "联系人及联系方式")  # 附件3 as the city consolidates it: wide (§8)
MOBILE_ROWS = 420  # more than the column search samples (columns.SAMPLE)
FIXED_LINE_ROWS = 30


def _row(n: int, contact: str) -> tuple[str, ...]:
    return (str(n), "山阳区", f"焦作市山阳精密机械有限公司{n}号", "高新技术企业", "专利、商标", "使用",
            f"张伟 138{n:08d}", contact)


def _contacts_table() -> Table:
    """Mobile numbers in the first rows, a wider fixed-line number (0391-39xxxxx) only in the last ones."""
    rows = [_row(n, f"王明 139{n:08d}") for n in range(1, MOBILE_ROWS + 1)]
    rows += [_row(n, f"李华 0391-39{n:05d}") for n in range(MOBILE_ROWS + 1, MOBILE_ROWS + FIXED_LINE_ROWS + 1)]
    return Table(COLUMNS, tuple(rows), (0.8, 2.5, 4.0, 2.0, 3.0, 1.5, 2.5, 2.5))


def test_a_telephone_number_only_late_rows_hold_is_not_split(tmp_path):
    artifact = render_attachments_pdf((Attachment(3, "重点企业名单", (_contacts_table(),)),), "附件3")
    lines = [line.text for page in view_of(artifact.data, tmp_path).pages for line in page.text_lines()]
    whole = {number for text in lines for number in re.findall(r"0391-39\d{5}", text)}
    assert whole == {f"0391-39{n:05d}" for n in range(MOBILE_ROWS + 1, MOBILE_ROWS + FIXED_LINE_ROWS + 1)}


def test_pages_of_a_long_table_stand_in_order():
    artifact = render_attachments_pdf((Attachment(3, "重点企业名单", (_contacts_table(),)),), "附件3")
    with pikepdf.open(io.BytesIO(artifact.data)) as pdf:
        assert len(pdf.pages) == artifact.pages > 20
        tree = pdf.Root.Pages
        assert int(tree.Count) == len(tree.Kids) == artifact.pages
        assert all(page.obj.Parent.objgen == tree.objgen for page in pdf.pages)
