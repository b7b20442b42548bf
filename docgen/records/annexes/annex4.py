"""附件4 知识产权保护执法队伍建设情况汇总表: its three tables — the bureau's IP office, the enforcement team's
case 骨干, and the market-supervision offices (市场监管所)."""

from __future__ import annotations

from pydantic import Field

from docgen.records.annexes.cells import Phone, Text
from docgen.records.base import Record


class OfficeRow(Record):
    """附件4 表1 局机关知识产权保护机构基本情况."""

    office: Text = Field(title="局机关知识产权保护机构名称", min_length=2)
    person: Text = Field(title="人员姓名", min_length=2)
    post: Text = Field(title="职务", min_length=1)
    contact: Phone = Field(title="联系方式")


class CaseOfficerRow(Record):
    """附件4 表2 知识产权执法骨干统计表."""

    person: Text = Field(title="姓名", min_length=2)
    post: Text = Field(title="职务", min_length=1)
    unit: Text = Field(title="所属执法机构", min_length=2)
    contact: Phone = Field(title="联系方式")


class SupervisionOfficeRow(Record):
    """附件4 表3 市场监管所统计表."""

    office: Text = Field(title="市场监管所名称", min_length=2)
    head: Text = Field(title="负责人", min_length=2)
    phone: Phone = Field(title="电话")
