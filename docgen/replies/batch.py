"""The ``reply-batch`` kind: N applications → N 批复 items and, for each approved one, a plaque item → one
ZIP: 批复/ (each reply's PDF and DOCX), 标牌/ (print files, proofs, imposed sheet, contact sheet), 清单.csv."""

from __future__ import annotations

from typing import Any, Iterable

from docgen.batches import BatchItem, ItemResult
from docgen.plaques.art import file_stem
from docgen.plaques.batch import write_plaques
from docgen.records.fields import DocNumber
from docgen.records.plaque import short_name
from docgen.records.reply import ReplyBatch
from docgen.render.artifact import Artifact
from docgen.render.package import ZipPackage
from docgen.render.sheets import csv_bytes

REPLY, PLAQUE = "批复", "标牌"


def split_replies(batch: ReplyBatch) -> list[BatchItem]:
    common = batch.model_dump(mode="json", include={"issuer", "date", "seal", "cc", "printer"})
    first = batch.first_number
    items = []
    for n, reply in enumerate(batch.replies):
        number = DocNumber(first.code, first.year, first.seq + n)
        data = {"kind": "reply", **common, **reply.model_dump(mode="json", exclude_none=True),
                "doc_number": str(number)}
        station = reply.station
        label = f"{n + 1:03d}-{short_name(station)}"
        data["name"] = reply.name or file_stem(f"{label}-{REPLY}")
        items.append(BatchItem(f"{label}-{REPLY}", data))
        if reply.decision == "approve":
            plaque: dict[str, Any] = {"kind": "plaque", "station": station, "size": list(batch.size),
                                      "scheme": batch.scheme, "text_as": batch.text_as, "proof_dpi": batch.proof_dpi,
                                      "variant": "general"}
            if reply.subject == "contact-point":
                plaque.update(variant="contact", bureau=batch.issuer.organ)
            items.append(BatchItem(f"{label}-{PLAQUE}", plaque))
    return items


MANIFEST_HEADER = ["编号", "类别", "工作站", "发文字号", "批复意见", "状态", "文件", "说明"]


def _manifest_row(r: ItemResult) -> list[str]:
    d = r.item.data
    kind = REPLY if d["kind"] == "reply" else PLAQUE
    decision = {"approve": "同意", "decline": "不同意"}.get(d.get("decision", ""), "")
    station = d.get("station") or (d.get("application") or d.get("proposal") or {}).get("station", "")
    files = "、".join(a.filename for a in r.artifacts)
    note = r.error.replace("\n", " ") if r.error else "；".join(w for a in r.artifacts for w in a.warnings)
    return [r.item.label, kind, station, d.get("doc_number", ""), decision, "失败" if r.error else "已生成", files, note]


def merge_replies(batch: ReplyBatch, results: Iterable[ItemResult]) -> list[Artifact]:
    """``results`` is read once, in order: each reply's files go into the ZIP as its result comes (only its
    manifest row is kept); the plaques follow under 标牌/ (docgen.plaques.batch.write_plaques)."""
    title = batch.title or f"{batch.issuer.organ}批复"
    rows, plaques, warnings, failed = [], [], [], []
    replies = 0
    with ZipPackage() as package:  # a reply's file name comes from its ``name:``: the package makes it safe
        for r in results:
            rows.append(_manifest_row(r))
            if r.error:
                failed.append(r.item.label)
            if r.item.data["kind"] != "reply":
                plaques.append(r)
                continue
            for artifact in r.artifacts:
                package.add(artifact.filename, artifact.data, REPLY)
            if r.error:
                warnings.append(f"{r.item.label} 未生成：{r.error.splitlines()[-1].strip(' -')}")
            else:
                replies += 1
        facts, plaque_warnings = write_plaques(package, plaques, title, batch.sheet, PLAQUE)
        del plaques  # their files are in the ZIP: let them go before the ZIP is read back
        package.add("清单.csv", csv_bytes(MANIFEST_HEADER, rows))
    facts.update(replies=replies, failed=failed)
    return [Artifact(f"{file_stem(title)}.zip", "application/zip", package.data, None, None,
                     warnings + plaque_warnings, facts)]


def build_replies(batch: ReplyBatch, name: str) -> ReplyBatch:
    """A batch has no content of its own: its items are the replies and plaques."""
    return batch


def render_replies(*_args: Any, **_options: Any) -> list[Artifact]:
    raise TypeError("reply-batch is rendered through split and merge")
