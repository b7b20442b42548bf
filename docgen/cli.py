"""The docgen command: render records in-process, check PDFs against GB/T 9704."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docgen.problems import InvalidRecord


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
    from docgen.kinds import render_file

    failed = 0
    out = Path(args.output)
    for path, sub in _record_files(args.records):
        try:
            artifacts = render_file(path, draft=args.draft)
        except InvalidRecord as exc:
            failed += 1
            print(exc.report(), file=sys.stderr)
            continue
        for artifact in artifacts:
            written = artifact.write(out / sub)
            print(f"写出 {written}")
            for line in artifact.summary()[1:]:
                print(line)
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    from docgen.check.report import check_pdf

    worst = 0
    for path in args.pdfs:
        result = check_pdf(Path(path))
        print(result.text())
        worst = max(worst, 0 if result.passed else 1)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docgen", description="公文、附件表格、标牌的生成工具（GB/T 9704-2012）")
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="把记录文件（YAML）渲染为 DOCX 和 PDF")
    render.add_argument("records", nargs="+", help="记录文件或包含记录文件的文件夹")
    render.add_argument("-o", "--output", default="out", help="输出文件夹（默认 out/）")
    render.add_argument("--draft", action="store_true", help="草稿：加「草稿」水印，不加印章图片")
    render.set_defaults(func=cmd_render)

    check = sub.add_parser("check", help="逐条检查 PDF 是否符合 GB/T 9704-2012 版式")
    check.add_argument("pdfs", nargs="+")
    check.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
