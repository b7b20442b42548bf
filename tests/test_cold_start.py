"""A fresh process imports only what the record's kind needs; warm-up covers every kind.

Each check runs in a fresh interpreter and reads ``sys.modules`` afterwards (no timing: see bench/bench_cold.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from docgen import kinds as registry
from docgen.kinds import DocumentKind, kinds, register
from docgen.warmup import EXAMPLES, warm_up

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples/notices/jiaozuo-2021-135.yaml"
PLAQUE = ROOT / "samples/plaques/jiaozuo-gaoxin.yaml"
HEAVY = ("weasyprint", "docxtpl", "docgen.plaques.batch", "docgen.annexes.consolidate", "openpyxl")


def loaded_after(code: str, watch: tuple[str, ...]) -> list[str]:
    """The modules of ``watch`` that a fresh interpreter has imported after running ``code``."""
    script = code + f"\nimport json, sys\nprint(json.dumps([m for m in {list(watch)!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_notice_pdf_imports_neither_the_docx_engine_nor_other_kinds():
    code = f"from docgen.kinds import render_file\nrender_file({str(SEED)!r}, formats=('pdf',))"
    assert loaded_after(code, HEAVY + ("jinja2", "docgen.docx.document")) == []


def test_docgen_render_of_a_notice_imports_no_other_kind_and_no_queue(tmp_path):
    code = f"from docgen.cli import main\nassert main(['render', {str(SEED)!r}, '-o', {str(tmp_path)!r}]) == 0"
    watch = tuple(m for m in HEAVY if m != "docxtpl") + ("redis", "workers.client")  # the DOCX needs docxtpl
    assert loaded_after(code, watch) == []
    assert {p.suffix for p in tmp_path.iterdir()} == {".pdf", ".docx"}


def test_a_plaque_imports_no_docx_engine_and_no_weasyprint():
    code = f"from docgen.kinds import render_file\nrender_file({str(PLAQUE)!r})"
    assert loaded_after(code, ("docxtpl", "weasyprint", "openpyxl", "docgen.docx.document")) == []


def test_enumerating_the_kinds_imports_none_of_them():
    code = ("from docgen.kinds import kinds\n"
            "assert all(k.label for k in kinds().values()) and kinds()['reply-batch'].is_batch\n"
            "assert not kinds()['notice'].is_batch")
    watch = ("docgen.records.notice", "docgen.plaques", "docgen.replies", "docgen.annexes.kind", "docgen.pdf",
             "docgen.docx", "docgen.render.formats")
    assert loaded_after(code, watch) == []


def test_a_kind_resolves_its_parts_on_first_use():
    from docgen.records.plaque import Plaque

    kind = kinds()["plaque"]
    assert kind.record is Plaque and kinds()["plaque"].record is Plaque
    plugin = DocumentKind("x", "测试", Plaque, lambda record, name: record, "docgen.plaques.art:render_plaque")
    assert plugin.record is Plaque and plugin.render is kind.render and not plugin.is_batch


def test_warm_up_renders_every_builtin_kind():
    builtin = {spec[0] for spec in registry._BUILTIN}
    assert set(EXAMPLES) == builtin
    done = warm_up(render=True)
    assert {name: done[name] for name in builtin} == dict.fromkeys(builtin, "rendered")
    for name in builtin:  # every part imported
        assert not any(isinstance(part, str) for part in kinds()[name]._parts.values()), name


def test_a_broken_plugin_kind_does_not_stop_warm_up():
    register(DocumentKind("broken", "测试", "docgen.no_such_module:Record", "docgen.no_such_module:build",
                          "docgen.no_such_module:render"))
    try:
        done = warm_up()
    finally:
        registry._KINDS.pop("broken")
    assert done["broken"].startswith("failed: ModuleNotFoundError")
    assert done["notice"] == "loaded"


def test_titles_are_cut_as_jieba_cuts_them_with_its_dictionary_read_from_the_index():
    import jieba

    from docgen.layout.words import segmenter

    indexed, loaded = segmenter.__wrapped__(), jieba.Tokenizer()  # both fresh: no words added by titles.py
    titles = ["焦作市市场监督管理局关于开展知识产权保护工作站年度检查的通知", "关于设立知识产权保护工作站焦作高新区新材料产业园区站的批复",
              "关于2021年度知识产权保护工作体系建设情况的通报", "河南省人民政府办公厅关于印发加强知识产权保护若干措施的通知"]
    assert [indexed.lcut(t) for t in titles] == [loaded.lcut(t) for t in titles]
    assert not isinstance(indexed.FREQ, dict)  # the 500,000 words were not loaded
