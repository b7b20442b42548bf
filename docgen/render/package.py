"""The one ZIP writer of the batch kinds: deterministic bytes (fixed entry times), and entry names that are
safe to unpack anywhere — every part of a name is one safe component (never ``..``, never rooted at ``/``),
and a name already in the ZIP gets a ``-2`` (``-3`` …) before its extension instead of being written twice.
A large ZIP (a batch of thousands of plaques) is written to a temporary file as it grows, not held in memory
beside the artifacts it is made from.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile

from docgen.records.filenames import safe_filename, with_suffix_number

ZIP_DATE = (2021, 8, 3, 0, 0, 0)  # fixed entry times: the same batch gives the same ZIP
SPOOL = 16 * 2**20  # bytes of ZIP kept in memory before the rest goes to a temporary file


def entry_name(folder: str, name: str) -> str:
    """``folder/name`` with ``name`` one safe component and each of ``folder``'s parts one too."""
    parts = [safe_filename(part) for part in folder.replace("\\", "/").split("/") if part.strip(" .")]
    return "/".join([*parts, safe_filename(name)])


class ZipPackage:
    """``with ZipPackage() as package: package.add(...)``; then ``package.data`` is the ZIP's bytes."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(SPOOL)
        self._zip = zipfile.ZipFile(self._file, "w")
        self._taken: set[str] = set()  # case-folded: Windows and macOS unpack 'A.pdf' and 'a.pdf' onto one file
        self.names: list[str] = []

    def add(self, name: str, data: bytes, folder: str = "", compress: bool = True) -> str:
        """Adds ``data`` as ``folder/name`` (``name`` from data, ``folder`` a fixed part such as 批复 or
        标牌/校样); returns the entry name actually used. PDF and PNG are stored, not compressed again."""
        entry = entry_name(folder, name)
        if entry.casefold() in self._taken:
            head, _, leaf = entry.rpartition("/")
            n = 2
            while (candidate := f"{head}/" * bool(head) + with_suffix_number(leaf, n)).casefold() in self._taken:
                n += 1
            entry = candidate
        self._taken.add(entry.casefold())
        self.names.append(entry)
        info = zipfile.ZipInfo(entry, ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self._zip.writestr(info, data)
        return entry

    def close(self) -> None:
        self._zip.close()

    @property
    def data(self) -> bytes:
        """The ZIP's bytes (complete once the package is closed)."""
        self._file.seek(0)
        return self._file.read()

    def __enter__(self) -> "ZipPackage":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_STAMP = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
STAMP = "2021-08-03T00:00:00Z"  # ZIP_DATE, as the properties write it


def stable_package(data: bytes) -> bytes:
    """An OOXML package (DOCX, XLSX) as the same record always gives it: its entries in their order with fixed
    times, and the document properties' created/modified stamps fixed (python-docx and openpyxl stamp the
    clock). Jobs can then be retried and their artifacts cached by hash."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _STAMP.sub(rb"\g<1>" + STAMP.encode() + rb"\g<3>", content)
            entry = zipfile.ZipInfo(item.filename, ZIP_DATE)
            entry.compress_type = item.compress_type
            target.writestr(entry, content, compresslevel=1 if item.filename == "word/document.xml" else None)
    return out.getvalue()
