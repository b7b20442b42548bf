"""The one ZIP writer of the batch kinds: deterministic bytes (fixed entry times), and entry names that are
safe to unpack anywhere — every part of a name is one safe component (never ``..``, never rooted at ``/``),
and a name already in the ZIP gets a ``-2`` (``-3`` …) before its extension instead of being written twice.
"""

from __future__ import annotations

import io
import zipfile

from docgen.records.filenames import safe_filename, with_suffix_number

ZIP_DATE = (2021, 8, 3, 0, 0, 0)  # fixed entry times: the same batch gives the same ZIP


def entry_name(folder: str, name: str) -> str:
    """``folder/name`` with ``name`` one safe component and each of ``folder``'s parts one too."""
    parts = [safe_filename(part) for part in folder.replace("\\", "/").split("/") if part.strip(" .")]
    return "/".join([*parts, safe_filename(name)])


class ZipPackage:
    """``with ZipPackage() as package: package.add(...)``; then ``package.data`` is the ZIP's bytes."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w")
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
        return self._buffer.getvalue()

    def __enter__(self) -> "ZipPackage":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
