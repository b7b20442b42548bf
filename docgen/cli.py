"""The docgen command: render records in-process, check PDFs against GB/T 9704."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from pathlib import Path

from docgen.problems import InvalidRecord
from docgen.progress import Progress

# docgen uses no pydantic plugins: a cold command skips pydantic's scan of every installed package's entry points
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _record_files(paths: list[str]) -> list[tuple[Path, Path]]:
    """(record file, its folder relative to the argument) for files and folders of *.yaml records."""
    found = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found += [(f, f.parent.relative_to(p)) for f in sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))]
        else:
            found.append((p, Path(".")))
    return found


def cmd_render(args: argparse.Namespace) -> int:
    """Renders each record; the cyclic garbage collector is off meanwhile. A render makes little cyclic
    garbage (a 300-plaque batch peaks at the same memory without it), while the collector's passes over
    the modules a cold start loads cost it a tenth of its time."""
    from docgen.render import forked

    gc.disable()
    forked.ready(_docx_side)  # before the record is read: the helper's imports overlap this process's
    try:
        return _render_records(args, forked)
    finally:
        forked.dismiss()
        gc.enable()


def _docx_side() -> None:
    """What a forked helper loads while this process reads and lays out a record: the DOCX writer and what
    a 公文 it is sent holds (record models, a plaque figure's PNG writer)."""
    import docgen.docx.document  # noqa: F401
    import docgen.plaques.art  # noqa: F401  (a plaque figure's PNG)


def _render_records(args: argparse.Namespace, forked) -> int:
    from docgen.kinds import render_file

    failed = 0
    out = Path(args.output)
    seal = None
    if args.seal:
        seal = Path(args.seal).read_bytes() if Path(args.seal).is_file() else None
        if seal is None or not seal.startswith(b"\x89PNG"):
            print(f"{args.seal}：印章图片应为 PNG 文件（透明背景）", file=sys.stderr)
            return 2
    root = Path(args.include_root) if args.include_root else None
    if root is not None and not root.is_dir():
        print(f"--include-root {args.include_root}：引用根目录应为已存在的文件夹", file=sys.stderr)
        return 2
    if args.templates and not Path(args.templates).is_dir():
        print(f"--templates {args.templates}：单位模板文件夹应为已存在的文件夹", file=sys.stderr)
        return 2
    files = _record_files(args.records)
    records = Progress(len(files), "记录 ") if len(files) > 1 else None
    for n, (path, sub) in enumerate(files):
        if n:
            forked.ready(_docx_side)  # a fresh helper for each record (a helper serves one 公文)
        try:
            artifacts = render_file(path, include_root=root, draft=args.draft, progress=Progress(what=f"{path.name} "),
                                    **({"seal_image": seal} if seal else {}),
                                    **({"pdf_engine": args.pdf_engine} if args.pdf_engine else {}),
                                    **({"templates": args.templates} if args.templates else {}))
        except InvalidRecord as exc:
            failed += 1
            print(exc.report(), file=sys.stderr)
            artifacts = []
        _write(artifacts, out / sub)
        if records:
            records.step(path.name, failed=not artifacts)
    return 1 if failed else 0


def _write(artifacts, folder: Path) -> None:
    for artifact in artifacts:
        print(f"写出 {artifact.write(folder)}")
        for line in artifact.summary()[1:]:
            print(line)


def cmd_check(args: argparse.Namespace) -> int:
    from docgen.check.report import check_pdf

    worst = 0
    for path in args.pdfs:
        if not Path(path).is_file():
            print(f"{path}：文件不存在", file=sys.stderr)
            worst = 2
            continue
        try:
            result = check_pdf(Path(path))
        except Exception as exc:  # a damaged or non-PDF file: say so, no traceback
            print(f"{path}：无法读取为 PDF（{type(exc).__name__}）", file=sys.stderr)
            worst = 2
            continue
        print(result.text())
        worst = max(worst, 0 if result.passed else 1)
    return worst


def cmd_plaques(args: argparse.Namespace) -> int:
    """A station list (CSV/XLSX/YAML) → one plaque-batch ZIP, rendered in-process through the registry."""
    from docgen.kinds import render_data
    from docgen.plaques.batch import batch_from_table

    try:
        record = batch_from_table(args.stations, title=args.title, variant=args.variant, size=args.size,
                                  scheme=args.scheme, text_as=args.text_as, sheet=args.sheet, proof_dpi=args.dpi)
        artifacts = render_data(record, Path(args.stations).stem)
    except InvalidRecord as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for artifact in artifacts:
        print(f"写出 {artifact.write(Path(args.output))}（{artifact.facts.get('plaques', 0)} 块）")
        for warning in artifact.warnings:
            print(f"  警告：{warning}")
    return 1 if any(a.facts.get("failed") for a in artifacts) else 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    """The folder's district files → a ``consolidation`` record, rendered through the registry. The folder is
    the operator's own argument, so it is the include root."""
    from docgen.kinds import render_data
    from docgen.annexes.includes import expand

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"{folder}：文件夹不存在", file=sys.stderr)
        return 2
    try:
        record = expand({"kind": "consolidation", "submissions_folder": "."}, folder, folder, source=str(folder))
        print(f"导入 {len(record['submissions'])} 个单位的报送")
        artifacts = render_data(record, folder.name)
    except InvalidRecord as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    _write(artifacts, Path(args.output))
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    from docgen.kinds import render_data

    _write(render_data({"kind": "blank-forms"}, "blank-forms"), Path(args.output))
    return 0


def _template_folder(folder: str | None) -> tuple[Path | None, int]:
    """The bureau's template folder to list or check (the argument, else DOCGEN_TEMPLATES's), and an exit
    status when it cannot be used."""
    from docgen.docx.template import bureau_folder

    if folder is not None and not Path(folder).is_dir():
        print(f"{folder}：单位模板文件夹应为已存在的文件夹", file=sys.stderr)
        return None, 2
    try:
        return bureau_folder(folder), 0
    except InvalidRecord as exc:
        print(exc.problems[0].message(), file=sys.stderr)
        return None, 2


def cmd_templates_list(args: argparse.Namespace) -> int:
    """Which DOCX template the renderer uses for each name, and where it comes from."""
    from docgen.docx.template_check import sources

    folder, status = _template_folder(args.folder)
    if status:
        return status
    print(f"单位模板文件夹：{folder}" if folder else "未配置单位模板文件夹（DOCGEN_TEMPLATES 或 --templates），全部使用内置模板")
    for name, origin, path in sources(folder):
        print(f"{name}\t{origin}\t{path}")
    return 0


def cmd_templates_check(args: argparse.Namespace) -> int:
    """Each template in the bureau's folder against what the renderer needs; 1 when any has an error."""
    from docgen.docx.template import TEMPLATE_NAMES, TEMPLATES
    from docgen.docx.template_check import check_folder

    folder, status = _template_folder(args.folder)
    if status:
        return status
    if folder is None:
        print("未配置单位模板文件夹（DOCGEN_TEMPLATES 或 docgen templates check DIR），检查内置模板")
        folder = TEMPLATES
    checked, findings = check_folder(folder)
    for finding in findings:
        print(finding.line())
    if not checked:
        print(f"{folder}：没有 docgen 使用的模板（{'、'.join(TEMPLATE_NAMES)}），全部使用内置模板")
    errors = sum(f.error for f in findings)
    for name in checked:
        mine = [f for f in findings if f.file == name]
        counts = f"{sum(f.error for f in mine)} 处错误，{sum(not f.error for f in mine)} 处警告"
        print(f"{folder / name}：{'不可用' if any(f.error for f in mine) else '可用'}（{counts}）")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docgen", description="公文、附件表格、标牌的生成工具（GB/T 9704-2012）")
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="把记录文件（YAML）渲染为 DOCX 和 PDF")
    render.add_argument("records", nargs="+", help="记录文件或包含记录文件的文件夹")
    render.add_argument("-o", "--output", default="out", help="输出文件夹（默认 out/）")
    render.add_argument("--draft", action="store_true", help="草稿：加「草稿」水印，不加印章图片")
    render.add_argument("--seal", help="经授权的印章图片（PNG，透明背景），放入盖章版式的印章区")
    render.add_argument("--pdf-engine", choices=["direct", "weasyprint"],
                        help="公文 PDF 的绘制方式：direct 直接绘制（默认，快）/ weasyprint 经 WeasyPrint 绘制（参照）")
    render.add_argument("--include-root", metavar="DIR",
                        help="记录引用的文件（application_file、submissions_folder）只能在此文件夹之内（默认：当前文件夹）")
    render.add_argument("--templates", metavar="DIR",
                        help="单位自己的 DOCX 模板文件夹，其中同名文件优先于内置模板（默认：环境变量 DOCGEN_TEMPLATES）")
    render.set_defaults(func=cmd_render)

    check = sub.add_parser("check", help="逐条检查 PDF 是否符合 GB/T 9704-2012 版式")
    check.add_argument("pdfs", nargs="+")
    check.set_defaults(func=cmd_check)

    plaques = sub.add_parser("plaques", help="按站点清单（CSV/XLSX/YAML，如附件2）批量制作工作站标牌")
    plaques.add_argument("stations", help="站点清单文件：须有「站名」列，可有「序号」「所属辖区局」「样式」列")
    plaques.add_argument("-o", "--output", default="out", help="输出文件夹（默认 out/）")
    plaques.add_argument("--title", help="批次名称（签样标题、ZIP 文件名）")
    plaques.add_argument("--variant", choices=["general", "contact"], help="general 一般工作站（默认）/ contact 联系点")
    plaques.add_argument("--size", help="成品尺寸 宽x高 毫米（默认 600x400；亦可 400x300）")
    plaques.add_argument("--scheme", choices=["red", "black", "gold"], help="配色：red 红字标题（默认）/ black / gold 钛金底")
    plaques.add_argument("--text-as", choices=["outlines", "fonts"], help="文字：outlines 转曲（默认）/ fonts 嵌入字体")
    plaques.add_argument("--sheet", help="拼版幅面：A0…A3、SRA3、宽x高 或 roll:宽（默认 1220x2440）")
    plaques.add_argument("--dpi", type=int, help="校样 PNG 分辨率（默认 150）")
    plaques.set_defaults(func=cmd_plaques)

    consolidate = sub.add_parser("consolidate", help="导入各区局报送的附件2–6（.xlsx/.csv/.yaml），汇总为全市表格")
    consolidate.add_argument("folder")
    consolidate.add_argument("-o", "--output", default="out")
    consolidate.set_defaults(func=cmd_consolidate)

    forms = sub.add_parser("forms", help="写出随通知下发的附件1–6 空白表（PDF、DOCX、Excel）")
    forms.add_argument("-o", "--output", default="out")
    forms.set_defaults(func=cmd_forms)

    templates = sub.add_parser("templates", help="单位自己的 DOCX 模板：列出来源，检查是否可用")
    templates_sub = templates.add_subparsers(dest="templates_command", required=True)
    listing = templates_sub.add_parser("list", help="列出渲染器所用的每个 DOCX 模板及其来源（单位模板或内置模板）")
    listing.add_argument("folder", nargs="?", help="单位模板文件夹（默认：环境变量 DOCGEN_TEMPLATES）")
    listing.set_defaults(func=cmd_templates_list)
    check_templates = templates_sub.add_parser("check", help="检查单位模板缺少的标签、样式，页面设置、文档网格和字体")
    check_templates.add_argument("folder", nargs="?", help="单位模板文件夹（默认：环境变量 DOCGEN_TEMPLATES）")
    check_templates.set_defaults(func=cmd_templates_check)

    argv = sys.argv[1:] if argv is None else argv
    if next((a for a in argv if not a.startswith("-")), None) not in sub.choices:
        _add_plugin_commands(sub)  # e.g. the queue's submit/status/fetch/worker (and for `docgen --help`)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `docgen check … | head`: the reader has gone; nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _add_plugin_commands(sub) -> None:
    """Commands other packages add through the ``docgen.commands`` entry point; loaded only when the command
    asked for is not docgen's own, so `docgen render` imports nothing of theirs (the queue's Redis client)."""
    from importlib.metadata import entry_points

    for command in entry_points(group="docgen.commands"):
        command.load()(sub)


def run() -> None:
    """The `docgen` command: `main`, then out of the process without tearing the interpreter down. Every
    file is written and closed by then, and unloading hundreds of modules with their objects would add a
    tenth of a second to a cold render."""
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader has gone, or the stream is closed
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
