"""A district's report on annexes 2–6 (kind ``district-report``), as one YAML record."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.records.annexes.annex2 import StationRow
from docgen.records.annexes.annex3 import KeyEnterpriseRow
from docgen.records.annexes.annex4 import CaseOfficerRow, OfficeRow, SupervisionOfficeRow
from docgen.records.annexes.annex5 import InstitutionRow
from docgen.records.annexes.annex6 import VolunteerTeamRow
from docgen.records.base import Record


class DistrictReport(Record):
    kind: Literal["district-report"] = Field(title="文种")
    district: str = Field(min_length=2, title="填报单位（所属辖区局）")
    stations: list[StationRow] = Field(default_factory=list, title="附件2 工作站统计表")
    enterprises: list[KeyEnterpriseRow] = Field(default_factory=list, title="附件3 知识产权重点保护企业名录")
    offices: list[OfficeRow] = Field(default_factory=list, title="附件4 机构基本情况")
    case_officers: list[CaseOfficerRow] = Field(default_factory=list, title="附件4 执法骨干统计")
    supervision_offices: list[SupervisionOfficeRow] = Field(default_factory=list, title="附件4 市场监管所统计")
    institutions: list[InstitutionRow] = Field(default_factory=list, title="附件5 社会服务机构名录")
    volunteer_teams: list[VolunteerTeamRow] = Field(default_factory=list, title="附件6 志愿者队伍名录")
