"""A bureau's own DOCX templates: the folder that wins per file name (DOCGEN_TEMPLATES, --templates), the
fall-back to docgen's, the sandbox, `docgen templates check` on copies edited with python-docx, and a copy
saved by LibreOffice (which rewrites attributes, drops text between elements, renames styles and
relationships) that still renders a 公文 passing `docgen check`."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.check.readback import read_pdf
from docgen.check.report import check_pdf
from docgen.cli import main
from docgen.content.notice import build_notice
from docgen.docx.attachments import render_attachments_docx
from docgen.docx.document import render_docx
from docgen.docx.template import TEMPLATE_NAMES, TEMPLATES, TEMPLATES_ENV, find_template
from docgen.docx.template_check import W_NS as W, _check_sections, template_tags
from docgen.fonts.config import FONTCONFIG_FILE
from docgen.docx.units import tw
from docgen.problems import InvalidRecord
from docgen.records.notice import NoticeRecord
from tests.libreoffice import to_pdf
from tests.render.test_docx_libreoffice import KNOWN_ARTEFACTS

SEED = "samples/notices/jiaozuo-2021-135.yaml"
SEED_MARK = "焦作市市场监督管理局办公室文件"
BUREAU_MARK = "焦作市知识产权保护中心文件"


@pytest.fixture(scope="module")
def seed():
    return build_notice(NoticeRecord.load(SEED))


@pytest.fixture(autouse=True)
def no_configured_folder(monkeypatch):
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)


def bureau_copy(folder, edit=None, name="official.docx"):
    """The built-in template copied into ``folder``, changed by ``edit(document)`` through python-docx."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    shutil.copy(TEMPLATES / name, path)
    if edit is not None:
        document = docx.Document(str(path))
        edit(document)
        document.save(str(path))
    return folder


def replace_text(old, new):
    def edit(document):
        runs = [run for p in document.paragraphs for run in p.runs if old in run.text]
        assert runs, old
        for run in runs:
            run.text = run.text.replace(old, new)
    return edit


def parts(data):
    """A DOCX's parts (its zip entries carry the time it was written)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def check(folder, capsys):
    status = main(["templates", "check", str(folder)])
    return status, capsys.readouterr().out


def test_untouched_copy_passes(tmp_path, capsys):
    folder = bureau_copy(tmp_path / "bureau")
    bureau_copy(folder, name="attachments.docx")
    status, out = check(folder, capsys)
    assert status == 0, out
    assert "：错误：" not in out and "：警告：" not in out
    assert out.count("可用（0 处错误，0 处警告）") == 2


def test_an_untouched_copy_renders_what_docgen_s_own_renders(tmp_path, seed):
    """The sandbox a bureau's template is filled in changes nothing in what it makes."""
    folder = bureau_copy(tmp_path / "bureau")
    assert find_template("official.docx", folder).bureau
    assert parts(render_docx(seed, templates=folder).data) == parts(render_docx(seed).data)


def test_a_copy_saved_by_python_docx_passes(tmp_path, capsys):
    status, out = check(bureau_copy(tmp_path / "bureau", edit=lambda document: None), capsys)
    assert status == 0, out


def _delete_style(document):
    document.styles["附注"].delete()


def _margin(document):
    document.sections[-1].top_margin = Mm(30)


def _grid(document):
    document.sections[-1]._sectPr.find(qn("w:docGrid")).set(qn("w:linePitch"), "312")


def _page(document):
    document.sections[-1].page_width, document.sections[-1].page_height = Mm(215.9), Mm(279.4)


@pytest.mark.parametrize("edit, finding", [
    (replace_text("{{ addressees }}", ""), "错误：缺少标签 {{ addressees }}（内置模板 1 处，此模板 0 处）"),
    (replace_text("{%p if note %}", ""), "错误：缺少标签 {%p if note %}"),
    (_delete_style, "错误：缺少样式 Note（附注）；规则：渲染器按标识或名称引用此样式"),
    (_margin, "错误：最后一节上（天头）页边距为 30.0 mm；规则：GB/T 9704 版心：应为 37 mm，误差不超过 ±1 mm"),
    (_grid, "错误：最后一节文档网格 linePitch=312；规则：应为 linePitch=579（22 行 × 28 字"),
    (_page, "错误：最后一节纸张为 215.9 × 279.4 mm"),
], ids=["tag", "paragraph-tag", "style", "margin", "grid", "page"])
def test_each_edit_is_reported(tmp_path, capsys, edit, finding):
    status, out = check(bureau_copy(tmp_path / "bureau", edit), capsys)
    assert status == 1
    assert any(line.startswith("official.docx：" + finding) for line in out.splitlines()), out
    assert "不可用" in out


def test_a_section_the_template_sets_itself_is_measured_within_one_millimetre():
    """A section without docgen's tag keeps the page set-up it has: A4, margins within 1 mm, the grid."""
    def section(top, line_pitch):
        return (f'<w:document xmlns:w="{W}"><w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                f'<w:pgMar w:top="{tw(top)}" w:right="1474" w:bottom="1984" w:left="1587"/>'
                f'<w:docGrid w:type="linesAndChars" w:linePitch="{line_pitch}" w:charSpace="0"/>'
                '</w:sectPr></w:body></w:document>').encode()
    assert _check_sections("official.docx", section(37.8, 579)) == []
    [finding] = _check_sections("official.docx", section(38.2, 579))
    assert finding.error and finding.what == "最后一节上（天头）页边距为 38.2 mm"
    [finding] = _check_sections("official.docx", section(37, 600))
    assert finding.what == "最后一节文档网格 linePitch=600"


def test_the_last_section_is_set_up_by_docgen(tmp_path, seed):
    """The template's own last section is what staff see while editing it; docgen writes the one it renders
    (its {{sectPr}} tag), so a changed margin there changes nothing in the document."""
    def margins(document):
        document.sections[-1].top_margin = Mm(30)
    folder = bureau_copy(tmp_path / "bureau", margins)
    assert parts(render_docx(seed, templates=folder).data)["word/document.xml"] == \
        parts(render_docx(seed).data)["word/document.xml"]


def test_a_renamed_style_identifier_is_followed(tmp_path, capsys, seed):
    """LibreOffice (and Chinese Word) write their own style identifiers: the renderer names a style by the
    template's identifier for the same name."""
    def rename(document):
        document.styles["署名和成文日期"].element.set(qn("w:styleId"), "Style28")  # as LibreOffice saves it
    folder = bureau_copy(tmp_path / "bureau", rename)
    status, out = check(folder, capsys)
    assert status == 0 and "样式" not in out, out
    document = parts(render_docx(seed, templates=folder).data)["word/document.xml"].decode()
    assert document.count('<w:pStyle w:val="Style28"/>') == 2 and '<w:pStyle w:val="Signature"/>' not in document


def test_no_tag_of_docgen_s_templates_stands_outside_a_run_s_text():
    for name in TEMPLATE_NAMES:
        tags, misplaced = template_tags(parts((TEMPLATES / name).read_bytes()))
        assert tags and not misplaced, (name, misplaced)
        assert not any(tag.startswith("{%") and not tag.startswith(("{%p ", "{%tr ", "{%tc ")) for tag in tags), name


def test_a_tag_in_an_attribute_is_named(tmp_path, capsys):
    """A tag Word or LibreOffice would lose on saving: in an attribute's value, or between elements."""
    folder = tmp_path / "bureau"
    folder.mkdir()
    with zipfile.ZipFile(TEMPLATES / "official.docx") as source, \
            zipfile.ZipFile(folder / "official.docx", "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b'<w:pStyle w:val="Note"/>', b'<w:pStyle w:val="{{ note_style }}"/>', 1)
                data = data.replace(b'<w:pPr><w:pStyle w:val="Addressee"/>', b'<w:pPr>{{ addressee_ppr }}<w:pStyle w:val="Addressee"/>', 1)
            copy.writestr(item, data)
    status, out = check(folder, capsys)
    assert status == 1
    assert "official.docx：错误：标签 {{ note_style }} 写在XML 属性值中；规则：标签须写在文字中" in out, out
    assert "official.docx：错误：标签 {{ addressee_ppr }} 写在XML 元素之间（不在文字中）" in out


def _soffice(*args: str, profile) -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", *args],
                   check=True, capture_output=True, env=env, timeout=400)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_templates_saved_by_libreoffice_keep_every_tag_and_render_a_document_that_passes(tmp_path, capsys):
    """Both templates opened in LibreOffice and saved back as DOCX: `templates check` finds every tag, and
    a 公文 with a table, attachments (one landscape) and a 版记 rendered with them passes `docgen check` on
    its PDF (laid out by LibreOffice), as docgen's own does."""
    from tests.render.test_docx_annexes import enterprises, stations
    from tests.notice_cases import content, long_body, notice

    originals, folder = tmp_path / "originals", tmp_path / "bureau"
    originals.mkdir()
    for name in TEMPLATE_NAMES:
        shutil.copy(TEMPLATES / name, originals / name)
    _soffice("--convert-to", "docx", "--outdir", str(folder), *(str(originals / n) for n in TEMPLATE_NAMES),
             profile=tmp_path / "lo-profile")
    saved = parts((folder / "official.docx").read_bytes())
    assert b'w:styleId="GongwenBody"' not in saved["word/styles.xml"]  # LibreOffice wrote its own identifiers
    status, out = check(folder, capsys)
    assert status == 0 and "缺少标签" not in out and "：错误：" not in out, out

    doc = content(notice(name="saved", body=long_body(6) + ["请各单位认真贯彻执行。"],
                         signature={"organ": "焦作市市场监督管理局", "date": "2024年12月31日", "seal": "sealed"},
                         colophon={"printer": "焦作市市场监督管理局办公室", "print_date": "2024年8月3日",
                                   "cc": ["市委办公室"]}))
    attachments = tuple(dataclasses.replace(a, number=n) for n, a in enumerate((stations(6), enterprises(4)), 1))
    doc = dataclasses.replace(doc, attachments=attachments)
    written = tmp_path / "saved.docx"
    written.write_bytes(render_docx(doc, templates=folder).data)
    names = zipfile.ZipFile(written).namelist()
    assert len(names) == len(set(names))  # one part a name (LibreOffice's core properties taken once)
    own = tmp_path / "own.docx"
    own.write_bytes(render_docx(doc).data)
    _soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(written), str(own), profile=tmp_path / "lo-profile")
    report = check_pdf(tmp_path / "saved.pdf")
    assert not [r for r in report.failures() if r.rule not in KNOWN_ARTEFACTS], report.text()
    assert len(read_pdf(tmp_path / "saved.pdf").pages) == len(read_pdf(tmp_path / "own.pdf").pages)


def test_a_font_fontconfig_cannot_find_is_a_warning(tmp_path, capsys):
    def font(document):
        fonts = document.styles["公文正文"].element.rPr
        fonts = fonts if fonts is not None else document.styles["公文正文"].element.get_or_add_rPr()
        element = fonts.get_or_add_rFonts()
        element.set(qn("w:eastAsia"), "方正仿宋_GBK")
    status, out = check(bureau_copy(tmp_path / "bureau", font), capsys)
    assert status == 0, out
    assert "official.docx：警告：字体「方正仿宋_GBK」未安装" in out


def test_template_code_is_sandboxed(tmp_path, capsys, seed):
    folder = bureau_copy(tmp_path / "bureau", replace_text("{{ mark.text }}", "{{ mark.__class__.__mro__[1].__subclasses__() }}"))
    with pytest.raises(InvalidRecord) as caught:
        render_docx(seed, templates=folder)
    assert "单位模板无法填写（SecurityError" in caught.value.report()
    status, out = check(folder, capsys)
    assert status == 1 and "错误：试填失败" in out and "SecurityError" in out


def test_a_property_tag_takes_only_properties_the_renderer_built(tmp_path, capsys, seed):
    """A record's text put in a property tag would be written into the XML as markup: it is refused."""
    folder = bureau_copy(tmp_path / "bureau", replace_text("{{rPr wml.size(mark.size) }}",
                                                                   "{{rPr wml.size(mark.size) }}{{rPr mark.text }}"))
    with pytest.raises(InvalidRecord) as caught:
        render_docx(seed, templates=folder)
    report = caught.value.report()
    assert "单位模板无法填写（PropertyTagError：属性标记 {{rPr mark.text }} 只能填写" in report, report
    assert f"不能填写“{SEED_MARK}”" in report
    status, out = check(folder, capsys)
    assert status == 1 and "错误：试填失败" in out and "PropertyTagError" in out, out


def test_only_known_names_are_looked_up(tmp_path, capsys):
    folder = bureau_copy(tmp_path / "bureau")
    shutil.copy(TEMPLATES / "official.docx", folder / "Official.docx")
    with pytest.raises(ValueError):
        find_template("../official.docx", folder)
    status, out = check(folder, capsys)
    assert status == 0 and "Official.docx：警告：docgen 不使用此文件" in out


def test_a_bureau_mark_wins_and_a_missing_file_falls_back(tmp_path, capsys, monkeypatch, seed):
    folder = bureau_copy(tmp_path / "bureau", replace_text("{{ mark.text }}", BUREAU_MARK))
    status, out = check(folder, capsys)  # a fixed mark is the bureau's choice: a warning
    assert status == 0 and "official.docx：警告：发文机关标志为模板中的固定内容" in out

    assert find_template("official.docx", folder).bureau
    assert not find_template("attachments.docx", folder).bureau  # not in the folder: docgen's own
    assert main(["templates", "list", str(folder)]) == 0
    listing = capsys.readouterr().out
    assert f"official.docx\t单位模板\t{folder / 'official.docx'}" in listing
    assert f"attachments.docx\t内置模板\t{TEMPLATES / 'attachments.docx'}" in listing
    assert render_attachments_docx(seed.attachments, "x", templates=folder).data  # falls back, renders

    data = render_docx(seed, templates=folder).data
    text = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert BUREAU_MARK in text and SEED_MARK not in text
    assert SEED_MARK in [p.text for p in docx.Document(io.BytesIO(render_docx(seed).data)).paragraphs]

    monkeypatch.setenv(TEMPLATES_ENV, str(folder))  # the configured folder, without the option
    assert parts(render_docx(seed).data) == parts(data)
    monkeypatch.delenv(TEMPLATES_ENV)

    out_dir = tmp_path / "out"
    assert main(["render", SEED, "-o", str(out_dir), "--templates", str(folder)]) == 0
    written = out_dir / "jiaozuo-2021-135.docx"
    assert BUREAU_MARK in [p.text for p in docx.Document(str(written)).paragraphs]

    pdf = to_pdf(written, tmp_path)  # as staff see it: LibreOffice lays the bureau's template out
    first_page = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout
    assert BUREAU_MARK in first_page.replace(" ", "") and SEED_MARK not in first_page.replace(" ", "")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)


def test_a_missing_folder_is_refused(tmp_path, capsys, monkeypatch, seed):
    assert main(["render", SEED, "-o", str(tmp_path), "--templates", str(tmp_path / "none")]) == 2
    assert "单位模板文件夹应为已存在的文件夹" in capsys.readouterr().err
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "none"))
    with pytest.raises(InvalidRecord, match="DOCGEN_TEMPLATES"):
        render_docx(seed)
    assert main(["templates", "check"]) == 2


def test_the_option_reaches_attachment_pages(tmp_path):
    """An annex form's kind renders attachments.docx: the bureau's copy, named by --templates."""
    def title(document):
        document.core_properties.title = "单位附件模板"
    folder = bureau_copy(tmp_path / "bureau", title, name="attachments.docx")
    out_dir = tmp_path / "out"
    assert main(["render", "samples/applications/gaoxin-park.yaml", "-o", str(out_dir), "--templates", str(folder)]) == 0
    assert docx.Document(str(out_dir / "gaoxin-park.docx")).core_properties.title == "单位附件模板"


def test_a_file_that_is_no_docx_is_refused(tmp_path, capsys, seed):
    folder = tmp_path / "bureau"
    folder.mkdir()
    (folder / "official.docx").write_bytes(b"not a zip")
    with pytest.raises(InvalidRecord, match="单位模板无法读取为 DOCX"):
        render_docx(seed, templates=folder)
    status, out = check(folder, capsys)
    assert status == 1 and "official.docx：错误：无法读取为 DOCX（BadZipFile）" in out


def test_property_tags_set_the_element_holding_them_as_word_saves_it():
    """A paragraph as Word writes it (rsid attributes, its own direct formatting, the tag sharing a run with
    text): the template's style stays, the rest of its properties are the renderer's; a run's likewise; a
    cell's, row's and table's tags set the cell, row and table holding them."""
    from docgen.docx.engine import place_properties

    def on(kind, expression):  # a property tag once placed: its value written as it is, if the renderer built it
        return ("{% autoescape false %}{{ (" + expression + ")|properties_only('" + kind + " " + expression
                + "') }}{% endautoescape %}")

    paragraph = ('<w:body><w:p w:rsidR="00A1"><w:pPr><w:pStyle w:val="Style16"/><w:jc w:val="left"/><w:rPr><w:b/>'
                 '</w:rPr></w:pPr><w:r w:rsidR="00A1"><w:rPr><w:sz w:val="20"/></w:rPr>'
                 '<w:t xml:space="preserve">{{pPr b.ppr }}{{rPr wml.size(40) }}{{ b.text }}</w:t></w:r></w:p></w:body>')
    assert place_properties(paragraph) == (
        f'<w:body><w:p w:rsidR="00A1"><w:pPr><w:pStyle w:val="Style16"/>{on("pPr", "b.ppr")}</w:pPr><w:r w:rsidR="00A1">'
        f'<w:rPr>{on("rPr", "wml.size(40)")}</w:rPr><w:t xml:space="preserve">{{{{ b.text }}}}</w:t></w:r></w:p></w:body>')
    table = ('<w:body><w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid><w:gridCol w:w="9"/>'
             '</w:tblGrid><w:tr><w:trPr/><w:tc><w:tcPr><w:tcW w:w="9" w:type="dxa"/></w:tcPr><w:p><w:r>'
             '<w:t>{{tblPr t }}{{tblGrid g }}{{trPr r }}{{tcPr c }}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
             '<w:p><w:r><w:t>{{sectPr s }}</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="1"/></w:sectPr></w:body>')
    assert place_properties(table) == (
        f'<w:body><w:tbl><w:tblPr>{on("tblPr", "t")}</w:tblPr><w:tblGrid>{on("tblGrid", "g")}</w:tblGrid><w:tr><w:trPr>{on("trPr", "r")}'
        f'</w:trPr><w:tc><w:tcPr>{on("tcPr", "c")}</w:tcPr><w:p><w:r><w:t></w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
        f'<w:sectPr>{on("sectPr", "s")}</w:sectPr></w:body>')
