"""Issue 10: nothing is written outside the output folder, and nothing is read outside the include root.

Writes: every file name from data (``name:``, a stored artifact list, ZIP entries) is one safe path component;
a bad ``name:`` is refused at validation, and the write path is safe on its own. Reads: ``application_file`` /
``submissions_folder`` resolve inside the include root (symlinks and ``..`` resolved first), regular files
only, within the size limits, and a refused file's content never comes back in a message.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from docgen import cli
from docgen.kinds import BatchItem, ItemResult, parse_record, read_record
from docgen.problems import InvalidRecord
from docgen.records import limits
from docgen.records.filenames import MAX_BYTES, filename_problem, safe_filename
from docgen.annexes.includes import expand
from docgen.render.artifact import Artifact
from docgen.render.package import ZipPackage

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
APPLICATION = SAMPLES / "applications" / "wenxian-yam-market.yaml"
PASSWD_LINE = "root:x:0:0"

HOSTILE = ["/tmp/x", "../../../tmp/x", "..", ".", ".hidden", "a/b", "a\\b", "a\x00b", "a\nb", "CON", "nul.pdf",
           "com1", 'a<b>c:d"e|f?g*h', "批复\u202e", "x" * 400, "批" * 200 + ".pdf", " ..\\..\\x ", "..."]


def tree(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def only_inside(before: set[Path], after: set[Path], out: Path) -> None:
    """Everything new in the temp tree is inside ``out``."""
    new = after - before
    assert all(p == out or out in p.parents for p in new), sorted(map(str, new - {out}))


def reply_record(**changes) -> dict:
    data = yaml.safe_load((SAMPLES / "replies" / "wenxian-decline-contact-point.yaml").read_text(encoding="utf-8"))
    data.pop("application_file")
    data["application"] = yaml.safe_load(APPLICATION.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def write_yaml(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# ---- one safe component ----

@pytest.mark.parametrize("name", HOSTILE)
def test_every_hostile_name_becomes_one_safe_component(name, tmp_path):
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe not in (".", "..")
    assert not any(ch in safe for ch in '<>:"|?*\n\u202e')
    assert safe.split(".")[0].upper() not in ("CON", "NUL", "COM1")
    assert len(safe.encode()) <= MAX_BYTES
    assert safe_filename(safe) == safe  # idempotent
    assert filename_problem(name) is not None  # and a person writing it is told why
    written = Artifact(name, "application/pdf", b"%PDF").write(tmp_path / "out")
    assert written.parent == tmp_path / "out" and written.read_bytes() == b"%PDF"  # the OS accepted the name


def test_chinese_names_are_kept():
    for name in ("焦市监办〔2021〕135号", "001-山阳区汽车零部件协会站-批复.pdf", "附件2-6 汇总（2021年9月）.xlsx"):
        assert safe_filename(name) == name and filename_problem(name) is None
    long = "批复" * 100 + ".pdf"
    assert safe_filename(long).endswith(".pdf") and len(safe_filename(long).encode()) <= MAX_BYTES


# ---- writes: refused at validation, in-process and through the CLI ----

@pytest.mark.parametrize("name", ["ABS", "../../../escape", "..", "a/b", "CON", "a|b"])
def test_a_reply_name_that_is_a_path_is_refused_naming_the_field_and_the_rule(name, tmp_path, capsys,
                                                                                monkeypatch):
    if name == "ABS":
        name = str(tmp_path / "escape")
    monkeypatch.chdir(ROOT)
    record = write_yaml(tmp_path / "in" / "reply.yaml", reply_record(name=name))
    out = tmp_path / "deep" / "out"
    before = tree(tmp_path)
    code = cli.main(["render", str(record), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "输出文件名（name）" in err and ("不能" in err or "只能" in err)
    only_inside(before, tree(tmp_path), out)
    assert not list(tmp_path.rglob("escape*"))


def test_bulletin_notice_and_batch_names_are_checked_the_same_way():
    bulletin = read_record(SAMPLES / "bulletins" / "city-2021-inspection.yaml", include_root=ROOT)
    with pytest.raises(InvalidRecord) as caught:
        parse_record({**bulletin, "name": "../../x"})
    assert "输出文件名（name）" in caught.value.report() and "不能含 /" in caught.value.report()
    notice = yaml.safe_load((SAMPLES / "notices" / "jiaozuo-2021-135.yaml").read_text(encoding="utf-8"))
    with pytest.raises(InvalidRecord, match="不能以 . 开头"):
        parse_record({**notice, "name": ".bashrc"})
    assert parse_record({**notice, "name": "焦市监办〔2021〕135号"})[1].name == "焦市监办〔2021〕135号"
    batch = yaml.safe_load((SAMPLES / "replies" / "city-batch-2021-09.yaml").read_text(encoding="utf-8"))
    batch["replies"][0].pop("application_file")
    batch["replies"][0].update(application=yaml.safe_load(APPLICATION.read_text(encoding="utf-8")),
                               name="../../../x")
    with pytest.raises(InvalidRecord) as caught:
        parse_record(expand(batch, SAMPLES / "replies", ROOT))
    assert "replies[1].name" in caught.value.report() and "不能含 /" in caught.value.report()


def test_the_write_path_is_safe_on_its_own(tmp_path):
    out = tmp_path / "out"
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"keep")
    artifact = Artifact("x.pdf", "application/pdf", b"new")
    artifact.filename = "../outside.pdf"  # as if set after construction, bypassing every check
    assert artifact.write(out) == out / "_outside.pdf"
    assert outside.read_bytes() == b"keep"
    (out / "link.pdf").symlink_to(outside)  # a symlink already in the output folder is replaced, not followed
    Artifact("link.pdf", "application/pdf", b"new").write(out)
    assert outside.read_bytes() == b"keep" and not (out / "link.pdf").is_symlink()
    assert (out / "link.pdf").read_bytes() == b"new"
    assert sorted(p.name for p in out.iterdir()) == ["_outside.pdf", "link.pdf"]  # no temporary file left


# ---- ZIP entries ----

def test_zip_entries_never_hold_dotdot_rooted_or_duplicate_names():
    with ZipPackage() as package:
        for name in HOSTILE + ["批复.pdf", "批复.pdf", "批复.PDF"]:
            package.add(name, b"x", "批复")
        package.add("x.pdf", b"x", "/../../etc")
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert len(names) == len(set(n.casefold() for n in names)) == len(HOSTILE) + 4
    for name in names:
        assert not name.startswith("/") and "\\" not in name and "\x00" not in name
        assert all(part not in ("", ".", "..") and not part.startswith(".") for part in name.split("/"))
    assert {"批复/批复.pdf", "批复/批复-2.pdf", "批复/批复-3.PDF"} <= set(names)
    assert "etc/x.pdf" in names


def test_a_reply_batch_zip_holds_only_safe_entries_even_from_hostile_artifacts():
    from docgen.records.reply import ReplyBatch
    from docgen.replies.batch import merge_replies

    batch = yaml.safe_load((SAMPLES / "replies" / "city-batch-2021-09.yaml").read_text(encoding="utf-8"))
    record = ReplyBatch.parse(expand(batch, SAMPLES / "replies", ROOT))
    results = []
    for n, hostile in enumerate(["../../../x.pdf", "/etc/cron.d/x.pdf", "批复.pdf", "批复.pdf"]):
        artifact = Artifact("x.pdf", "application/pdf", b"%PDF-1.7")
        artifact.filename = hostile  # what a worker could send back, unchecked
        results.append(ItemResult(BatchItem(f"00{n}-批复", {"kind": "reply"}), [artifact]))
    [archive] = merge_replies(record, results)
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    replies = [n for n in names if n.startswith("批复/")]
    assert sorted(replies) == ["批复/_.._.._x.pdf", "批复/_etc_cron.d_x.pdf", "批复/批复-2.pdf", "批复/批复.pdf"]
    assert all(".." not in n.split("/") and not n.startswith("/") for n in names)


def test_a_reply_batch_with_two_replies_of_one_name_renders_both(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    application = yaml.safe_load(APPLICATION.read_text(encoding="utf-8"))
    reply = {"name": "温县批复", "subject": "contact-point", "decision": "decline", "application": application,
             "request": {"title": "关于申请确定为知识产权保护联系点的请示"}}
    batch = {"kind": "reply-batch", "title": "重名测试", "issuer": {"organ": "温县市场监督管理局"},
             "first_number": "温市监〔2021〕31号", "date": "2021年9月22日", "replies": [reply, reply]}
    record = write_yaml(tmp_path / "batch.yaml", batch)
    out = tmp_path / "out"
    before = tree(tmp_path)
    assert cli.main(["render", str(record), "-o", str(out)]) == 0, capsys.readouterr().err
    only_inside(before, tree(tmp_path), out)
    names = zipfile.ZipFile(out / "重名测试.zip").namelist()
    assert {"批复/温县批复.pdf", "批复/温县批复-2.pdf", "批复/温县批复.docx", "批复/温县批复-2.docx"} <= set(names)


# ---- reads: the include root ----

@pytest.fixture
def office(tmp_path, monkeypatch):
    """An include root (``root/``, the working directory) with a record folder, and another office's files
    beside it, outside the root."""
    root = tmp_path / "root"
    (root / "replies").mkdir(parents=True)
    (root / "applications").mkdir()
    (root / "applications" / "own.yaml").write_text(APPLICATION.read_text(encoding="utf-8"), encoding="utf-8")
    other = yaml.safe_load(APPLICATION.read_text(encoding="utf-8"))
    other["organisation"] = "另一局的保密单位名称"
    write_yaml(tmp_path / "other-office" / "secret.yaml", other)
    monkeypatch.chdir(root)
    return root


def render_reply(root: Path, application_file: str, *extra: str) -> tuple[int, set[Path], Path]:
    """Renders a reply naming ``application_file``; returns the exit code, the temp tree as it was just
    before the command, and the output folder."""
    data = reply_record()
    data.pop("application")
    data["application_file"] = application_file
    record = write_yaml(root / "replies" / "reply.yaml", data)
    out = root / "out"
    before = tree(root.parent)
    return cli.main(["render", str(record), "-o", str(out), *extra]), before, out


def run(capsys, root: Path, application_file: str, *extra: str) -> str:
    code, before, out = render_reply(root, application_file, *extra)
    err = capsys.readouterr().err
    only_inside(before, tree(root.parent), out)
    assert code == 1 and not out.exists(), err
    assert "application_file" in err
    return err


def test_the_samples_still_read_their_files_from_the_project_root(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    data = read_record(SAMPLES / "replies" / "shanyang-approve-contact-point.yaml")
    assert data["application"]["organisation"]
    monkeypatch.chdir(tmp_path)  # elsewhere: refused, unless the root is widened explicitly
    with pytest.raises(InvalidRecord, match="在允许读取的文件夹之外"):
        read_record(SAMPLES / "replies" / "shanyang-approve-contact-point.yaml")
    assert read_record(SAMPLES / "replies" / "shanyang-approve-contact-point.yaml", include_root=ROOT)


def test_a_file_inside_the_root_is_read(office, capsys):
    code, _, out = render_reply(office, "../applications/own.yaml")
    assert code == 0, capsys.readouterr().err
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_another_offices_record_outside_the_root_is_refused(office, capsys, how):
    secret = office.parent / "other-office" / "secret.yaml"
    err = run(capsys, office, str(secret) if how == "absolute" else "../../other-office/secret.yaml")
    assert "在允许读取的文件夹之外" in err and "--include-root" in err
    assert "另一局的保密单位名称" not in err


def test_a_symlink_out_of_the_root_is_refused(office, capsys):
    (office / "applications" / "link.yaml").symlink_to(office.parent / "other-office" / "secret.yaml")
    err = run(capsys, office, "../applications/link.yaml")
    assert "在允许读取的文件夹之外" in err and "另一局的保密单位名称" not in err
    (office / "applications" / "zero.yaml").symlink_to("/dev/zero")
    assert "在允许读取的文件夹之外" in run(capsys, office, "../applications/zero.yaml")


def test_etc_passwd_is_refused_and_never_quoted(office, capsys):
    assert PASSWD_LINE in Path("/etc/passwd").read_text()
    err = run(capsys, office, "/etc/passwd")
    assert "在允许读取的文件夹之外" in err and PASSWD_LINE not in err
    err = run(capsys, office, "/etc/passwd", "--include-root", "/")  # even when the root allows it
    assert "不是附件1 申请表" in err and PASSWD_LINE not in err and ":x:" not in err and "nologin" not in err


def test_dev_zero_and_the_root_folder_are_refused_quickly(office, capsys):
    start = time.monotonic()
    assert "不是普通文件" in run(capsys, office, "/dev/zero", "--include-root", "/")
    assert "是文件夹，不是文件" in run(capsys, office, "/", "--include-root", "/")
    fifo = office / "applications" / "pipe.yaml"
    os.mkfifo(fifo)
    assert "不是普通文件" in run(capsys, office, "../applications/pipe.yaml")
    assert time.monotonic() - start < 10


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(office, capsys):
    big = office / "applications" / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(limits.INCLUDE_BYTES.maximum + 1)  # sparse: nothing to read if it were read
    err = run(capsys, office, "../applications/big.yaml")
    assert "引用文件大小" in err and "超过上限" in err


def test_an_unknown_or_non_text_reference_is_refused(office):
    with pytest.raises(InvalidRecord) as caught:
        expand({"kind": "reply", "logo_file": "x.png", "application_file": ["a"]}, office)
    report = caught.value.report()
    assert "logo_file" in report and "未知的文件引用" in report
    assert "application_file" in report and "应为文件或文件夹的路径" in report


# ---- reads: a folder of submissions ----

def bulletin_with_folder(root: Path, folder: str) -> Path:
    data = yaml.safe_load((SAMPLES / "bulletins" / "city-2021-inspection.yaml").read_text(encoding="utf-8"))
    data["submissions_folder"] = folder
    return write_yaml(root / "bulletins" / "bulletin.yaml", data)


def test_a_submissions_folder_outside_the_root_or_with_a_symlink_out_is_refused(office, capsys):
    outside = office.parent / "other-office" / "reports"
    outside.mkdir()
    (outside / "a.yaml").write_text((SAMPLES / "annexes" / "boai.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    record = bulletin_with_folder(office, str(outside))
    assert cli.main(["render", str(record), "-o", str(office / "out")]) == 1
    err = capsys.readouterr().err
    assert "submissions_folder" in err and "在允许读取的文件夹之外" in err
    inside = office / "reports"
    inside.mkdir()
    (inside / "boai.yaml").write_text((SAMPLES / "annexes" / "boai.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (inside / "stolen.yaml").symlink_to(outside / "a.yaml")
    (inside / "passwd.csv").symlink_to("/etc/passwd")
    record = bulletin_with_folder(office, "../reports")
    before = tree(office.parent)
    assert cli.main(["render", str(record), "-o", str(office / "out")]) == 1
    err = capsys.readouterr().err
    assert "stolen.yaml" in err and "passwd.csv" in err and "在允许读取的文件夹之外" in err and PASSWD_LINE not in err
    only_inside(before, tree(office.parent), office / "out")
    assert not (office / "out").exists()


def test_a_non_report_file_in_the_folder_is_named_not_quoted(office):
    folder = office / "reports"
    folder.mkdir()
    passwd = Path("/etc/passwd").read_text()
    (folder / "passwd.csv").write_text(passwd)
    (folder / "passwd.yaml").write_text(passwd)
    with pytest.raises(InvalidRecord) as caught:
        expand({"submissions_folder": "reports"}, office)
    report = caught.value.report()
    assert "passwd.csv" in report and "passwd.yaml" in report and "不能作为区局报送读取" in report
    assert PASSWD_LINE not in report and "/bin/" not in report


def test_a_folder_with_too_many_files_is_refused(office, monkeypatch):
    folder = office / "reports"
    folder.mkdir()
    for n in range(4):
        (folder / f"{n}.csv").write_text("")
    monkeypatch.setattr(limits, "FOLDER_FILES", limits.Limit("文件夹中的报送文件数", 3, "个"))
    with pytest.raises(InvalidRecord, match="文件夹中的报送文件数最多 3 个"):
        expand({"submissions_folder": "reports"}, office)


# ---- records from the network ----

def test_a_record_from_the_network_may_name_no_file_on_the_server():
    batch = {"kind": "reply-batch", "replies": [{"name": "a"}, {"application_file": "/etc/passwd"}],
             "submissions_folder": "../annexes", "nested": {"logo_file": "x"}}
    with pytest.raises(InvalidRecord) as caught:
        expand(batch, remote=True)
    report = caught.value.report()
    assert "通过网络提交的记录不能引用服务器上的文件" in report
    for field in ("replies[2].application_file", "submissions_folder", "nested.logo_file"):
        assert field in report
    assert expand({"kind": "reply", "application": {"organisation": "x"}}, remote=True)["application"]


# ---- fetch: the stored artifact list is not trusted ----

@pytest.fixture
def job_store(tmp_path, monkeypatch):
    from workers.local import LocalRedis
    from workers.store import JobStore

    (tmp_path / "redis").mkdir()
    server = LocalRedis(tmp_path / "redis")
    monkeypatch.setenv("REDIS_URL", server.url)
    monkeypatch.setenv("DOCGEN_STORE_URL", server.url)
    monkeypatch.setenv("DOCGEN_ARTIFACTS_URL", str(tmp_path / "artifacts"))
    try:
        yield JobStore(server.url)
    finally:
        server.stop()


def stored_job(store, entries: list[dict]) -> str:
    """A finished job whose stored artifact list is rewritten by hand: one entry per dict of ``entries``,
    each the good entry with those changes."""
    job_id = store.create("reply", "x", {"kind": "reply"})
    [good] = store.put_artifacts([Artifact("好.pdf", "application/pdf", b"%PDF good")])
    store.finish_job(job_id, [good])
    key = f"docgen:job:{job_id}:artifacts"
    store.redis.delete(key)
    for n, changes in enumerate(entries):
        store.redis.hset(key, f"entry{n}", json.dumps({**good, **changes}, ensure_ascii=False, default=str))
    return job_id


def test_fetch_with_an_altered_artifact_list_writes_nothing_and_names_the_bad_entry(job_store, tmp_path, capsys):
    from workers.client import fetch

    work = tmp_path / "work"
    out = work / "out"
    work.mkdir()
    escape = tmp_path / "escaped.pdf"
    job_id = stored_job(job_store, [{}, {"filename": f"../../{escape.name}"}, {"filename": str(escape)},
                                    {"sha256": "../../x"}])
    before = tree(tmp_path)
    with pytest.raises(InvalidRecord) as caught:
        fetch(job_id, out)
    report = caught.value.report()
    assert "filename" in report and "安全的文件名" in report and "sha256" in report and "64 位十六进制" in report
    assert f"../../{escape.name}" in report
    assert tree(tmp_path) == before and not escape.exists()
    # the same through the command line
    assert cli.main(["fetch", job_id, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "安全的文件名" in err and tree(tmp_path) == before


def test_fetch_of_a_good_list_writes_inside_the_folder(job_store, tmp_path, capsys):
    job_id = stored_job(job_store, [{}])
    out = tmp_path / "out"
    assert cli.main(["fetch", job_id, "-o", str(out)]) == 0, capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["好.pdf"] and (out / "好.pdf").read_bytes() == b"%PDF good"


def test_fetch_refuses_bytes_that_do_not_match_their_digest(job_store, tmp_path):
    from workers.client import fetch

    digest = job_store.blobs.put(b"other")
    [blob] = (tmp_path / "artifacts").rglob(digest)
    blob.write_bytes(b"tampered")  # the store's copy altered behind its back
    job_id = stored_job(job_store, [{"sha256": digest}])
    with pytest.raises(InvalidRecord, match="校验值"):
        fetch(job_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_fetch_of_an_artifact_gone_from_the_store_says_so(job_store, tmp_path):
    from workers.client import fetch

    job_id = stored_job(job_store, [{"sha256": hashlib.sha256(b"never stored").hexdigest()}])
    with pytest.raises(InvalidRecord, match="已不在文件存储中"):
        fetch(job_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()
