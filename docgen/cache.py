"""docgen's private cache folder: files docgen derives once a machine and reads back (the jieba word index,
the fontconfig that adds a licensed folder). It is the user's own — ``$XDG_CACHE_HOME/docgen`` (else
``~/.cache/docgen``), or ``docgen-<uid>`` in the temporary folder when the home is read-only — created
private (0700), and used only when this user owns it and no one else may write in it: another account on
the machine cannot plant a file docgen would trust."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def private_cache_dir() -> Path | None:
    """The cache folder, or None when neither place is private and writable."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "docgen"
    for folder in (home, Path(tempfile.gettempdir()) / f"docgen-{os.getuid()}"):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(folder)
        except OSError:
            continue
        private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022
        if private and os.access(folder, os.W_OK):
            return folder
    return None
