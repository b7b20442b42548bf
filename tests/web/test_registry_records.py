"""Records from the registry, rendered by docgen as they are: the 通报 from the registry says what the one
built from the districts' files says; a reply batch for the applications picked, numbered by the document
register; a plaque batch for approved stations, marked printed when the sign shop confirms. Runs on SQLite
and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
import io

import pytest
from django.core.management import call_command

from docgen.content.bulletin import build_bulletin
from docgen.kinds import parse_record, read_record, render_record
from docgen.records.bulletin import BulletinRecord
from web.registry import models
from web.registry.importing import import_application, import_reports
from web.registry.records import (bulletin_record, confirm_plaques, issue_reply_batch, order_plaques,
                                  pending_applications, plaque_batch_record, plaque_candidates)

ROOT = Path(__file__).resolve().parents[2]
ANNEXES = ROOT / "samples" / "annexes"
APPLICATIONS = ROOT / "samples" / "applications"
BULLETIN = ROOT / "samples" / "bulletins" / "city-2021-inspection.yaml"

pytestmark = pytest.mark.django_db


def _aware(*args) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(*args))


REPORTED = None  # set below: when the sample districts' reports came in (before the bulletin's 统计截止日期)


@pytest.fixture(autouse=True)
def _reported_on(settings):
    global REPORTED
    REPORTED = _aware(2021, 9, 20, 10)


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(username="clerk", password="docgen-test-1", is_staff=True)


def note_inspections(sample: dict, user) -> None:
    """The sample bulletin's inspection notes, entered in the registry as the inspectors would."""
    for inspection in sample["inspections"]:
        district = models.District.objects.get(name=inspection["district"])
        day = dt.date(2021, 10, 12)
        for name in inspection.get("contact_points", []):
            models.InspectionNote.objects.create(district=district, noted_on=day, user=user,
                                                 category=models.InspectionNote.CONTACT_POINT,
                                                 station=models.Station.objects.get(district=district, name=name))
        for text in inspection.get("commendations", []):
            models.InspectionNote.objects.create(district=district, noted_on=day, category="commendation", text=text)
        for text in inspection.get("corrections", []):
            models.InspectionNote.objects.create(district=district, noted_on=day, category="correction", text=text)


def test_the_bulletin_from_the_registry_says_what_the_files_say(clerk):
    """samples/annexes/*.yaml → import → 通报 record from the registry → build_bulletin: the same text, the
    same numbers, the same attachments as the sample 通报 built from the districts' own files."""
    import_reports([ANNEXES], user=clerk, at=REPORTED)
    sample = read_record(BULLETIN)
    note_inspections(sample, clerk)
    models.InspectionNote.objects.create(district=models.District.objects.get(name="温县"), category="commendation",
                                         noted_on=dt.date(2021, 10, 25), text="检查之后的记录不入本期通报")
    record = bulletin_record(issuer=sample["issuer"], doc_number=sample["doc_number"], date=dt.date(2021, 10, 20),
                             as_of=dt.date(2021, 9, 30), deadline=dt.date(2021, 11, 30), cc=sample["cc"],
                             printer=sample["printer"])
    assert record["as_of"] == sample["as_of"] == "2021年9月30日"
    from_registry = build_bulletin(BulletinRecord.parse(record))
    from_files = build_bulletin(BulletinRecord.parse(sample))
    text = "".join(getattr(b, "label", "") + b.text + getattr(b, "run_in", "") for b in from_registry.body)
    assert "全市共建立知识产权保护工作站6个，其中确定为知识产权保护联系点2个" in text
    assert "修武县仅有2人、博爱县仅有1人" in text and "重复报送1处" in text
    assert from_registry.body == from_files.body
    assert from_registry.attachments == from_files.attachments
    assert (from_registry.title, from_registry.header, from_registry.signature, from_registry.colophon) == (
        from_files.title, from_files.header, from_files.signature, from_files.colophon)


def test_the_bulletin_at_a_past_date_counts_what_was_reported_then(clerk):
    """A district imported after the 通报's date does not count in it."""
    from django.utils import timezone

    import_reports([ANNEXES / "shanyang.yaml"], user=clerk, at=timezone.make_aware(dt.datetime(2021, 9, 1)))
    import_reports([ANNEXES / "boai.yaml"], user=clerk, at=timezone.make_aware(dt.datetime(2021, 11, 1)))
    record = bulletin_record(issuer={"organ": "焦作市市场监督管理局"}, doc_number="焦市监〔2021〕168号",
                             date=dt.date(2021, 10, 20))
    assert [s["report"]["district"] for s in record["submissions"]] == ["山阳区市场监督管理局"]
    later = bulletin_record(issuer={"organ": "焦作市市场监督管理局"}, doc_number="焦市监〔2021〕180号",
                            date=dt.date(2021, 11, 20))
    assert len(later["submissions"]) == 2


def test_the_generate_command_renders_a_bulletin_through_docgen(clerk, tmp_path):
    import_reports([ANNEXES], user=clerk, at=REPORTED)
    note_inspections(read_record(BULLETIN), clerk)
    call_command("generate", "bulletin", "-o", str(tmp_path), "--issuer", "焦作市市场监督管理局",
                 "--doc-number", "焦市监〔2021〕168号", "--date", "2021年10月20日", "--as-of", "2021年9月30日",
                 "--name", "通报", "--cc", "河南省市场监督管理局", "--draft")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通报.docx", "通报.pdf"]
    assert (tmp_path / "通报.pdf").read_bytes().startswith(b"%PDF")


def test_a_reply_batch_for_the_applications_picked(clerk):
    """Two applications approved and one declined (for what its 附件1 lacks): the replies are numbered by
    the document register, consecutively; the approved stations become 联系点 with their 批复; the batch
    renders through docgen as one ZIP with each reply and the approved ones' plaques."""
    for path in sorted(APPLICATIONS.glob("*.yaml")):
        import_application(path, user=clerk)
    by_org = {a.form["station"]: a for a in models.ContactPointApplication.objects.all()}
    approve = [by_org["知识产权保护工作站山阳区汽车零部件协会站"], by_org["知识产权保护工作站焦作高新区园区站"]]
    decline = [by_org["知识产权保护工作站温县铁棍山药市场站"]]
    picks = [(a, "approve") for a in pending_applications([a.pk for a in approve])]
    picks += [(a, "decline") for a in pending_applications([a.pk for a in decline])]
    record = issue_reply_batch(picks, issuer={"organ": "焦作市市场监督管理局"}, issuer_code="焦市监",
                               date=dt.date(2021, 9, 28), user=clerk, title="2021年9月知识产权保护联系点批复",
                               size="600x400")
    year = dt.date(2021, 9, 28).year
    assert record["first_number"] == f"焦市监〔{year}〕1号"
    kind, batch = parse_record(record)
    assert [r.decision for r in batch.replies] == ["approve", "approve", "decline"]

    for n, app in enumerate(approve + decline, 1):
        app.refresh_from_db()
        assert app.reply_number == f"焦市监〔{year}〕{n}号"
    assert [a.status for a in approve + decline] == ["approved", "approved", "declined"]
    station = models.Station.objects.get(name="知识产权保护工作站焦作高新区园区站")
    assert (station.status, station.reply_number, station.approved_on) == (
        "contact-point", f"焦市监〔{year}〕2号", dt.date(2021, 9, 28))
    assert models.Change.objects.filter(model="station", object_id=station.pk, user=clerk).exists()
    with pytest.raises(ValueError, match="已同意"):
        pending_applications([approve[0].pk])  # answered: it cannot be picked again

    artifacts = render_record(kind, batch, "batch")
    names = zipfile.ZipFile(io.BytesIO(artifacts[0].data)).namelist()
    assert sum(1 for n in names if n.startswith("批复/") and n.endswith(".pdf")) == 3
    assert any(n.startswith("标牌/") for n in names)


def test_a_plaque_batch_for_approved_stations_not_yet_printed(clerk, tmp_path):
    """Approved stations without a plaque go to the sign shop in one batch (a contact point's plaque names
    its bureau); once the shop confirms, they are printed and leave the list."""
    import_reports([ANNEXES], user=clerk)
    contact = models.Station.objects.get(name="知识产权保护工作站山阳区太行路商会站")
    general = models.Station.objects.get(name="知识产权保护工作站温县铁棍山药市场站")
    contact.status, contact.approved_on, contact.reply_number = "contact-point", dt.date(2021, 9, 28), "焦市监〔2021〕150号"
    general.approved_on = dt.date(2021, 9, 28)
    contact.save()
    general.save()
    stations = plaque_candidates()
    assert [s.name for s in stations] == [contact.name, general.name]  # the city's order: 山阳区, then 温县
    record = plaque_batch_record(stations, "第一批", size="400x300")
    assert record["stations"][0] == {"serial": 1, "name": contact.name, "variant": "contact",
                                     "bureau": "山阳区市场监督管理局"}
    assert record["stations"][1]["variant"] == "general" and "bureau" not in record["stations"][1]
    order = order_plaques(stations, "第一批", clerk)
    assert plaque_candidates() == []  # on an open order: not offered twice
    assert confirm_plaques(order, clerk) == 2
    contact.refresh_from_db()
    assert contact.plaque_printed_at is not None
    assert models.Change.objects.filter(model="station", object_id=contact.pk, new__has_key="plaque_printed_at").exists()
    assert plaque_candidates() == []


def test_the_generate_command_makes_the_plaque_batch_and_the_shop_confirms(clerk, tmp_path):
    import_reports([ANNEXES], user=clerk)
    station = models.Station.objects.get(name="知识产权保护工作站解放区民主路服装市场站")
    station.approved_on = dt.date(2021, 9, 28)
    station.save()
    call_command("generate", "plaque-batch", "-o", str(tmp_path), "--user", "clerk", "--title", "第二批",
                 "--size", "400x300")
    assert any(p.suffix == ".zip" for p in tmp_path.iterdir())
    order = models.PlaqueOrder.objects.get()
    assert list(order.stations.all()) == [station]
    call_command("plaques_printed", str(order.pk), "--user", "clerk")
    station.refresh_from_db()
    assert station.plaque_printed_at == models.PlaqueOrder.objects.get().confirmed_at


def test_the_generate_command_issues_a_reply_batch(clerk, tmp_path):
    for path in sorted(APPLICATIONS.glob("*.yaml")):
        import_application(path, user=clerk)
    ids = {a.form["station"]: a.pk for a in models.ContactPointApplication.objects.all()}
    call_command("generate", "reply-batch", "-o", str(tmp_path), "--user", "clerk", "--issuer", "焦作市市场监督管理局",
                 "--issuer-code", "焦市监", "--date", "2021年9月28日", "--name", "批复",
                 "--approve", str(ids["知识产权保护工作站焦作高新区园区站"]),
                 "--decline", str(ids["知识产权保护工作站温县铁棍山药市场站"]))
    assert [p.suffix for p in tmp_path.iterdir()] == [".zip"]
    statuses = dict(models.ContactPointApplication.objects.values_list("station__name", "status"))
    assert statuses == {"知识产权保护工作站焦作高新区园区站": "approved", "知识产权保护工作站温县铁棍山药市场站": "declined",
                        "知识产权保护工作站山阳区汽车零部件协会站": "pending"}
