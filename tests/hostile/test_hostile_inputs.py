"""Every hostile-input case of cases.py, run the way it arrives, its outcome asserted (issue 10).

A refusal is an InvalidRecord (in-process) or exit status 1/2 with the Chinese message on stderr, never a
traceback, naming the field or limit; a render opens (PDF with pikepdf, every XML part of a DOCX/XLSX parses,
every ZIP member name is a safe relative path) and passes the case's checks. Every case runs under
``signal.alarm(60)``: a hang fails. CLI cases run in a work folder five levels down a fresh temporary tree,
which is listed before and after: nothing may be written outside the output folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

import pytest

from tests.hostile.cases import CASES, ESCAPE, REPO, Answered, Case, Output, Refused, Rendered

SECONDS = 60
MEMORY = 4 * 1024 ** 3  # a CLI case's address-space ceiling: a bomb fails with MemoryError, not the machine


@contextlib.contextmanager
def must_not_hang(seconds: int = SECONDS, on_timeout=None):
    def timeout(*_):
        if on_timeout:
            on_timeout()
        raise AssertionError(f"no answer within {seconds} s (hang)")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Result:
    def __init__(self, *, code: int | None = None, message: str = "", crash: str = "", files=None, messages=""):
        self.code = code  # CLI exit status; None in-process
        self.message = message  # the refusal's text (InvalidRecord or stderr)
        self.crash = crash  # a traceback: never acceptable
        self.files = files or {}
        self.messages = messages


# ------------------------------------------------------------------ running a case


def write_files(case: Case, work: Path) -> None:
    for name, content in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run_in_process(case: Case) -> Result:
    from docgen.kinds import parse_record, render_record
    from docgen.problems import InvalidRecord

    with must_not_hang():
        data = case.record()
        try:
            kind, record = parse_record(data, case.id)
            artifacts = render_record(kind, record, "hostile")
        except InvalidRecord as exc:
            return Result(message=str(exc))
        except Exception:  # noqa: BLE001 — any other exception is the failure being looked for
            return Result(crash=traceback.format_exc())
    messages = []
    for artifact in artifacts:
        messages += artifact.summary()
    return Result(files={a.filename: a.data for a in artifacts}, messages="\n".join(messages))


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    os.setsid()


def run_cli(case: Case, work: Path, out: Path) -> Result:
    if case.via == "yaml":
        record = work / "record.yaml"
        argv = ["render", str(record), "-o", str(out)]
    elif case.via == "consolidate":
        argv = ["consolidate", str(work / "报送"), "-o", str(out)]
    elif case.via == "plaques":
        argv = ["plaques", str(work / case.args[0]), *case.args[1:], "-o", str(out)]
    else:
        raise AssertionError(case.via)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", *argv], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_limits)

    def kill():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    try:
        with must_not_hang(on_timeout=kill):
            stdout, stderr = proc.communicate()
    finally:
        if proc.poll() is None:
            kill()
    stdout_text = stdout.decode("utf-8", "replace")
    stderr_text = stderr.decode("utf-8", "replace")
    files = {}
    if out.is_dir():
        for path in sorted(out.rglob("*")):
            if path.is_file():
                files[str(path.relative_to(out))] = path.read_bytes()
    crash = stderr_text if "Traceback" in stderr_text else ""
    return Result(code=proc.returncode, message=stderr_text, crash=crash, files=files,
                  messages=stdout_text + "\n" + stderr_text)


def tree(root: Path, skip: Path) -> dict[str, tuple]:
    """Every entry below ``root`` except those below ``skip``: path → (type, size, mtime)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if here == skip or skip in here.parents:
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            p = here / name
            if p == skip:
                continue
            st = p.lstat()
            # a folder's own mtime changes when the output folder is made in it; its entries are listed anyway
            out[str(p.relative_to(root))] = (st.st_mode, 0, 0) if p.is_dir() and not p.is_symlink() else \
                (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def escapes() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(ESCAPE)}


# ------------------------------------------------------------------ what every output must be


def assert_well_formed(files: dict[str, bytes]) -> None:
    import pikepdf
    from lxml import etree

    output = Output(files, "")
    for name, members in output.zip_members.items():
        for member in members:
            assert_safe_member(name, member)
    for name, data in output.files.items():
        low = name.lower()
        if low.endswith(".pdf"):
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert len(pdf.pages) > 0, f"{name}: PDF without pages"
        elif low.endswith((".docx", ".xlsx")):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    assert_safe_member(name, member)
                    if member.endswith((".xml", ".rels")):
                        try:
                            etree.fromstring(z.read(member), etree.XMLParser(resolve_entities=False, no_network=True))
                        except etree.XMLSyntaxError as exc:
                            raise AssertionError(f"{name}:{member} is not well-formed XML: {exc}") from None


def assert_safe_member(archive: str, member: str) -> None:
    parts = member.replace("\\", "/").split("/")
    assert not member.startswith(("/", "\\")) and not re.match(r"^[A-Za-z]:", member), \
        f"{archive}: absolute member name {member!r}"
    assert ".." not in parts, f"{archive}: member name {member!r} climbs out"
    assert not any(ord(c) < 32 for c in member), f"{archive}: control character in member name {member!r}"


# ------------------------------------------------------------------ the test


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case):
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        work = root / "a" / "b" / "c" / "d" / "work"
        out = work / "out"
        work.mkdir(parents=True)
        if case.via == "record":
            result = run_in_process(case)
        else:
            with must_not_hang():
                write_files(case, work)
                if case.via == "yaml" and case.data is not None:  # else the files hold record.yaml (raw bytes)
                    (work / "record.yaml").write_text(case.text(), encoding="utf-8", errors="surrogatepass")
            before, escaped_before = tree(root, out), escapes()
            result = run_cli(case, work, out)
            after = tree(root, out)
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            assert not changed, f"written outside the output folder: {changed}"
            assert escapes() == escaped_before, f"written into {tempfile.gettempdir()}: {escapes() - escaped_before}"
        verify(case, result)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def verify(case: Case, result: Result) -> None:
    assert not result.crash, f"crashed instead of a Chinese refusal:\n{result.crash[-3000:]}"
    expect = case.expect
    if isinstance(expect, Answered):  # either outcome is right; a refusal must still name the limit
        if result.code in (1, 2) and not result.files or result.code is None and result.message:
            expect = Refused(expect.words)
        else:
            expect = Rendered()
    if isinstance(expect, Refused):
        if result.code is not None:
            assert result.code in (1, 2), \
                f"expected a refusal (exit 1/2), got exit {result.code}; output:\n{result.messages[-2000:]}"
            assert not result.files, f"refused, yet wrote {sorted(result.files)[:5]}"
        else:
            assert result.message, f"expected a refusal, but it rendered {sorted(result.files)[:5]}"
        message = result.message
        for word in expect.words:
            options = word if isinstance(word, tuple) else (word,)
            assert any(o in message for o in options), f"refusal does not name {word!r}:\n{message[-2000:]}"
        for word in expect.absent:
            assert word not in message, f"refusal echoes {word!r}"
        return
    assert isinstance(expect, Rendered)
    if result.code is not None:
        assert result.code in (0, 1), f"exit {result.code}:\n{result.messages[-2000:]}"
        assert result.code == 0 or case.via == "plaques", f"exit {result.code}:\n{result.messages[-2000:]}"
    assert not result.message or result.code is not None, f"refused instead of rendered:\n{result.message[-2000:]}"
    assert result.files, f"nothing written:\n{result.messages[-2000:]}"
    assert_well_formed(result.files)
    output = Output(result.files, result.messages)
    for check in expect.checks:
        check(output)
