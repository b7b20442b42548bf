"""Who may do what, over every API route: a permission matrix of every role (and anonymous) — including
another district's job and the sealed file of an unsigned document — where every refusal is 401, 403 or 404
and never the data; tokens stored hashed; login throttling; the audit log of role changes, sign-offs, seals
and sealed downloads.

The job store is a real private Redis (jobs and their artifacts are written with the store's own API); the
queue itself is exercised end to end in test_api.py, so submitting here puts the job in the store without
a Celery message."""

from __future__ import annotations

import hashlib
import io
from contextlib import redirect_stderr

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from docgen.kinds import read_record
from docgen.render.artifact import Artifact
from web.accounts import throttle
from web.accounts.models import ApiToken, AuditEntry, Profile
from web.accounts.roles import CITY_STAFF, DISTRICT_CLERK, SIGN_SHOP, SIGNER
from web.documents import register
from web.jobs.models import Job
from web.registry.models import District, PlaqueOrder
from workers.local import ROOT
from workers.store import JobStore

from .conftest import private_queue

SAMPLES = ROOT / "samples"
SECRET = b"%PDF-1.7 \xe5\x86\x85\xe9\x83\xa8 BOAI-ONLY-CONTENT"  # what another district must never receive
pytestmark = pytest.mark.django_db
ROLES = ("shop", "staff", "clerk", "signer", "nobody", "anonymous")  # the shop confirms its order before staff try


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with private_queue(tmp_path_factory) as server:
        yield server.url


@pytest.fixture
def store(redis_url, monkeypatch):
    jobs = JobStore(redis_url)

    def submit_data(kind, name, data):  # the store's job, without a Celery message (see the module docstring)
        return jobs.create(kind, name, data)

    monkeypatch.setattr("workers.client.submit_data", submit_data)
    return jobs


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_ARTIFACTS_URL", str(tmp_path / "artifacts"))


def _person(django_user_model, username, role=None, district=None):
    user = django_user_model.objects.create_user(username=username, password="docgen-test-1")
    if role:
        user.groups.add(Group.objects.get(name=role))
    if district is not None:
        Profile.objects.create(user=user, district=district)
    _, clear = ApiToken.issue(user)
    return user, {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def _finished_job(store, user, kind, name, district, filename, data):
    job_id = store.create(kind, name, {"kind": kind})
    store.start(job_id, [(name, {"kind": kind})], batch=False)
    described = store.put_artifacts([Artifact(filename, "application/pdf", data)])
    store.finish_item(job_id, 0, described)
    store.finish_job(job_id, described)
    return Job.objects.create(job_id=job_id, kind=kind, name=name, owner=user, district=district, state="succeeded")


def _notice_draft(user, title):
    record = read_record(SAMPLES / "notices/qingshi-2024-30.yaml", SAMPLES)
    record.pop("doc_number")
    record["title"] = title
    return register.draft(kind="notice", issuer_code="焦市监", title=title, doc_type="请示", record=record, user=user)


@pytest.fixture
def world(django_user_model, store, archive):
    shanyang, boai = District.objects.get(name="山阳区"), District.objects.get(name="博爱县")
    people = {}
    people["staff"] = _person(django_user_model, "shiju", CITY_STAFF)
    people["clerk"] = _person(django_user_model, "shanyang", DISTRICT_CLERK, shanyang)
    people["boai"] = _person(django_user_model, "boai", DISTRICT_CLERK, boai)
    people["signer"] = _person(django_user_model, "qianfa", SIGNER)
    people["shop"] = _person(django_user_model, "paizi", SIGN_SHOP)
    people["nobody"] = _person(django_user_model, "wuming")
    people["anonymous"] = (None, {})
    jobs = {
        "own": _finished_job(store, people["clerk"][0], "district-report", "山阳区报送", shanyang, "山阳.pdf", b"%PDF own"),
        "other": _finished_job(store, people["boai"][0], "district-report", "博爱县报送", boai, "博爱.pdf", SECRET),
        "plaques": _finished_job(store, people["staff"][0], "plaque-batch", "标牌", None, "标牌.pdf", b"%PDF plaques"),
        "city": _finished_job(store, people["staff"][0], "notice", "通知", None, "通知.pdf", b"%PDF notice"),
    }
    signer = people["signer"][0]
    unsigned = _notice_draft(people["staff"][0], "未签发的请示")
    to_sign = _notice_draft(people["staff"][0], "待签发的请示")
    issued = _notice_draft(people["staff"][0], "已印发的请示")
    register.sign_off([issued], signer)
    register.seal(issued, people["staff"][0])
    register.issue(issued, people["staff"][0], [Artifact("请示.pdf", register.PDF, b"%PDF sealed"),
                                                  Artifact("请示.docx", register.DOCX, b"PK sealed docx")])
    order = PlaqueOrder.objects.create(title="第一批标牌", created_at=timezone.now())
    return {"people": people, "jobs": jobs, "unsigned": unsigned, "to_sign": to_sign, "issued": issued,
            "order": order}


def _get(client, auth, url):
    return client.get(url, **auth)


def _post(client, auth, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **auth)


# Every route, and what each role gets: a status code (the rest of the row is refused with it).
def _matrix(w):
    other, own, plaques = w["jobs"]["other"].job_id, w["jobs"]["own"].job_id, w["jobs"]["plaques"].job_id
    unsigned, issued, to_sign = w["unsigned"].pk, w["issued"].pk, w["to_sign"].pk
    notice = read_record(SAMPLES / "notices/qingshi-2024-30.yaml", SAMPLES)
    report = read_record(SAMPLES / "annexes/boai.yaml", SAMPLES)
    return [
        # (method, url, body, {role: expected status}); roles not named: the "default" status
        ("get", "/api/kinds", None, {"default": 200, "anonymous": 401}),
        ("post", "/api/jobs", {"record": notice}, {"staff": 201, "default": 403, "anonymous": 401}),
        ("post", "/api/jobs", {"record": report}, {"staff": 201, "default": 403, "anonymous": 401}),
        ("get", "/api/jobs", None, {"default": 200, "anonymous": 401}),
        ("get", f"/api/jobs/{other}", None, {"staff": 200, "default": 404, "anonymous": 401}),
        ("get", f"/api/jobs/{other}/artifacts/博爱.pdf", None, {"staff": 200, "default": 404, "anonymous": 401}),
        ("get", f"/api/jobs/{own}", None, {"staff": 200, "clerk": 200, "default": 404, "anonymous": 401}),
        ("get", f"/api/jobs/{plaques}/artifacts/标牌.pdf", None,
         {"staff": 200, "shop": 200, "default": 404, "anonymous": 401}),
        ("get", "/api/register", None, {"default": 200, "anonymous": 401}),
        ("get", f"/api/register/{unsigned}", None, {"staff": 200, "signer": 200, "default": 404, "anonymous": 401}),
        ("post", f"/api/register/{unsigned}/seal", None, {"staff": 403, "signer": 403, "default": 404,
                                                          "anonymous": 401}),
        ("get", f"/api/register/{unsigned}/files/请示.pdf", None, {"default": 404, "anonymous": 401}),
        ("get", f"/api/register/{issued}/files/请示.pdf", None,
         {"staff": 200, "signer": 200, "default": 404, "anonymous": 401}),
        ("post", f"/api/register/{to_sign}/sign-off", None, {"signer": 200, "staff": 403, "default": 404,
                                                             "anonymous": 401}),
        ("get", "/api/plaque-orders", None, {"staff": 200, "shop": 200, "default": 403, "anonymous": 401}),
        ("post", f"/api/plaque-orders/{w['order'].pk}/confirm", None,
         {"shop": 200, "staff": 409, "default": 403, "anonymous": 401}),  # staff comes after the shop: confirmed
    ]


def test_the_permission_matrix(client, world):
    refused_bodies = []
    for method, url, body, expected in _matrix(world):
        for role in ROLES:
            want = expected.get(role, expected["default"])
            auth = world["people"][role][1]
            response = _get(client, auth, url) if method == "get" else _post(client, auth, url, body)
            assert response.status_code == want, (role, method, url, response.status_code, response.content[:300])
            if want >= 400:
                assert want in (401, 403, 404, 409), (role, url)
                content = response.content
                assert SECRET not in content and b"%PDF" not in content
                assert "博爱县报送".encode() not in content and "未签发的请示".encode() not in content
                refused_bodies.append(response.json()["detail"])
    assert all(detail for detail in refused_bodies)  # every refusal says why, in words


def test_lists_hold_only_what_each_role_may_see(client, world):
    jobs = world["jobs"]

    def listed(role, url="/api/jobs"):
        return client.get(url, **world["people"][role][1]).json()

    assert {j["id"] for j in listed("staff")} == {j.job_id for j in jobs.values()}
    assert {j["id"] for j in listed("clerk")} == {jobs["own"].job_id}
    assert {j["id"] for j in listed("shop")} == {jobs["plaques"].job_id}
    assert listed("signer") == [] and listed("nobody") == []
    assert {k["name"] for k in listed("clerk", "/api/kinds")} == {"district-report", "contact-point-application"}
    assert listed("shop", "/api/kinds") == [] and listed("signer", "/api/kinds") == []
    assert len(listed("staff", "/api/kinds")) >= 9

    titles = lambda role: {e["title"] for e in listed(role, "/api/register")}  # noqa: E731
    everything = {"未签发的请示", "待签发的请示", "已印发的请示"}
    assert titles("staff") == titles("signer") == everything
    assert titles("shop") == set() and titles("nobody") == set()
    assert titles("clerk") == set()  # the issued 请示 does not concern 山阳区


def test_a_clerk_sees_issued_documents_of_their_own_district_only(client, world):
    staff, signer = world["people"]["staff"][0], world["people"]["signer"][0]
    entry = _notice_draft(staff, "关于山阳区工作站建设情况的通报")
    register.sign_off([entry], signer)
    listed = client.get("/api/register", **world["people"]["clerk"][1]).json()
    assert listed == []  # signed off, not issued yet
    register.seal(entry, staff)
    register.issue(entry, staff, [Artifact("通报.pdf", register.PDF, b"%PDF a"),
                                  Artifact("通报.docx", register.DOCX, b"PK a")])
    assert [e["title"] for e in client.get("/api/register", **world["people"]["clerk"][1]).json()] == [entry.title]
    assert client.get("/api/register", **world["people"]["boai"][1]).json() == []
    assert client.get(f"/api/register/{entry.pk}", **world["people"]["boai"][1]).status_code == 404


def test_only_the_signing_leaders_sign_off_releases_the_seal(client, world):
    staff, signer = world["people"]["staff"], world["people"]["signer"]
    entry = world["to_sign"]
    assert client.get(f"/api/register/{entry.pk}", **staff[1]).json()["seal_released"] is False
    assert _post(client, staff[1], f"/api/register/{entry.pk}/sign-off").status_code == 403
    entry.refresh_from_db()
    assert entry.status == "draft" and entry.doc_number == ""  # no number without the signing leader

    signed = _post(client, signer[1], f"/api/register/{entry.pk}/sign-off").json()
    assert signed["status"] == "signed" and signed["doc_number"].startswith("焦市监〔") and signed["seal_released"]
    sealed = _post(client, staff[1], f"/api/register/{entry.pk}/seal")
    assert sealed.status_code == 200 and sealed.json()["status"] == "sealed"
    assert _post(client, staff[1], f"/api/register/{entry.pk}/seal").status_code == 409  # once

    # signed off by someone who is not the signing leader (through the register directly): no seal, no file
    bypass = _notice_draft(staff[0], "未经签发人签发的请示")
    register.sign_off([bypass], staff[0])
    assert client.get(f"/api/register/{bypass.pk}", **staff[1]).json()["seal_released"] is False
    refused = _post(client, staff[1], f"/api/register/{bypass.pk}/seal")
    assert refused.status_code == 403 and "签发人" in refused.json()["detail"]

    actions = list(AuditEntry.objects.filter(object_id=str(entry.pk)).values_list("action", "actor_name"))
    assert (AuditEntry.SIGN_OFF, "qianfa") in actions and (AuditEntry.SEAL, "shiju") in actions


def test_downloading_a_sealed_file_is_audited(client, world):
    issued = world["issued"]
    response = client.get(f"/api/register/{issued.pk}/files/请示.pdf", **world["people"]["signer"][1])
    assert response.status_code == 200 and response.content == b"%PDF sealed"
    row = AuditEntry.objects.get(action=AuditEntry.DOWNLOAD_SEALED)
    assert row.actor_name == "qianfa" and row.object_id == str(issued.pk) and "请示.pdf" in row.detail
    assert client.get(f"/api/register/{issued.pk}/files/nothing.pdf", **world["people"]["signer"][1]).status_code == 404


def test_tokens_are_stored_hashed_and_shown_once(client, django_user_model, store):
    user = django_user_model.objects.create_user(username="duijie", password="docgen-test-1")
    user.groups.add(Group.objects.get(name=CITY_STAFF))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        call_command("create_api_token", "duijie", "--name", "报送系统", stdout=out, stderr=err)
    clear = out.getvalue().strip()
    assert clear.startswith("dg_") and len(clear) > 40 and "请立即保存" in err.getvalue()

    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(clear.encode()).hexdigest()
    with connection.cursor() as cursor:  # nothing in the table, in any column, is the token
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        rows = cursor.fetchall()
    assert rows and all(clear not in str(value) for row in rows for value in row)
    assert user.password.startswith("pbkdf2_") and "docgen-test-1" not in user.password

    bearer = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    assert client.get("/api/jobs", **bearer).status_code == 200
    assert client.get("/api/jobs", HTTP_AUTHORIZATION=f"Bearer {clear[:-1]}x").status_code == 401
    assert client.get("/api/jobs", HTTP_AUTHORIZATION=f"Bearer {token.digest}").status_code == 401  # the hash is no key
    assert client.delete(f"/api/tokens/{token.pk}", **bearer).status_code == 200
    assert client.get("/api/jobs", **bearer).status_code == 401
    assert list(AuditEntry.objects.filter(target_user=user).values_list("action", flat=True).order_by("id")) == [
        AuditEntry.ROLE_ADDED, AuditEntry.TOKEN_CREATED, AuditEntry.TOKEN_REVOKED]


def test_login_is_locked_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user(username="wangfang", password="docgen-test-1", is_staff=True)
    for _ in range(throttle.LIMIT):
        response = client.post("/admin/login/", {"username": "wangfang", "password": "wrong"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    locked = client.post("/admin/login/", {"username": "wangfang", "password": "docgen-test-1"})
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert "登录失败次数过多" in locked.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.LOGIN_LOCKED, target_user__username="wangfang").count() == 1

    # the lock is per user name and address: the same user from another address still logs in
    other = client.post("/admin/login/", {"username": "wangfang", "password": "docgen-test-1"},
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and "_auth_user_id" in client.session


def test_login_failures_are_counted_in_the_database_for_every_server_process_and_expire(client, django_user_model):
    """The count lives in the database (not one process's memory): what one server process recorded locks the
    login in another, and a window that has passed starts the count again."""
    from datetime import timedelta

    from django.utils import timezone

    from web.accounts.models import LoginFailures

    django_user_model.objects.create_user(username="lihua", password="docgen-test-1", is_staff=True)
    for _ in range(throttle.LIMIT):  # as if another server process had seen these
        throttle.record_failure("LiHua ", "127.0.0.1")
    [row] = LoginFailures.objects.all()
    assert row.count == throttle.LIMIT and "lihua" not in row.key  # a digest, never the name or address
    locked = client.post("/admin/login/", {"username": "lihua", "password": "docgen-test-1"})
    assert "_auth_user_id" not in client.session and "登录失败次数过多" in locked.content.decode()
    LoginFailures.objects.update(since=timezone.now() - timedelta(seconds=throttle.WINDOW + 1))
    assert not throttle.locked("lihua", "127.0.0.1")
    assert throttle.record_failure("lihua", "127.0.0.1") == 1  # a new window
    ok = client.post("/admin/login/", {"username": "lihua", "password": "docgen-test-1"})
    assert ok.status_code == 302 and "_auth_user_id" in client.session
    assert not LoginFailures.objects.exists()  # a good login clears the count


def test_role_changes_are_audited_from_either_side(django_user_model, staff_user):
    from web.accounts.signals import current_actor

    clerk = django_user_model.objects.create_user(username="xiuwu", password="docgen-test-1")
    signers, clerks = Group.objects.get(name=SIGNER), Group.objects.get(name=DISTRICT_CLERK)
    token = current_actor.set(staff_user)
    try:
        clerk.groups.add(clerks)
        signers.user_set.add(clerk)
        clerk.groups.remove(signers)
        clerk.groups.clear()
    finally:
        current_actor.reset(token)
    rows = list(AuditEntry.objects.filter(target_user=clerk).order_by("id").values_list("action", "detail", "actor_name"))
    assert [(a, d.split("「")[1].rstrip("」")) for a, d, _ in rows] == [
        (AuditEntry.ROLE_ADDED, DISTRICT_CLERK), (AuditEntry.ROLE_ADDED, SIGNER),
        (AuditEntry.ROLE_REMOVED, SIGNER), (AuditEntry.ROLE_REMOVED, DISTRICT_CLERK)]
    assert {actor for _, _, actor in rows} == {"wangfang"}
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(target_user=clerk).delete()


def test_the_audit_log_is_read_only_in_the_admin(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(username="root", password="docgen-test-1")
    admin_user.groups.add(Group.objects.get(name=SIGNER))
    client.force_login(admin_user)
    row = AuditEntry.objects.get(target_user=admin_user)
    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.get(f"/admin/accounts/auditentry/{row.pk}/change/").status_code == 200  # view only
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditentry/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=row.pk).exists()


def test_a_browser_session_works_but_writes_need_the_csrf_token(django_user_model, store):
    from django.test import Client

    user, _ = _person(django_user_model, "liulanqi", CITY_STAFF)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/api/jobs").status_code == 200
    notice = read_record(SAMPLES / "notices/qingshi-2024-30.yaml", SAMPLES)
    forged = browser.post("/api/jobs", {"record": notice}, content_type="application/json")
    assert forged.status_code == 403 and not Job.objects.exists()
