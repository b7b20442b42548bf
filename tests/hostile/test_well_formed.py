"""Every sample under samples/ renders to files that open: every XML part of every DOCX and XLSX parses,
every ZIP member name is a safe relative path, every PDF opens with pikepdf and has pages. No sample is
skipped."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.hostile.cases import SAMPLES
from tests.hostile.test_hostile_inputs import assert_safe_member, must_not_hang

RECORDS = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_every_sample_record_is_collected():
    kinds = {p.parent.name for p in RECORDS}
    assert {"notices", "plaques", "annexes", "applications", "replies", "bulletins", "city"} <= kinds, kinds


def _check_package(name: str, data: bytes) -> int:
    """Parse every XML part of an OOXML package (or every member of a ZIP, recursively); returns the count."""
    from lxml import etree

    parsed = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for member in z.namelist():
            assert_safe_member(name, member)
            if member.endswith("/"):
                continue
            body = z.read(member)
            if member.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
                except etree.XMLSyntaxError as exc:
                    raise AssertionError(f"{name}:{member} is not well-formed XML: {exc}") from None
                parsed += 1
            else:
                parsed += _check_file(f"{name}!{member}", body)
    return parsed


def _check_file(name: str, data: bytes) -> int:
    import pikepdf

    low = name.lower()
    if low.endswith(".pdf"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) > 0, f"{name}: PDF without pages"
        return 1
    if low.endswith((".docx", ".xlsx", ".zip")):
        parsed = _check_package(name, data)
        assert parsed, f"{name}: nothing inside"
        return parsed
    return 0


@pytest.mark.parametrize("record", RECORDS, ids=[str(p.relative_to(SAMPLES)) for p in RECORDS])
def test_sample_renders_well_formed(record: Path):
    from docgen.kinds import render_file

    with must_not_hang(300):
        artifacts = render_file(record)
        assert artifacts, f"{record}: nothing rendered"
        checked = 0
        for artifact in artifacts:
            assert "/" not in artifact.filename and "\\" not in artifact.filename and artifact.filename not in (".", ".."), \
                artifact.filename
            checked += _check_file(artifact.filename, artifact.data)
        assert checked, f"{record}: no PDF, DOCX, XLSX or ZIP among {[a.filename for a in artifacts]}"
