"""Every sample record renders in-process, and every 公文 and attachment-page PDF among them passes `docgen check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.check.report import check_pdf
from docgen.kinds import render_file

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").rglob("*.yaml"))


@pytest.mark.parametrize("record", SAMPLES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_sample_renders(record, tmp_path):
    artifacts = render_file(record)
    assert artifacts and all(a.data for a in artifacts)
    for artifact in artifacts:
        path = artifact.write(tmp_path)
        if record.parent.name in ("notices", "replies", "bulletins", "applications") and path.suffix == ".pdf":
            report = check_pdf(path)
            assert report.passed, report.text()
