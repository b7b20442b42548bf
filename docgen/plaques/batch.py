"""The ``plaque-batch`` kind: a station list → one ``plaque`` item per station → one ZIP for the sign shop.

``split`` makes self-contained plain-data items (a queue can carry them to any worker); ``merge`` collects
the items' artifacts into the ZIP: each plaque's print PDF and proof, the imposed print file, the A4
contact sheet for sign-off, a manifest (清单.csv), the font report and, when items failed, 失败清单.txt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from docgen.batches import BatchItem, ItemResult
from docgen.plaques.art import PROOF_SUFFIX, file_stem
from docgen.pdf.contact_sheet import ContactItem, contact_sheet
from docgen.pdf.imposition import impose
from docgen.plaques.stations import read_stations
from docgen.records.plaque import PlaqueBatch, short_name
from docgen.records.sheet import parse_sheet
from docgen.render.artifact import Artifact
from docgen.render.package import ZipPackage
from docgen.render.sheets import csv_bytes


def split_batch(batch: PlaqueBatch) -> list[BatchItem]:
    items = []
    for n, row in enumerate(batch.stations, 1):
        serial = row.serial or n
        variant = row.variant or batch.variant
        data: dict[str, Any] = {
            "kind": "plaque", "station": row.name, "variant": variant, "size": list(batch.size),
            "scheme": batch.scheme, "text_as": batch.text_as, "proof_dpi": batch.proof_dpi,
        }
        if variant == "contact":
            data["bureau"] = row.bureau
        items.append(BatchItem(f"{serial:03d}-{short_name(row.name) or '未填站名'}", data))
    return items


MANIFEST_HEADER = ["编号", "站名", "样式", "尺寸（毫米）", "状态", "印刷文件", "说明"]


def _manifest_row(r: ItemResult) -> list[str]:
    d = r.item.data
    size = "×".join(f"{v:g}" for v in d["size"])
    variant = "联系点" if d["variant"] == "contact" else "一般工作站"
    pdf = next((a.filename for a in r.artifacts if a.filename.endswith(".pdf")), "")
    note = r.error.replace("\n", " ") if r.error else "；".join(w for a in r.artifacts[:1] for w in a.warnings)
    return [r.item.label, d["station"], variant, size, "失败" if r.error else "已生成", pdf, note]


def write_plaques(package: ZipPackage, results: Iterable[ItemResult], title: str, sheet_spec: str,
                  folder: str = "") -> tuple[dict[str, Any], list[str]]:
    """The sign shop's part of a ZIP, under ``folder``: each plaque's print PDF and proof, the imposed print
    file, the A4 contact sheet, the manifest, the font report and the failures; returns facts and warnings.
    Entry names are made safe by the package (a plaque's file name comes from data).

    ``results`` is read once, in order: each plaque's files go into the ZIP as its result comes, and only its
    print PDF (for the imposition and the contact sheet) is kept, so a batch rendered item by item never
    holds every proof at once."""
    sheet = parse_sheet(sheet_spec)
    failed: list[ItemResult] = []
    rows, pdfs, contact = [], [], []
    fonts_seen: dict[str, None] = {}
    for r in results:
        rows.append(_manifest_row(r))
        if r.error or not r.artifacts:
            failed.append(r)
            contact.append(ContactItem(r.item.label, None, r.error))
            continue
        pdf = next(a for a in r.artifacts if a.filename.endswith(".pdf"))
        proof = next(a for a in r.artifacts if a.filename.endswith(PROOF_SUFFIX))
        package.add(pdf.filename, pdf.data, f"{folder}/印刷文件", compress=False)
        package.add(proof.filename, proof.data, f"{folder}/校样", compress=False)
        pdfs.append(pdf.data)
        contact.append(ContactItem(r.item.label, pdf.data))
        for line in pdf.fonts.lines() if pdf.fonts else []:
            fonts_seen[line] = None
    facts: dict[str, Any] = {"plaques": len(pdfs), "failed": [r.item.label for r in failed], "sheet": sheet.label}
    warnings = [f"{r.item.label} 未生成：{r.error.splitlines()[-1].strip(' -')}" for r in failed]
    if pdfs:
        imposed, facts["imposition"] = impose(pdfs, sheet)
        package.add(f"拼版-{sheet.label}.pdf", imposed, folder, compress=False)
        del imposed  # in the ZIP now: let it go before the contact sheet is made
    if contact:
        package.add("签样-A4.pdf", contact_sheet(contact, title), folder, compress=False)
    package.add("清单.csv", csv_bytes(MANIFEST_HEADER, rows), folder)
    package.add("字体报告.txt", ("\n".join(fonts_seen) + "\n").encode(), folder)
    if failed:
        report = "\n\n".join(f"{r.item.label}\n{r.error}" for r in failed)
        package.add("失败清单.txt", f"共 {len(failed)} 块标牌未生成：\n\n{report}\n".encode(), folder)
    return facts, warnings


def merge_batch(batch: PlaqueBatch, results: Iterable[ItemResult]) -> list[Artifact]:
    title = batch.title or "工作站"
    with ZipPackage() as package:
        facts, warnings = write_plaques(package, results, title, batch.sheet)
    return [Artifact(f"{file_stem(title)}标牌.zip", "application/zip", package.data, None, None, warnings, facts)]


def build_batch(batch: PlaqueBatch, name: str) -> PlaqueBatch:
    """A batch has no content of its own: its items are the plaques."""
    return batch


def render_batch(*_args: Any, **_options: Any) -> list[Artifact]:
    raise TypeError("plaque-batch is rendered through split and merge")


def batch_from_table(path: str | Path, **options: Any) -> dict:
    """A plaque-batch record (plain data) from a station list file, with the batch's options."""
    return {"kind": "plaque-batch", "title": options.pop("title", "") or "", "stations": read_stations(path),
            **{k: v for k, v in options.items() if v is not None}}
