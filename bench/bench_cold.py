"""Benchmark: a cold `docgen render` of the seed notice (a fresh Python process writing its PDF and DOCX)
against a cold LibreOffice converting docgen's DOCX of the same record to PDF (a fresh process with a fresh
user profile each run) — both measured in this run, interleaved so a busy machine slows both alike.

    .venv/bin/python bench/bench_cold.py [--runs 5] [--record samples/notices/jiaozuo-2021-135.yaml]
                                         [--baseline DIR]

Prints the medians and their ratio. Target: docgen ≤ 0.5× LibreOffice. docgen is timed as installed: its
modules' bytecode cached (in a private PYTHONPYCACHEPREFIX, primed by one unmeasured run); the line
"no bytecode" times it compiling its own modules at every start, as under PYTHONDONTWRITEBYTECODE=1.
``--baseline DIR``: also time another checkout of docgen the same way (e.g. the last commit:
``mkdir DIR && git archive HEAD | tar -x -C DIR``), run from DIR with this virtual environment.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docgen.fonts.config import FONTCONFIG_FILE

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "notices" / "jiaozuo-2021-135.yaml"


def docgen_cold(record: Path, out: Path, env: dict, checkout: Path = ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(record), "-o", str(out)],
                          capture_output=True, text=True, env={**env, "PYTHONPATH": str(checkout)}, cwd=checkout,
                          timeout=600)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"docgen render failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def libreoffice_cold(docx: Path, tmp: Path, run: int) -> float:
    profile = tmp / f"lo-profile-{run}"
    start = time.perf_counter()
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(tmp / f"lo-{run}"), str(docx)], check=True,
                   capture_output=True, env={**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}, timeout=600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--record", type=Path, default=SEED)
    parser.add_argument("--baseline", type=Path, help="another docgen checkout to time beside this one")
    args = parser.parse_args()
    record = args.record.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as name:
        tmp = Path(name)
        cached = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        cached.pop("PYTHONDONTWRITEBYTECODE", None)
        uncached = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # third-party packages keep their bytecode
        uncached.pop("PYTHONPYCACHEPREFIX", None)
        docgen_cold(record, tmp / "prime", cached)  # writes the bytecode, and the DOCX LibreOffice converts
        docx = tmp / "prime" / f"{record.stem}.docx"
        times: dict[str, list[float]] = {"docgen": [], "docgen, no bytecode": [], "LibreOffice": []}
        if args.baseline:
            baseline = args.baseline.resolve()
            times["baseline"] = []
            docgen_cold(record, tmp / "prime-baseline", cached, baseline)
        for run in range(args.runs):
            times["docgen"].append(docgen_cold(record, tmp / f"out-{run}", cached))
            times["LibreOffice"].append(libreoffice_cold(docx, tmp, run))
            times["docgen, no bytecode"].append(docgen_cold(record, tmp / f"raw-{run}", uncached))
            if args.baseline:
                times["baseline"].append(docgen_cold(record, tmp / f"base-{run}", cached, baseline))
    medians = {what: statistics.median(values) for what, values in times.items()}
    lo = medians["LibreOffice"]
    print(f"cold render of {record.name} (PDF + DOCX), median of {args.runs} fresh processes each:")
    for what, median in medians.items():
        spread = f"{min(times[what]):.2f}–{max(times[what]):.2f} s"
        ratio = "" if what == "LibreOffice" else f"   {median / lo:.2f}× LibreOffice"
        print(f"  {what:<22} {median:6.2f} s  ({spread}){ratio}")
    verdict = "met" if medians["docgen"] <= 0.5 * lo else "NOT met"
    print(f"target docgen ≤ 0.5× a cold LibreOffice conversion: {verdict} ({medians['docgen'] / lo:.2f}×)")


if __name__ == "__main__":
    main()
