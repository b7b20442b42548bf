"""附件1 知识产权保护联系点申请表: a station's application to become its district bureau's contact point
(联系点), with the seed's boxes exactly (kind ``contact-point-application``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from docgen.records.annexes.cells import (Area, Count, EmailOrQQ, Items, Messenger, Mobile, Phone, StationName,
                                          Text, Website)
from docgen.records.base import Record
from docgen.records.fields import DateField

INDUSTRIES = ("汽车零部件", "电子信息", "机械制造", "生物医药", "新材料", "节能环保", "现代农业", "其它行业")
Industry = Literal[INDUSTRIES]  # type: ignore[valid-type]


class StaffMember(Record):
    """负责人 or 工作人员: a name, a mobile number, and QQ or WeChat."""

    name: Text = Field(title="姓名", min_length=2)
    mobile: Mobile = Field(title="手机")
    messenger: Messenger = Field("", title="QQ、微信")


class Opinion(Record):
    """申报单位意见 / 辖区市场监管局意见: who gives it (and stamps it), what it says, and when."""

    organ: Text = Field("", title="单位")
    text: Text = Field("", title="意见")
    date: DateField | None = Field(None, title="日期")


class ContactPointApplication(Record):
    kind: Literal["contact-point-application"] = Field("contact-point-application", title="文种")
    filled_on: DateField | None = Field(None, title="填报时间")
    organisation: Text = Field(title="单位名称", min_length=2)
    contact_person: Text = Field(title="联系人", min_length=2)
    department: Text = Field("", title="部门")
    phone: Phone = Field(title="联系电话")
    email_qq: EmailOrQQ = Field(title="电邮、QQ")
    address: Text = Field(title="单位地址", min_length=4)
    website: Website = Field("", title="单位网址")
    industries: Annotated[list[Industry], Items] = Field(title="工作站所在区域主要行业领域", min_length=1)
    station: StationName = Field(title="工作站名称")
    full_time: Count = Field(title="管理人员数（专职）")
    part_time: Count = Field(title="管理人员数（兼职）")
    head: StaffMember | None = Field(None, title="负责人")  # missing: a finding (设立要求), not an error
    staff: StaffMember | None = Field(None, title="工作人员")
    office_area: Area = Field(0.0, title="办公面积（平方米）")
    workstations: Count = Field(0, title="工作机位（台/套）")
    equipment: Text = Field("", title="办公设备")
    signage: bool = Field(False, title="办公环境：设置知识产权保护宣传标牌")
    rules_on_wall: bool = Field(False, title="办公环境：制度上墙")
    applicant_opinion: Opinion = Field(default_factory=Opinion, title="申报单位意见")
    bureau_opinion: Opinion = Field(default_factory=Opinion, title="辖区市场监管局意见")
    instructor: Text = Field("", title="工作站指导员")


    @property
    def bureau(self) -> str:
        """The district bureau the station applies to: the one whose opinion box it is."""
        return self.bureau_opinion.organ


def findings(application) -> list[str]:
    """The seed's 设立要求 as findings: an office with equipment, and a named person in charge (of an
    application, or of any proposal for a station with an office_area, equipment and head)."""
    out = []
    if application.office_area <= 0 or not application.equipment:
        out.append("未填写办公面积或办公设备（设立要求：有必要的办公场所和办公设备）")
    if application.head is None:
        out.append("未明确负责人（设立要求：有专人负责工作站工作）")
    return out
