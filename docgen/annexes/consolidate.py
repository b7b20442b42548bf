"""The city's tables from the districts' submissions: ordered by district, 序号 renumbered, duplicates
reported, and a per-district summary with the seed's targets as findings (not errors)."""

from __future__ import annotations

from dataclasses import dataclass, field


from docgen.annexes.forms import sub_tables
from docgen.annexes.pages import district_short
from docgen.annexes.workbook import CELL, HEADER_ROW, DistrictTables, new_book, sheet_header, sheet_name, sheet_title
from docgen.content.document import Attachment, Table
from docgen.records.base import Record
from docgen.render.sheets import put, workbook_bytes

# the city's districts in the order its tables list them; others follow in the order they came
DISTRICT_ORDER = ("解放区", "中站区", "马村区", "山阳区", "城乡一体化示范区", "高新区", "修武县", "博爱县", "武陟县",
                  "温县", "沁阳市", "孟州市")
CASE_OFFICER_TARGET = 3  # 工作目标（一）: each district's enforcement team has at least 3 IP case 骨干
DUPLICATE_KEYS = {"stations": "station", "enterprises": "enterprise", "institutions": "institution",
                  "volunteer_teams": "team"}


def district_rank(name: str) -> int:
    return next((n for n, d in enumerate(DISTRICT_ORDER) if d in name), len(DISTRICT_ORDER))


@dataclass
class DistrictSummary:
    district: str
    counts: dict[str, int]
    case_officers: int
    volunteers: int
    findings: list[str] = field(default_factory=list)


@dataclass
class Consolidation:
    rows: dict[str, list[tuple[str, Record]]]  # table key → (district, row), in the city's order
    summaries: list[DistrictSummary]
    duplicates: list[str]
    problems: list[str]


def _by_district(submissions: list[DistrictTables]) -> list[DistrictTables]:
    """One submission per district: a district that sent its tables in several files (one CSV a table)."""
    merged: dict[str, DistrictTables] = {}
    for sub in submissions:
        into = merged.setdefault(sub.district, DistrictTables(sub.district, {t.key: [] for _, t in sub_tables()}))
        for key, rows in sub.rows.items():
            into.rows[key] = into.rows.get(key, []) + list(rows)
        into.problems += sub.problems
    return list(merged.values())


def submission_tables(submissions) -> list[DistrictTables]:
    """The tables of district reports given as records (``Submission``: a report and its rejected rows)."""
    return [DistrictTables(sub.report.district, {t.key: list(getattr(sub.report, t.key)) for _, t in sub_tables()})
            for sub in submissions]


def consolidate(submissions: list[DistrictTables]) -> Consolidation:
    ordered = sorted(enumerate(_by_district(submissions)), key=lambda s: (district_rank(s[1].district), s[0]))
    rows: dict[str, list[tuple[str, Record]]] = {t.key: [] for _, t in sub_tables()}
    for _, sub in ordered:
        for key, table_rows in sub.rows.items():
            rows[key] += [(sub.district, row) for row in table_rows]
    duplicates = []
    for key, attribute in DUPLICATE_KEYS.items():
        seen: dict[str, str] = {}
        for district, row in rows[key]:
            name = getattr(row, attribute)
            if name in seen:
                duplicates.append(f"「{name}」重复：{seen[name]}、{district}均已报送")
            else:
                seen[name] = district
    summaries = [_summary(sub) for _, sub in ordered]
    problems = [f"{sub.district or '（未填报单位）'}：{p.message()}" for _, sub in ordered for p in sub.problems]
    return Consolidation(rows, summaries, duplicates, problems)


def _summary(sub: DistrictTables) -> DistrictSummary:
    counts = {key: len(table_rows) for key, table_rows in sub.rows.items()}
    officers = counts.get("case_officers", 0)
    volunteers = sum(row.members for row in sub.rows.get("volunteer_teams", []))
    findings = []
    if officers < CASE_OFFICER_TARGET:
        findings.append(f"执法队伍知识产权办案骨干 {officers} 人，未达到不少于 {CASE_OFFICER_TARGET} 人的工作目标")
    for row in sub.rows.get("stations", []):
        if not row.head:
            findings.append(f"「{row.station}」未明确负责人（设立要求：有专人负责工作站工作）")
    return DistrictSummary(sub.district, counts, officers, volunteers, findings)


SUMMARY_HEADERS = ("填报单位", "工作站", "重点保护企业", "执法骨干", "市场监管所", "社会服务机构", "志愿者队伍", "志愿者人数", "情况")
SUMMARY_TITLE = "各县（市）区知识产权保护工作体系建设情况汇总表"
MET = "达到工作目标"


def summary_rows(result: Consolidation) -> list[tuple]:
    """One row per district: its counts and what the seed's targets found."""
    return [(s.district, s.counts.get("stations", 0), s.counts.get("enterprises", 0), s.case_officers,
             s.counts.get("supervision_offices", 0), s.counts.get("institutions", 0),
             s.counts.get("volunteer_teams", 0), s.volunteers, "；".join(s.findings) or MET)
            for s in result.summaries]


def summary_attachment(result: Consolidation, number: int = 1) -> Attachment:
    """The summary as attachment pages: per district, and the city's totals."""
    rows = [(district_short(row[0]), *(str(v) for v in row[1:])) for row in summary_rows(result)]
    totals = [sum(int(r[i]) for r in rows) for i in range(1, 8)]
    rows.append(("合计", *map(str, totals), ""))
    widths = (2.6, 1, 1.2, 1, 1.2, 1.2, 1.2, 1.2, 5)
    return Attachment(number, SUMMARY_TITLE, (Table(SUMMARY_HEADERS, tuple(rows), widths),))


def consolidated_workbook(result: Consolidation) -> bytes:
    """The city's workbook: the tables with a 填报单位 column and renumbered 序号, a summary sheet, and the
    duplicates and rejected rows on a sheet of their own."""
    book = new_book()
    summary = book.active
    summary.title = "汇总"
    sheet_header(summary, "各县（市）区知识产权保护工作体系建设情况汇总", SUMMARY_HEADERS, [14] * len(SUMMARY_HEADERS))
    for n, values in enumerate(summary_rows(result), HEADER_ROW + 1):
        for c, value in enumerate(values, 1):
            put(summary, n, c, value, CELL)
    for form, table in sub_tables():
        sheet = book.create_sheet(sheet_name(form, table))
        columns = table.columns
        sheet_header(sheet, sheet_title(form, table), ("序号", "填报单位", *(c.header for c in columns)),
                     (6, 22, *(c.width * 8 for c in columns)))
        for i, (district, row) in enumerate(result.rows[table.key], 1):
            values = (i, district, *("、".join(v) if isinstance(v, list) else v
                                     for v in (getattr(row, c.field) for c in columns)))
            for c, value in enumerate(values, 1):
                put(sheet, HEADER_ROW + i, c, value, CELL)
    issues = book.create_sheet("重复与退回")
    sheet_header(issues, "重复报送和未能接受的行", ("类别", "说明"), (12, 120))
    for n, (category, text) in enumerate([("重复", d) for d in result.duplicates] +
                                         [("退回", p) for p in result.problems], HEADER_ROW + 1):
        put(issues, n, 1, category)
        put(issues, n, 2, text)
    return workbook_bytes(book)
