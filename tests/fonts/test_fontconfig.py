"""fonts/fonts.conf: official face names resolve to free substitutes, and a licensed drop-in wins."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont

from docgen.fonts.config import FONTCONFIG_FILE
from docgen.fonts.report import font_report, resolve
from docgen.fonts.roles import FANGSONG, ROLES

SUBSTITUTES = {
    "仿宋_GB2312": "FandolFang", "仿宋": "FandolFang", "FangSong": "FandolFang",
    "方正小标宋简体": "Noto Serif CJK SC", "小标宋": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
    "楷体_GB2312": "FandolKai", "楷体": "FandolKai", "KaiTi": "FandolKai",
    "宋体": "FandolSong", "SimSun": "FandolSong",
}


def fc_match(name: str, env: dict[str, str] | None = None) -> tuple[str, str, str]:
    out = subprocess.run(["fc-match", "-f", "%{family[0]}\t%{style[0]}\t%{file}", name], capture_output=True,
                         text=True, check=True, env=env or {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)})
    return tuple(out.stdout.split("\t"))  # type: ignore[return-value]


@pytest.mark.parametrize("official,substitute", SUBSTITUTES.items())
def test_every_official_name_maps_to_its_free_substitute(official, substitute):
    family, style, path = fc_match(official)
    assert family == substitute, (official, family, path)
    if official in ("方正小标宋简体", "小标宋"):
        assert style == "Bold"  # the one heavy weight of 小标宋, without synthetic bolding
    else:
        assert style == "Regular", (official, style, path)


def test_fandol_bold_files_are_not_taken_for_regular():
    # Fandol's Bold files declare weight 400; the scan-time rule makes them bold.
    assert fc_match("宋体")[2].endswith("FandolSong-Regular.otf")
    assert fc_match("宋体:bold")[2].endswith("FandolSong-Bold.otf")


def test_licensed_font_dropped_in_wins_over_the_substitute(tmp_path):
    conf_dir = tmp_path / "fonts"
    (conf_dir / "licensed").mkdir(parents=True)
    shutil.copy(FONTCONFIG_FILE, conf_dir / "fonts.conf")
    # A stand-in for a licensed 仿宋_GB2312: a free font file renamed, as the bureau's file would be named.
    font = TTFont(resolve(ROLES["kaiti"]).file, lazy=True)
    names = font["name"]
    names.names = [r for r in names.names if r.platformID == 3 and r.nameID not in (1, 4, 6, 16, 17)]
    for name_id, text in ((1, "仿宋_GB2312"), (4, "仿宋_GB2312"), (6, "FangSong_GB2312")):
        names.setName(text, name_id, 3, 1, 0x804)
    font.save(conf_dir / "licensed" / "fangsong-gb2312.otf")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf_dir / "fonts.conf"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run(["fc-cache", str(conf_dir / "licensed")], check=True, env=env)

    family, _, path = fc_match("仿宋_GB2312", env)
    assert family == "仿宋_GB2312" and path.endswith("fangsong-gb2312.otf")
    assert fc_match("仿宋", env)[0] == "仿宋_GB2312"  # the other 仿宋 names reach the licensed face too
    assert fc_match("黑体", env)[0] == "Noto Sans CJK SC"  # roles without a licensed face keep theirs


def test_report_names_substitutes_and_fallbacks():
    report = font_report({"fangsong": "知识产权保护王堃李喆张焜", "songti": "— 3 —"})
    by_role = {use.role.key: use for use in report.roles}
    assert by_role["fangsong"].font.family == "FandolFang" and by_role["fangsong"].substituted
    assert set(report.fallbacks) == {"堃", "喆", "焜"}
    assert all(family.startswith("Noto Serif CJK") for family in report.fallbacks.values())
    assert not report.missing
    text = "\n".join(report.lines())
    assert "仿宋（仿宋_GB2312）→ 替代字体 FandolFang" in text and "字符「堃」" in text


def test_report_flags_characters_no_font_can_draw():
    report = font_report({FANGSONG.key: "正文\U000F0001"})
    assert report.missing == ["\U000F0001"]
    assert "没有任何已安装字体能绘制" in "\n".join(report.lines())


@pytest.mark.parametrize("pattern", [*SUBSTITUTES, "仿宋_GB2312:charset=5803", "黑体:charset=2014", "no such face"])
def test_in_process_matching_answers_as_fc_match_does(pattern):
    """docgen matches fonts through libfontconfig in its own process (docgen.fonts.match): the same answer as
    the fc-match command under docgen's fontconfig."""
    from docgen.fonts.match import fc_match as in_process

    assert in_process(pattern, "%{family[0]}\t%{style[0]}\t%{file}") == "\t".join(fc_match(pattern))


def test_a_family_name_is_never_read_as_pattern_syntax():
    from docgen.fonts.match import family_pattern, fc_match as in_process

    plain = in_process(family_pattern("没有这个字体"), "%{file}")
    assert in_process(family_pattern("没有这个字体:charset=41"), "%{file}") == plain
    assert in_process(family_pattern("a-b,c\\d"), "%{family[0]}") == in_process(family_pattern("没有"), "%{family[0]}")
