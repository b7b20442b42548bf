"""`docgen submit | status | fetch | worker`: the queue's commands, registered into the docgen CLI through
the `docgen.commands` entry point (docgen itself imports nothing from workers)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from docgen.problems import InvalidRecord
from workers.artifacts import ArtifactError
from workers.client import QueueUnavailable, fetch, status, submit
from workers.store import STATE_LABELS, JobStatus


def _describe(state: JobStatus) -> list[str]:
    lines = [f"任务 {state.id}（{state.kind}，{state.name}）：{STATE_LABELS.get(state.state, state.state)}，"
             f"{state.finished_items}/{state.total} 项完成" + (f"，{state.failed} 项失败" if state.failed else "")]
    for item in state.items:
        if item.error:
            lines.append(f"  ✗ {item.label}：{item.error}")
    for artifact in state.artifacts:
        lines.append(f"  {artifact['filename']}（{artifact['size'] / 1024:.0f} KB）")
    if state.error and not state.items:
        lines.append(state.error)
    return lines


def _bar(state: JobStatus, width: int = 30) -> str:
    filled = int(width * state.finished_items / max(state.total, 1))
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {state.finished_items}/{state.total}"


def cmd_submit(args: argparse.Namespace) -> int:
    job_id = submit(args.kind, Path(args.record))
    print(f"已提交任务 {job_id}")
    if not args.wait:
        return 0
    while True:
        state = status(job_id)
        if sys.stderr.isatty():
            print(_bar(state), end="", file=sys.stderr, flush=True)
        if state.final:
            break
        time.sleep(0.2)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print("\n".join(_describe(state)))
    return 0 if state.state == "succeeded" else 1


def cmd_status(args: argparse.Namespace) -> int:
    print("\n".join(_describe(status(args.job))))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    for path in fetch(args.job, Path(args.output)):
        print(f"写出 {path}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from workers.app import app

    concurrency = args.concurrency or os.cpu_count() or 1
    argv = ["worker", "--loglevel", args.loglevel, "--concurrency", str(concurrency), "-Q", "docgen"]
    app.worker_main(argv)
    return 0


def _guarded(command):
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (QueueUnavailable, ArtifactError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except InvalidRecord as exc:
            print(exc.report(), file=sys.stderr)
            return 1
    return run


def register(sub) -> None:
    p = sub.add_parser("submit", help="把记录提交到队列（Redis），由工作进程渲染")
    p.add_argument("kind", help="文种，如 notice、plaque、plaque-batch")
    p.add_argument("record", help="记录文件（YAML）")
    p.add_argument("--wait", action="store_true", help="等待完成并显示进度")
    p.set_defaults(func=_guarded(cmd_submit))
    p = sub.add_parser("status", help="查看任务状态")
    p.add_argument("job")
    p.set_defaults(func=_guarded(cmd_status))
    p = sub.add_parser("fetch", help="取回任务的输出文件")
    p.add_argument("job")
    p.add_argument("-o", "--output", default="out")
    p.set_defaults(func=_guarded(cmd_fetch))
    p = sub.add_parser("worker", help="启动工作进程（默认并发数 = CPU 核数）")
    p.add_argument("--concurrency", type=int, default=0)
    p.add_argument("--loglevel", default="info")
    p.set_defaults(func=cmd_worker)
