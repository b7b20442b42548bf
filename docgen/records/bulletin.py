"""通报 (circulated bulletin, kind ``bulletin``): the city's bulletin on the protection system after its
inspections, computed from the districts' reports on annexes 2–6 and the inspection notes per district.
No number in it is typed by hand."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from docgen.records.annexes.cells import StationName, Text
from docgen.records.annexes.report import Submission
from docgen.records.base import Record
from docgen.records.fields import DateField, DocNumberField
from docgen.records.filenames import check_filename
from docgen.records.notice import Issuer


class Inspection(Record):
    """What the city's inspection found in one district."""

    district: Text = Field(title="区局", min_length=2)
    contact_points: list[StationName] = Field(default_factory=list, title="已确定的知识产权保护联系点")
    commendations: list[Text] = Field(default_factory=list, title="工作亮点")
    corrections: list[Text] = Field(default_factory=list, title="存在问题（须整改）")


class BulletinRecord(Record):
    doc_type: ClassVar[str] = "通报"  # 文种 (a bulletin is a 通报), as a notice record says its own
    kind: Literal["bulletin"] = Field("bulletin", title="文种")
    name: str = Field("", title="输出文件名")
    issuer: Issuer = Field(title="发文机关")
    doc_number: DocNumberField = Field(title="发文字号")
    date: DateField = Field(title="成文日期")
    as_of: DateField | None = Field(None, title="统计截止日期（默认为成文日期）")
    addressees: Text = Field("各县（市）、区市场监督管理局、分局", title="主送机关")
    notice: Text = Field("《焦作市市场监督管理局关于加强知识产权保护工作体系建设的通知》（焦市监办〔2021〕135号）",
                         title="所依据的通知")
    submissions: list[Submission] = Field(min_length=1, title="各区局报送")
    inspections: list[Inspection] = Field(default_factory=list, title="检查情况")
    deadline: DateField | None = Field(None, title="整改期限")
    seal: Literal["sealed", "unsealed"] = Field("sealed", title="用印方式")
    cc: list[Text] = Field(default_factory=list, title="抄送机关")
    printer: Text = Field("", title="印发机关（默认为发文机关）")

    @field_validator("name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        return check_filename(value)
