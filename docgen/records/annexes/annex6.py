"""附件6 知识产权保护志愿者队伍名录: volunteer teams, full- or part-time, with their numbers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docgen.records.annexes.cells import Count, Phone, Text
from docgen.records.base import Record


class VolunteerTeamRow(Record):
    """附件6 知识产权保护志愿者队伍名录."""

    team: Text = Field(title="志愿者服务队名称", min_length=2)
    category: Literal["专职", "兼职"] = Field(title="类别（专职、兼职）")
    members: Count = Field(title="人数")
    contact_person: Text = Field(title="联系人", min_length=2)
    contact: Phone = Field(title="联系方式")
