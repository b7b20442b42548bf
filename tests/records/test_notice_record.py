"""The 公文 record: the seed loads whole, headings are numbered by the engine, and bad input is explained
in Chinese — field, value, rule — never with a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.content.notice import build_notice
from docgen.content.document import Heading, Paragraph
from docgen.problems import InvalidRecord
from docgen.records.notice import NoticeRecord
from tests.notice_cases import notice

SEED_TEXT = Path(__file__).resolve().parents[2] / "samples" / "notices" / "jiaozuo-2021-135.source.txt"
SEED = "samples/notices/jiaozuo-2021-135.yaml"


def _sentences(text: str) -> list[str]:
    """Sentences of running text, with the seed's page-break splits and heading numbers removed."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(^|[。：；])[一二三四五六七八九十]+、", r"\1", text)
    text = re.sub(r"[（(][一二三四五六七八九十]+[）)]", "", text)
    text = re.sub(r"(^|[。：；])\d+\.", r"\1", text)
    return [s for s in re.split(r"(?<=[。；：])", text) if s]


def test_seed_record_holds_every_sentence_of_the_seed_in_order():
    raw = SEED_TEXT.read_text(encoding="utf-8")
    seed_body = raw[raw.index("知识产权保护工作关系"):raw.index("- 附件：")]
    doc = build_notice(NoticeRecord.load(SEED))
    ours = "".join(b.text if isinstance(b, Paragraph) else b.text + b.run_in
                   for b in doc.body if isinstance(b, (Paragraph, Heading)))
    expected = _sentences(seed_body)
    assert len(expected) > 45
    assert _sentences(ours) == expected


def test_seed_headings_are_numbered_by_the_engine():
    doc = build_notice(NoticeRecord.load(SEED))
    labels = [b.label for b in doc.body if isinstance(b, Heading)]
    assert labels[:5] == ["一、", "二、", "（一）", "（二）", "1."]
    assert labels.count("一、") == 1 and "三、" in labels and "（五）" in labels
    assert labels[labels.index("（二）") + 1:labels.index("（三）")] == ["1.", "2.", "3.", "4.", "5.", "1.", "2."]
    assert [a.title for a in doc.attachments][-1] == "工作站图样" and len(doc.attachments) == 7


def problems(record: dict) -> list[str]:
    with pytest.raises(InvalidRecord) as caught:
        NoticeRecord.parse(record)
    return [p.message() for p in caught.value.problems]


@pytest.mark.parametrize("number,rule", [
    ("焦市监办[2021]135号", "六角括号〔〕"),
    ("焦市监办（2021）135号", "六角括号〔〕"),
    ("焦市监办【2021】135号", "六角括号〔〕"),
    ("焦市监办〔2021〕第135号", "不加「第」"),
    ("焦市监办〔2021〕035号", "不编虚位"),
    ("焦市监办〔21〕135号", "年份写全四位"),
])
def test_document_number_rules(number, rule):
    [message] = problems(notice(doc_number=number))
    assert message.startswith("发文字号（doc_number）的值「" + number + "」不符合规则：") and rule in message


@pytest.mark.parametrize("date,rule", [
    ("2021年08月03日", "不编虚位"), ("2021年2月30日", "不存在这一天"), ("八月三日", "2021年8月3日"),
])
def test_date_rules(date, rule):
    [message] = problems(notice(signature={"organ": "焦作市市场监督管理局", "date": date}))
    assert "成文日期（signature.date）" in message and date in message and rule in message


def test_missing_title_unknown_field_and_many_problems_at_once():
    record = notice(title=None, tittle="错字段", doc_number="焦市监[2024]1号", copy_number="12",
                    secrecy="内部", direction="上行文")
    messages = problems(record)
    text = "\n".join(messages)
    assert "标题（title）：必填项，不能缺少" in text
    assert "tittle：未知字段（可能拼写错误），不能接受；是否想写 title？" in text
    assert "份号（copy_number）的值「12」" in text and "密级和保密期限（secrecy）的值「内部」" in text
    assert "份号为 6 位阿拉伯数字" in text
    assert len(messages) >= 5 and not re.search(r"[A-Za-z]{5,}", text.replace("doc_number", "").replace(
        "copy_number", "").replace("secrecy", "").replace("title", "").replace("tittle", ""))
    assert "上行文必须写明签发人" in "\n".join(problems(notice(direction="上行文")))


def test_template_syntax_is_accepted_as_plain_text():
    record = NoticeRecord.parse(notice(title="{{ 7*7 }}{% for x in y %}"))
    assert record.title == "{{ 7*7 }}{% for x in y %}"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen.cli", *args], capture_output=True, text=True)


def test_cli_reports_a_bad_record_in_chinese_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: notice\nissuer: {organ: 焦作市市场监督管理局}\ndoc_number: 焦市监[2024]1号\n", encoding="utf-8")
    result = run_cli("render", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "发文字号（doc_number）的值「焦市监[2024]1号」不符合规则" in result.stderr
    assert "标题（title）：必填项" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: notice\ntitle: [未闭合\n", encoding="utf-8")
    result = run_cli("render", str(broken), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "YAML 格式错误（第" in result.stderr and "Traceback" not in result.stderr


def test_cli_renders_the_seed_with_a_font_report(tmp_path):
    result = run_cli("render", SEED, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "jiaozuo-2021-135.docx").exists() and (tmp_path / "jiaozuo-2021-135.pdf").exists()
    assert "仿宋（仿宋_GB2312）→ 替代字体 FandolFang" in result.stdout
    assert "小标宋（方正小标宋简体）→ 替代字体 Noto Serif CJK SC Bold" in result.stdout
    assert "嵌入字体" in result.stdout
