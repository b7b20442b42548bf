"""The Plaque record: names, variants, sizes and the Chinese errors staff see."""

import pytest

from docgen.kinds import parse_record
from docgen.problems import InvalidRecord
from docgen.records.plaque import Plaque, bureau_line, short_name


def _error(data: dict) -> str:
    with pytest.raises(InvalidRecord) as info:
        Plaque.parse({"kind": "plaque", **data})
    return info.value.report()


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_empty_or_blank_name_names_the_field(name):
    report = _error({"station": name})
    assert "站名（station）" in report and "不能为空" in report


def test_missing_name_names_the_field():
    assert "站名（station）" in _error({}) and "必填" in _error({})


def test_prefix_only_is_refused():
    assert "缺少站名本身" in _error({"station": "知识产权保护工作站"})


def test_name_length_limits():
    assert Plaque.parse({"station": "园站"}).lines[1] == ("station", "园站")
    assert Plaque.parse({"station": "园" * 29 + "站"}).lines[1][1] == "园" * 29 + "站"
    assert "31 个字" in _error({"station": "园" * 30 + "站"})
    assert "1 个字" in _error({"station": "站"})


def test_full_name_gives_the_short_line():
    plaque = Plaque.parse({"station": "知识产权保护工作站焦作高新区园区站"})
    assert plaque.lines == [("title", "知识产权保护工作站"), ("station", "焦作高新区园区站")]
    assert short_name(" 焦作高新区园区站 ") == "焦作高新区园区站"


@pytest.mark.parametrize("bureau", ["山阳区", "山阳区局", "山阳区市场监管局", "山阳区市场监督管理局",
                                    "山阳区市场监督管理局知识产权保护联系点"])
def test_bureau_line_is_normalised(bureau):
    assert bureau_line(bureau) == "山阳区市场监督管理局知识产权保护联系点"


def test_contact_point_needs_a_bureau_and_general_refuses_one():
    assert "须填写辖区市场监督管理局" in _error({"station": "某园区站", "variant": "contact"})
    assert "variant: contact" in _error({"station": "某园区站", "bureau": "山阳区"})
    plaque = Plaque.parse({"station": "某园区站", "variant": "联系点", "bureau": "山阳区"})
    assert plaque.lines[2] == ("bureau", "山阳区市场监督管理局知识产权保护联系点")


def test_sizes_schemes_and_aliases():
    assert Plaque.parse({"station": "某园区站"}).size == (600, 400)
    assert Plaque.parse({"station": "某园区站", "size": "400×300"}).size == (400, 300)
    assert Plaque.parse({"station": "某园区站", "size": [900, 300]}).size == (900, 300)
    assert Plaque.parse({"station": "某园区站", "scheme": "钛金", "text_as": "嵌入字体"}).scheme == "gold"
    assert "宽x高" in _error({"station": "某园区站", "size": "big"})
    assert "100～3000" in _error({"station": "某园区站", "size": "50x40"})
    assert "只能取以下值之一" in _error({"station": "某园区站", "scheme": "purple"})


def test_unknown_field_and_control_characters_are_refused():
    assert "未知字段" in _error({"station": "某园区站", "colour": "red"})
    assert "换行" in _error({"station": "某园\n区站"})


def test_registry_knows_both_kinds():
    kind, record = parse_record({"kind": "plaque", "station": "某园区站"})
    assert kind.name == "plaque" and not kind.is_batch
    kind, _ = parse_record({"kind": "plaque-batch", "stations": [{"name": "某园区站"}]})
    assert kind.is_batch
