"""The annex tables as the seed prints them: number, title, sub-tables, columns (header text, relative
width, allowed values). One definition serves the workbook, the import and the consolidated tables."""

from __future__ import annotations

import typing
from dataclasses import dataclass

from docgen.records.annexes.annex2 import StationRow
from docgen.records.annexes.annex3 import KeyEnterpriseRow
from docgen.records.annexes.annex4 import CaseOfficerRow, OfficeRow, SupervisionOfficeRow
from docgen.records.annexes.annex5 import InstitutionRow
from docgen.records.annexes.annex6 import VolunteerTeamRow
from docgen.records.base import Record


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the seed's column header
    width: float  # relative
    choices: tuple[str, ...] = ()  # allowed values (a drop-down in the workbook)
    multiple: bool = False  # several choices, separated by 、


@dataclass(frozen=True)
class SubTable:
    """One table of an annex (附件4 has three)."""

    key: str
    caption: str  # the sheet's name and, where the seed has one, the table's caption
    row: type[Record]
    widths: tuple[float, ...]
    numbered: bool = True  # a 序号 column first

    @property
    def columns(self) -> tuple[Column, ...]:
        out = []
        for (name, info), width in zip(self.row.model_fields.items(), self.widths):
            choices, multiple = _choices(info.annotation)
            out.append(Column(name, info.title or name, width, choices, multiple))
        return tuple(out)


def _choices(annotation) -> tuple[tuple[str, ...], bool]:
    origin = typing.get_origin(annotation)
    if origin is list:
        inner, _ = _choices(typing.get_args(annotation)[0])
        return inner, True
    if origin is typing.Literal:
        return tuple(typing.get_args(annotation)), False
    return (), False


@dataclass(frozen=True)
class AnnexForm:
    number: int
    title: str
    tables: tuple[SubTable, ...]
    note: str = ""  # printed under the table, as in the seed


FORMS = {
    2: AnnexForm(2, "工作站统计表", (SubTable("stations", "工作站统计表", StationRow, (3, 2.5, 2, 2.5)),)),
    3: AnnexForm(3, "知识产权重点保护企业名录",
                 (SubTable("enterprises", "知识产权重点保护企业名录", KeyEnterpriseRow, (3, 2, 2.5, 1.6, 2.3, 2.3)),),
                 "知识产权重点保护种类：驰名商标、地理标志保护产品（涉外的备注）、地理标识证明商标、知名度较高商标、专利重点、涉外专利。"),
    4: AnnexForm(4, "知识产权保护执法队伍建设情况汇总表", (
        SubTable("offices", "市场监管局知识产权保护机构基本情况", OfficeRow, (4, 2, 2, 3), numbered=False),
        SubTable("case_officers", "市场监管局知识产权执法骨干统计表", CaseOfficerRow, (2, 2, 4, 3), numbered=False),
        SubTable("supervision_offices", "市场监管局市场监管所统计表", SupervisionOfficeRow, (4, 2, 3), numbered=False),
    )),
    5: AnnexForm(5, "知识产权保护社会服务机构名录",
                 (SubTable("institutions", "知识产权保护社会服务机构名录", InstitutionRow, (4, 2, 1.5, 2.5, 2), numbered=False),),
                 "类别：行业协会（商会）、律师事务所、调解委员会等\n备注：填写提供服务的人数、资格等信息"),
    6: AnnexForm(6, "知识产权保护志愿者队伍名录",
                 (SubTable("volunteer_teams", "知识产权保护志愿者队伍名录", VolunteerTeamRow, (4, 2.5, 1.2, 2, 3), numbered=False),)),
}


def sub_tables() -> list[tuple[AnnexForm, SubTable]]:
    return [(form, table) for form in FORMS.values() for table in form.tables]
