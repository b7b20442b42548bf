"""Sizes of work are bounded in the record, before any item, row or pixel is made."""

from __future__ import annotations

import pytest

from docgen.kinds import parse_record
from docgen.problems import InvalidRecord
from docgen.records import limits


def _refused(data: dict) -> str:
    with pytest.raises(InvalidRecord) as caught:
        parse_record(data)
    return caught.value.report()


def test_a_plaque_proof_is_bounded_in_pixels_with_the_dpi_that_fits():
    report = _refused({"kind": "plaque", "station": "知识产权保护工作站测试园区站", "size": "3000x3000", "proof_dpi": 600})
    assert "proof_dpi" in report and "校样图像像素数" in report and "5,022,010,044 像素" in report
    assert "65 dpi 以下" in report
    parse_record({"kind": "plaque", "station": "知识产权保护工作站测试园区站", "size": "3000x3000", "proof_dpi": 65})


def test_the_same_bound_holds_for_a_batch():
    report = _refused({"kind": "plaque-batch", "size": "3000x3000", "proof_dpi": 600, "stations": [{"name": "甲站"}]})
    assert "proof_dpi" in report and "校样图像像素数" in report


@pytest.mark.parametrize("data,field,limit", [
    ({"kind": "plaque-batch", "stations": [{"name": "测试站"}] * (limits.BATCH_ITEMS.maximum + 1)}, "stations",
     limits.BATCH_ITEMS),
    ({"kind": "district-report", "district": "山阳区", "enterprises": [{}] * (limits.TABLE_ROWS.maximum + 1)},
     "enterprises", limits.TABLE_ROWS),
])
def test_lists_over_their_limit_are_refused_before_their_items_are_validated(data, field, limit):
    report = _refused(data)
    assert field in report and limit.label in report and f"{limit.maximum + 1:,}" in report
    assert report.count("\n  - ") == 1  # one problem: the items themselves were never looked at


def test_a_notice_body_and_table_are_bounded():
    from tests.notice_cases import notice

    assert "正文段落和标题数" in _refused(notice(body=["段落。"] * (limits.BODY_BLOCKS.maximum + 1)))
    rows = [["1"]] * (limits.TABLE_ROWS.maximum + 1)
    assert "表格行数" in _refused(notice(body=[{"table": {"columns": ["甲"], "rows": rows}}]))
