"""附件2 工作站统计表: one row per protection station a district has set up."""

from __future__ import annotations

from pydantic import Field

from docgen.records.annexes.cells import OptionalPersonContact, PersonContact, StationName, Text
from docgen.records.base import Record


class StationRow(Record):
    """附件2 工作站统计表."""

    station: StationName = Field(title="站名")
    head: OptionalPersonContact = Field("", title="负责人及联系方式")  # missing: a finding, not an error
    bureau: Text = Field(title="所属辖区局", min_length=2)
    instructor: PersonContact = Field(title="工作站指导员姓名及联系方式")
