"""The one mm layout: centred lines, dominant title, safe area, shrinking and wrapping long names."""

import pytest

from docgen.plaques.layout import LEGIBLE_MIN, SIZE_RATIO, layout, wrap_point
from docgen.problems import InvalidRecord
from docgen.records.plaque import Plaque

NAMES = ["园站", "焦作高新区园区站", "山阳区太行路商会站", "武陟县詹店镇喆堃产业园区站",
         "沁阳市高新技术产业开发区知识产权服务业集聚发展示范园区站", "焦" * 29 + "站"]


def _ink_inside(lay, box):
    left, top, right, bottom = box
    for line in lay.lines:
        for pg in line.glyphs:
            ink = pg.ink_box
            assert ink and left <= ink[0] and ink[2] <= right and top <= ink[1] and ink[3] <= bottom, (line.text, ink)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", ["600x400", "400x300", "1200x300", "300x450"])
def test_every_name_fits_the_safe_area_centred(name, size):
    lay = layout(Plaque.parse({"station": name, "size": size, "variant": "contact", "bureau": "焦作市山阳区"}))
    _ink_inside(lay, lay.safe_box)
    for line in lay.lines:
        assert abs((line.box[0] + line.box[2]) / 2 - lay.width / 2) < 0.01
    tops = [line.box[1] for line in lay.lines]
    assert tops == sorted(tops)
    assert abs((lay.lines[0].box[1] + lay.lines[-1].box[3]) / 2 - lay.height / 2) < 0.01  # the block is centred


def test_title_dominates_station_then_line3():
    lay = layout(Plaque.parse({"station": "焦作高新区园区站", "variant": "contact", "bureau": "山阳区"}))
    title, station, bureau = (line.size for line in lay.lines)
    assert title > station > bureau
    assert station == pytest.approx(title * SIZE_RATIO["station"])
    assert lay.lines[0].box[2] - lay.lines[0].box[0] == pytest.approx(600 * 0.84, abs=0.5)  # title spans the design width


def test_long_name_shrinks_then_wraps_at_a_boundary_not_below_the_minimum():
    title = layout(Plaque.parse({"station": "园区站"})).lines[0].size
    shrunk = layout(Plaque.parse({"station": "马村区汽车零部件产业园区站"})).lines
    assert len(shrunk) == 2 and shrunk[1].size < title * SIZE_RATIO["station"]
    long = layout(Plaque.parse({"station": "沁阳市高新技术产业开发区知识产权服务业集聚发展示范园区站"})).lines
    assert [line.text for line in long[1:]] == ["沁阳市高新技术产业开发区", "知识产权服务业集聚发展示范园区站"]
    assert long[1].size == long[2].size >= title * SIZE_RATIO["station"] * LEGIBLE_MIN
    thirty = layout(Plaque.parse({"station": "焦" * 29 + "站"})).lines
    assert len(thirty) == 3 and {len(line.text) for line in thirty[1:]} == {15}


def test_wrap_prefers_word_boundaries_and_keeps_latin_together():
    assert wrap_point("焦作市高新区创新创业孵化园区站", "station") in (3, 6)
    text = "ABCDEFGHIJ园区KLMNOPQ站"
    i = wrap_point(text, "station")
    assert not (text[i - 1].isalnum() and text[i - 1].isascii() and text[i].isascii() and text[i].isalnum())


def test_undrawable_character_is_a_chinese_error_naming_the_field():
    with pytest.raises(InvalidRecord) as info:
        layout(Plaque.parse({"station": "\U00020000园区站"}))
    assert "站名（station）" in info.value.report() and "没有任何已安装字体" in info.value.report()
