"""The HTTP API end to end, with a real Redis and a real Celery worker: a notice submitted as JSON is
rendered by the worker and its PDF downloaded; invalid records and records naming server files are refused
with docgen's Chinese problems; district files are read from uploads; /health reports what is up and down."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group

from docgen.kinds import read_record
from docgen.problems import InvalidRecord
from docgen.records.includes import REMOTE_RULE
from web.accounts.models import ApiToken, Profile
from web.accounts.roles import CITY_STAFF, DISTRICT_CLERK
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
