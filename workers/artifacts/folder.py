"""The embedded artifact store: a local folder, `<root>/<namespace>/ab/cd/<digest>`.

Writes go to a temporary file in the blob's own folder, are fsynced and renamed into place (os.replace), so
a reader never sees half a blob and several processes putting the same bytes at once all end with one whole
file. A file's modification time is its age for the retention sweep; putting existing bytes refreshes it."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

from .base import DIGEST, ArtifactStore, CorruptArtifact, check_digest, check_namespace, sha256, verified

TEMP_PREFIX = ".tmp-"
TEMP_GRACE = 3600.0  # a temporary file younger than this may still be being written


class FolderStore(ArtifactStore):
    def __init__(self, root: str | os.PathLike, namespace: str = "jobs"):
        self.root = Path(root).expanduser().absolute()
        self.namespace = check_namespace(namespace)
        self.folder = self.root / self.namespace

    def __repr__(self) -> str:
        return f"FolderStore({str(self.root)!r}, namespace={self.namespace!r})"

    def path(self, digest: str) -> Path:
        digest = check_digest(digest)
        return self.folder / digest[:2] / digest[2:4] / digest

    # ---- reading ----
    def get(self, digest: str) -> bytes:
        try:
            data = self.path(digest).read_bytes()
        except FileNotFoundError:
            raise KeyError(digest) from None
        return verified(digest, data)

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    # ---- writing ----
    def put(self, data: bytes) -> str:
        data = bytes(data)
        digest = sha256(data)
        path = self.path(digest)
        if self._refresh(path, digest):
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                os.fchmod(out.fileno(), 0o644)
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            _unlink(Path(temp))
            raise
        _fsync_folder(path.parent)
        return digest

    @staticmethod
    def _refresh(path: Path, digest: str) -> bool:
        """True when `path` already holds the blob whole (its age is then reset); False to write it."""
        try:
            verified(digest, path.read_bytes())
            os.utime(path)
        except (FileNotFoundError, CorruptArtifact):  # absent, swept meanwhile, or damaged: (re)write it
            return False
        return True

    # ---- retention ----
    def delete_older_than(self, seconds: float) -> int:
        cutoff = time.time() - self._check_sweep(seconds)
        removed = 0
        for leaf in self.folder.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]"):
            for entry in os.scandir(leaf):
                path = Path(entry.path)
                if DIGEST.fullmatch(entry.name):
                    removed += self._sweep(path, cutoff)
                elif entry.name.startswith(TEMP_PREFIX) and _mtime(path) < min(cutoff, time.time() - TEMP_GRACE):
                    _unlink(path)  # left by a writer or sweeper that died
        return removed

    @staticmethod
    def _sweep(path: Path, cutoff: float) -> int:
        """Removes an old blob. It is first renamed aside and its age read again, so a put that refreshed it
        in the meantime wins (it is renamed back), and a put after the rename writes it anew."""
        if _mtime(path) >= cutoff:
            return 0
        aside = path.with_name(f"{TEMP_PREFIX}sweep-{uuid.uuid4().hex}")
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return 0
        if _mtime(aside) >= cutoff:
            os.replace(aside, path)
            return 0
        _unlink(aside)
        return 1


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
