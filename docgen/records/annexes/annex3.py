"""附件3 知识产权重点保护企业名录: the key enterprises a district protects, with the seed's categories and
protection kinds."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from docgen.records.annexes.cells import Items, PersonContact, Text
from docgen.records.base import Record

ENTERPRISE_CATEGORIES = ("驰名商标企业", "知识产权优势企业", "高新技术企业", "专精特新企业", "高成长性企业",
                         "进出口企业", "专利申请保有量大的企业", "地理标志使用企业", "其他")
PROTECTION_KINDS = ("驰名商标", "地理标志保护产品（涉外的备注）", "地理标识证明商标", "知名度较高商标", "专利重点", "涉外专利")


class KeyEnterpriseRow(Record):
    """附件3 知识产权重点保护企业名录."""

    enterprise: Text = Field(title="企业名称", min_length=2)
    category: Literal[ENTERPRISE_CATEGORIES] = Field(title="企业类别")  # type: ignore[valid-type]
    protection: Annotated[list[Literal[PROTECTION_KINDS]], Items] = Field(title="知识产权重点保护种类", min_length=1)  # type: ignore[valid-type]
    use: Literal["使用", "所有"] = Field(title="知识产权运用方式（使用、所有）")
    head: PersonContact = Field(title="企业负责人及联系方式")
    liaison: PersonContact = Field(title="联络员及联系方式")

