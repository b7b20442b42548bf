"""A 公文's DOCX written by a forked helper while the PDF is drawn (docgen/render/forked.py): the same bytes
as in-process, and every failure of the helper ends in this process, never in a lost or half-written file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.kinds import render_file
from docgen.render import forked

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "samples" / "notices" / "jiaozuo-2021-135.yaml"


def in_a_fresh_process(test) -> None:
    """Runs ``test`` (a function of this module) with a helper waiting, in a new interpreter: forking is
    refused in a process running other threads, as this one may (an earlier test's server thread)."""
    code = (f"from tests.render import test_forked as t\nfrom docgen.render import forked\n"
            f"forked.ready(lambda: None)\nassert forked._HELPERS, 'no helper forked'\n"
            f"try:\n    t.{test.__name__}()\nfinally:\n    forked.dismiss()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_command_writes_the_in_process_bytes(tmp_path):
    """`docgen render` (a helper writes the DOCX) and the same record rendered in this process alone."""
    alone = {a.filename: a.data for a in render_file(SEED)}
    subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(SEED), "-o", str(tmp_path)], check=True,
                   capture_output=True, cwd=ROOT, timeout=300)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == alone


def helper_makes_it_in_another_process():
    assert forked.started(os.getpid)() != os.getpid()


def test_without_a_helper_it_is_made_here():
    forked.dismiss()
    assert forked.started(os.getpid)() == os.getpid()


def an_error_in_the_helper_is_raised_here():
    result = forked.started(divmod, 1, 0)
    with pytest.raises(ZeroDivisionError):
        result()


def a_helper_that_dies_leaves_the_work_to_this_process():
    assert forked.started(_dies_in_a_helper, os.getpid())() == "made here"


def a_job_that_cannot_be_sent_is_made_here():
    assert forked.started(lambda: "made here")() == "made here"  # a lambda does not pickle


def an_unused_helper_is_dismissed():
    [waiting] = forked._HELPERS
    forked.dismiss()
    assert not forked._HELPERS
    with pytest.raises(ChildProcessError):
        os.waitpid(waiting.pid, os.WNOHANG)  # already reaped: no process left behind


@pytest.mark.parametrize("test", [helper_makes_it_in_another_process, an_error_in_the_helper_is_raised_here,
                                  a_helper_that_dies_leaves_the_work_to_this_process,
                                  a_job_that_cannot_be_sent_is_made_here, an_unused_helper_is_dismissed],
                         ids=lambda f: f.__name__)
def test_the_helper(test):
    in_a_fresh_process(test)


def _dies_in_a_helper(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(9)  # killed mid-way: sends nothing
    return "made here"
