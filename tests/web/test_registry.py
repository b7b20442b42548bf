"""The registry's imports: the districts' files (YAML, workbook, CSV in UTF-8 or GB18030) and the filled 附件1
go in through docgen's readers; good rows upsert by natural key, bad rows are reported by sheet, row and
column; every change keeps its history; re-importing changes nothing; the state at a past date comes back.
Also the commands and the Chinese admin. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from docgen.annexes.application_workbook import write_application_workbook
from docgen.annexes.consolidate import DISTRICT_ORDER, district_rank
from docgen.annexes.submissions import read_submission
from docgen.annexes.workbook import write_workbook
from docgen.kinds import get as get_kind
from docgen.kinds import parse_record, read_record
from docgen.records.annexes.annex1 import ContactPointApplication as ApplicationRecord
from web.registry import models
from web.registry.importing import ImportRefused, import_application, import_report, import_reports
from web.registry.records import consolidation_record, submissions_at

ROOT = Path(__file__).resolve().parents[2]
ANNEXES = ROOT / "samples" / "annexes"
APPLICATIONS = ROOT / "samples" / "applications"
CONSOLIDATION = ROOT / "samples" / "city" / "consolidation-2021-09.yaml"

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(username="clerk", password="docgen-test-1")


def moment(day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2021, 9, day, hour))


def parsed(record: dict):
    return parse_record(record)[1]


def table_state() -> dict:
    """Every registry row's values, and the number of change records (what an import may alter)."""
    out = {}
    for model in models.REPORTED_MODELS:
        out[model.__name__] = sorted(
            (r.district_id, r.key, r.position, str(r.valid_from), str(r.retired_at),
             tuple(str(getattr(r, f)) for f in model.row_fields.values())) for r in model.objects.all())
    out["changes"] = models.Change.objects.count()
    out["applications"] = sorted((a.key, str(a.form)) for a in models.ContactPointApplication.objects.all())
    return out


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---- districts --------------------------------------------------------------------------------------------

def test_the_citys_districts_are_seeded_in_the_citys_order():
    assert [d.name for d in models.District.objects.all()] == list(DISTRICT_ORDER)
    assert models.District.objects.get(name="山阳区").bureau == "山阳区市场监督管理局"


# ---- the five sample districts ----------------------------------------------------------------------------

def test_the_five_sample_districts_round_trip(clerk):
    """Imported through docgen's reader, the registry gives back the very reports the files hold, in the
    city's order: the consolidation record from the registry equals the one read from the files."""
    results = import_reports([ANNEXES], user=clerk, at=moment(20))
    assert len(results) == 5 and all(not r.rejected for r in results)
    from_files = read_record(CONSOLIDATION)
    from_files["submissions"].sort(key=lambda s: district_rank(s["report"]["district"]))  # files: by name
    from_registry = consolidation_record()
    assert parsed(from_registry) == parsed(from_files)
    kind = get_kind("consolidation")
    assert kind.build(parsed(from_registry), "x") == kind.build(parsed(read_record(CONSOLIDATION)), "x")
    # stored in the domain's words: 修武县's station without a head, 山阳区's and 修武县's shared enterprise
    xiuwu = models.District.objects.get(name="修武县")
    assert models.Station.objects.get(district=xiuwu, name="知识产权保护工作站修武县产业集聚区园区站").head == ""
    assert models.KeyEnterprise.objects.filter(name="焦作市山阳精密轴承有限公司").count() == 2
    assert models.CaseBackbone.objects.filter(district__name="博爱县").count() == 1
    team = models.VolunteerTeam.objects.get(name="河南理工大学知识产权志愿服务队")
    assert (team.members, team.category, team.district.name) == (24, "兼职", "山阳区")
    enterprise = models.KeyEnterprise.objects.get(name="焦作市山阳精密轴承有限公司", district__name="山阳区")
    assert enterprise.protection == ["专利重点", "涉外专利"]
    # every row created is a change: who, when, which file and row
    change = models.Change.objects.get(model="keyenterprise", object_id=enterprise.pk)
    assert (change.action, change.user, change.source.file_name, change.row) == (
        "created", clerk, "shanyang.yaml", "附件3 第 1 条有效行")
    assert change.new["liaison"] == "周敏 0391-3911234"


def test_re_importing_the_same_files_changes_nothing(clerk):
    import_reports([ANNEXES], user=clerk, at=moment(20))
    before = table_state()
    again = import_reports([ANNEXES], user=clerk, at=moment(21))
    assert [r.changed for r in again] == [0] * 5
    assert sum(r.unchanged for r in again) == sum(len(v) for k, v in before.items() if k not in ("changes", "applications"))
    assert table_state() == before


def test_a_changed_report_updates_retires_and_keeps_the_past(clerk, tmp_path):
    """山阳区 re-sends its report: one liaison changed, one enterprise gone, one new. The change is logged
    with old and new values; the missing row is retired, not deleted; the registry at the first date still
    gives the first report, at the second the second; the first file again revives the row."""
    first = read_record(ANNEXES / "shanyang.yaml")
    import_report(ANNEXES / "shanyang.yaml", user=clerk, at=moment(10))
    second = copy.deepcopy(first)
    second["enterprises"][0]["liaison"] = "周敏 13803919999"
    gone = second["enterprises"].pop(1)["enterprise"]
    second["enterprises"].append({"enterprise": "焦作市山阳新材料有限公司", "category": "专精特新企业",
                                  "protection": "专利重点", "use": "所有", "head": "高远 13803910077",
                                  "liaison": "田甜 13803910078"})
    result = import_report(write_yaml(tmp_path / "shanyang-2.yaml", second), user=clerk, at=moment(15))
    assert (result.created, result.updated, result.retired) == (1, 1, 1)

    changed = models.KeyEnterprise.objects.get(name="焦作市山阳精密轴承有限公司")
    update = models.Change.objects.get(model="keyenterprise", object_id=changed.pk, action="updated")
    assert update.old == {"liaison": "周敏 0391-3911234"} and update.new == {"liaison": "周敏 13803919999"}
    assert (update.user, update.source.file_name, update.row, update.at) == (
        clerk, "shanyang-2.yaml", "附件3 第 1 条有效行", moment(15))
    retired = models.KeyEnterprise.objects.get(name=gone)  # kept, with the date it left the report
    assert retired.retired_at == moment(15)

    def enterprises(at):
        report = submissions_at(at)[0]["report"]
        return [(e["enterprise"], e["liaison"]) for e in report["enterprises"]]

    assert enterprises(dt.date(2021, 9, 12)) == [(e["enterprise"], e["liaison"]) for e in first["enterprises"]]
    assert enterprises(dt.date(2021, 9, 16)) == [(e["enterprise"], e["liaison"]) for e in second["enterprises"]]
    assert submissions_at(dt.date(2021, 9, 9)) == []  # before anything was reported

    revived = import_report(ANNEXES / "shanyang.yaml", user=clerk, at=moment(20))
    assert (revived.created, revived.updated, revived.retired) == (0, 2, 1)
    assert models.KeyEnterprise.objects.get(name=gone).retired_at is None
    assert enterprises(dt.date(2021, 9, 16)) == [(e["enterprise"], e["liaison"]) for e in second["enterprises"]]
    assert enterprises(dt.date(2021, 9, 21)) == [(e["enterprise"], e["liaison"]) for e in first["enterprises"]]
    assert parsed(consolidation_record(dt.date(2021, 9, 12))) == parsed(consolidation_record())


def test_bad_rows_are_reported_by_row_and_column_and_good_rows_kept(clerk, tmp_path):
    """A CSV of 附件3 in GB18030 with one bad phone: the good rows go in, the bad one is reported as docgen
    reports it (file, row, column), travels with the district's report, and the table is not taken as
    complete (nothing retired)."""
    import_report(ANNEXES / "shanyang.yaml", user=clerk, at=moment(10))
    header = "企业名称,企业类别,知识产权重点保护种类,知识产权运用方式（使用、所有）,企业负责人及联系方式,联络员及联系方式"
    lines = [header,
             "焦作市山阳精密轴承有限公司,高新技术企业,专利重点、涉外专利,所有,孙立 13803910001,周敏 0391-3911234",
             "焦作市山阳新材料有限公司,专精特新企业,专利重点,所有,高远 12345,田甜 13803910078"]
    path = tmp_path / "山阳区-附件3.csv"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    result = import_report(path, user=clerk, at=moment(11))
    assert (result.created, result.updated, result.retired, result.unchanged) == (0, 0, 0, 1)
    assert len(result.rejected) == 1
    assert result.rejected[0].startswith("山阳区-附件3.csv 第 3 行") and "企业负责人及联系方式" in result.rejected[0]
    assert models.KeyEnterprise.objects.filter(district__name="山阳区", retired_at__isnull=True).count() == 2
    assert any("不停用" in note for note in result.notes)
    submission = submissions_at()[0]
    assert submission["rejected"] == result.rejected
    assert read_submission(path).problems  # the same reader, the same verdict


def test_a_district_workbook_goes_in_like_its_yaml(clerk, tmp_path):
    """The workbook docgen writes for a district, filled and sent back, imports to the same rows."""
    tables = read_submission(ANNEXES / "wenxian.yaml")
    path = tmp_path / "温县.xlsx"
    path.write_bytes(write_workbook(tables.district, tables))
    result = import_report(path, user=clerk, at=moment(10))
    assert not result.rejected and result.created == sum(len(rows) for rows in tables.rows.values())
    again = import_report(ANNEXES / "wenxian.yaml", user=clerk, at=moment(11))
    assert again.changed == 0


def test_a_file_of_an_unknown_district_is_refused(clerk, tmp_path):
    data = read_record(ANNEXES / "boai.yaml")
    data["district"] = "郑州市金水区市场监督管理局"
    with pytest.raises(ImportRefused, match="不是本市的区县"):
        import_report(write_yaml(tmp_path / "x.yaml", data), user=clerk)
    with pytest.raises(ImportRefused, match="不一致"):
        import_report(ANNEXES / "boai.yaml", user=clerk, district="温县")
    assert models.ImportRun.objects.count() == 0


def test_import_reads_each_table_once_whatever_its_length(clerk, tmp_path):
    """Not N+1: importing 40 or 400 enterprises takes the same number of queries (bulk reads and writes)."""
    def report(n: int) -> Path:
        rows = [{"enterprise": f"焦作市测试企业{i:04d}有限公司", "category": "其他", "protection": "专利重点",
                 "use": "所有", "head": f"张三 138{i:08d}", "liaison": f"李四 139{i:08d}"} for i in range(n)]
        return write_yaml(tmp_path / f"r{n}.yaml", {"kind": "district-report", "district": "温县市场监督管理局",
                                                    "enterprises": rows})

    counts = []
    for n in (40, 400):
        models.KeyEnterprise.objects.all().delete()
        models.Change.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            import_report(report(n), user=clerk)
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 10 and counts[1] / 400 < 0.1  # only the bulk statements' batches grow
    assert models.KeyEnterprise.objects.count() == 400 and models.Change.objects.count() == 400


# ---- 附件1 ------------------------------------------------------------------------------------------------

def test_the_three_sample_applications_round_trip(clerk, tmp_path):
    """Each 附件1 goes in whole (its YAML, or the workbook docgen writes for it) and comes back the same
    record; its station is registered as 申请中; the same file again changes nothing."""
    for path in sorted(APPLICATIONS.glob("*.yaml")):
        result = import_application(path, user=clerk)
        assert result.created == 2
        stored = models.ContactPointApplication.objects.get(source=result.run)
        assert stored.status == "pending" and stored.station.status == "applying"
        assert ApplicationRecord.parse({"kind": "contact-point-application", **stored.form}) == \
            ApplicationRecord.parse(read_record(path))
    assert sorted(a.district.name for a in models.ContactPointApplication.objects.all()) == ["山阳区", "温县", "高新区"]
    before = table_state()
    for path in sorted(APPLICATIONS.glob("*.yaml")):
        assert import_application(path, user=clerk).changed == 0
        book = tmp_path / (path.stem + ".xlsx")
        book.write_bytes(write_application_workbook(ApplicationRecord.parse(read_record(path))))
        assert import_application(book, user=clerk).changed == 0  # the filled workbook is the same application
    assert table_state() == before


def test_an_applying_station_is_the_one_its_district_then_reports(clerk, tmp_path):
    """A station first known from its 附件1 (申请中, not in any report) is the same row when 山阳区 lists it
    in its 附件2: first reported then, and it stays in the reports from that date only."""
    import_application(APPLICATIONS / "shanyang-auto-parts.yaml", user=clerk, at=moment(5))
    station = models.ContactPointApplication.objects.get().station
    assert station.valid_from is None and submissions_at() == []
    report = read_record(ANNEXES / "shanyang.yaml")
    report["stations"].append({"station": station.name, "head": "高飞 13803910066", "bureau": "山阳区市场监督管理局",
                               "instructor": "李明 0391-3568888"})
    result = import_report(write_yaml(tmp_path / "shanyang.yaml", report), user=clerk, at=moment(10))
    assert result.created == 13  # the file's 13 rows: 12 new, and the station's first report
    station.refresh_from_db()
    assert station.valid_from == moment(10) and station.head == "高飞 13803910066" and station.status == "applying"
    assert models.Station.objects.filter(name=station.name).count() == 1
    assert [s["station"] for s in submissions_at()[0]["report"]["stations"]][-1] == station.name
    assert submissions_at(dt.date(2021, 9, 9)) == []


# ---- commands ---------------------------------------------------------------------------------------------

def test_the_import_commands(clerk, tmp_path, capsys):
    call_command("import_reports", str(ANNEXES), "--user", "clerk")
    out = capsys.readouterr().out
    assert "shanyang.yaml（山阳区）：新增 12" in out
    call_command("import_application", str(APPLICATIONS / "gaoxin-park.yaml"), "--user", "clerk")
    assert models.ContactPointApplication.objects.count() == 1
    assert models.ImportRun.objects.filter(user=clerk).count() == 6
    call_command("generate", "consolidation", "-o", str(tmp_path))
    written = sorted(p.name for p in tmp_path.iterdir())
    assert any(name.endswith(".xlsx") for name in written) and any(name.endswith(".pdf") for name in written)


# ---- the Chinese admin ------------------------------------------------------------------------------------

@pytest.fixture
def admin_client_zh(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="chief", password="docgen-test-1")
    client.force_login(user)
    return client, user


def test_every_registry_model_has_a_chinese_admin(admin_client_zh, clerk):
    client, _ = admin_client_zh
    import_reports([ANNEXES], user=clerk)
    import_application(APPLICATIONS / "gaoxin-park.yaml", user=clerk)
    from django.apps import apps

    for model in apps.get_app_config("registry").get_models():
        assert model in admin.site._registry, model
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(model._meta.verbose_name)), model
        name = model._meta.model_name
        response = client.get(f"/admin/registry/{name}/")
        assert response.status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            assert client.get(f"/admin/registry/{name}/{obj.pk}/change/").status_code == 200, name
    page = client.get("/admin/registry/keyenterprise/").content.decode()
    assert "重点企业" in page and "焦作市山阳精密轴承有限公司" in page


def test_the_admin_imports_and_logs_its_edits(admin_client_zh, clerk):
    client, user = admin_client_zh
    with open(ANNEXES / "xiuwu.yaml", "rb") as upload:
        response = client.post("/admin/registry/importrun/import/", {"files": upload, "kind": "report"})
    assert response.status_code == 302
    run = models.ImportRun.objects.get()
    assert (run.user, run.file_name, run.district.name, run.created) == (user, "xiuwu.yaml", "修武县", 8)
    office = models.Office.objects.get(name="城关市场监管所")
    data = {"district": office.district_id, "position": office.position, "name": office.name, "head": "彭飞",
            "phone": "0391-7121399", "officers-TOTAL_FORMS": 1, "officers-INITIAL_FORMS": 0,
            "officers-0-name": "吕强", "officers-0-phone": "13523910099"}
    response = client.post(f"/admin/registry/office/{office.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    edit = models.Change.objects.get(model="office", object_id=office.pk, action="edited")
    assert (edit.user, edit.old, edit.new, edit.row) == (user, {"phone": "0391-7121301"}, {"phone": "0391-7121399"},
                                                         "管理后台")
    assert [o.name for o in office.officers.all()] == ["吕强"]
    page = client.get(f"/admin/registry/office/{office.pk}/change/").content.decode()
    assert "0391-7121301 → 0391-7121399" in page


def test_rows_keep_the_order_of_the_latest_file(clerk, tmp_path):
    """A row dropped from the middle shifts the rows after it (one statement per shift); a reordered file
    reorders the table; neither is a change of value (no change records)."""
    rows = [{"enterprise": f"焦作市排序测试{i}有限公司", "category": "其他", "protection": "专利重点", "use": "所有",
             "head": f"张三 1380391000{i}", "liaison": f"李四 1390391000{i}"} for i in range(6)]

    def send(name: str, order: list[int]):
        data = {"kind": "district-report", "district": "温县市场监督管理局", "enterprises": [rows[i] for i in order]}
        return import_report(write_yaml(tmp_path / name, data), user=clerk)

    def names():
        return [e["enterprise"][-5] for e in submissions_at()[0]["report"]["enterprises"]]

    send("a.yaml", [0, 1, 2, 3, 4, 5])
    changes = models.Change.objects.count()
    assert send("b.yaml", [0, 2, 3, 4, 5]).retired == 1 and names() == list("02345")
    assert models.Change.objects.count() == changes + 1  # the retirement only
    result = send("c.yaml", [5, 4, 3, 2, 0])
    assert result.changed == 0 and names() == list("54320")
