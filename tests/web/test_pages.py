"""The pages with Django's test client, for each role: who sees which page and menu, the form made from a
kind's schema with docgen's Chinese messages next to the fields, a district clerk's upload with its bad rows
in a table, the leader's sign-off numbering from the register, the register and the jobs — and another
district's data never shown. A private Redis takes the jobs (no worker: the jobs stay queued here;
tests/web/test_browser.py runs them through real workers)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from docgen.annexes.submissions import read_yaml_submission
from docgen.annexes.workbook import write_workbook
from web.accounts.models import AuditEntry, Profile
from web.accounts.roles import CITY_STAFF, DISTRICT_CLERK, SIGN_SHOP, SIGNER
from web.documents import register
from web.documents.models import DocumentEntry, Status
from web.jobs.models import Job
from web.pages.models import EntryJob, ReplyDraft
from web.registry.importing import import_application
from web.registry.models import ContactPointApplication, District, ImportRun, Station
from workers.local import ROOT

from .conftest import private_queue

SAMPLES = ROOT / "samples"
PASSWORD = "docgen-test-1"
pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def redis_queue(tmp_path_factory):
    """A private Redis the pages submit to (jobs are created and queued; no worker renders them here)."""
    with private_queue(tmp_path_factory) as server:
        yield server


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings, monkeypatch):
    """Previews and archived files in this test's own folder."""
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("DOCGEN_ARTIFACTS_URL", str(tmp_path / "artifacts"))


def make_user(django_user_model, username, role, district=None, name=("", "")):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, last_name=name[0],
                                                 first_name=name[1])
    user.groups.add(Group.objects.get(name=role))
    if district is not None:
        Profile.objects.create(user=user, district=District.objects.get(name=district))
    return user


@pytest.fixture
def people(django_user_model):
    """One user of each role; two district clerks (山阳区 and 解放区)."""
    return {
        "staff": make_user(django_user_model, "shiju", CITY_STAFF, name=("王", "芳")),
        "shanyang": make_user(django_user_model, "shanyang", DISTRICT_CLERK, "山阳区", name=("李", "明")),
        "jiefang": make_user(django_user_model, "jiefang", DISTRICT_CLERK, "解放区", name=("赵", "强")),
        "signer": make_user(django_user_model, "lingdao", SIGNER, name=("张", "局长")),
        "shop": make_user(django_user_model, "biaopai", SIGN_SHOP, name=("刘", "师傅")),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode("utf-8")


def workbook(district_yaml: str = "shanyang.yaml", bad: bool = True) -> bytes:
    """A district's filled 附件2–6 workbook (docgen's own); ``bad`` breaks two rows: a 负责人 without a valid
    telephone (附件2 row 4) and a 运用方式 outside its choices (附件3 row 5)."""
    tables = read_yaml_submission(SAMPLES / "annexes" / district_yaml)
    data = write_workbook(tables.district, tables)
    if not bad:
        return data
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["附件2"]["C4"] = "王芳 12345"
    book["附件3"]["E5"] = "借用"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def notice_record(date="2021年8月3日", seal="sealed") -> dict:
    """A notice; sealed unless ``seal="unsealed"`` (docgen's default for a notice: 不加盖印章)."""
    return {"kind": "notice", "issuer": {"organ": "焦作市市场监督管理局"}, "title": "关于加强知识产权保护工作的通知",
            "addressees": "各县（市）区市场监督管理局：", "body": ["现将有关事项通知如下。"],
            "signature": {"organ": "焦作市市场监督管理局", "date": date, **({"seal": seal} if seal else {})}}


def draft_notice(user, **more) -> DocumentEntry:
    record = {**notice_record(), **more}
    return register.draft(kind="notice", issuer_code="焦市监", title=record["title"], doc_type="通知", record=record,
                          user=user)


# ---------------------------------------------------------------------------------------------- login and menus
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in ["/", "/new/", "/jobs/", "/reports/", "/replies/", "/sign/", "/register/", "/plaques/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
    page = client.get("/login/")
    assert page.status_code == 200 and "登录" in text(page) and "csrfmiddlewaretoken" in text(page)


def test_login_is_throttled_and_says_so_in_chinese(client, people):
    for _ in range(5):
        wrong = client.post("/login/", {"username": "shiju", "password": "wrong"})
        assert wrong.status_code == 200 and "请输入一个正确的" in text(wrong)  # Django's own Chinese
    locked = client.post("/login/", {"username": "shiju", "password": PASSWORD})
    assert locked.status_code == 200 and "登录失败次数过多" in text(locked)
    assert AuditEntry.objects.filter(action=AuditEntry.LOGIN_LOCKED).exists()


def test_login_with_the_right_password_opens_the_home_page(client, people):
    response = client.post("/login/", {"username": "shanyang", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "区局报送" in page and "山阳区" in page and "李明" in page


MENUS = {
    "staff": {"新建", "区局报送", "批复", "登记簿", "标牌", "任务"},
    "shanyang": {"新建", "区局报送", "登记簿", "任务"},
    "signer": {"签发", "登记簿", "任务"},
    "shop": {"标牌", "任务"},
}
PAGES = {"/new/": "新建", "/reports/": "区局报送", "/replies/": "批复", "/sign/": "签发", "/register/": "登记簿",
         "/plaques/": "标牌", "/jobs/": "任务"}


@pytest.mark.parametrize("who", sorted(MENUS))
def test_each_role_sees_its_own_menu_and_only_its_pages_open(client, people, who):
    as_user(client, people[who])
    home = text(client.get("/"))
    nav = set(re.findall(r'<nav>(.*?)</nav>', home, re.S)[0].split("</a>"))
    shown = {re.sub(r"<[^>]+>", "", item).strip() for item in nav} - {""}
    assert shown == MENUS[who]
    for url, label in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if label in MENUS[who] else 403), (who, url, status)


# ---------------------------------------------------------------------------------------------- 新建
def test_the_new_page_offers_the_kinds_each_role_may_create(client, people):
    staff_page = text(as_user(client, people["staff"]).get("/new/"))
    for label in ["公文（通知等）", "批复", "通报", "工作站标牌", "标牌批量制作", "区局报送（附件2–6）"]:
        assert label in staff_page
    clerk_page = text(as_user(client, people["shanyang"]).get("/new/"))
    assert "区局报送（附件2–6）" in clerk_page and "知识产权保护联系点申请表（附件1）" in clerk_page
    assert "公文（通知等）" not in clerk_page and "工作站标牌" not in clerk_page
    assert client.get("/new/notice/").status_code == 404


def test_the_form_is_made_from_the_record_schema(client, people):
    page = text(as_user(client, people["staff"]).get("/new/notice/"))
    assert '<label for="f-title">标题<span class="req"' in page  # the field title, marked required
    assert re.search(r'<select id="f-urgency" name="urgency">.*?<option value="特急"', page, re.S)  # a Literal
    assert 'textarea class="yaml" id="f-body"' in page and "YAML，字段：organ：署名（发文机关）；" in page
    assert "date：成文日期（必填）" in page  # a sub-field's own requirement
    assert 'name="doc_number"' not in page  # the register numbers it
    assert 'name="issuer_code" value="焦市监"' in page
    application = text(client.get("/new/contact-point-application/"))
    assert 'type="checkbox" name="industries" value="汽车零部件"' in application  # list of Literal → check boxes
    assert '<option value="true">是</option>' in application  # bool


def test_docgen_messages_stand_next_to_their_fields(client, people):
    as_user(client, people["staff"])
    response = client.post("/new/notice/", {
        "issuer_code": "焦市监", "doc_type": "通知", "issuer": "organ: 焦作市市场监督管理局", "title": "",
        "addressees": "各县（市）区市场监督管理局：", "body": "- 现将有关事项通知如下。",
        "signature": "organ: 焦作市市场监督管理局\ndate: 2021年13月3日", "colophon": "cc: [unclosed",
    })
    assert response.status_code == 200
    page = text(response)
    fields = dict(re.findall(r'data-field="(\w+)">(.*?)</div>\s*(?=<div class="field|</div>\s*<div class="actions)', page, re.S))
    assert "标题" in fields["title"] and 'class="err"' in fields["title"]
    assert "2021年13月3日" in fields["signature"] and 'class="err"' in fields["signature"]
    assert "YAML 格式错误" in fields["colophon"]
    assert 'class="err"' not in fields["addressees"]
    assert "2021年13月3日" in page  # what was typed is kept
    assert not DocumentEntry.objects.exists()


def test_a_valid_notice_is_saved_as_a_register_draft(client, people):
    as_user(client, people["staff"])
    response = client.post("/new/notice/", {
        "issuer_code": "焦市监", "doc_type": "通知", "issuer": "organ: 焦作市市场监督管理局",
        "title": "关于加强知识产权保护工作的通知", "addressees": "各县（市）区市场监督管理局：",
        "body": "- 现将有关事项通知如下。\n- h1: 工作目标", "signature": "organ: 焦作市市场监督管理局\ndate: 2021年8月3日",
    })
    entry = DocumentEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/register/{entry.pk}/"
    assert (entry.status, entry.kind, entry.doc_number, entry.doc_type) == (Status.DRAFT, "notice", "", "通知")
    assert entry.record["body"][1] == {"h1": "工作目标"} and entry.drafted_by == people["staff"]


def test_an_uploaded_record_file_naming_a_server_file_is_refused(client, people):
    as_user(client, people["staff"])
    bad = b"kind: reply\napplication_file: /etc/passwd\n"
    response = client.post("/new/reply/", {"issuer_code": "焦市监", "doc_type": "批复",
                                           "record_file": upload("r.yaml", bad)})
    assert response.status_code == 200 and "application_file" in text(response)
    assert not DocumentEntry.objects.exists()


def test_a_clerk_queues_an_application_workbook_of_their_own_district_only(client, people, redis_queue):
    from docgen.annexes.application_workbook import write_application_workbook
    from docgen.kinds import read_record
    from docgen.records.annexes.annex1 import ContactPointApplication as Record

    record = Record.parse(read_record(SAMPLES / "applications/shanyang-auto-parts.yaml"))
    data = write_application_workbook(record)
    as_user(client, people["shanyang"])
    response = client.post("/new/contact-point-application/", {"name": "汽车零部件协会站申请",
                                                               "record_file": upload("申请表.xlsx", data)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.job_id}/"
    assert (job.owner, job.district.name, job.kind) == (people["shanyang"], "山阳区", "contact-point-application")
    as_user(client, people["jiefang"])
    refused = client.post("/new/contact-point-application/", {"record_file": upload("申请表.xlsx", data)})
    assert refused.status_code == 200 and "只能提交本区县（解放区）的数据" in text(refused)
    assert Job.objects.count() == 1


# ---------------------------------------------------------------------------------------------- 区局报送
def test_a_clerk_sees_every_bad_row_in_a_table_then_fixes_and_uploads_again(client, people):
    as_user(client, people["shanyang"])
    response = client.post("/reports/", {"workbook": upload("山阳区报送.xlsx", workbook(bad=True))})
    page = text(response)
    rows = re.findall(r"<tr><td class=\"nowrap\">(.*?)</td><td class=\"num\">(\d+)</td><td>(.*?)</td>"
                      r"<td class=\"message\">(.*?)</td></tr>", page)
    assert [(s, r, c) for s, r, c, _ in rows] == [("附件2", "4", "负责人及联系方式"),
                                                  ("附件3", "5", "知识产权运用方式（使用、所有）")]
    assert "王芳 12345" in rows[0][3] and "应写姓名和联系电话" in rows[0][3]
    assert "只能取以下值之一：使用、所有" in rows[1][3]
    run = ImportRun.objects.get()
    assert run.district.name == "山阳区" and len(run.rejected) == 2 and run.user == people["shanyang"]
    assert Station.objects.filter(district__name="山阳区").exists()  # the good rows are kept

    fixed = text(client.post("/reports/", {"workbook": upload("山阳区报送.xlsx", workbook(bad=False))}))
    assert 'id="row-errors"' not in fixed and "已全部接受" in fixed
    assert ImportRun.objects.count() == 2 and ImportRun.objects.latest("at").rejected == []


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese_without_server_paths(client, people):
    as_user(client, people["shanyang"])
    response = client.post("/reports/", {"workbook": upload("报送.xlsx", b"not a zip at all")})
    page = text(response)
    assert response.status_code == 200 and "报送.xlsx" in page and "不是 Excel 工作簿" in page
    assert "docgen-upload-" not in page and "/tmp" not in page
    assert not ImportRun.objects.exists()


def test_a_clerk_cannot_upload_another_districts_workbook(client, people):
    as_user(client, people["jiefang"])
    page = text(client.post("/reports/", {"workbook": upload("山阳区报送.xlsx", workbook(bad=False))}))
    assert "与指定的区县「解放区」不一致" in page
    assert not ImportRun.objects.exists()


def test_staff_see_which_districts_reported_and_clerks_only_their_own_uploads(client, people):
    as_user(client, people["shanyang"])
    client.post("/reports/", {"workbook": upload("山阳区报送-第一版.xlsx", workbook(bad=True))})
    staff_page = text(as_user(client, people["staff"]).get("/reports/"))
    table = re.search(r'<table id="districts">.*?</table>', staff_page, re.S).group(0)
    rows = {re.sub(r"<[^>]+>", "", r.split("</td>")[0]).strip(): r for r in table.split("<tr>")[2:]}
    assert "已报送" in rows["山阳区"] and "山阳区报送-第一版.xlsx" in rows["山阳区"] and "李明" in rows["山阳区"]
    assert all("未报送" in row for name, row in rows.items() if name != "山阳区")
    assert "生成汇总" in staff_page and "起草通报" in staff_page
    other = text(as_user(client, people["jiefang"]).get("/reports/"))
    assert "山阳区报送-第一版.xlsx" not in other and "还没有上传过" in other and 'id="districts"' not in other


def test_staff_draft_the_bulletin_from_the_reports_page(client, people, redis_queue):
    as_user(client, people["shanyang"])
    client.post("/reports/", {"workbook": upload("山阳区报送.xlsx", workbook(bad=False))})
    as_user(client, people["staff"])
    today = timezone.localdate()
    response = client.post("/reports/bulletin/", {"issuer_code": "焦市监", "date": today.isoformat(),
                                                  "since": f"{today.year}-01-01", "until": today.isoformat()})
    entry = DocumentEntry.objects.get(kind="bulletin")
    assert response.status_code == 302 and response["Location"] == f"/register/{entry.pk}/"
    assert entry.status == Status.DRAFT and entry.doc_type == "通报" and "doc_number" not in entry.record
    assert entry.record["submissions"][0]["report"]["district"] == "山阳区市场监督管理局"
    consolidated = client.post("/reports/consolidate/", {"until": today.isoformat()})
    job = Job.objects.get(kind="consolidation")
    assert consolidated["Location"] == f"/jobs/{job.job_id}/" and job.owner == people["staff"]
    assert as_user(client, people["shanyang"]).post("/reports/bulletin/", {}).status_code == 403


# ---------------------------------------------------------------------------------------------- 批复 and 签发
def test_staff_draft_a_reply_from_a_pending_application_and_the_leader_signs_it_off(client, people, redis_queue):
    import_application(SAMPLES / "applications/shanyang-auto-parts.yaml", user=people["staff"],
                       request_number="焦汽协〔2021〕8号")
    application = ContactPointApplication.objects.get()
    as_user(client, people["staff"])
    assert "知识产权保护工作站山阳区汽车零部件协会站" in text(client.get("/replies/"))
    response = client.post("/replies/", {"application": application.pk, "decision": "approve",
                                         "date": "2021-09-01", "issuer_code": "焦市监",
                                         "issuer_organ": "焦作市市场监督管理局"})
    entry = DocumentEntry.objects.get()
    assert response["Location"] == f"/register/{entry.pk}/"
    assert (entry.kind, entry.status, entry.doc_type, str(entry.date)) == ("reply", Status.DRAFT, "批复", "2021-09-01")
    assert ReplyDraft.objects.get().application == application
    preview = EntryJob.objects.get(entry=entry)
    assert preview.purpose == EntryJob.PREVIEW and Job.objects.filter(job_id=preview.job_id).exists()
    assert 'id="pending"' not in text(client.get("/replies/"))  # drafted: no longer waiting for a draft

    assert client.post(f"/register/{entry.pk}/sign/").status_code == 403  # staff do not sign off
    as_user(client, people["signer"])
    waiting = text(client.get("/sign/"))
    assert entry.title in waiting and "王芳" in waiting
    client.post(f"/register/{entry.pk}/sign/")
    entry.refresh_from_db()
    assert (entry.status, entry.doc_number, entry.signed_by) == (Status.SIGNED, "焦市监〔2021〕1号", people["signer"])
    assert AuditEntry.objects.filter(action=AuditEntry.SIGN_OFF, actor=people["signer"]).exists()
    application.refresh_from_db()
    assert (application.status, application.reply_number) == ("approved", "焦市监〔2021〕1号")
    assert Station.objects.get(pk=application.station_id).status == Station.CONTACT_POINT
    issue_job = EntryJob.objects.get(entry=entry, purpose=EntryJob.ISSUE)
    assert Job.objects.get(job_id=issue_job.job_id).owner == people["signer"]
    assert "焦市监〔2021〕1号" in text(client.get(f"/register/{entry.pk}/"))


def test_the_entry_page_follows_the_numbered_job_until_it_has_ended(client, people, redis_queue):
    """A lone item's files are stored a moment before its job is marked done: a page loaded in between keeps
    following the job (and reloads when it ends) instead of showing the files without the 用印 button."""
    from docgen.render.artifact import Artifact
    from workers.client import job_store

    entry = draft_notice(people["staff"])
    as_user(client, people["signer"]).post(f"/register/{entry.pk}/sign/")
    job_id = EntryJob.objects.get(entry=entry, purpose=EntryJob.ISSUE).job_id
    store = job_store()
    store.start(job_id, [("焦市监-2021-1", {})], batch=False)
    store.finish_item(job_id, 0, store.put_artifacts([Artifact("焦市监-2021-1.pdf", "application/pdf", b"%PDF-1.7",
                                                               pages=2)]))
    between = text(client.get(f"/register/{entry.pk}/"))
    assert 'id="job-progress"' in between and 'data-final="0"' in between
    assert 'id="seal-issue"' not in between and "焦市监-2021-1.pdf" not in between
    store.finish_job(job_id, [])
    ended = text(client.get(f"/register/{entry.pk}/"))
    assert 'id="job-progress"' not in ended and 'id="seal-issue"' in ended
    assert "焦市监-2021-1.pdf" in ended and "第 2 页" in ended


def test_the_leader_returns_a_draft_with_a_comment(client, people):
    entry = draft_notice(people["staff"])
    as_user(client, people["signer"])
    client.post(f"/register/{entry.pk}/return/", {"comment": ""})
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT  # a return needs a comment
    client.post(f"/register/{entry.pk}/return/", {"comment": "主送机关写全称"})
    entry.refresh_from_db()
    assert entry.status == Status.VOID and entry.void_reason == "签发人退回：主送机关写全称" and entry.number is None
    assert "主送机关写全称" in text(as_user(client, people["staff"]).get(f"/register/{entry.pk}/"))


# ---------------------------------------------------------------------------------------------- 登记簿
def _issued(staff, signer, tmp_path, **record) -> DocumentEntry:
    from docgen.render.artifact import Artifact

    entry = draft_notice(staff, **record)
    register.sign_off([entry], signer)
    register.seal(entry, signer)
    register.issue(entry, staff, [Artifact("a.pdf", "application/pdf", b"%PDF-1.7 " + entry.title.encode()),
                                  Artifact("a.docx", register.DOCX, b"PK docx " + entry.title.encode())])
    return entry


def test_the_register_is_searchable_and_a_clerk_sees_only_what_concerns_their_district(client, people, tmp_path):
    ours = _issued(people["staff"], people["signer"], tmp_path, addressees="山阳区市场监督管理局：")
    theirs = _issued(people["staff"], people["signer"], tmp_path, addressees="解放区市场监督管理局：",
                     title="关于解放区工作站整改的通知")
    as_user(client, people["staff"])
    page = text(client.get("/register/", {"q": "2021〕2号"}))
    assert "关于解放区工作站整改的通知" in page and f"/register/{ours.pk}/" not in page
    assert f"/register/{ours.pk}/" in text(client.get("/register/", {"status": "issued", "year": "2021"}))

    as_user(client, people["shanyang"])
    mine = text(client.get("/register/"))
    assert f"/register/{ours.pk}/" in mine and "关于解放区工作站整改的通知" not in mine
    assert client.get(f"/register/{theirs.pk}/").status_code == 404
    archived = ours.files.get(filename="a.pdf")
    download = client.get(f"/register/{ours.pk}/archive/{archived.pk}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=AuditEntry.DOWNLOAD_SEALED, actor=people["shanyang"]).exists()
    other = theirs.files.get(filename="a.pdf")
    assert client.get(f"/register/{theirs.pk}/archive/{other.pk}/").status_code == 404
    as_user(client, people["shop"])
    assert client.get(f"/register/{ours.pk}/archive/{archived.pk}/").status_code == 403


# ---------------------------------------------------------------------------------------------- 任务
def test_jobs_are_listed_by_role_and_another_districts_job_is_not_found(client, people):
    now = timezone.now()
    ours = Job.objects.create(job_id="a" * 32, kind="district-report", name="山阳区报送", owner=people["shanyang"],
                              district=District.objects.get(name="山阳区"), created_at=now)
    staff_job = Job.objects.create(job_id="b" * 32, kind="notice", name="市局通知", owner=people["staff"],
                                   created_at=now)
    plaque = Job.objects.create(job_id="c" * 32, kind="plaque-batch", name="九月标牌", owner=people["staff"],
                                created_at=now)
    as_user(client, people["staff"])
    everything = text(client.get("/jobs/"))
    assert all(j.name in everything for j in (ours, staff_job, plaque))
    assert "山阳区报送" not in text(client.get("/jobs/", {"scope": "mine"}))
    filtered = text(client.get("/jobs/", {"kind": "notice"}))
    assert "市局通知" in filtered and "九月标牌" not in filtered
    assert "市局通知" not in text(client.get("/jobs/", {"since": "2000-01-01", "until": "2000-12-31"}))

    assert "山阳区报送" in text(as_user(client, people["shanyang"]).get("/jobs/"))
    as_user(client, people["jiefang"])
    assert "山阳区报送" not in text(client.get("/jobs/"))
    for url in (f"/jobs/{ours.job_id}/", f"/jobs/{ours.job_id}/progress.json", f"/jobs/{ours.job_id}/files/{'0' * 64}"):
        assert client.get(url).status_code == 404, url
    shop = text(as_user(client, people["shop"]).get("/jobs/"))
    assert "九月标牌" in shop and "市局通知" not in shop and "山阳区报送" not in shop


def test_the_progress_view_is_small_json(client, people, redis_queue):
    from workers.client import submit_data

    job_id = submit_data("plaque", "一块标牌", {"kind": "plaque", "station": "知识产权保护工作站山阳区太行路商会站"})
    Job.objects.create(job_id=job_id, kind="plaque", name="一块标牌", owner=people["staff"])
    body = as_user(client, people["staff"]).get(f"/jobs/{job_id}/progress.json").json()
    assert body["state"] == "queued" and body["state_label"] == "排队中" and body["final"] is False
    assert set(body) == {"state", "state_label", "state_class", "total", "done", "failed", "final", "error", "items"}
    page = text(client.get(f"/jobs/{job_id}/"))
    assert f'data-url="/jobs/{job_id}/progress.json"' in page and "progress.js" in page


# ---------------------------------------------------------------------------------------------- 标牌
def test_the_sign_shop_sees_plaque_orders_and_nothing_of_the_districts(client, people, redis_queue):
    station = Station.objects.create(district=District.objects.get(name="山阳区"), key="知识产权保护工作站山阳区太行路商会站",
                                     name="知识产权保护工作站山阳区太行路商会站", status=Station.CONTACT_POINT,
                                     approved_on=timezone.localdate(), reply_number="焦市监〔2021〕1号",
                                     bureau="山阳区市场监督管理局")
    as_user(client, people["staff"])
    assert station.name in text(client.get("/plaques/"))
    client.post("/plaques/order/", {"station": [station.pk], "title": "九月标牌"})
    job = Job.objects.get(kind="plaque-batch")
    assert job.name == "九月标牌"
    shop = text(as_user(client, people["shop"]).get("/plaques/"))
    assert "九月标牌" in shop and station.name in shop and 'id="candidates"' not in shop
    assert client.post("/plaques/order/", {"station": [station.pk]}).status_code == 403
    assert as_user(client, people["shanyang"]).get("/plaques/").status_code == 403


# ---------------------------------------------------------------------------------------------- 不加盖印章
def _files_made(entry, tag: str) -> None:
    """Ends the entry's issue job as a worker would, with a PDF and a DOCX (``tag`` in their bytes)."""
    from docgen.render.artifact import Artifact
    from workers.client import job_store

    job_id = EntryJob.objects.get(entry=entry, purpose=EntryJob.ISSUE).job_id
    store = job_store()
    store.start(job_id, [("焦市监-2021-1", {})], batch=False)
    pdf, docx = b"%PDF-1.7 " + tag.encode(), b"PK " + tag.encode() + b" docx"
    described = store.put_artifacts([Artifact("焦市监-2021-1.pdf", "application/pdf", pdf, pages=1),
                                     Artifact("焦市监-2021-1.docx", register.DOCX, docx)])
    store.finish_item(job_id, 0, described)
    store.finish_job(job_id, described)


def _unsealed_notice_with_its_files(client, people):
    """An unsealed notice (docgen's default: no `seal`), signed off on its page, its issue job ended with a
    PDF and a DOCX."""
    entry = draft_notice(people["staff"], signature={"organ": "焦作市市场监督管理局", "date": "2021年8月3日"})
    assert not register.needs_seal(entry)
    as_user(client, people["signer"]).post(f"/register/{entry.pk}/sign/")
    _files_made(entry, "unsealed")
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED
    return entry


def test_an_unsealed_notice_is_issued_without_a_seal_from_its_page(client, people, redis_queue):
    entry = _unsealed_notice_with_its_files(client, people)
    page = text(as_user(client, people["staff"]).get(f"/register/{entry.pk}/"))
    assert 'id="issue-unsealed"' in page and 'id="seal-issue"' not in page and "不加盖印章" in page
    assert "用印并印发" not in page
    response = client.post(f"/register/{entry.pk}/issue/", follow=True)
    assert "已印发（不加盖印章）" in text(response) and entry.doc_number in text(response)
    entry.refresh_from_db()
    assert (entry.status, entry.issued_by, entry.sealed_by, entry.sealed_at) == (
        Status.ISSUED, people["staff"], None, None)
    events = list(entry.events.order_by("at", "pk").values_list("action", "from_status", "to_status"))
    assert events == [("draft", "", "draft"), ("sign_off", "draft", "signed"), ("issue", "signed", "issued")]
    assert "不加盖印章" in entry.events.get(action="issue").note
    assert not AuditEntry.objects.filter(action=AuditEntry.SEAL).exists()  # nothing was sealed
    archived = {f.filename: f for f in entry.files.all()}
    assert set(archived) == {"焦市监-2021-1.pdf", "焦市监-2021-1.docx"}
    assert register.archived_bytes(archived["焦市监-2021-1.pdf"]) == b"%PDF-1.7 unsealed"
    download = client.get(f"/register/{entry.pk}/archive/{archived['焦市监-2021-1.pdf'].pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.7 unsealed"
    after = text(client.get(f"/register/{entry.pk}/"))
    assert 'id="issue-unsealed"' not in after and "已印发" in after


def test_a_district_clerk_cannot_issue_an_unsealed_notice(client, people, redis_queue):
    entry = _unsealed_notice_with_its_files(client, people)
    response = as_user(client, people["shanyang"]).post(f"/register/{entry.pk}/issue/")
    assert response.status_code == 404  # a clerk does not even see an entry that is not issued
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED and not entry.files.exists()
    assert list(entry.events.values_list("action", flat=True).order_by("at", "pk")) == ["draft", "sign_off"]


def test_an_unsealed_notice_not_signed_off_by_a_signer_is_not_issued(client, people, redis_queue):
    entry = draft_notice(people["staff"], signature={"organ": "焦作市市场监督管理局", "date": "2021年8月3日"})
    register.sign_off([entry], people["staff"])  # through the register, not by the signing leader
    response = as_user(client, people["staff"]).post(f"/register/{entry.pk}/issue/")
    assert response.status_code == 403 and "签发人" in text(response)
    entry.refresh_from_db()
    assert entry.status == Status.SIGNED and not entry.files.exists()


def test_a_failed_numbered_job_is_made_again_from_the_entry_page(client, people, redis_queue):
    from workers.client import job_store

    entry = draft_notice(people["staff"])
    as_user(client, people["signer"]).post(f"/register/{entry.pk}/sign/")
    first = EntryJob.objects.get(entry=entry, purpose=EntryJob.ISSUE).job_id
    store = job_store()
    store.start(first, [("焦市监-2021-1", {})], batch=False)
    store.finish_item(first, 0, [], error="字体缺失")
    store.finish_job(first, [])
    page = text(client.get(f"/register/{entry.pk}/"))
    assert "重新生成" in page and 'id="seal-issue"' not in page
    made = text(client.post(f"/register/{entry.pk}/requeue/", follow=True))
    assert "已重新提交生成" in made
    jobs = list(EntryJob.objects.filter(entry=entry).order_by("created_at", "id").values_list("job_id", flat=True))
    assert len(jobs) == 2 and jobs[0] == first and store.status(jobs[1]).state == "queued"
    twice = text(client.post(f"/register/{entry.pk}/requeue/", follow=True))
    assert "生成任务正在进行，无需重新生成" in twice and EntryJob.objects.filter(entry=entry).count() == 2
    clerk = as_user(client, people["shanyang"]).post(f"/register/{entry.pk}/requeue/")
    assert clerk.status_code == 404 and EntryJob.objects.filter(entry=entry).count() == 2


def test_an_entry_sealed_elsewhere_is_issued_from_its_page(client, people, redis_queue):
    """Sealed through the API or the admin, then issued on the page: no second 用印."""
    entry = draft_notice(people["staff"])
    as_user(client, people["signer"]).post(f"/register/{entry.pk}/sign/")
    register.seal(entry, people["signer"])
    _files_made(entry, "sealed")
    assert 'id="seal-issue"' in text(client.get(f"/register/{entry.pk}/"))
    client.post(f"/register/{entry.pk}/issue/")
    entry.refresh_from_db()
    assert entry.status == Status.ISSUED and entry.files.count() == 2
    assert list(entry.events.order_by("at", "pk").values_list("action", flat=True)) == [
        "draft", "sign_off", "seal", "issue"]
