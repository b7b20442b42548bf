"""Every sample 公文 drawn by both PDF drawers — the direct one (the default) and WeasyPrint (the reference,
``pdf_engine="weasyprint"``) — from the same composition, read back with pdfplumber and compared page by
page: the glyphs' text and places, the rules and lines, annex 7's plaque figures, the seal image and the seal
area, the 草稿 watermark, the document info and the font report; ``docgen check`` passes on both and says
the same; the direct PDF is the same bytes every time."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from docgen.layout import gbt9704
from docgen.check.report import check_pdf
from docgen.cli import main as cli_main
from docgen.fonts.metrics import role_metrics
from docgen.kinds import parse_record, read_record
from docgen.records.base import read_yaml
from docgen.render.formats import render_official
from docgen.layout.compose import Composition, compose
from docgen.pdf.draw import _Drawer
from docgen.layout.flow import PlaqueArt, Text
from docgen.pdf.document import render_pdf
from tests.render.test_pdf_direct import seal_png

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
MM = 25.4 / 72
WATERMARK = "草稿"


def _kind(path: Path) -> str:
    return str(read_yaml(path).get("kind", ""))


def sample_records() -> list[Path]:
    """Every sample 公文: notices, single replies (not the batch: its replies are these), bulletins."""
    notices = sorted((SAMPLES / "notices").glob("*.yaml"))
    replies = [p for p in sorted((SAMPLES / "replies").glob("*.yaml")) if _kind(p) == "reply"]
    bulletins = sorted((SAMPLES / "bulletins").glob("*.yaml"))
    assert notices and replies and bulletins
    return notices + replies + bulletins


def build(path: Path):
    kind, record = parse_record(read_record(path, ROOT), str(path))
    return kind.build(record, path.stem)


CASES = [(p, False) for p in sample_records()] + [(SAMPLES / "replies" / "shanyang-approve-contact-point.yaml", True)]


def read(data: bytes) -> dict:
    """Pages in mm from the top-left: characters (text, along the line, baseline, turned), the watermark's
    characters apart, filled/stroked rectangles, lines, curves, images; and the document info."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        info = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in (pdf.metadata or {}).items()}
        for page in pdf.pages:
            height = float(page.height)
            chars, marks = [], []
            for ch in page.chars:
                a, b = ch["matrix"][:2]
                if ch["text"] in WATERMARK and ch["size"] > 100:  # turned 35°, 120 pt
                    # its box, angle and origin (pt): WeasyPrint scales its matrix, the direct drawer its font size
                    marks.append((ch["text"], ch["x0"], ch["top"], ch["x1"], ch["bottom"],
                                  math.degrees(math.atan2(b, a)), *ch["matrix"][4:], ch["fontname"].split("+")[-1],
                                  tuple(round(c, 3) for c in ch["non_stroking_color"])))
                elif abs(a) < 1e-6 and b > 0:  # a landscape frame: along the line is up the page
                    chars.append((ch["text"], ch["y0"] * MM, ch["matrix"][4] * MM, True))
                else:
                    chars.append((ch["text"], ch["x0"] * MM, (height - ch["matrix"][5]) * MM, False))
            box = lambda o: (o["x0"] * MM, o["top"] * MM, o["x1"] * MM, o["bottom"] * MM)
            pages.append({
                "size": (round(float(page.width), 2), round(height, 2)), "chars": chars, "marks": marks,
                "rects": sorted((*box(r), bool(r["fill"]), bool(r["stroke"])) for r in page.rects),
                "lines": sorted(box(ln) for ln in page.lines),
                "curves": sorted(box(c) for c in page.curves),
                "images": sorted(box(im) for im in page.images),
            })
    return {"pages": pages, "info": info}


def allowances(composition: Composition) -> list[list[tuple[str, float, float, float]]]:
    """Each page's glyphs at the composer's pen (text, x, baseline) and how far WeasyPrint may stray along
    the line (mm): 0.1, plus up to 1/1000 em for every letter-spaced glyph before it in its line (its PDF
    writer truncates each glyph's spacing), plus, after a glyph whose own advance is not the one the
    composer counted (a character drawn by a fallback font counts 1 em), the difference: WeasyPrint
    advances by the glyph, the direct drawer keeps to the composer's pen."""
    drawer = _Drawer(pikepdf.Pdf.new())
    pages = []
    for page in composition.pages:
        glyphs = []
        for item in [it for it in page.items if isinstance(it, Text)] + ([page.folio] if page.folio else []):
            if not "".join(r.text for r in item.runs).strip():
                continue
            pen, before, off = item.x, 0, 0.0
            for run in item.runs:
                advance = role_metrics(run.role).advance
                for char in run.text:
                    spacing = gbt9704.mm(1.1 * before * item.size / 1000) if item.spacing else 0.0
                    glyphs.append((char, pen, item.baseline, 0.1 + spacing + off))
                    pen += gbt9704.mm(advance(char) * item.size + item.spacing)
                    before += 1
                    off += gbt9704.mm(abs(drawer.glyph(run.role, char).adjust) * item.size / 1000)
        pages.append(glyphs)
    return pages


def figure_boxes(composition: Composition) -> list[list[tuple[float, float, float, float]]]:
    """Annex 7's plaque pictures on each page (x0, top, x1, bottom, mm)."""
    return [[(it.x, it.y, it.x + it.w, it.y + it.h) for it in page.items
             if isinstance(it, PlaqueArt)] for page in composition.pages]


def _within(box, area, slack: float = 0.5) -> bool:
    return (box[0] >= area[0] - slack and box[1] >= area[1] - slack and box[2] <= area[2] + slack
            and box[3] <= area[3] + slack)


@pytest.fixture(scope="module", params=CASES, ids=lambda c: c[0].stem + ("-draft" if c[1] else ""))
def drawn(request, tmp_path_factory):
    path, draft = request.param
    doc = build(path)
    seal = seal_png()
    direct = render_pdf(doc, draft=draft, seal_image=seal)
    reference = render_pdf(doc, draft=draft, seal_image=seal, pdf_engine="weasyprint")
    folder = tmp_path_factory.mktemp(path.stem)
    checks = []
    for name, artifact in (("direct", direct), ("weasyprint", reference)):
        file = folder / f"{name}.pdf"
        file.write_bytes(artifact.data)
        checks.append(check_pdf(file))
    return {"doc": doc, "draft": draft, "seal": seal, "composition": compose(doc), "direct": direct,
            "reference": reference, "ours": read(direct.data), "theirs": read(reference.data), "checks": checks}


def test_same_pages(drawn):
    ours, theirs = drawn["ours"]["pages"], drawn["theirs"]["pages"]
    assert len(ours) == len(theirs) == len(drawn["composition"].pages) == drawn["direct"].pages
    assert drawn["direct"].pages == drawn["reference"].pages
    assert [p["size"] for p in ours] == [p["size"] for p in theirs] == [(595.28, 841.89)] * len(ours)
    assert drawn["direct"].facts == drawn["reference"].facts and drawn["direct"].warnings == drawn["reference"].warnings


def test_same_characters_in_the_same_places(drawn):
    """The same text in the same order on every page; every glyph within 0.1 mm of WeasyPrint's across the
    line (the baseline) and along it within the allowance of `allowances`; the direct drawer's glyphs at
    the composer's pen within 0.01 mm."""
    ours, theirs = drawn["ours"]["pages"], drawn["theirs"]["pages"]
    checked = 0
    for n, (a, b, want) in enumerate(zip(ours, theirs, allowances(drawn["composition"])), 1):
        assert "".join(c[0] for c in a["chars"]) == "".join(c[0] for c in b["chars"]), f"page {n}"
        assert [c[0] for c in a["chars"]] == [c[0] for c in want], f"page {n}"
        for mine, reference, (_, x, baseline, slack) in zip(a["chars"], b["chars"], want):
            assert mine[3] == reference[3], (n, mine, reference)
            assert abs(mine[2] - reference[2]) < 0.1, (n, mine, reference)
            assert abs(mine[1] - reference[1]) < slack, (n, mine, reference, slack)
            assert abs(mine[1] - x) < 0.01 and abs(mine[2] - baseline) < 0.01, (n, mine, x, baseline)
            checked += 1
    assert checked > 100


def test_same_rules_lines_and_figures(drawn):
    """Rules (filled rectangles), frames and lines outside the plaque figures: the same, to 0.02 mm. Inside
    a figure: the same plaque art (its glyphs' subpaths, as rectangles and curves, to 0.05 mm) and a frame on
    the figure's edge — filled white by the SVG, stroked only by the direct drawer (its art is the print
    file's, whose paper is not painted)."""
    ours, theirs = drawn["ours"]["pages"], drawn["theirs"]["pages"]
    figures = figure_boxes(drawn["composition"])
    for n, (a, b, boxes) in enumerate(zip(ours, theirs, figures), 1):
        inside = lambda o: any(_within(o, box) for box in boxes)
        for kind in ("rects", "lines", "curves"):
            mine, reference = [o for o in a[kind] if not inside(o)], [o for o in b[kind] if not inside(o)]
            assert len(mine) == len(reference), (n, kind)
            for x, y in zip(mine, reference):
                assert x[4:] == y[4:] and x[:4] == pytest.approx(y[:4], abs=0.02), (n, kind, x, y)
        for box in boxes:
            for kind in ("rects", "curves"):
                mine = sorted(o[:4] for o in a[kind] if _within(o, box))
                reference = sorted(o[:4] for o in b[kind] if _within(o, box))
                assert len(mine) == len(reference) > 0, (n, kind, box)
                for x, y in zip(mine, reference):
                    assert x == pytest.approx(y, abs=0.05), (n, kind, x, y)
            frame = [o for o in a["rects"] if o[:4] == pytest.approx(box, abs=0.02)]
            assert len(frame) == 1 and frame[0][5], (n, box, frame)


def test_seal_area_and_seal_image(drawn):
    """The same DocgenSealArea; the seal image where the seal area is, drawn by both (never on a draft)."""
    seal = drawn["composition"].seal
    ours, theirs = drawn["ours"], drawn["theirs"]
    assert ours["info"].get("DocgenSealArea") == theirs["info"].get("DocgenSealArea")
    images = [(n, box) for n, page in enumerate(ours["pages"], 1) for box in page["images"]]
    assert images == [(n, pytest.approx(box, abs=0.05)) for n, page in enumerate(theirs["pages"], 1)
                      for box in page["images"]]
    if seal is None:
        assert "DocgenSealArea" not in ours["info"] and not images
        return
    seals = drawn["composition"].seals
    if len(seals) > 1:  # 联合行文: every organ's seal area, in order; no seal image (each organ seals its own)
        assert json.loads(ours["info"]["DocgenSealArea"]) == [s.as_dict() for s in seals] and not images
        return
    assert json.loads(ours["info"]["DocgenSealArea"]) == seal.as_dict()
    if drawn["draft"]:
        assert not images
    else:
        r = seal.diameter / 2
        assert images == [(seal.page, pytest.approx((seal.x - r, seal.y - r, seal.x + r, seal.y + r), abs=0.05))]


def test_watermark_only_on_drafts(drawn):
    """草稿 on every page of a draft, turned 35°, grey, in 黑体: the same glyphs, matrices and colour."""
    for a, b in zip(drawn["ours"]["pages"], drawn["theirs"]["pages"]):
        assert len(a["marks"]) == (2 if drawn["draft"] else 0)
        assert [m[0] for m in a["marks"]] == [m[0] for m in b["marks"]]
        for x, y in zip(a["marks"], b["marks"]):
            assert x[1:8] == pytest.approx(y[1:8], abs=0.05) and x[8:] == y[8:], (x, y)
            assert x[5] == pytest.approx(35)


def test_document_info(drawn):
    ours, theirs = drawn["ours"]["info"], drawn["theirs"]["info"]
    doc = drawn["doc"]
    for info in (ours, theirs):
        assert info["Title"] == doc.title and info["Author"] == doc.signature.organ
    assert ours["Producer"] == "docgen" and "CreationDate" not in ours


def test_same_font_report(drawn):
    mine, reference = drawn["direct"].fonts, drawn["reference"].fonts
    assert mine.lines() == reference.lines() and mine.embedded


NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def test_docgen_check_passes_on_both_and_says_the_same(drawn):
    """The same rules with the same verdicts, the same seal area, and the same measurements — to 0.2 of the
    last digit's unit where WeasyPrint's truncated letter-spacing moves a line's end (0.1 mm). (A draft
    does not pass with either drawer: the checker reads the watermark's 草稿 as text on every page.)"""
    mine, reference = drawn["checks"]
    if not drawn["draft"]:
        assert mine.passed, mine.text()
        assert reference.passed, reference.text()
    assert [(r.rule, r.status) for r in mine.results] == [(r.rule, r.status) for r in reference.results]
    assert mine.seal_area == reference.seal_area
    for a, b in zip(mine.results, reference.results):
        assert NUMBER.sub("#", a.measured) == NUMBER.sub("#", b.measured), (a, b)
        for x, y in zip(NUMBER.findall(a.measured), NUMBER.findall(b.measured)):
            assert abs(float(x) - float(y)) <= 0.2, (a.rule, a.measured, b.measured)


def test_fonts_embedded_once_with_unicode_maps(drawn):
    """One subset font per face for the whole document (every page shares the one resource dictionary)."""
    pdf = pikepdf.open(io.BytesIO(drawn["direct"].data))
    fonts = {}
    for page in pdf.pages:
        for key, font in page.Resources.Font.items():
            fonts.setdefault(key, set()).add(font.objgen)
    assert all(len(objects) == 1 for objects in fonts.values())
    names = [str(f.BaseFont).split("+", 1)[1] for f in pdf.pages[0].Resources.Font.values()]
    assert len(names) == len(set(names)) and all("/ToUnicode" in f for f in pdf.pages[0].Resources.Font.values())


# ---- the same bytes, the engine option, the command line ----

SEED = SAMPLES / "notices" / "jiaozuo-2021-135.yaml"
SEED_PDF = """
import hashlib, sys
from pathlib import Path
from docgen.kinds import parse_record, read_record
from tests.render.test_pdf_direct import seal_png
from docgen.pdf.document import render_pdf
kind, record = parse_record(read_record(Path(sys.argv[1]), Path(sys.argv[2])), sys.argv[1])
doc = kind.build(record, "seed")
sys.stdout.write(hashlib.sha256(render_pdf(doc, seal_image=seal_png()).data).hexdigest() + " "
                 + hashlib.sha256(render_pdf(doc, draft=True).data).hexdigest())
"""


def test_same_bytes_every_time_and_in_another_process():
    """The seed notice — plaque forms, seal image, every face — and its draft: the same bytes twice here and
    in a process of another hash seed."""
    doc = build(SEED)
    sealed = render_pdf(doc, seal_image=seal_png()).data
    draft = render_pdf(doc, draft=True).data
    assert render_pdf(build(SEED), seal_image=seal_png()).data == sealed
    assert render_pdf(doc, draft=True).data == draft != sealed
    other = subprocess.run([sys.executable, "-c", SEED_PDF, str(SEED), str(ROOT)], cwd=ROOT, capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert other.stdout == hashlib.sha256(sealed).hexdigest() + " " + hashlib.sha256(draft).hexdigest()


def test_plaque_figures_are_vector_forms():
    """Annex 7's plaques: form XObjects of their print files (outlines, CMYK), no raster image, no crop mark."""
    data = render_pdf(build(SEED)).data
    pdf = pikepdf.open(io.BytesIO(data))
    xobjects = {x.objgen: x for page in pdf.pages for x in (page.Resources.get("/XObject") or {}).values()}
    forms = [x for x in xobjects.values() if x.Subtype == "/Form"]
    assert len(forms) == 2 and not [x for x in xobjects.values() if x.Subtype == "/Image"]
    for form in forms:
        content = form.read_bytes()
        assert b" k" in content and b"\nf" in content and b"RG" not in content  # CMYK fills, no registration marks


def test_engine_option():
    doc = build(SAMPLES / "replies" / "shanyang-approve-contact-point.yaml")
    default = render_official(doc, formats=["pdf"])[0]
    assert default.data == render_official(doc, formats=["pdf"], pdf_engine="direct")[0].data
    assert pikepdf.open(io.BytesIO(default.data)).docinfo.Producer == "docgen"
    weasy = render_official(doc, formats=["pdf"], pdf_engine="weasyprint")[0]
    assert str(pikepdf.open(io.BytesIO(weasy.data)).docinfo.Producer).startswith("WeasyPrint")
    with pytest.raises(ValueError, match="weasyprint"):
        render_official(doc, formats=["pdf"], pdf_engine="cairo")


def test_cli_pdf_engine(tmp_path, capsys):
    record = SAMPLES / "notices" / "qingshi-2024-30.yaml"
    for engine in ("direct", "weasyprint"):
        assert cli_main(["render", str(record), "-o", str(tmp_path / engine), "--pdf-engine", engine]) == 0
    produced = {}
    for engine in ("direct", "weasyprint"):
        with pikepdf.open(next((tmp_path / engine).glob("*.pdf"))) as pdf:
            produced[engine] = str(pdf.docinfo.Producer)
    assert produced["direct"] == "docgen" and produced["weasyprint"].startswith("WeasyPrint")
    with pytest.raises(SystemExit):
        cli_main(["render", str(record), "-o", str(tmp_path), "--pdf-engine", "cairo"])
