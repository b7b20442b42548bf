"""Varied 公文 records the renderer tests share: each a plain dict, as staff would write it in YAML.

``notice(**changes)`` gives a valid short notice with fields replaced; ``CASES`` names the situations the
GB/T 9704 layout must handle. Build content with ``content(record_dict)``.
"""

from __future__ import annotations

import copy
from typing import Any

from docgen.content.notice import build_notice
from docgen.content.document import OfficialDocument
from docgen.records.notice import NoticeRecord

ORGAN = "焦作市市场监督管理局"

# A plain sentence of 28 characters (one full body line when it starts a continuation line).
SENTENCE = "各县区市场监管部门要按照通知要求认真做好知识产权保护工作体系建设。"

BASE: dict[str, Any] = {
    "kind": "notice",
    "name": "case",
    "issuer": {"organ": ORGAN, "mark": f"{ORGAN}文件"},
    "doc_number": "焦市监〔2024〕12号",
    "title": f"{ORGAN}关于开展知识产权保护工作站年度检查的通知",
    "addressees": "各县（市）、区市场监督管理局、分局",
    "body": [
        "为进一步规范知识产权保护工作站建设和运行，现就开展年度检查有关事项通知如下：",
        {"h1": "检查范围"},
        "全市已建立的知识产权保护工作站和知识产权保护联系点。",
        {"h1": "检查内容"},
        {"h2": "工作站设立情况。", "text": "重点检查办公场所、办公设备和专人负责情况。"},
        {"h2": "工作开展情况。", "text": "重点检查宣传培训、协助执法和问题收集情况。"},
        "请各单位于2024年9月30日前将检查情况报送市局知识产权保护科。",
    ],
    "signature": {"organ": ORGAN, "date": "2024年8月3日", "seal": "unsealed"},
    "colophon": {"printer": f"{ORGAN}办公室", "print_date": "2024年8月3日"},
}


def notice(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def content(record: dict[str, Any]) -> OfficialDocument:
    return build_notice(NoticeRecord.parse(record), record.get("name", "case"))


def long_body(paragraphs: int) -> list[Any]:
    """A body of ``paragraphs`` paragraphs of 3–4 lines each, with headings every four paragraphs."""
    body: list[Any] = []
    for i in range(paragraphs):
        if i % 4 == 0:
            body.append({"h1": f"第{i // 4 + 1}部分工作安排"})
        body.append(SENTENCE * (2 + i % 2) + "确保各项工作落到实处。")
    return body


def body_of_lines(n_lines: int) -> list[str]:
    """A body of exactly ``n_lines`` grid lines after the 主送机关: full paragraphs of 28-char lines.

    Each paragraph's first line holds 26 characters after its 2-字 indent; continuation lines 28.
    """
    text = "知识产权保护工作关系国家治理体系和治理能力现代化关系高质量发展" * 40
    paragraphs, pos, left = [], 0, n_lines
    while left > 0:
        lines = min(left, 3)
        chars = 26 + 28 * (lines - 1) - 1  # the paragraph ends with "。" in its last cell
        paragraphs.append(text[pos:pos + chars] + "。")
        pos += chars
        left -= lines
    return paragraphs


CASES: dict[str, dict[str, Any]] = {
    "short_unsealed": notice(name="short-unsealed"),
    "one_page_body": notice(name="one-page-body", body=body_of_lines(8)),
    "long_multipage": notice(name="long-multipage", body=long_body(24),
                             signature={"organ": ORGAN, "date": "2024年8月3日", "seal": "sealed"}),
    "sealed": notice(name="sealed", signature={"organ": ORGAN, "date": "2024年12月31日", "seal": "sealed"}),
    "upward_two_signers": notice(
        name="upward", direction="上行文", signers=["张建国", "李明"],
        issuer={"organ": "焦作市市场监督管理局", "mark": "焦作市市场监督管理局文件"},
        doc_number="焦市监〔2024〕30号",
        title="焦作市市场监督管理局关于申请知识产权保护专项资金的请示",
        addressees="河南省市场监督管理局",
        body=["为加强我市知识产权保护工作体系建设，现申请知识产权保护专项资金。", "妥否，请批示。"],
        signature={"organ": ORGAN, "date": "2024年3月5日", "seal": "sealed"},
        colophon=None,
    ),
    "header_marks": notice(name="header-marks", copy_number="000123", secrecy="秘密★1年", urgency="特急",
                           note="此件不公开发布"),
    "many_attachments": notice(
        name="many-attachments",
        attachments=[
            {"title": "知识产权保护联系点申请表"},
            {"title": "工作站统计表"},
            {"title": "知识产权重点保护企业名录（含驰名商标企业、知识产权优势企业、高新技术企业、专精特新企业）"},
            {"title": "知识产权保护执法队伍建设情况汇总表"},
            {"title": "知识产权保护社会服务机构名录", "blocks": [
                {"table": {"columns": ["知识产权保护社会服务机构名称", "类别", "联系人", "联系方式", "备注"],
                           "rows": [["焦作市知识产权纠纷人民调解委员会", "调解委员会", "王芳", "0391-3568888", "专职3人"]]}}]},
            {"title": "知识产权保护志愿者队伍名录", "blocks": [
                "志愿者服务队按专职、兼职分别填报。",
                {"table": {"columns": ["志愿者服务队名称", "类别（专职、兼职）", "人数", "联系人", "联系方式"],
                           "rows": []}}]},
        ],
    ),
    "three_line_title": notice(
        name="three-line-title",
        title="焦作市市场监督管理局关于印发焦作市知识产权保护工作站建设管理办法和知识产权保护联系点认定办法（试行）的通知",
    ),
    "long_cc": notice(
        name="long-cc",
        colophon={"printer": f"{ORGAN}办公室", "print_date": "2024年8月3日",
                  "cc": ["市委办公室", "市人大常委会办公室", "市政府办公室", "市政协办公室", "市中级人民法院",
                         "市人民检察院", "市知识产权局", "各县（市）区人民政府"]},
    ),
    "rare_characters": notice(
        name="rare-characters",
        body=["请王堃、李喆、张焜同志于2024年9月1日前到市局知识产权保护科报到。"],
        signature={"organ": ORGAN, "date": "2024年8月3日", "seal": "unsealed"},
    ),
    "template_injection": notice(
        name="template-injection",
        title="关于{{ 7*7 }}和{% for x in y %}的通知",
        body=["正文含有 {{ 7*7 }}、{% for x in y %}、<b>粗体</b> 与 & 符号，应原样输出。"],
    ),
}
