"""The same record renders the same bytes (design: jobs can be retried and artifacts cached by hash), even
when the clock has moved on: DOCX and XLSX writers stamp entry times and document properties."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from docgen.kinds import render_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ["samples/notices/jiaozuo-2021-135.yaml", "samples/replies/gaoxin-approve-station.yaml",
           "samples/annexes/shanyang.yaml", "samples/applications/gaoxin-park.yaml"]


def _render_all() -> dict[str, bytes]:
    return {f"{sample}:{a.filename}": a.data for sample in SAMPLES for a in render_file(ROOT / sample, ROOT)}


def test_the_same_record_gives_the_same_bytes_a_clock_tick_later():
    first = _render_all()
    time.sleep(2.1)  # ZIP entry times have a resolution of 2 s
    second = _render_all()
    assert {name.rsplit(".", 1)[-1] for name in first} >= {"docx", "pdf", "xlsx"}
    assert [name for name in first if first[name] != second[name]] == []


def test_office_packages_carry_fixed_times():
    for name, data in _render_all().items():
        if name.endswith((".docx", ".xlsx")):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                assert {info.date_time for info in package.infolist()} == {(2021, 8, 3, 0, 0, 0)}, name
                if "docProps/core.xml" in package.namelist():
                    core = package.read("docProps/core.xml").decode()
                    assert str(time.gmtime().tm_year) not in core, name
