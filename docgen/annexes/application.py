"""附件1 知识产权保护联系点申请表 as the seed prints it: a form on a six-column grid with merged cells and
☑/☐ boxes, blank (for distribution with the notice) or filled from an application record."""

from __future__ import annotations

from docgen.content.document import Attachment, Cell, FormRow, FormTable, Paragraph
from docgen.records.annexes.annex1 import INDUSTRIES, ContactPointApplication, Opinion, StaffMember
from docgen.records.fields import format_date

NUMBER = 1
TITLE = "知识产权保护联系点申请表"
GRID = (32.5, 26, 20, 32, 23, 22.5)  # mm on the 156 mm 版心: label, value, label, value, label, value
BLANK_DATE = "　　年　　月　　日"
FOOTNOTE = "本表交由辖区市场监管局存档"
OPINION_LINES = 3


def box(checked: bool) -> str:
    return "☑" if checked else "☐"


def _l(text: str, span: int = 1) -> Cell:
    return Cell(text, span, label=True)


def _v(text: object = "", span: int = 1) -> Cell:
    return Cell("" if text in (None, "") else str(text), span)


def _number(value: float) -> str:
    return f"{value:g}" if value else ""


def _person(label: str, person: StaffMember | None) -> FormRow:
    p = person
    return FormRow((_l(label), _v(p.name if p else ""), _l("手机"), _v(p.mobile if p else ""), _l("QQ、微信"),
                    _v(p.messenger if p else "")))


def _opinion(label: str, opinion: Opinion) -> FormRow:
    date = format_date(opinion.date) if opinion.date else BLANK_DATE
    foot = f"{opinion.organ}（公章）　{date}" if opinion.organ else f"（公章）{date}"
    # a blank box leaves room to write in; a filled one is as tall as its text and stamp line
    return FormRow((_l(label), Cell(opinion.text, 5, foot=foot)), lines=1 if opinion.text else OPINION_LINES)


def application_form(app: ContactPointApplication | None = None) -> Attachment:
    """The form, filled from ``app`` or blank."""
    a = app
    chosen = set(a.industries) if a else set()
    staff = f"{a.full_time + a.part_time} 人" if a else ""
    rows = (
        FormRow((_l("单位名称"), _v(a and a.organisation, 5))),
        FormRow((_l("联系人"), _v(a and a.contact_person), _l("部门"), _v(a and a.department, 3))),
        FormRow((_l("联系电话"), _v(a and a.phone, 2), _l("电邮、QQ"), _v(a and a.email_qq, 2))),
        FormRow((_l("单位地址"), _v(a and a.address, 2), _l("单位网址"), _v(a and a.website, 2))),
        FormRow((_l("工作站所在区域主要行业领域"), _v("　".join(f"{i}{box(i in chosen)}" for i in INDUSTRIES), 5))),
        FormRow((_l("工作站名称"), _v(a and a.station, 5))),
        FormRow((_l("管理人员数"), _v(staff), _l("专职"), _v(f"{a.full_time} 人" if a else ""), _l("兼职"),
                 _v(f"{a.part_time} 人" if a else ""))),
        _person("负责人", a.head if a else None),
        _person("工作人员", a.staff if a else None),
        FormRow((_l("办公面积平方米"), _v(_number(a.office_area) if a else "", 2), _l("工作机位台(套)"),
                 _v((a.workstations or "") if a else "", 2))),
        FormRow((_l("办公设备"), _v(a and a.equipment, 5))),
        FormRow((_l("办公环境"), _v(f"设置知识产权保护宣传标牌{box(bool(a and a.signage))}　"
                                   f"制度上墙{box(bool(a and a.rules_on_wall))}", 5))),
        _opinion("申报单位意见", a.applicant_opinion if a else Opinion()),
        _opinion("辖区市场监管局意见", a.bureau_opinion if a else Opinion()),
        FormRow((_l("工作站指导员"), _v(a and a.instructor, 5))),
    )
    filled = format_date(a.filled_on) if a and a.filled_on else BLANK_DATE
    return Attachment(NUMBER, TITLE, (Paragraph(f"填报时间：{filled}", align="right"), FormTable(GRID, rows),
                                      Paragraph(FOOTNOTE)))
