"""docgen's cache folder is private: a folder another account could write in is never used."""

from __future__ import annotations

import os
import stat

from docgen.cache import private_cache_dir


def test_the_cache_folder_is_created_private(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = private_cache_dir()
    assert folder == tmp_path / "cache" / "docgen"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_folder_others_may_write_in_is_not_used(tmp_path, monkeypatch):
    planted = tmp_path / "cache" / "docgen"
    planted.mkdir(parents=True)
    planted.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    folder = private_cache_dir()
    assert folder == tmp_path / "tmp" / f"docgen-{os.getuid()}"  # the home one refused, the private fallback used


def test_a_symlink_is_not_a_cache_folder(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "docgen").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert private_cache_dir() == tmp_path / "tmp" / f"docgen-{os.getuid()}"


def test_a_fresh_process_reads_the_patched_template_parts_and_gets_the_same_document(tmp_path):
    """A DOCX render keeps each template part's patched XML and compiled code in the cache folder; a second
    fresh process renders from them, byte for byte the same document."""
    import subprocess
    import sys

    from workers.local import ROOT

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    record = ROOT / "samples" / "notices" / "jiancha-2024-12.yaml"
    outputs = []
    for run in ("first", "second"):
        subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(record), "-o", str(tmp_path / run)],
                       check=True, capture_output=True, env=env, cwd=ROOT, timeout=300)
        [docx] = (tmp_path / run).glob("*.docx")
        outputs.append(docx.read_bytes())
        if run == "first":
            kept = {p.parent.name: p for p in (tmp_path / "cache" / "docgen").rglob("*.bin")}
            assert {"docx-patched", "jinja"} <= set(kept)
            for part in (tmp_path / "cache" / "docgen" / "docx-patched").iterdir():
                assert b"{{pPr" not in part.read_bytes()  # the property tags already placed
    assert outputs[0] == outputs[1]
