"""附件5 知识产权保护社会服务机构名录: associations, law firms, mediation committees serving IP protection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.records.annexes.cells import Phone, Text
from docgen.records.base import Record

INSTITUTION_CATEGORIES = ("行业协会（商会）", "律师事务所", "调解委员会", "其他")


class InstitutionRow(Record):
    """附件5 知识产权保护社会服务机构名录."""

    institution: Text = Field(title="知识产权保护社会服务机构名称", min_length=2)
    category: Literal[INSTITUTION_CATEGORIES] = Field(title="类别")  # type: ignore[valid-type]
    contact_person: Text = Field(title="联系人", min_length=2)
    contact: Phone = Field(title="联系方式")
    remarks: Text = Field("", title="备注")  # 提供服务的人数、资格等
