"""批复 (approval reply, kind ``reply``): the bureau's answer to a station's 请示 — to become its contact
point (联系点, from an 附件1 application) or to set up a new station — approving it, or declining it with
reasons. Stamped-ready by default: the sealed signature layout with its seal area."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from docgen.records.annexes.annex1 import ContactPointApplication, StaffMember, findings
from docgen.records.annexes.cells import Area, StationName, Text
from docgen.records.base import Record
from docgen.records.fields import DateField, DocNumberField
from docgen.records.filenames import check_filename
from docgen.records.limits import BATCH_ITEMS, at_most
from docgen.records.notice import Issuer
from docgen.records.plaque import PlaqueOptions, sheet_for


class RequestLetter(Record):
    """The 请示 being answered: cited as 你单位《title》（number）收悉。"""

    title: Text = Field(title="请示标题", min_length=4)
    number: Text = Field("", title="请示文号")

    @field_validator("title")
    @classmethod
    def _bare(cls, value: str) -> str:
        return value.strip("《》")


class StationProposal(Record):
    """A 设立单位's proposal for a new station: who sets it up, its 规范名称, its office and person in charge."""

    organisation: Text = Field(title="设立单位", min_length=2)
    station: StationName = Field(title="工作站名称")
    address: Text = Field("", title="办公地址")
    head: StaffMember | None = Field(None, title="负责人")
    office_area: Area = Field(0.0, title="办公面积（平方米）")
    equipment: Text = Field("", title="办公设备")
    service: Text = Field("区域内企业、市场、协（商）会会员等", title="服务对象")


class ReplyDecision(Record):
    """What a reply decides on one application: in a ``reply``, or one of a ``reply-batch``'s replies."""

    name: str = Field("", title="输出文件名")
    subject: Literal["contact-point", "station"] = Field("contact-point",
                                                           title="批复事项（contact-point 确定联系点 / station 设立工作站）")
    decision: Literal["approve", "decline"] = Field("approve", title="批复意见（approve 同意 / decline 不同意）")
    reasons: list[Text] = Field(default_factory=list, title="不同意的理由")
    application: ContactPointApplication | None = Field(None, title="联系点申请表（附件1）")
    proposal: StationProposal | None = Field(None, title="设立工作站的申请")
    request: RequestLetter = Field(title="来文（请示）")
    instructor: Text = Field("", title="工作站指导员")

    @field_validator("name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        return check_filename(value)

    @model_validator(mode="after")
    def _subject(self) -> "ReplyDecision":
        if self.subject == "contact-point" and self.application is None:
            raise ValueError("确定联系点的批复须附联系点申请表（application，附件1 的内容）")
        if self.subject == "station" and self.proposal is None:
            raise ValueError("设立工作站的批复须写明设立申请（proposal：设立单位、工作站名称等）")
        if self.decision == "approve" and self.reasons:
            raise ValueError("同意的批复不写不同意的理由（reasons）；要不同意请把 decision 设为 decline")
        if self.decision == "decline" and not self.grounds:
            raise ValueError("不同意的批复须写明理由（reasons）；申请本身也未见不符合设立要求之处")
        return self

    @property
    def grounds(self) -> list[str]:
        """Why a decline: the reasons given, or else what the application lacks of the 设立要求."""
        return list(self.reasons) or findings(self.application or self.proposal)  # type: ignore[arg-type]

    @property
    def applicant(self) -> str:
        return self.application.organisation if self.application else self.proposal.organisation  # type: ignore[union-attr]

    @property
    def station(self) -> str:
        return self.application.station if self.application else self.proposal.station  # type: ignore[union-attr]


class ReplyRecord(ReplyDecision):
    doc_type: ClassVar[str] = "批复"  # 文种 (a reply is a 批复), as a notice record says its own
    kind: Literal["reply"] = Field("reply", title="文种")
    issuer: Issuer = Field(title="发文机关")
    doc_number: DocNumberField = Field(title="发文字号")
    date: DateField = Field(title="成文日期")
    seal: Literal["sealed", "unsealed"] = Field("sealed", title="用印方式")
    cc: list[Text] = Field(default_factory=list, title="抄送机关")
    printer: Text = Field("", title="印发机关（默认为发文机关）")


class ReplyBatch(PlaqueOptions):
    """Many replies at once (kind ``reply-batch``): their document numbers follow on from ``first_number``;
    every approved one comes with its plaque — the contact-point plaque for a contact point, the general one
    for a new station — in one ZIP."""

    kind: Literal["reply-batch"] = Field("reply-batch", title="文种")
    title: Text = Field("", title="批次名称")
    issuer: Issuer = Field(title="发文机关")
    first_number: DocNumberField = Field(title="第一件的发文字号（其后顺延）")
    date: DateField = Field(title="成文日期")
    seal: Literal["sealed", "unsealed"] = Field("sealed", title="用印方式")
    cc: list[Text] = Field(default_factory=list, title="抄送机关")
    printer: Text = Field("", title="印发机关（默认为发文机关）")
    sheet: str = Field("1220x2440", title="标牌拼版幅面")
    replies: Annotated[list[ReplyDecision], at_most(BATCH_ITEMS)] = Field(min_length=1, title="批复清单")

    @field_validator("sheet")
    @classmethod
    def _sheet(cls, value: str, info: ValidationInfo) -> str:
        return sheet_for(value, info)
