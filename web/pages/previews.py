"""Preview images, made lazily and cached by the artifact's SHA-256: one PNG a PDF page (pdftoppm -r 60, one
page a request, so a 300-page PDF costs nothing until someone looks at a page), and a reduced copy of a PNG
proof (plaque 校样 are 150 dpi at full size). The same bytes always give the same picture, so the cache
never goes stale; it lives in the data folder (DOCGEN_DATA_DIR/previews)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from django.conf import settings

DPI = 60
PROOF_WIDTH = 1000  # px: a plaque proof as the page shows it
_DIGEST = re.compile(r"[0-9a-f]{64}")


class PreviewError(Exception):
    """No picture can be made (the message, in Chinese, says why)."""


def cache_dir() -> Path:
    path = Path(settings.DATA_DIR) / "previews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def pdf_page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def pdf_page_png(sha256: str, page: int, load: Callable[[], bytes]) -> bytes:
    """Page ``page`` (from 1) of the PDF whose bytes ``load`` gives, as a 60 dpi PNG, from the cache or made
    now (only this page)."""
    if not _DIGEST.fullmatch(sha256) or page < 1:
        raise PreviewError("没有这一页")
    folder = cache_dir() / sha256
    target = folder / f"{page}.png"
    if target.exists():
        return target.read_bytes()
    folder.mkdir(exist_ok=True)
    pdf = folder / "document.pdf"
    if not pdf.exists():
        _atomic_write(pdf, load())
    with tempfile.TemporaryDirectory(dir=folder) as work:
        out = Path(work) / "page"
        try:
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(out)], check=True, capture_output=True, timeout=60)
        except subprocess.CalledProcessError:
            raise PreviewError(f"第 {page} 页无法生成预览图") from None
        except subprocess.TimeoutExpired:
            raise PreviewError(f"第 {page} 页生成预览图超时") from None
        made = out.with_suffix(".png")
        if not made.exists():
            raise PreviewError(f"没有第 {page} 页")
        data = made.read_bytes()
    _atomic_write(target, data)
    return data


def proof_png(sha256: str, load: Callable[[], bytes]) -> bytes:
    """A PNG (a plaque proof) reduced to PROOF_WIDTH pixels wide, cached."""
    if not _DIGEST.fullmatch(sha256):
        raise PreviewError("没有这个文件")
    target = cache_dir() / f"{sha256}-proof.png"
    if target.exists():
        return target.read_bytes()
    from PIL import Image

    try:
        with Image.open(io.BytesIO(load())) as image:
            image.load()
            if image.width > PROOF_WIDTH:
                image = image.resize((PROOF_WIDTH, round(image.height * PROOF_WIDTH / image.width)))
            out = io.BytesIO()
            image.save(out, "PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise PreviewError("校样图片无法读取") from None
    data = out.getvalue()
    _atomic_write(target, data)
    return data
