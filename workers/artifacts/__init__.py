"""The artifact store: document bytes kept under their SHA-256, on a backend chosen by URL.

`DOCGEN_ARTIFACTS_URL` names it: a folder (a plain path or `file:///abs/path`; the embedded default is
`$DOCGEN_DATA_DIR/artifacts`, else `$XDG_DATA_HOME/docgen/artifacts`), or `postgresql://user:password@host:port/db`, shared by every worker
machine. The namespace separates job artifacts ("jobs", swept after the job TTL) from the document archive
("archive", never swept)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .base import (ARCHIVE, JOBS, ArtifactError, ArtifactStore, CorruptArtifact, InvalidDigest, StoreUnavailable,
                   StoreURLError, redact)
from .folder import FolderStore

__all__ = ["ARCHIVE", "JOBS", "ArtifactError", "ArtifactStore", "CorruptArtifact", "FolderStore", "InvalidDigest",
           "StoreURLError", "StoreUnavailable", "default_url", "open_store"]

ENV = "DOCGEN_ARTIFACTS_URL"
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: never a drive letter
ACCEPTED = "本地文件夹路径、file:///绝对路径、postgresql://用户:密码@主机:端口/数据库"


def default_url() -> str:
    """DOCGEN_ARTIFACTS_URL, or the embedded default folder: `artifacts/` in DOCGEN_DATA_DIR (where the web
    layer keeps its SQLite database) when that is set, else $XDG_DATA_HOME/docgen/artifacts."""
    url = os.environ.get(ENV, "").strip()
    if url:
        return url
    if os.environ.get("DOCGEN_DATA_DIR", "").strip():
        return str(Path(os.environ["DOCGEN_DATA_DIR"]).resolve() / "artifacts")
    data_home = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return str(base / "docgen" / "artifacts")


def open_store(url: str, namespace: str = JOBS) -> ArtifactStore:
    """The store `url` names, for `namespace`."""
    url = (url or "").strip()
    if not url:
        raise StoreURLError(f"{ENV} 为空：应为 {ACCEPTED}")
    scheme = SCHEME.match(url)[1].lower() if SCHEME.match(url) else ""
    if not scheme:
        return FolderStore(url, namespace)
    if scheme == "file":
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise StoreURLError(f"{ENV} 的地址 {redact(url)} 无效：file: 地址应写作 file:///绝对路径")
        return FolderStore(unquote(parts.path), namespace)
    if scheme in ("postgresql", "postgres"):
        from .postgres import PostgresStore  # psycopg is needed only for this backend
        return PostgresStore(url, namespace)
    raise StoreURLError(f"{ENV} 的地址 {redact(url)} 无法识别（{scheme}:）：支持的写法为 {ACCEPTED}")
