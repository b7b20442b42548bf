"""The HTTP API end to end, with a real Redis and a real Celery worker: a notice submitted as JSON is
rendered by the worker and its PDF downloaded; invalid records and records naming server files are refused
with docgen's Chinese problems; district files are read from uploads; /health reports what is up and down."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group, User

from docgen.kinds import read_record
from docgen.problems import InvalidRecord
from docgen.records.includes import REMOTE_RULE
from web.accounts.models import ApiToken, Profile
from web.accounts.roles import CITY_STAFF, DISTRICT_CLERK, SIGN_SHOP, SIGNER
from web.documents.register import DOCX
from web.jobs.models import Job
from web.registry.models import District
from workers.local import ROOT, LocalRedis

from .conftest import private_queue

SAMPLES = ROOT / "samples"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    """A private Redis and one real worker process; this process submits to the same Redis."""
    with private_queue(tmp_path_factory, workers=1, DOCGEN_SOFT_TIME_LIMIT="60", DOCGEN_HARD_TIME_LIMIT="75",
                       DOCGEN_VISIBILITY_TIMEOUT="90") as server:
        yield server


def _user_with_token(django_user_model, username, role, district=None):
    user = django_user_model.objects.create_user(username=username, password="docgen-test-1")
    user.groups.add(Group.objects.get(name=role))
    if district is not None:
        Profile.objects.create(user=user, district=district)
    _, clear = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


@pytest.fixture
def staff(django_user_model):
    return _user_with_token(django_user_model, "shiju", CITY_STAFF)


@pytest.fixture
def shanyang_clerk(django_user_model):
    return _user_with_token(django_user_model, "shanyang", DISTRICT_CLERK, District.objects.get(name="山阳区"))


def _notice() -> dict:
    return read_record(SAMPLES / "notices/qingshi-2024-30.yaml", SAMPLES)


def _final(client, auth, job_id, polls=600):
    """Polls the job until it is final (at most ``polls`` times, 0.2 s apart)."""
    for _ in range(polls):
        body = client.get(f"/api/jobs/{job_id}", **auth).json()
        if body["state"] in ("succeeded", "partly failed", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {body}")


def test_a_notice_submitted_as_json_is_rendered_and_its_pdf_downloaded(client, queue, staff):
    kinds = client.get("/api/kinds", **staff).json()
    notice = next(k for k in kinds if k["name"] == "notice")
    assert notice["label"] == "公文（通知等）" and "title" in notice["schema"]["properties"]

    created = client.post("/api/jobs", {"kind": "notice", "name": "请示", "record": _notice()},
                          content_type="application/json", **staff)
    assert created.status_code == 201, created.content
    job_id = created.json()["id"]
    assert Job.objects.get(job_id=job_id).owner.username == "shiju"

    body = _final(client, staff, job_id)
    assert body["state"] == "succeeded", body
    assert body["progress"]["done"] == body["progress"]["total"] == 1 and body["progress"]["failed"] == 0
    assert [i["state"] for i in body["items"]] == ["succeeded"]
    pdf = next(a for a in body["artifacts"] if a["media_type"] == "application/pdf")

    download = client.get(pdf["url"], **staff)
    assert download.status_code == 200
    data = b"".join(download.streaming_content) if download.streaming else download.content
    assert data.startswith(b"%PDF") and len(data) == pdf["size"]
    assert "attachment" in download["Content-Disposition"]
    assert client.get(f"/api/jobs/{job_id}/artifacts/nothing.pdf", **staff).status_code == 404

    listed = client.get("/api/jobs", {"kind": "notice", "status": "succeeded"}, **staff).json()
    assert [j["id"] for j in listed] == [job_id]
    assert client.get("/api/jobs", {"kind": "plaque"}, **staff).json() == []


def test_an_invalid_record_is_422_with_the_field_named_in_chinese(client, queue, staff):
    record = _notice()
    record["signature"]["date"] = "2024年13月8日"
    del record["title"]
    response = client.post("/api/jobs", {"record": record}, content_type="application/json", **staff)
    assert response.status_code == 422
    problems = response.json()["problems"]
    fields = {p["field"] for p in problems}
    assert "title" in fields and "signature.date" in fields
    dated = next(p for p in problems if p["field"] == "signature.date")
    assert dated["value"] == "2024年13月8日" and dated["rule"] and "signature.date" in dated["message"]
    assert not Job.objects.exists()


def test_a_record_naming_a_file_on_the_server_is_refused(client, queue, staff):
    reply = read_record(SAMPLES / "replies/shanyang-approve-contact-point.yaml", SAMPLES)
    reply.pop("application", None)
    reply["application_file"] = "/etc/passwd"
    response = client.post("/api/jobs", {"record": reply}, content_type="application/json", **staff)
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["field"] == "application_file" and problem["rule"] == REMOTE_RULE
    assert b"root:" not in response.content
    assert not Job.objects.exists()

    nested = _notice()
    nested["attachments"] = [{"title": "附表", "data_folder": "/etc"}]
    refused = client.post("/api/jobs", {"record": nested}, content_type="application/json", **staff)
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "attachments[1].data_folder"


def test_submit_data_refuses_file_references_itself(queue):
    from workers.client import submit_data

    with pytest.raises(InvalidRecord) as refused:
        submit_data("reply", "x", {"subject": "contact-point", "application_file": "/etc/passwd"})
    assert refused.value.problems[0].field == "application_file"
    with pytest.raises(InvalidRecord):
        submit_data("no-such-kind", "x", {})


def test_a_clerk_uploads_their_district_report_and_only_theirs(client, queue, shanyang_clerk):
    own = (SAMPLES / "annexes/shanyang.yaml").read_bytes()
    upload = _named(own, "shanyang.yaml")
    sent = client.post("/api/jobs", {"kind": "district-report", "files": [upload]}, **shanyang_clerk)
    assert sent.status_code == 201, sent.content
    job = Job.objects.get(job_id=sent.json()["id"])
    assert job.district.name == "山阳区" and job.kind == "district-report"

    other = client.post("/api/jobs", {"kind": "district-report",
                                      "files": [_named((SAMPLES / "annexes/boai.yaml").read_bytes(), "boai.yaml")]},
                        **shanyang_clerk)
    assert other.status_code == 403 and "山阳区" in other.json()["detail"]
    notice = client.post("/api/jobs", {"record": _notice()}, content_type="application/json", **shanyang_clerk)
    assert notice.status_code == 403
    assert Job.objects.count() == 1


def test_a_filled_application_workbook_is_read_from_the_upload(client, queue, shanyang_clerk):
    from docgen.annexes.application_workbook import write_application_workbook
    from docgen.kinds import parse_record

    _, app = parse_record(read_record(SAMPLES / "applications/shanyang-auto-parts.yaml", SAMPLES))
    workbook = write_application_workbook(app)
    sent = client.post("/api/jobs", {"kind": "contact-point-application",
                                     "files": [_named(workbook, "申请表.xlsx")]}, **shanyang_clerk)
    assert sent.status_code == 201, sent.content
    body = _final(client, shanyang_clerk, sent.json()["id"])
    assert body["state"] == "succeeded" and body["district"] == "山阳区"
    assert {a["media_type"] for a in body["artifacts"]} >= {"application/pdf"}


def test_uploads_are_bounded_in_count_and_size(client, queue, staff, monkeypatch):
    from docgen.records import limits

    two = [_named(b"kind: district-report\n", "a.yaml"), _named(b"kind: district-report\n", "b.yaml")]
    response = client.post("/api/jobs", {"kind": "district-report", "files": two}, **staff)
    assert response.status_code == 422 and "最多上传 1 个文件" in response.json()["problems"][0]["rule"]

    monkeypatch.setattr(limits, "WORKBOOK_BYTES", limits.Limit("Excel 文件大小", 100, "字节"))
    big = client.post("/api/jobs", {"kind": "district-report", "files": [_named(b"PK" + b"x" * 200, "big.xlsx")]},
                      **staff)
    assert big.status_code == 422 and "超过上限" in big.json()["problems"][0]["rule"]

    bad = client.post("/api/jobs", {"kind": "district-report", "files": [_named(b"x", "report.exe")]}, **staff)
    assert bad.status_code == 422
    assert not Job.objects.exists()


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_health_is_200_when_everything_is_up(client, queue):
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "up"
    assert {k: v["status"] for k, v in body["details"].items()} == {
        "database": "up", "redis": "up", "workers": "up", "fonts": "up"}


def test_health_is_503_naming_redis_when_redis_is_stopped(client, tmp_path, monkeypatch):
    server = LocalRedis(tmp_path)
    monkeypatch.setenv("REDIS_URL", server.url)
    monkeypatch.delenv("DOCGEN_STORE_URL", raising=False)
    server.stop()
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["details"]["redis"]["status"] == "down" and "Redis" in body["details"]["redis"]["error"]
    assert body["details"]["database"]["status"] == "up"


# ---------------------------------------------------------------------------------------------- 签发 and 印发
@pytest.fixture
def idle_queue(tmp_path_factory):
    """A private Redis of this test's own and no worker: the jobs stay queued until the test ends them."""
    with private_queue(tmp_path_factory) as server:
        yield server


@pytest.fixture
def signer(django_user_model):
    return _user_with_token(django_user_model, "lingdao", SIGNER)


def _drafted(user, kind="notice", seal="sealed"):
    """A draft in the register: a notice (``seal=None``: without a seal, 不加盖印章) or the 山阳区 批复."""
    from web.documents import register

    if kind == "reply":
        record = read_record(SAMPLES / "replies/shanyang-approve-contact-point.yaml", SAMPLES)
        del record["doc_number"]
        return register.draft(kind="reply", issuer_code="焦市监", title="", doc_type="批复", record=record, user=user)
    record = _notice()
    record.pop("doc_number", None)
    signature = {k: v for k, v in record["signature"].items() if k != "seal"}
    record["signature"] = {**signature, **({"seal": seal} if seal else {})}
    return register.draft(kind="notice", issuer_code="焦市监", title=record["title"], doc_type="请示", record=record,
                          user=user)


def _post(client, auth, url):
    return client.post(url, {}, content_type="application/json", **auth)


def _files_made(job_id, tag: str) -> dict[str, bytes]:
    """Ends the entry's job as a worker would, with a PDF and a DOCX (their bytes stand in for them)."""
    from docgen.render.artifact import Artifact
    from workers.client import job_store

    made = {f"{tag}.pdf": b"%PDF-1.7 " + tag.encode(), f"{tag}.docx": b"PK docx " + tag.encode()}
    store = job_store()
    store.start(job_id, [(tag, {})], batch=False)
    described = store.put_artifacts([Artifact(f"{tag}.pdf", "application/pdf", made[f"{tag}.pdf"], pages=1),
                                     Artifact(f"{tag}.docx", DOCX, made[f"{tag}.docx"])])
    store.finish_item(job_id, 0, described)
    store.finish_job(job_id, described)
    return made


def test_the_sign_off_queues_the_numbered_files_and_issue_waits_for_them(client, idle_queue, staff, signer):
    from web.accounts.models import AuditEntry
    from web.documents.models import DocumentEntry
    from web.pages.models import EntryJob
    from workers.client import job_store

    entry = _drafted(User.objects.get(username="shiju"))
    assert client.get(f"/api/register/{entry.pk}", **staff).json()["job"] is None  # never queued
    signed = _post(client, signer, f"/api/register/{entry.pk}/sign-off")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    link = EntryJob.objects.get(entry=entry, purpose=EntryJob.ISSUE)
    assert (body["status"], body["doc_number"], body["files_queued"]) == ("signed", "焦市监〔2024〕1号", True)
    assert body["job"] == link.job_id and "正式文件正在生成" in body["detail"]
    assert Job.objects.get(job_id=link.job_id).owner.username == "lingdao"
    assert job_store().status(link.job_id).state == "queued"
    assert job_store().record(link.job_id)["record"]["doc_number"] == "焦市监〔2024〕1号"
    for auth in (staff, signer):  # the signer's job, followed by the signer and by city staff
        assert client.get(f"/api/register/{entry.pk}", **auth).json()["job"] == link.job_id
        assert client.get(f"/api/jobs/{link.job_id}", **auth).json()["state"] == "queued"

    early = _post(client, staff, f"/api/register/{entry.pk}/issue")
    assert early.status_code == 409 and early.json()["detail"] == "正式文件尚未生成完成，不能用印印发"
    entry.refresh_from_db()
    assert entry.status == "signed" and entry.sealed_at is None and not entry.files.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.SEAL).exists()

    made = _files_made(link.job_id, "焦市监-2024-1")
    issued = _post(client, staff, f"/api/register/{entry.pk}/issue")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    entry = DocumentEntry.objects.get(pk=entry.pk)
    assert body["status"] == entry.status == "issued" and body["sealed_at"] and body["issued_at"]
    assert (entry.sealed_by.username, entry.issued_by.username) == ("shiju", "shiju")
    assert {f["filename"] for f in body["files"]} == set(made)
    for listed in body["files"]:
        download = client.get(listed["url"], **staff)
        assert download.status_code == 200 and download.content == made[listed["filename"]]
    events = list(entry.events.order_by("at", "pk").values_list("action", "from_status", "to_status"))
    assert events == [("draft", "", "draft"), ("sign_off", "draft", "signed"), ("seal", "signed", "sealed"),
                      ("issue", "sealed", "issued")]
    assert AuditEntry.objects.get(action=AuditEntry.SEAL).actor.username == "shiju"
    again = _post(client, staff, f"/api/register/{entry.pk}/issue")
    assert again.status_code == 409 and entry.doc_number in again.json()["detail"]
    assert entry.files.count() == 2


def test_an_unsealed_notice_is_issued_without_a_seal_and_a_reply_sealed_and_issued_in_one_call(
        client, idle_queue, staff, signer):
    from web.accounts.models import AuditEntry
    from web.documents import register
    from web.documents.models import DocumentEntry

    plain = _drafted(User.objects.get(username="shiju"), seal=None)
    reply = _drafted(User.objects.get(username="shiju"), kind="reply")
    assert not register.needs_seal(plain) and register.needs_seal(reply)
    for entry in (plain, reply):
        assert _post(client, signer, f"/api/register/{entry.pk}/sign-off").json()["files_queued"] is True
    plain_job, reply_job = (client.get(f"/api/register/{e.pk}", **staff).json()["job"] for e in (plain, reply))
    assert plain_job and reply_job and plain_job != reply_job

    early = _post(client, signer, f"/api/register/{plain.pk}/issue")
    assert early.status_code == 409 and early.json()["detail"] == "正式文件尚未生成完成，不能印发"
    made = _files_made(plain_job, "焦市监-2024-1")
    body = _post(client, signer, f"/api/register/{plain.pk}/issue").json()
    plain = DocumentEntry.objects.get(pk=plain.pk)
    assert (body["status"], body["sealed_at"], body["sealed_document"]) == ("issued", None, False)
    assert (plain.status, plain.sealed_by, plain.issued_by.username) == ("issued", None, "lingdao")
    assert list(plain.events.order_by("at", "pk").values_list("action", flat=True)) == ["draft", "sign_off", "issue"]
    assert "不加盖印章" in plain.events.get(action="issue").note
    assert not AuditEntry.objects.filter(action=AuditEntry.SEAL).exists()
    assert {f.filename: register.archived_bytes(f) for f in plain.files.all()} == made

    made = _files_made(reply_job, "焦市监-2024-2")
    body = _post(client, staff, f"/api/register/{reply.pk}/issue").json()
    reply = DocumentEntry.objects.get(pk=reply.pk)
    assert (body["status"], body["sealed_document"]) == ("issued", True) and body["sealed_at"]
    assert list(reply.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "draft", "sign_off", "seal", "issue"]
    assert AuditEntry.objects.filter(action=AuditEntry.SEAL, object_id=str(reply.pk)).count() == 1
    assert {f.filename: register.archived_bytes(f) for f in reply.files.all()} == made


def test_a_sealed_entry_is_issued_without_a_second_seal(client, idle_queue, staff, signer):
    """An entry already 已用印 through /seal is issued, not sealed again."""
    from web.accounts.models import AuditEntry

    entry = _drafted(User.objects.get(username="shiju"))
    job_id = _post(client, signer, f"/api/register/{entry.pk}/sign-off").json()["job"]
    assert _post(client, staff, f"/api/register/{entry.pk}/seal").json()["status"] == "sealed"
    made = _files_made(job_id, "焦市监-2024-1")
    body = _post(client, staff, f"/api/register/{entry.pk}/issue").json()
    assert body["status"] == "issued" and {f["filename"] for f in body["files"]} == set(made)
    assert AuditEntry.objects.filter(action=AuditEntry.SEAL).count() == 1
    entry.refresh_from_db()
    assert list(entry.events.values_list("action", flat=True).order_by("at", "pk")) == [
        "draft", "sign_off", "seal", "issue"]


def test_a_district_clerk_and_the_sign_shop_cannot_issue(client, idle_queue, django_user_model, staff, signer,
                                                        shanyang_clerk):
    from web.pages.models import EntryJob

    shop = _user_with_token(django_user_model, "biaopai", SIGN_SHOP)
    reply = _drafted(User.objects.get(username="shiju"), kind="reply")
    job_id = _post(client, signer, f"/api/register/{reply.pk}/sign-off").json()["job"]
    assert _post(client, signer, f"/api/register/{reply.pk}/sign-off").status_code == 409  # signed off once …
    assert EntryJob.objects.filter(entry=reply).count() == 1  # … and its files queued once
    assert _post(client, staff, f"/api/register/{reply.pk}/sign-off").status_code == 403  # staff do not sign off
    _files_made(job_id, "焦市监-2024-1")
    for auth in (shanyang_clerk, shop):  # neither sees a document that is not issued
        refused = _post(client, auth, f"/api/register/{reply.pk}/issue")
        assert refused.status_code == 404, refused.content
    reply.refresh_from_db()
    assert reply.status == "signed" and not reply.files.exists()
    assert list(reply.events.values_list("action", flat=True).order_by("at", "pk")) == ["draft", "sign_off"]

    assert _post(client, staff, f"/api/register/{reply.pk}/issue").status_code == 200
    seen = client.get(f"/api/register/{reply.pk}", **shanyang_clerk)  # issued, about 山阳区: the clerk sees it …
    assert seen.status_code == 200 and seen.json()["job"] is None  # … but not the signer's job
    assert client.get(f"/api/jobs/{job_id}", **shanyang_clerk).status_code == 404
    refused = _post(client, shanyang_clerk, f"/api/register/{reply.pk}/issue")
    assert refused.status_code == 403 and "市局经办人或签发人" in refused.json()["detail"]
    assert _post(client, shop, f"/api/register/{reply.pk}/issue").status_code == 404


def test_a_sign_off_stands_when_the_queue_is_down(client, staff, signer, tmp_path, monkeypatch):
    from web.pages.models import EntryJob

    server = LocalRedis(tmp_path)
    monkeypatch.setenv("REDIS_URL", server.url)
    monkeypatch.delenv("DOCGEN_STORE_URL", raising=False)
    server.stop()
    entry = _drafted(User.objects.get(username="shiju"))
    signed = _post(client, signer, f"/api/register/{entry.pk}/sign-off")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["status"], body["files_queued"], body["job"]) == ("signed", False, None)
    assert "队列不可用" in body["detail"] and body["doc_number"] in body["detail"]
    entry.refresh_from_db()
    assert entry.status == "signed" and not EntryJob.objects.filter(entry=entry).exists()
    assert not Job.objects.exists()


def test_a_document_signed_off_through_the_api_is_rendered_by_the_worker_and_issued(client, queue, staff, signer):
    """End to end: the worker renders the numbered record queued at sign-off; what is archived at 印发 is,
    byte for byte, what the job made."""
    entry = _drafted(User.objects.get(username="shiju"))
    job_id = _post(client, signer, f"/api/register/{entry.pk}/sign-off").json()["job"]
    job = _final(client, staff, job_id)
    assert job["state"] == "succeeded", job
    made = {}
    for artifact in job["artifacts"]:
        download = client.get(artifact["url"], **staff)
        made[artifact["filename"]] = b"".join(download.streaming_content) if download.streaming else download.content
    issued = _post(client, staff, f"/api/register/{entry.pk}/issue")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["status"] == "issued" and body["sealed_at"] and body["job"] == job_id
    archived = {f["filename"]: client.get(f["url"], **staff).content for f in body["files"]}
    assert {f["media_type"] for f in body["files"]} == {"application/pdf", DOCX}
    assert archived == made
    assert archived[next(f["filename"] for f in body["files"] if f["media_type"] == "application/pdf")].startswith(
        b"%PDF")


def test_a_reply_signed_off_through_the_api_answers_its_application(client, idle_queue, staff, signer):
    """The same 签发 as the page's: a 批复 drafted from a pending application approves it and makes its station
    a contact point, with the number the register gave."""
    from web.documents import register
    from web.pages.models import ReplyDraft
    from web.registry.importing import import_application
    from web.registry.models import ContactPointApplication, Station
    from web.registry.records import reply_decision

    shiju = User.objects.get(username="shiju")
    import_application(SAMPLES / "applications/shanyang-auto-parts.yaml", user=shiju, request_number="焦汽协〔2021〕8号")
    application = ContactPointApplication.objects.get()
    record = {"kind": "reply", **reply_decision(application, "approve"), "issuer": {"organ": "焦作市市场监督管理局"},
              "date": "2024年3月1日"}
    entry = register.draft(kind="reply", issuer_code="焦市监", title="", doc_type="批复", record=record, user=shiju)
    ReplyDraft.objects.create(entry=entry, application=application, decision="approve")
    assert application.status == ContactPointApplication.PENDING
    body = _post(client, signer, f"/api/register/{entry.pk}/sign-off").json()
    application.refresh_from_db()
    assert (application.status, application.reply_number) == ("approved", body["doc_number"]) == (
        "approved", "焦市监〔2024〕1号")
    assert Station.objects.get(pk=application.station_id).status == Station.CONTACT_POINT


def test_a_failed_job_is_queued_again_and_one_under_way_is_not(client, idle_queue, staff, signer, shanyang_clerk):
    from web.pages.models import EntryJob
    from workers.client import job_store

    entry = _drafted(User.objects.get(username="shiju"))
    first = _post(client, signer, f"/api/register/{entry.pk}/sign-off").json()["job"]
    under_way = _post(client, staff, f"/api/register/{entry.pk}/requeue")
    assert under_way.status_code == 409 and "生成任务正在进行，无需重新生成" in under_way.json()["detail"]
    store = job_store()
    store.start(first, [("焦市监-2024-1", {})], batch=False)
    store.finish_item(first, 0, [], error="字体缺失")
    assert store.finish_job(first, []) == "failed"
    assert _post(client, shanyang_clerk, f"/api/register/{entry.pk}/requeue").status_code == 404
    again = _post(client, staff, f"/api/register/{entry.pk}/requeue")
    assert again.status_code == 200, again.content
    second = again.json()["job"]
    assert second and second != first and store.status(second).state == "queued"
    assert store.record(second)["record"]["doc_number"] == entry.__class__.objects.get(pk=entry.pk).doc_number
    assert list(EntryJob.objects.filter(entry=entry).order_by("created_at", "id").values_list("job_id", flat=True)) == [
        first, second]
    _files_made(second, "焦市监-2024-1")
    done = _post(client, staff, f"/api/register/{entry.pk}/requeue")
    assert done.status_code == 409 and "生成任务已完成" in done.json()["detail"]
    assert _post(client, staff, f"/api/register/{entry.pk}/issue").json()["status"] == "issued"
    issued = _post(client, staff, f"/api/register/{entry.pk}/requeue")
    assert issued.status_code == 409 and "不再生成文件" in issued.json()["detail"]
