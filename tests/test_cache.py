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
