"""A district's report on annexes 2–6 (kind ``district-report``), as one YAML record; what the city makes of
the districts' reports together (kind ``consolidation``); the blank forms it sends out (kind ``blank-forms``)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field

from docgen.records.annexes.annex2 import StationRow
from docgen.records.annexes.annex3 import KeyEnterpriseRow
from docgen.records.annexes.annex4 import CaseOfficerRow, OfficeRow, SupervisionOfficeRow
from docgen.records.annexes.annex5 import InstitutionRow
from docgen.records.annexes.annex6 import VolunteerTeamRow
from docgen.records.base import Record
from docgen.records.limits import BATCH_ITEMS, TABLE_ROWS, at_most

R = TypeVar("R")
Rows = Annotated[list[R], at_most(TABLE_ROWS)]  # a table's rows, bounded before any row is validated


class DistrictReport(Record):
    kind: Literal["district-report"] = Field(title="文种")
    district: str = Field(min_length=2, title="填报单位（所属辖区局）")
    stations: Rows[StationRow] = Field(default_factory=list, title="附件2 工作站统计表")
    enterprises: Rows[KeyEnterpriseRow] = Field(default_factory=list, title="附件3 知识产权重点保护企业名录")
    offices: Rows[OfficeRow] = Field(default_factory=list, title="附件4 机构基本情况")
    case_officers: Rows[CaseOfficerRow] = Field(default_factory=list, title="附件4 执法骨干统计")
    supervision_offices: Rows[SupervisionOfficeRow] = Field(default_factory=list, title="附件4 市场监管所统计")
    institutions: Rows[InstitutionRow] = Field(default_factory=list, title="附件5 社会服务机构名录")
    volunteer_teams: Rows[VolunteerTeamRow] = Field(default_factory=list, title="附件6 志愿者队伍名录")


class Submission(Record):
    """One district's report, and the rows of its files that could not be accepted (reported, not counted)."""

    report: DistrictReport = Field(title="区局报送")
    rejected: list[str] = Field(default_factory=list, title="未能接受的行")


class ConsolidationRecord(Record):
    """汇总: the districts' reports (``submissions_folder:`` on the command line, inline on the queue) → the
    city's tables 附件2-6汇总 and the per-district 汇总情况."""

    kind: Literal["consolidation"] = Field(title="文种")
    submissions: Annotated[list[Submission], at_most(BATCH_ITEMS)] = Field(min_length=1, title="各区局报送")


class BlankFormsRecord(Record):
    """The blank forms 1–6 that go out with the notice, as PDF, DOCX and workbooks."""

    kind: Literal["blank-forms"] = Field(title="文种")
