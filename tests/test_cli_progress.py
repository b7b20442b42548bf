"""`docgen render` of a batch or a folder says how far it has got while it works (plain lines off a terminal)."""

from __future__ import annotations

import io
import subprocess
import sys

from docgen.progress import Progress
from workers.local import ROOT


def test_a_batch_and_a_folder_report_every_item_as_they_go(tmp_path):
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "render", "samples/plaques/jiaozuo-contact-points.yaml",
                             "samples/city/blank-forms.yaml", "-o", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    items = [line for line in lines if line.startswith("jiaozuo-contact-points.yaml [")]
    assert [line.split("]")[0].split("[")[1] for line in items] == ["1/3", "2/3", "3/3"]
    assert "焦作高新区园区站" in items[0] and "剩余约" in items[0]
    assert [line.split("]")[0] for line in lines if line.startswith("记录 [")] == ["记录 [1/2", "记录 [2/2"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_bar_is_redrawn_with_the_count_and_time_left():
    out = _Terminal()
    progress = Progress(4, "标牌 ", stream=out)
    for n in range(4):
        progress.step(f"第{n + 1}块", failed=n == 2)
    frames = out.getvalue().split("\r")[1:]
    assert len(frames) == 4 and frames[-1].endswith("\n")
    assert "[######------------------]".replace("-", ".") in frames[0] and "1/4" in frames[0]
    assert "✗ 第3块" in frames[2] and "4/4" in frames[3] and "剩余约" in frames[3]
