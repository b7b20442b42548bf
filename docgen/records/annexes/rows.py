"""The rows of annex tables 2–6, with the seed's columns exactly (附件2 工作站统计表 … 附件6 志愿者队伍名录)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from docgen.records.annexes.cells import Count, OptionalPersonContact, PersonContact, Phone, StationName, Text
from docgen.records.base import Record

ENTERPRISE_CATEGORIES = ("驰名商标企业", "知识产权优势企业", "高新技术企业", "专精特新企业", "高成长性企业",
                         "进出口企业", "专利申请保有量大的企业", "地理标志使用企业", "其他")
PROTECTION_KINDS = ("驰名商标", "地理标志保护产品（涉外的备注）", "地理标识证明商标", "知名度较高商标", "专利重点", "涉外专利")
INSTITUTION_CATEGORIES = ("行业协会（商会）", "律师事务所", "调解委员会", "其他")


class StationRow(Record):
    """附件2 工作站统计表."""

    station: StationName = Field(title="站名")
    head: OptionalPersonContact = Field("", title="负责人及联系方式")  # missing: a finding, not an error
    bureau: Text = Field(title="所属辖区局", min_length=2)
    instructor: PersonContact = Field(title="工作站指导员姓名及联系方式")


class KeyEnterpriseRow(Record):
    """附件3 知识产权重点保护企业名录."""

    enterprise: Text = Field(title="企业名称", min_length=2)
    category: Literal[ENTERPRISE_CATEGORIES] = Field(title="企业类别")  # type: ignore[valid-type]
    protection: list[Literal[PROTECTION_KINDS]] = Field(title="知识产权重点保护种类", min_length=1)  # type: ignore[valid-type]
    use: Literal["使用", "所有"] = Field(title="知识产权运用方式（使用、所有）")
    head: PersonContact = Field(title="企业负责人及联系方式")
    liaison: PersonContact = Field(title="联络员及联系方式")

    @field_validator("protection", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.replace("，", "、").replace(",", "、").split("、") if part.strip()]
        return value


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


class InstitutionRow(Record):
    """附件5 知识产权保护社会服务机构名录."""

    institution: Text = Field(title="知识产权保护社会服务机构名称", min_length=2)
    category: Literal[INSTITUTION_CATEGORIES] = Field(title="类别")  # type: ignore[valid-type]
    contact_person: Text = Field(title="联系人", min_length=2)
    contact: Phone = Field(title="联系方式")
    remarks: Text = Field("", title="备注")  # 提供服务的人数、资格等


class VolunteerTeamRow(Record):
    """附件6 知识产权保护志愿者队伍名录."""

    team: Text = Field(title="志愿者服务队名称", min_length=2)
    category: Literal["专职", "兼职"] = Field(title="类别（专职、兼职）")
    members: Count = Field(title="人数")
    contact_person: Text = Field(title="联系人", min_length=2)
    contact: Phone = Field(title="联系方式")
