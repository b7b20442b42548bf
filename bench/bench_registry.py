"""Benchmark: the registry with 11 districts × 2,000 key enterprises — importing their workbooks (or YAML)
through docgen's reader, re-importing them unchanged, a re-import with 5 % of the rows changed and 1 % gone,
then the consolidated annexes 2–6 and a 通报 generated from the registry (now, and at a past date).
Prints seconds and database queries per import row (django.test.utils.CaptureQueriesContext).

    .venv/bin/python bench/bench_registry.py [--districts 11] [--enterprises 2000] [--format xlsx|yaml] [--render]

On SQLite by default (a throw-away database in a temporary folder); on PostgreSQL with DATABASE_URL set
(a throw-away test database is created and dropped). ``--render`` also renders the consolidated tables'
PDF, DOCX and XLSX through docgen (22,000 rows: tens of seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
os.environ.setdefault("DOCGEN_DATA_DIR", tempfile.mkdtemp(prefix="bench-registry-"))

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from docgen.annexes.consolidate import DISTRICT_ORDER  # noqa: E402
from docgen.annexes.workbook import DistrictTables, write_workbook  # noqa: E402
from docgen.content.bulletin import build_bulletin  # noqa: E402
from docgen.kinds import parse_record, render_record  # noqa: E402
from docgen.records.annexes.annex3 import ENTERPRISE_CATEGORIES, PROTECTION_KINDS, KeyEnterpriseRow  # noqa: E402

TRADES = ("精密机械", "汽车零部件", "电子信息", "生物医药", "新材料", "现代农业", "食品加工", "文化传媒", "轴承", "化工")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def enterprise_rows(district: str, count: int, rng: random.Random, offset: int) -> list[dict]:
    """``count`` valid, varied 附件3 rows (see docgen.records.annexes.annex3.KeyEnterpriseRow)."""
    def person() -> str:
        return rng.choice(SURNAMES) + rng.choice("明华强芳伟静磊洋敏军")

    rows = []
    for i in range(count):
        n = offset + i
        rows.append({
            "enterprise": f"焦作市{district[:2]}{rng.choice(TRADES)}{'有限公司' if n % 3 else '股份有限公司'}{i + 1}号",
            "category": rng.choice(ENTERPRISE_CATEGORIES),
            "protection": "、".join(rng.sample(PROTECTION_KINDS, rng.choice((1, 1, 2, 3)))),
            "use": rng.choice(("使用", "所有")), "head": f"{person()} 138{n:08d}",
            "liaison": f"{person()} {'0391-39' + f'{n % 100000:05d}' if n % 2 else '139' + f'{n:08d}'}"})
    return rows


def other_rows(district: str, rng: random.Random) -> dict[str, list[dict]]:
    short = district[:2]
    return {
        "stations": [{"station": f"知识产权保护工作站{short}{k}号园区站", "head": f"王芳 1381234{k:04d}",
                      "bureau": district, "instructor": "李明 0391-3568888"} for k in range(3)],
        "case_officers": [{"person": f"{rng.choice(SURNAMES)}骨干{k}", "post": "执法队员", "unit": f"{short}市场监管综合执法大队",
                           "contact": f"1370391{k:04d}"} for k in range(rng.choice((2, 3, 4)))],
        "supervision_offices": [{"office": f"{short}第{k}市场监管所", "head": "何平", "phone": f"0391-35600{k:02d}"}
                                for k in range(4)],
        "institutions": [{"institution": f"{short}知识产权纠纷人民调解委员会", "category": "调解委员会",
                          "contact_person": "冯丽", "contact": "0391-3560031", "remarks": "调解员 3 人"}],
        "volunteer_teams": [{"team": f"{short}知识产权志愿服务队", "category": "兼职", "members": 20,
                             "contact_person": "韩雪", "contact": "13603910041"}],
    }


def write_files(folder: Path, districts: list[str], enterprises: int, fmt: str, changed: bool = False) -> list[Path]:
    rng = random.Random(2021)
    paths = []
    for d, district in enumerate(districts):
        rows = enterprise_rows(district, enterprises, rng, d * enterprises)
        if changed:  # 5 % of the liaisons changed, 1 % of the enterprises gone
            for i in range(0, len(rows), 20):
                rows[i]["liaison"] = f"赵六 1590391{i:04d}"
            rows = [r for i, r in enumerate(rows) if i % 100 != 7]
        report = {"kind": "district-report", "district": district, "enterprises": rows, **other_rows(district, rng)}
        path = folder / f"{d:02d}-{district[:2]}.{fmt}"
        if fmt == "yaml":
            path.write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            from docgen.annexes.forms import sub_tables

            tables = DistrictTables(district, {t.key: [t.row.parse(r) for r in report.get(t.key, [])]
                                               for _, t in sub_tables()})
            path.write_bytes(write_workbook(district, tables))
        paths.append(path)
    return paths


def import_all(paths: list[Path], user, at: dt.datetime) -> tuple[float, int, int, list]:
    from web.registry.importing import import_report

    rows = queries = 0
    results = []
    start = time.perf_counter()
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            result = import_report(path, user=user, at=at)
        queries += len(captured)
        rows += result.created + result.updated + result.unchanged
        results.append(result)
    return time.perf_counter() - start, rows, queries, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--districts", type=int, default=11)
    parser.add_argument("--enterprises", type=int, default=2000, help="key enterprises a district")
    parser.add_argument("--format", choices=("xlsx", "yaml"), default="xlsx")
    parser.add_argument("--render", action="store_true", help="also render the consolidated tables through docgen")
    args = parser.parse_args()

    setup_test_environment()
    from django.contrib.auth import get_user_model

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from web.registry import models
        from web.registry.records import bulletin_record, consolidation_record

        print(f"数据库：{connection.vendor}；{args.districts} 个区县 × {args.enterprises} 家重点企业（{args.format}）")
        user = get_user_model().objects.create_user(username="bench")
        districts = [f"{d}市场监督管理局" for d in DISTRICT_ORDER[: args.districts]]
        folder = Path(tempfile.mkdtemp(prefix="bench-registry-files-"))
        start = time.perf_counter()
        (folder / "v1").mkdir()
        (folder / "v2").mkdir()
        first = write_files(folder / "v1", districts, args.enterprises, args.format)
        second = write_files(folder / "v2", districts, args.enterprises, args.format, changed=True)
        print(f"生成报送文件 {time.perf_counter() - start:.2f} s")

        day1 = timezone.make_aware(dt.datetime(2021, 9, 20, 10))
        day2 = timezone.make_aware(dt.datetime(2021, 10, 20, 10))
        for label, paths, at in (("首次导入", first, day1), ("原样再导入", first, day1 + dt.timedelta(hours=1)),
                                 ("修改后导入（5% 修改，1% 停用）", second, day2)):
            seconds, rows, queries, results = import_all(paths, user, at)
            created = sum(r.created for r in results)
            updated = sum(r.updated for r in results)
            retired = sum(r.retired for r in results)
            print(f"{label}：{seconds:.2f} s，{rows} 行（{rows / seconds:,.0f} 行/秒），查询 {queries} 次，"
                  f"每行 {queries / rows:.4f} 次；新增 {created}，修改 {updated}，停用 {retired}")
        print(f"登记簿：重点企业 {models.KeyEnterprise.objects.count()} 行，变更记录 {models.Change.objects.count()} 条")

        for label, at in (("当前", None), ("过去某日（2021年9月30日）", dt.date(2021, 9, 30))):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                record = consolidation_record(at)
                seconds = time.perf_counter() - start
            rows = sum(len(s["report"]["enterprises"]) for s in record["submissions"])
            print(f"汇总记录（{label}）：{seconds:.2f} s，查询 {len(captured)} 次，附件3 {rows} 行")
        kind, consolidation = parse_record(record)
        start = time.perf_counter()
        built = kind.build(consolidation, "汇总")
        print(f"汇总内容（docgen consolidate）：{time.perf_counter() - start:.2f} s，重复 {len(built.duplicates)} 处")
        if args.render:
            start = time.perf_counter()
            artifacts = render_record(kind, consolidation, "附件2-6汇总")
            print(f"汇总排版（PDF、DOCX、XLSX）：{time.perf_counter() - start:.2f} s，"
                  + "、".join(f"{a.filename} {len(a.data) / 1024:.0f} KB" for a in artifacts))

        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            bulletin = bulletin_record(issuer={"organ": "焦作市市场监督管理局"}, doc_number="焦市监〔2021〕168号",
                                       date=dt.date(2021, 10, 25), as_of=dt.date(2021, 10, 21))
        seconds = time.perf_counter() - start
        _, validated = parse_record(bulletin)
        start_build = time.perf_counter()
        doc = build_bulletin(validated)
        print(f"通报记录：{seconds:.2f} s，查询 {len(captured)} 次；通报内容：{time.perf_counter() - start_build:.2f} s，"
              f"附件 {len(doc.attachments)} 个")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
