"""发文登记簿: numbers allocated at sign-off (concurrently, on the configured database: SQLite by default,
PostgreSQL with DATABASE_URL), status steps with who and when, the archive and its immutability, the reply
batch numbered from the register, the commands and the Chinese admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from docgen.kinds import parse_record, read_record
from docgen.problems import InvalidRecord
from docgen.render.artifact import Artifact
from web.documents import register
from web.documents.models import (ArchivedFile, DocumentEntry, DocumentEvent, NumberSequence, RegisterGuardError,
                                  Status)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PDF, DOCX = register.PDF, register.DOCX

NOTICE = {
    "kind": "notice",
    "issuer": {"organ": "焦作市市场监督管理局"},
    "title": "关于加强知识产权保护工作体系建设的通知",
    "addressees": "各县（市）、区市场监督管理局：",
    "body": ["为加强知识产权保护工作体系建设，现将有关事项通知如下。"],
    "signature": {"organ": "焦作市市场监督管理局", "date": "2021年8月3日", "seal": "sealed"},
}


@pytest.fixture(autouse=True)
def archive_folder(tmp_path, monkeypatch):
    """The archive in this test's own folder (the local-folder backend)."""
    folder = tmp_path / "artifacts"
    monkeypatch.setenv("DOCGEN_ARTIFACTS_URL", str(folder))
    return folder


def notice(title="关于加强知识产权保护工作体系建设的通知", date="2021年8月3日", **more):
    return {**NOTICE, "title": title, "signature": {**NOTICE["signature"], "date": date}, **more}


def draft_notice(user, issuer_code="焦市监办", **record):
    data = notice(**record)
    return register.draft(kind="notice", issuer_code=issuer_code, title=data["title"], doc_type="通知",
                          record=data, user=user)


def files(tag="v1"):
    """What a render gives: the DOCX and the PDF (the bytes stand in for them)."""
    return [Artifact("jiaozuo.docx", DOCX, f"PK docx {tag}".encode()),
            Artifact("jiaozuo.pdf", PDF, f"%PDF-1.7 {tag}".encode())]


def issued_entry(user):
    entry = draft_notice(user)
    register.sign_off([entry], user)
    register.seal(entry, user)
    register.issue(entry, user, files())
    return entry


# ---------------------------------------------------------------------------------------------- numbers
@pytest.mark.django_db
def test_numbers_are_allocated_at_sign_off_per_issuer_and_year(staff_user):
    a, b, c = (draft_notice(staff_user, title=f"关于第{n}件事的通知") for n in "一二三")
    assert (a.status, a.number, a.doc_number, a.year) == (Status.DRAFT, None, "", None)  # drafting takes no number
    other_issuer = draft_notice(staff_user, issuer_code="焦市监")
    next_year = draft_notice(staff_user, date="2022年1月4日")

    assert register.sign_off([b, a], staff_user) == ["焦市监办〔2021〕1号", "焦市监办〔2021〕2号"]
    assert register.sign_off([next_year, other_issuer, c], staff_user) == [
        "焦市监办〔2022〕1号", "焦市监〔2021〕1号", "焦市监办〔2021〕3号"]
    a.refresh_from_db()
    assert (a.status, a.year, a.number, a.doc_number) == (Status.SIGNED, 2021, 2, "焦市监办〔2021〕2号")
    assert (a.signed_by, a.signed_at is not None) == (staff_user, True)
    assert a.numbered_record()["doc_number"] == "焦市监办〔2021〕2号"
    parse_record(a.numbered_record())  # a record docgen renders as it is
    counters = {(s.issuer_code, s.year): s.last_number for s in NumberSequence.objects.all()}
    assert counters == {("焦市监办", 2021): 3, ("焦市监办", 2022): 1, ("焦市监", 2021): 1}


@pytest.mark.django_db
def test_numbering_continues_from_a_counter_set_by_hand(staff_user):
    NumberSequence.objects.create(issuer_code="焦市监办", year=2021, last_number=134)  # the paper register's last
    entry = draft_notice(staff_user)
    assert register.sign_off([entry], staff_user) == ["焦市监办〔2021〕135号"]
    counter = NumberSequence.objects.get()
    counter.last_number = 100
    with pytest.raises(RegisterGuardError, match="只能调大"):
        counter.save()


@pytest.mark.django_db
def test_sign_off_refuses_what_is_not_a_draft_and_hands_out_nothing(staff_user):
    signed, fresh = draft_notice(staff_user), draft_notice(staff_user)
    register.sign_off([signed], staff_user)
    with pytest.raises(register.TransitionError) as refused:
        register.sign_off([fresh, signed], staff_user)
    message = str(refused.value)
    assert "焦市监办〔2021〕1号" in message and "已签发" in message and "用印" in message
    fresh.refresh_from_db()
    assert fresh.status == Status.DRAFT and fresh.number is None  # the whole sign-off was rolled back
    assert register.sign_off([fresh], staff_user) == ["焦市监办〔2021〕2号"]
    with pytest.raises(register.RegisterError, match="2022"):
        register.sign_off([draft_notice(staff_user)], staff_user, year=2022)  # dated 2021


def _sign_off_concurrently(groups, user):
    """Each group signed off in its own thread, on its own database connection, all released at once."""
    start = threading.Barrier(len(groups))
    results, errors = {}, []

    def work(n, group):
        try:
            start.wait()
            results[n] = register.sign_off(group, user)
        except Exception as exc:  # reported below: a failed allocation fails the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n, g)) for n, g in enumerate(groups)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_hand_out_every_number_once_without_a_gap(staff_user):
    sizes = [1] * 16 + [2] * 6 + [3] * 2  # 24 threads, 34 numbers
    groups = [[draft_notice(staff_user, title=f"关于第{n}批第{k}件的通知") for k in range(size)]
              for n, size in enumerate(sizes)]
    results, errors = _sign_off_concurrently(groups, staff_user)
    assert errors == []
    assert len(results) == len(groups)
    numbers = [int(re.search(r"〕(\d+)号", s)[1]) for r in results.values() for s in r]
    assert sorted(numbers) == list(range(1, sum(sizes) + 1))  # no duplicate, no gap
    for n, group in enumerate(groups):  # one sign-off's numbers are consecutive, in its order
        seq = [int(re.search(r"〕(\d+)号", s)[1]) for s in results[n]]
        assert seq == list(range(seq[0], seq[0] + len(group)))
    stored = list(DocumentEntry.objects.order_by("number").values_list("number", "status"))
    assert stored == [(k, Status.SIGNED) for k in range(1, sum(sizes) + 1)]
    assert NumberSequence.objects.get(issuer_code="焦市监办", year=2021).last_number == sum(sizes)
    assert DocumentEvent.objects.filter(action=DocumentEvent.Action.SIGN_OFF).count() == sum(sizes)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_of_two_issuers_and_voids_meanwhile(staff_user):
    drafts = [draft_notice(staff_user, issuer_code=code) for code in ["焦市监办", "焦市监"] * 11]
    to_void = [draft_notice(staff_user) for _ in range(3)]
    register.sign_off(to_void, staff_user)  # 焦市监办 1–3
    start = threading.Barrier(len(drafts) + len(to_void))
    errors = []

    def run(fn):
        try:
            start.wait()
            fn()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    jobs = [lambda e=e: register.sign_off([e], staff_user) for e in drafts]
    jobs += [lambda e=e: register.void(e, staff_user, "标题有误，重新起草") for e in to_void]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for code, expected in (("焦市监办", range(1, 15)), ("焦市监", range(1, 12))):
        assert sorted(DocumentEntry.objects.filter(issuer_code=code).values_list("number", flat=True)) == \
            list(expected)
    voided = DocumentEntry.objects.filter(status=Status.VOID)
    assert sorted(voided.values_list("number", flat=True)) == [1, 2, 3]  # recorded, not handed out again


# ---------------------------------------------------------------------------------------------- steps
@pytest.mark.django_db
def test_every_step_in_order_records_who_and_when(staff_user, django_user_model):
    leader = django_user_model.objects.create_user(username="zhangjianguo", first_name="建国", last_name="张")
    entry = draft_notice(staff_user)
    with pytest.raises(register.TransitionError, match="草稿.*不能用印.*已签发、作废"):
        register.seal(entry, staff_user)
    with pytest.raises(register.TransitionError, match="不能印发"):
        register.issue(entry, staff_user, files())
    register.sign_off([entry], leader)
    with pytest.raises(register.TransitionError, match="已签发.*不能印发"):
        register.issue(entry, staff_user, files())
    register.seal(entry, staff_user)
    register.issue(entry, staff_user, files())
    entry.refresh_from_db()
    assert entry.status == Status.ISSUED
    assert (entry.drafted_by, entry.signed_by, entry.sealed_by, entry.issued_by) == (
        staff_user, leader, staff_user, staff_user)
    assert entry.drafted_at <= entry.signed_at <= entry.sealed_at <= entry.issued_at
    events = list(entry.events.order_by("at", "pk").values_list("action", "from_status", "to_status", "user"))
    assert events == [("draft", "", "draft", staff_user.pk), ("sign_off", "draft", "signed", leader.pk),
                      ("seal", "signed", "sealed", staff_user.pk), ("issue", "sealed", "issued", staff_user.pk)]
    with pytest.raises(register.TransitionError, match="已印发.*不能作废.*新公文"):
        register.void(entry, staff_user, "错了")
    with pytest.raises(register.TransitionError, match="已印发.*不能用印"):
        register.seal(entry, staff_user)


@pytest.mark.django_db
def test_a_voided_number_stays_recorded_and_is_never_reused(staff_user):
    first, second = draft_notice(staff_user), draft_notice(staff_user)
    register.sign_off([first, second], staff_user)
    register.seal(second, staff_user)
    register.void(second, staff_user, "主送机关有误")
    second.refresh_from_db()
    assert (second.status, second.doc_number, second.void_reason, second.voided_by) == (
        Status.VOID, "焦市监办〔2021〕2号", "主送机关有误", staff_user)
    assert register.sign_off([draft_notice(staff_user)], staff_user) == ["焦市监办〔2021〕3号"]
    with pytest.raises(register.TransitionError, match="作废.*不能作废"):
        register.void(second, staff_user, "再次")
    with pytest.raises(register.RegisterError, match="原因"):
        register.void(first, staff_user, "  ")
    never_numbered = draft_notice(staff_user)
    register.void(never_numbered, staff_user, "不再发文")
    never_numbered.refresh_from_db()
    assert never_numbered.status == Status.VOID and never_numbered.number is None
    with pytest.raises(register.TransitionError, match="不能签发"):
        register.sign_off([never_numbered], staff_user)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database itself never holds a number twice
        DocumentEntry.objects.create(kind="notice", issuer_code="焦市监办", year=2021, number=2,
                                     doc_number="焦市监办〔2021〕2号", doc_type="通知", title="重复", status=Status.SIGNED)


@pytest.mark.django_db
def test_draft_validates_the_record_with_docgen(staff_user):
    with pytest.raises(InvalidRecord) as bad:
        register.draft(kind="notice", issuer_code="焦市监办", title="t", doc_type="通知",
                       record={**NOTICE, "body": [], "signature": {**NOTICE["signature"], "date": "2021年08月03日"}},
                       user=staff_user)
    report = bad.value.report()
    assert "body" in report and "不编虚位" in report
    with pytest.raises(InvalidRecord, match="签发时编定"):
        register.draft(kind="notice", issuer_code="焦市监办", title="t", doc_type="通知",
                       record={**NOTICE, "doc_number": "焦市监办〔2021〕9号"}, user=staff_user)
    with pytest.raises(register.RegisterError, match="机关代字"):
        draft_notice(staff_user, issuer_code="焦市监办〔2021〕")
    with pytest.raises(register.RegisterError, match="没有发文字号"):
        register.draft(kind="plaque", issuer_code="焦市监办", title="t", doc_type="标牌", record={}, user=staff_user)
    assert not DocumentEntry.objects.exists()


# ---------------------------------------------------------------------------------------------- archive
@pytest.mark.django_db
def test_issue_archives_the_files_with_their_sha256(staff_user, archive_folder):
    entry = issued_entry(staff_user)
    archived = {f.filename: f for f in entry.files.all()}
    assert set(archived) == {"jiaozuo.docx", "jiaozuo.pdf"}
    for artifact in files():
        stored = archived[artifact.filename]
        assert stored.sha256 == hashlib.sha256(artifact.data).hexdigest()
        assert (stored.size, stored.media_type) == (len(artifact.data), artifact.media_type)
        assert register.archived_bytes(stored) == artifact.data
        assert (archive_folder / "archive" / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256).is_file()


@pytest.mark.django_db
def test_an_archived_file_damaged_in_the_store_is_never_served(staff_user, archive_folder):
    entry = issued_entry(staff_user)
    pdf = entry.files.get(media_type=PDF)
    blob = archive_folder / "archive" / pdf.sha256[:2] / pdf.sha256[2:4] / pdf.sha256
    blob.write_bytes(b"%PDF-1.7 altered")
    with pytest.raises(register.CorruptArchive, match="jiaozuo.pdf.*损坏"):
        register.archived_bytes(pdf)
    blob.unlink()
    with pytest.raises(register.ArchiveError, match="缺失"):
        register.archived_bytes(pdf)


@pytest.mark.django_db
def test_issue_needs_the_pdf_and_the_docx(staff_user):
    entry = draft_notice(staff_user)
    register.sign_off([entry], staff_user)
    register.seal(entry, staff_user)
    with pytest.raises(register.RegisterError, match="缺少 DOCX"):
        register.issue(entry, staff_user, files()[1:])
    with pytest.raises(register.RegisterError, match="文件名重复"):
        register.issue(entry, staff_user, [files()[1], Artifact("jiaozuo.pdf", DOCX, b"PK")])
    entry.refresh_from_db()
    assert entry.status == Status.SEALED and not entry.files.exists()


@pytest.mark.django_db
def test_an_issued_entry_and_its_archive_never_change(staff_user):
    entry = issued_entry(staff_user)
    pk = entry.pk
    entry.title = "改过的标题"
    with pytest.raises(RegisterGuardError, match="已印发.*不能再修改.*新公文"):
        entry.save()
    with pytest.raises(RegisterGuardError):
        DocumentEntry.objects.filter(pk=pk).update(title="改过的标题")
    with pytest.raises(RegisterGuardError):
        DocumentEntry.objects.filter(pk=pk).update(status=Status.VOID)
    with pytest.raises(RegisterGuardError):
        DocumentEntry.objects.get(pk=pk).delete()
    with pytest.raises(RegisterGuardError):
        DocumentEntry.objects.filter(pk=pk).delete()

    pdf = ArchivedFile.objects.get(entry_id=pk, media_type=PDF)
    pdf.sha256 = "0" * 64
    with pytest.raises(RegisterGuardError, match="不能修改"):
        pdf.save()
    with pytest.raises(RegisterGuardError, match="不能删除"):
        ArchivedFile.objects.get(pk=pdf.pk).delete()
    with pytest.raises(RegisterGuardError):
        ArchivedFile.objects.filter(entry_id=pk).update(size=1)
    with pytest.raises(RegisterGuardError):
        ArchivedFile.objects.filter(entry_id=pk).delete()
    with pytest.raises(RegisterGuardError, match="已印发"):
        ArchivedFile.objects.create(entry_id=pk, filename="extra.pdf", media_type=PDF, sha256="1" * 64, size=1)
    with pytest.raises(RegisterGuardError):
        DocumentEvent.objects.filter(entry_id=pk).delete()
    with pytest.raises(register.TransitionError):
        register.issue(DocumentEntry.objects.get(pk=pk), staff_user, files("v2"))

    again = DocumentEntry.objects.get(pk=pk)
    assert (again.title, again.status) == ("关于加强知识产权保护工作体系建设的通知", Status.ISSUED)
    assert sorted((f.filename, f.sha256) for f in again.files.all()) == sorted(
        (a.filename, hashlib.sha256(a.data).hexdigest()) for a in files())
    assert again.events.count() == 4


@pytest.mark.django_db
def test_after_sign_off_the_text_is_fixed(staff_user):
    entry = draft_notice(staff_user)
    entry.title = "起草中可以修改"
    entry.save()
    DocumentEntry.objects.filter(pk=entry.pk).update(doc_type="通报")  # drafts may be edited
    register.sign_off([entry], staff_user)
    entry.title = "签发后修改"
    with pytest.raises(RegisterGuardError, match="已签发.*标题"):
        entry.save()
    entry.refresh_from_db()
    entry.number = 99
    with pytest.raises(RegisterGuardError, match="字号"):
        entry.save()
    entry.refresh_from_db()
    entry.status = Status.ISSUED  # skipping the seal (and the archive)
    with pytest.raises(RegisterGuardError, match="不能改为已印发"):
        entry.save()


@pytest.mark.django_db
def test_a_correction_is_a_new_document_naming_the_old_one(staff_user):
    old = issued_entry(staff_user)
    data = notice(title="关于更正《关于加强知识产权保护工作体系建设的通知》的通知")
    fix = register.draft(kind="notice", issuer_code="焦市监办", title=data["title"], doc_type="通知", record=data,
                         user=staff_user, corrects=old)
    assert register.sign_off([fix], staff_user) == ["焦市监办〔2021〕2号"]
    assert list(old.corrections.all()) == [fix]
    assert "更正焦市监办〔2021〕1号" in fix.events.get(action="draft").note
    with pytest.raises(register.RegisterError, match="只能更正已印发"):
        register.draft(kind="notice", issuer_code="焦市监办", title="t", doc_type="通知", record=notice(),
                       user=staff_user, corrects=fix)


@pytest.mark.django_db
def test_a_reply_rendered_from_the_register_carries_its_number(staff_user):
    """The whole way with docgen itself: a 批复 drafted, signed off, sealed, rendered, issued and read back."""
    import pdfplumber

    record = read_record(SAMPLES / "replies/shanyang-approve-contact-point.yaml")
    del record["doc_number"]
    NumberSequence.objects.create(issuer_code="山市监", year=2021, last_number=44)
    entry = register.draft(kind="reply", issuer_code="山市监", title="", doc_type="批复", record=record,
                           user=staff_user)
    assert entry.title == "关于同意确定知识产权保护工作站山阳区汽车零部件协会站为知识产权保护联系点的批复"
    assert str(entry.date) == "2021-08-30"
    register.sign_off([entry], staff_user)
    register.seal(entry, staff_user)
    artifacts = register.render(entry)
    register.issue(entry, staff_user, artifacts)
    pdf = register.archived_bytes(entry.files.get(media_type=PDF))
    assert pdf == next(a.data for a in artifacts if a.media_type == PDF)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert "山市监〔2021〕45号" in doc.pages[0].extract_text()


@pytest.mark.django_db
def test_a_reply_batch_takes_its_numbers_from_the_register(staff_user):
    batch = read_record(SAMPLES / "replies/city-batch-2021-09.yaml")
    del batch["first_number"]
    NumberSequence.objects.create(issuer_code="焦市监", year=2021, last_number=149)
    entries = register.draft_reply_batch(batch, issuer_code="焦市监", user=staff_user)
    assert [e.status for e in entries] == [Status.DRAFT] * 4
    assert all(e.kind == "reply" and e.doc_type == "批复" and e.title.endswith("的批复") for e in entries)
    with pytest.raises(register.RegisterError, match="每件批复都须签发"):
        register.reply_batch_record(batch, entries)
    numbers = register.sign_off(entries, staff_user)
    assert numbers == [f"焦市监〔2021〕{n}号" for n in range(150, 154)]
    numbered = register.reply_batch_record(batch, entries)
    assert numbered["first_number"] == "焦市监〔2021〕150号"
    kind, validated = parse_record(numbered)
    items = [i.data for i in kind.split(validated) if i.data["kind"] == "reply"]
    assert [i["doc_number"] for i in items] == numbers  # the ZIP's replies are the register's
    assert [i["doc_number"] for i in (e.numbered_record() for e in entries)] == numbers
    with pytest.raises(register.RegisterError, match="连续"):
        register.reply_batch_record(batch, entries[1:] + entries[:1])


# ---------------------------------------------------------------------------------------------- commands
@pytest.mark.django_db
def test_register_commands_list_and_void(staff_user):
    a, b = draft_notice(staff_user), draft_notice(staff_user, title="关于第二件事的通知")
    register.sign_off([a, b], staff_user)
    draft_notice(staff_user, issuer_code="焦市监", title="关于未签发之事的通知")
    out = io.StringIO()
    call_command("register_void", "焦市监办〔2021〕2号", "--reason", "重复发文", "--user", "wangfang", stdout=out)
    assert "已作废" in out.getvalue()
    b.refresh_from_db()
    assert (b.status, b.voided_by, b.void_reason) == (Status.VOID, staff_user, "重复发文")
    with pytest.raises(CommandError, match="不能作废"):
        call_command("register_void", "焦市监办〔2021〕2号", "--reason", "再次")
    with pytest.raises(CommandError, match="没有"):
        call_command("register_void", "焦市监办〔2021〕7号", "--reason", "无")
    with pytest.raises(CommandError, match="无效"):
        call_command("register_void", "焦市监办[2021]1号", "--reason", "无")

    out = io.StringIO()
    call_command("register_list", "--year", "2021", "--issuer", "焦市监办", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t")[:5] == ["发文字号", "文种", "标题", "成文日期", "状态"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["焦市监办〔2021〕1号", "焦市监办〔2021〕2号"]
    assert "作废" in lines[2] and "重复发文" in lines[2] and "王芳" in lines[2]
    out = io.StringIO()
    call_command("register_list", "--status", "草稿", stdout=out, stderr=io.StringIO())
    assert [line.split("\t")[2] for line in out.getvalue().splitlines()[1:]] == ["关于未签发之事的通知"]
    with pytest.raises(CommandError, match="状态"):
        call_command("register_list", "--status", "已归档")


# ---------------------------------------------------------------------------------------------- admin
@pytest.mark.django_db
def test_the_chinese_admin(client, django_user_model, staff_user):
    admin_user = django_user_model.objects.create_superuser("admin", "admin@example.cn", "docgen-test-1")
    client.force_login(admin_user)
    old = issued_entry(staff_user)
    drafted = draft_notice(staff_user, title="关于尚在起草之事的通知")

    for model in ("documententry", "documentevent", "archivedfile", "numbersequence"):
        page = client.get(reverse(f"admin:documents_{model}_changelist"))
        assert page.status_code == 200
    page = client.get(reverse("admin:documents_documententry_changelist"), {"q": "〔2021〕1号"})
    text = page.content.decode()
    assert "发文登记" in text and "焦市监办〔2021〕1号" in text and "尚在起草" not in text
    page = client.get(reverse("admin:documents_documententry_changelist"), {"status__exact": "draft"})
    assert "尚在起草" in page.content.decode() and "焦市监办〔2021〕1号" not in page.content.decode()
    assert client.get(reverse("admin:documents_documententry_changelist"), {"year": "2021"}).status_code == 200

    # An issued entry is read-only: its page shows no save button and a posted change is refused.
    url = reverse("admin:documents_documententry_change", args=[old.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"title": "改", "doc_type": "通知", "record": "{}"}).status_code == 403
    assert DocumentEntry.objects.get(pk=old.pk).title == "关于加强知识产权保护工作体系建设的通知"
    assert client.get(reverse("admin:documents_documententry_delete", args=[old.pk])).status_code == 403

    # The archived file downloads after its SHA-256 is checked.
    pdf = old.files.get(media_type=PDF)
    page = client.get(reverse("admin:documents_archivedfile_download", args=[pdf.pk]))
    assert page.status_code == 200 and page.content == files()[1].data

    # A draft's text is edited in the admin, its record validated by docgen as when it was drafted.
    url = reverse("admin:documents_documententry_change", args=[drafted.pk])
    form = client.get(url).content.decode()
    assert 'name="_save"' in form
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))  # the inlines' forms
    hidden.pop("csrfmiddlewaretoken", None)
    bad = json.dumps({**notice(), "doc_number": "焦市监办〔2021〕9号"}, ensure_ascii=False)
    page = client.post(url, {**hidden, "title": "关于尚在起草之事的通知（修改）", "doc_type": "通知", "record": bad})
    assert page.status_code == 200 and "签发时编定" in page.content.decode()
    good = json.dumps(notice(date="2021年9月1日"), ensure_ascii=False)
    page = client.post(url, {**hidden, "title": "关于尚在起草之事的通知（修改）", "doc_type": "通知", "record": good})
    assert page.status_code == 302, page.context["errors"]
    drafted.refresh_from_db()
    assert (drafted.title, str(drafted.date), drafted.number) == ("关于尚在起草之事的通知（修改）", "2021-09-01", None)

    # The admin's sign-off keeps the role rule: an administrator who is not 签发人 is refused …
    changelist = reverse("admin:documents_documententry_changelist")
    page = client.post(changelist, {"action": "sign_off_selected", "_selected_action": [drafted.pk]}, follow=True)
    assert "只有签发人可以签发公文" in page.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == Status.DRAFT and drafted.number is None
    # … and as 签发人 the draft takes the next number.
    from django.contrib.auth.models import Group

    from web.accounts.roles import SIGNER

    admin_user.groups.add(Group.objects.get(name=SIGNER))
    page = client.post(changelist, {"action": "sign_off_selected", "_selected_action": [drafted.pk]}, follow=True)
    assert "焦市监办〔2021〕2号" in page.content.decode()
    drafted.refresh_from_db()
    assert (drafted.status, drafted.signed_by) == (Status.SIGNED, admin_user)


@pytest.mark.django_db
def test_the_register_takes_the_records_own_doc_type_and_a_commands_date(staff_user):
    """A hand-written 函 is registered as a 函, not as the page's default 通知; a 命令 is dated by its
    签发人's date (it has no signature)."""
    letter = register.draft(kind="notice", issuer_code="焦市监函", title="", doc_type="通知",
                            record=notice(title="关于商请协助开展调研的函", doc_type="函"), user=staff_user)
    assert letter.doc_type == "函"
    derived = draft_notice(staff_user, title="关于报送年度统计数据的请示", direction="上行文", signers=["王明"])
    assert derived.doc_type == "请示"  # read from the title's end
    order = {key: value for key, value in read_record(SAMPLES / "notices" / "order-2024-3.yaml").items()
             if key != "doc_number"}
    entry = register.draft(kind="notice", issuer_code="焦市监", title="", doc_type="通知", record=order,
                           user=staff_user)
    assert entry.date == dt.date(2024, 5, 6)  # signer.date: 2024年5月6日


# ---------------------------------------------------------------------------------------------- 不加盖印章
def unsealed_notice(**record):
    """A notice whose record asks for no seal: docgen's default for a notice (`signature` without `seal`)."""
    data = notice(**record)
    data["signature"] = {k: v for k, v in data["signature"].items() if k != "seal"}
    return data


def _entry(kind, record):
    """An entry of `kind` as stored (unsaved): the record without its number."""
    return DocumentEntry(kind=kind, issuer_code="焦市监", record={k: v for k, v in record.items() if k != "doc_number"})


@pytest.mark.django_db
def test_an_unsealed_notice_is_issued_as_signed_off_and_its_files_archived(staff_user, archive_folder):
    entry = register.draft(kind="notice", issuer_code="焦市监办", title="", doc_type="通知", record=unsealed_notice(),
                           user=staff_user)
    assert not register.needs_seal(entry)
    with pytest.raises(register.TransitionError, match="草稿.*不能印发（须先签发）"):
        register.issue(entry, staff_user, files())
    register.sign_off([entry], staff_user)
    with pytest.raises(register.TransitionError, match=r"焦市监办〔2021〕1号《.*》：此件为不加盖印章的公文.*不能用印"):
        register.seal(entry, staff_user)
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED and entry.sealed_at is None
    register.issue(entry, staff_user, files())
    entry.refresh_from_db()
    assert (entry.status, entry.issued_by, entry.sealed_by, entry.sealed_at) == (Status.ISSUED, staff_user, None, None)
    events = list(entry.events.order_by("at", "pk").values_list("action", "from_status", "to_status"))
    assert events == [("draft", "", "draft"), ("sign_off", "draft", "signed"), ("issue", "signed", "issued")]
    assert entry.events.get(action="issue").note.startswith("不加盖印章；归档 ")
    archived = {f.filename: f for f in entry.files.all()}
    assert set(archived) == {"jiaozuo.docx", "jiaozuo.pdf"}
    for artifact in files():
        stored = archived[artifact.filename]
        assert stored.sha256 == hashlib.sha256(artifact.data).hexdigest()
        assert register.archived_bytes(stored) == artifact.data
    with pytest.raises(RegisterGuardError, match="只有印发时才能归档"):
        ArchivedFile.objects.create(entry=entry, filename="extra.pdf", media_type=PDF, sha256="0" * 64, size=1)
    with pytest.raises(register.TransitionError, match="不加盖印章.*不能用印"):
        register.seal(entry, staff_user)


@pytest.mark.django_db
def test_a_sealed_reply_still_needs_its_seal_before_issue(staff_user):
    record = read_record(SAMPLES / "replies/shanyang-approve-contact-point.yaml")
    del record["doc_number"]
    entry = register.draft(kind="reply", issuer_code="山市监", title="", doc_type="批复", record=record,
                           user=staff_user)
    assert register.needs_seal(entry)  # a 批复 is sealed by default
    register.sign_off([entry], staff_user)
    with pytest.raises(register.TransitionError, match="已签发，不能印发（须先签发、用印）.*下一步：已用印、作废$"):
        register.issue(entry, staff_user, files())
    entry.status = Status.ISSUED  # nor past the register: the model refuses to skip the seal
    with pytest.raises(RegisterGuardError, match="已签发，不能改为已印发"):
        entry.save()
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED and not entry.files.exists()
    with pytest.raises(RegisterGuardError, match="只有印发时才能归档"):
        ArchivedFile.objects.create(entry=entry, filename="early.pdf", media_type=PDF, sha256="0" * 64, size=1)
    register.seal(entry, staff_user)
    register.issue(entry, staff_user, files())
    entry.refresh_from_db()
    assert entry.status == Status.ISSUED and entry.sealed_by == staff_user and entry.files.count() == 2
    assert list(entry.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "draft", "sign_off", "seal", "issue"]
    assert "不加盖印章" not in entry.events.get(action="issue").note


def test_whether_an_entry_is_sealed_is_read_from_its_record_with_docgen_s_defaults():
    assert register.needs_seal(_entry("notice", notice()))  # signature: {seal: sealed}
    assert not register.needs_seal(_entry("notice", unsealed_notice()))  # a notice's default
    unsealed = notice()
    unsealed["signature"] = {**unsealed["signature"], "seal": "unsealed"}
    assert not register.needs_seal(_entry("notice", unsealed))
    notices = SAMPLES / "notices"
    assert register.needs_seal(_entry("notice", read_record(notices / "joint-2024-45.yaml")))  # every organ's seal
    assert not register.needs_seal(_entry("notice", read_record(notices / "joint-2024-52.yaml")))
    assert not register.needs_seal(_entry("notice", read_record(notices / "minutes-2024-5.yaml")))  # 纪要
    assert not register.needs_seal(_entry("notice", read_record(notices / "order-2024-3.yaml")))  # 命令: 签名章
    reply = read_record(SAMPLES / "replies/shanyang-approve-contact-point.yaml")
    assert register.needs_seal(_entry("reply", reply))
    assert not register.needs_seal(_entry("reply", {**reply, "seal": "unsealed"}))
    assert register.needs_seal(_entry("bulletin", read_record(SAMPLES / "bulletins/city-2021-inspection.yaml")))
    assert register.needs_seal(_entry("reply-batch", read_record(SAMPLES / "replies/city-batch-2021-09.yaml")))
    assert not register.needs_seal(_entry("notice", {"kind": "notice", "title": "无署名的记录"}))  # as a 纪要
    assert register.needs_seal(_entry("plaque-batch", {}))  # a kind that names no seal: the register's rule


@pytest.mark.django_db
def test_the_api_refuses_to_seal_an_unsealed_document_and_says_which_are_sealed(client, staff_user):
    from django.contrib.auth.models import Group

    from web.accounts.models import ApiToken
    from web.accounts.roles import CITY_STAFF, SIGNER

    staff_user.groups.add(Group.objects.get(name=CITY_STAFF))
    staff_user.groups.add(Group.objects.get(name=SIGNER))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(staff_user)[1]}"}
    plain = register.draft(kind="notice", issuer_code="焦市监办", title="", doc_type="通知", record=unsealed_notice(),
                           user=staff_user)
    sealed = draft_notice(staff_user)
    register.sign_off([plain, sealed], staff_user)
    refused = client.post(f"/api/register/{plain.pk}/seal", {}, content_type="application/json", **auth)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(f"{plain.doc_number}《") and "不加盖印章" in refused.json()["detail"]
    plain.refresh_from_db()
    assert plain.status == Status.SIGNED and plain.sealed_at is None
    listed = {e["id"]: e for e in client.get("/api/register", **auth).json()}
    assert listed[plain.pk]["sealed_document"] is False and listed[sealed.pk]["sealed_document"] is True
    done = client.post(f"/api/register/{sealed.pk}/seal", {}, content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["status"] == "sealed" and done.json()["sealed_document"] is True
