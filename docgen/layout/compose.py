"""Compose a 公文 into positioned pages: the whole GB/T 9704 page layout, decided in one pass."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from docgen.layout import gbt9704, special
from docgen.content.document import Attachment, OfficialDocument
from docgen.layout.closing import SealArea, annex_list, note_rows, page_number, place_colophon
from docgen.layout.body import attachment_elements, block_elements
from docgen.layout.flow import Item, PagePlan, Paginator, Text, joined, on_grid


@dataclass
class ComposedPage:
    items: list[Item]  # drawn on the page's frame: the portrait page, or the landscape frame (§8)
    number: int | None  # the printed page number, None where §7.5 prints none
    area: gbt9704.TypeArea = gbt9704.PORTRAIT
    folio: Text | None = None  # the page number `— N —`, on the portrait page whatever the frame


@dataclass
class Composition:
    pages: list[ComposedPage]
    seal: SealArea | None = None  # the seal area pressing the date (of a joint document, the last organ's)
    tightened: list[int] = field(default_factory=list)  # pages whose lines were tightened (§7.3.5.5)
    seals: list[SealArea] = field(default_factory=list)  # every seal area, in organ order (联合行文: one per organ)
    info: dict[str, str] = field(default_factory=dict)  # more PDF document-info entries (special.document_info)
    flow_pages: int = 0  # pages before the 版记's own (what the DOCX needs to put its 版记 on an even page)

    def text_by_role(self) -> dict[str, str]:
        texts: dict[str, list[str]] = {}
        for page in self.pages:
            for item in page.items + ([page.folio] if page.folio else []):
                if isinstance(item, Text):
                    for run in item.runs:
                        texts.setdefault(run.role, []).append(run.text)
        return {role: "".join(parts) for role, parts in texts.items()}


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused: composition allocates hundreds of thousands of small
    objects (lines, runs, rows, items) that live until the page is drawn, and the collector, triggered
    every 700 allocations, walks the growing young generations again and again — a 20,000-row table took
    18.5 × the time of a 2,000-row one. Paused, composition is linear; its garbage (little: it makes few
    cycles) is collected when the collector next runs."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def compose(doc: OfficialDocument) -> Composition:
    with collector_paused():
        return _compose(doc)


def _compose(doc: OfficialDocument) -> Composition:
    fixed, flow_top = special.header(doc)
    paginator = Paginator(flow_top)
    paginator.page.fixed += fixed
    flow = on_grid(special.opening(doc, flow_top), flow_top)
    for block in doc.body:
        flow = joined(flow, block_elements(block))
    flow = joined(joined(flow, annex_list(doc.attachments)), special.attendance_rows(doc))
    paginator.add_all(flow)

    signature = special.signature_block(doc)  # a 命令's is its 签发人's stamp; a 纪要 has none
    if signature is not None:
        paginator.keep_with_body(signature)
    signature_page = paginator.page
    paginator.add_all(note_rows(doc.note, signature))

    for attachment in doc.attachments:
        if attachment.blocks:
            paginator.add_all(attachment_elements(attachment, numbered=len(doc.attachments) > 1))

    pages: list[PagePlan] = paginator.pages
    flow_pages = len(pages)
    if doc.header.format == "信函":
        special.letter_pages(pages, doc.colophon)
    elif doc.colophon:
        place_colophon(pages, doc.colophon)

    seals: list[SealArea] = []
    stamp = None
    if signature is not None and (doc.signature.sealed or isinstance(signature, special.SignerStamp)):
        index = pages.index(signature_page)
        y = signature_page.top
        for element in signature_page.placed:
            if element is signature:
                break
            y += signature_page.step(element)
        if isinstance(signature, special.SignerStamp):
            stamp = signature.area(index + 1, y)
        else:
            seals = signature.seal_areas(index + 1, y)

    return Composition(_numbered(pages), seals[-1] if seals else None,
                       [n for n, page in enumerate(pages, 1) if page.scale < 1], seals,
                       special.document_info(doc, stamp), flow_pages)


def compose_attachments(attachments: tuple[Attachment, ...], numbered: bool = True) -> Composition:
    """Attachment pages on their own (annex forms sent or filed apart from their notice): each attachment
    starts a page with its label and title, tables repeat their header rows, pages are numbered."""
    with collector_paused():
        return _compose_attachments(attachments, numbered)


def _compose_attachments(attachments: tuple[Attachment, ...], numbered: bool) -> Composition:
    flows = [attachment_elements(attachment, numbered=numbered) for attachment in attachments]
    first = flows[0][0]
    paginator = Paginator(first.area.top, first.area)
    paginator.add_all(flows[0][1:])  # the first attachment needs no page break
    for flow in flows[1:]:
        paginator.add_all(flow)
    return Composition(_numbered(paginator.pages))


def _numbered(pages: list[PagePlan]) -> list[ComposedPage]:
    return [ComposedPage(page.items(), n if page.numbered else None, page.area,
                         page_number(n) if page.numbered else None) for n, page in enumerate(pages, 1)]
