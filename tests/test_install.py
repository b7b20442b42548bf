"""docgen as it is deployed: a wheel built from the repository, installed with its dependencies into a fresh
virtual environment outside the source tree, renders one record of every kind from a folder that is not the
repository — templates, text templates and fontconfig come from the package, not from a checkout.

The wheel is built from a copy of the repository (so the build leaves nothing in the working tree) with a
stand-in licensed font dropped into fonts/licensed/, which must not be shipped. Takes a minute or two: pip
installs the dependencies from its cache.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# The sample record that stands for each kind (paths below samples/). A kind registered in docgen.kinds without
# an entry here fails test_every_kind_has_a_sample with its name: add the sample that shows it.
SAMPLES = {
    "notice": "notices/jiaozuo-2021-135.yaml",
    "plaque": "plaques/jiaozuo-gaoxin.yaml",
    "plaque-batch": "plaques/jiaozuo-contact-points.yaml",
    "district-report": "annexes/shanyang.yaml",
    "reply": "replies/gaoxin-approve-station.yaml",
    "bulletin": "bulletins/city-2021-inspection.yaml",
    "reply-batch": "replies/city-batch-2021-09.yaml",
    "contact-point-application": "applications/gaoxin-park.yaml",
    "consolidation": "city/consolidation-2021-09.yaml",
    "blank-forms": "city/blank-forms.yaml",
}
# what a build must not take from the working tree
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "out", "*.egg-info", "__pycache__",
                                     ".pytest_cache", "*.pyc")
LICENSED_STAND_IN = "proprietary-stand-in.ttf"


def _env(venv: Path) -> dict[str, str]:
    """The environment of a deployed process: the venv's bin first, nothing that points into the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "FONTCONFIG_FILE", "DJANGO_SETTINGS_MODULE")
           and not k.startswith("DOCGEN_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE, symlinks=True)
    (source / "fonts" / "licensed").mkdir(exist_ok=True)
    (source / "fonts" / "licensed" / LICENSED_STAND_IN).write_bytes(b"\0\1\0\0 not for shipping")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
          "-w", str(base / "dist"), str(source)], cwd=base)
    (built,) = (base / "dist").glob("docgen-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, Path]:
    """(the fresh venv, a working folder outside the repository holding a copy of samples/)."""
    base = tmp_path_factory.mktemp("deployed")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          str(wheel)], cwd=base, env=_env(venv))
    work = base / "work"
    shutil.copytree(ROOT / "samples", work / "samples")  # the records and every file they name (../annexes …)
    return venv, work


def test_wheel_ships_the_data_and_no_tests_samples_or_licensed_fonts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = "docgen/_shipped/"
    expected = [f"{shipped}templates/{p.relative_to(ROOT / 'templates')}" for p in sorted((ROOT / "templates").rglob("*"))
                if p.is_file()]
    assert f"{shipped}templates/official.docx" in expected and f"{shipped}templates/text/bulletin.txt" in expected
    assert not [n for n in expected if n not in names], [n for n in expected if n not in names]
    assert f"{shipped}fonts/fonts.conf" in names
    assert not [n for n in names if "licensed" in n or n.endswith((".ttf", ".otf", ".ttc"))]
    tops = {n.split("/")[0] for n in names}
    (dist_info,) = [t for t in tops if t.endswith(".dist-info")]
    assert tops - {dist_info} == {"docgen", "workers", "web"}
    assert not [n for n in names if n.startswith(("tests/", "samples/", "bench/", "scripts/", "templates/", "fonts/"))]
    # every package of the source tree is in the wheel (pyproject.toml lists them: a new one must be added)
    packages = sorted(str(p.parent.relative_to(ROOT)) for top in ("docgen", "workers", "web")
                      for p in (ROOT / top).rglob("__init__.py") if "__pycache__" not in p.parts)
    missing = [p.replace("/", ".") for p in packages if f"{p}/__init__.py" not in names]
    assert not missing, f"packages missing from the wheel (add them to [tool.setuptools] packages): {missing}"
    web_data = [str(p.relative_to(ROOT)) for p in (ROOT / "web").rglob("*")  # Django templates, static files
                if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert not [f for f in web_data if f not in names], [f for f in web_data if f not in names]
    requires = {line.split(":", 1)[1].strip().split(";")[0].replace(" ", "")
                for line in zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode().splitlines()
                if line.startswith("Requires-Dist:")}
    assert not [r for r in requires if r.lower().startswith("pypdf")]  # declared and never imported
    (docxtpl,) = [r for r in requires if r.startswith("docxtpl")]
    assert "<0.21" in docxtpl and ">=0.19" in docxtpl  # engine.py uses its internals: bounded


def test_every_kind_has_a_sample():
    from docgen.kinds import kinds

    builtin = {name for name, kind in kinds().items() if not kind.record.__module__.startswith("tests.")}
    unmapped = sorted(builtin - set(SAMPLES))
    assert not unmapped, f"kinds without a sample record in tests/test_install.py SAMPLES: {unmapped}"
    for kind, sample in SAMPLES.items():
        data = yaml.safe_load((ROOT / "samples" / sample).read_text(encoding="utf-8"))
        assert data["kind"] == kind, (sample, data["kind"])


def test_installed_package_finds_its_data_in_the_venv(installed):
    venv, work = installed
    probe = ("import json, os, docgen, docgen.kinds, docgen.fonts.config as f, docgen.pdf.reference as h, "
             "docgen.docx.template as t, docgen.content.wording as w; "
             "print(json.dumps({'package': docgen.__file__, 'fontconfig': os.environ['FONTCONFIG_FILE'], "
             "'html': str(h.TEMPLATES), 'docx': str(t.TEMPLATE), 'text': str(w.DEFAULT_DIR), "
             "'licensed': str(f.LICENSED_DIR), 'kinds': sorted(docgen.kinds.kinds())}))")
    found = json.loads(_run([str(venv / "bin" / "python"), "-c", probe], cwd=work, env=_env(venv)).stdout)
    package = Path(found["package"]).parent
    assert package.is_relative_to(venv / "lib"), package
    for key in ("fontconfig", "html", "docx", "text"):  # the package's own copies, not the repository's
        assert Path(found[key]).is_relative_to(package / "_shipped"), (key, found[key])
    assert Path(found["docx"]).is_file() and (Path(found["text"]) / "bulletin.txt").is_file()
    assert found["licensed"] == "None"  # no drop-in folder unless DOCGEN_LICENSED_FONTS names one
    assert not (set(found["kinds"]) - set(SAMPLES)), "a kind of the installed package has no sample"


def _pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_installed_docgen_renders_every_kind(installed, kind):
    venv, work = installed
    out = work / "out" / kind
    result = _run([str(venv / "bin" / "docgen"), "render", f"samples/{SAMPLES[kind]}", "-o", str(out)],
                  cwd=work, env=_env(venv), timeout=600)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert written, f"{kind}: nothing written\n{result.stdout}\n{result.stderr}"
    pdfs = 0
    for path in written:
        assert path.stat().st_size > 0, path
        if path.suffix == ".pdf":
            assert _pages(path.read_bytes()) >= 1, path
            pdfs += 1
        elif path.suffix in (".docx", ".xlsx"):
            assert zipfile.is_zipfile(path), path
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                inner = [n for n in archive.namelist() if n.endswith(".pdf")]
                assert inner, f"{path}: no PDF inside"
                for name in inner:
                    assert _pages(archive.read(name)) >= 1, (path, name)
                    pdfs += 1
    assert pdfs, f"{kind}: no PDF among {[p.name for p in written]}"


def test_installed_docgen_reads_licensed_fonts_from_the_folder_the_environment_names(installed, tmp_path):
    """The worker image's licensed fonts are a volume at the path DOCGEN_LICENSED_FONTS names: a font there
    whose family is an official name wins over the free substitute."""
    from fontTools.ttLib import TTFont

    from docgen.fonts.report import resolve
    from docgen.fonts.roles import ROLES

    venv, work = installed
    licensed = tmp_path / "licensed"
    licensed.mkdir()
    font = TTFont(resolve(ROLES["kaiti"]).file, lazy=True)  # a free file renamed, as the bureau's would be
    names = font["name"]
    names.names = [r for r in names.names if r.platformID == 3 and r.nameID not in (1, 4, 6, 16, 17)]
    for name_id, text in ((1, "仿宋_GB2312"), (4, "仿宋_GB2312"), (6, "FangSong_GB2312")):
        names.setName(text, name_id, 3, 1, 0x804)
    font.save(licensed / "fangsong-gb2312.otf")
    env = {**_env(venv), "DOCGEN_LICENSED_FONTS": str(licensed)}
    probe = ("import subprocess, docgen.fonts.config as c; print(subprocess.run(['fc-match', '-f', "
             "'%{family[0]}\\t%{file}', '仿宋_GB2312'], env=c.fontconfig_env(), capture_output=True, text=True, "
             "check=True).stdout)")
    family, path = _run([str(venv / "bin" / "python"), "-c", probe], cwd=work, env=env).stdout.strip().split("\t")
    assert family == "仿宋_GB2312" and path == str(licensed / "fangsong-gb2312.otf")
