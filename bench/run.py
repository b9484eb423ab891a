"""Benchmark: intake and assessment of N synthetic case files, and the pyshacl reference path for comparison.

    python bench/run.py [--sizes 100,1000,10000] [--reference 100] [--keep DIR]

For each size it generates N valid case files (bench/generate.py), then runs in a fresh process
`sistercity-kg assess --case DIR --format summary` (every test, as of signing) and reports the wall time and the
peak memory of that process, and, in process, the split between intake (reading and checking the files) and the
assessment. On the reference size it runs both engines on the same graph, reports their times and ratio, and checks
that every status of every condition of every test is the same. Numbers, not assertions: this is not a test.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))
sys.path.insert(0, str(HOME / "bench"))

from generate import generate  # noqa: E402


def cli_run(folder: Path, fmt: str = "summary") -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `sistercity-kg assess --case DIR` in a fresh process."""
    code = ("import resource, subprocess, sys, time; t = time.time(); "
            f"p = subprocess.run([sys.executable, '-m', 'sistercity_kg', 'assess', '--case', {str(folder)!r}, "
            f"'--format', {fmt!r}], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
            "w = time.time() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024; "
            "print(p.returncode, w, r); sys.stderr.write(p.stderr.decode()[-500:])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=HOME)
    rc, wall, rss = out.stdout.split()
    if rc not in ("0", "1"):
        raise SystemExit(f"assess failed ({rc}): {out.stderr}")
    return float(wall), float(rss)


def split(folder: Path) -> tuple[float, float, int]:
    from sistercity_kg.assess import assess
    from sistercity_kg.dataset import expand_case_paths, load

    files = expand_case_paths([folder])
    t = time.time()
    kg = load(case_files=files)
    intake = time.time() - t
    ids = [kg.case_ids[str(f)] for f in files]
    t = time.time()
    assess(kg, ids, write=False)
    return intake, time.time() - t, len(ids)


def reference(folder: Path) -> tuple[float, float, bool, int]:
    from sistercity_kg.assess import assess
    from sistercity_kg.dataset import expand_case_paths, load

    files = expand_case_paths([folder])
    kg = load(case_files=files)
    ids = [kg.case_ids[str(f)] for f in files]
    times, statuses = {}, {}
    for engine in ("oxigraph", "pyshacl"):
        t = time.time()
        results = assess(kg, ids, engine=engine, write=False)
        times[engine] = time.time() - t
        statuses[engine] = [(a.question.aid, tr.test.tid, c.cid, c.status)
                            for a in results for tr in a.tests for c in tr.conditions]
    same = statuses["oxigraph"] == statuses["pyshacl"]
    return times["oxigraph"], times["pyshacl"], same, len(statuses["oxigraph"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--reference", type=int, default=100, help="size for the pyshacl comparison (0: skip)")
    ap.add_argument("--json", action="store_true", help="also time --format json at each size")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print("| N | assess --case DIR (wall, s) | peak RSS (MB) | intake (s) | assessment (s) |"
          + (" json (wall, s) |" if args.json else ""))
    print("|---|---|---|---|---|" + ("---|" if args.json else ""))
    with tempfile.TemporaryDirectory(prefix="sckg-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            folder = Path(tmp) / str(n)
            generate(n, folder, seed=n)
            wall, rss = cli_run(folder)
            intake, assessment, _ = split(folder)
            extra = f" {cli_run(folder, 'json')[0]:.1f} |" if args.json else ""
            print(f"| {n:,} | {wall:.1f} | {rss:.0f} | {intake:.1f} | {assessment:.1f} |{extra}", flush=True)
        if args.reference:
            folder = Path(tmp) / f"ref-{args.reference}"
            generate(args.reference, folder, seed=7)
            fast, ref, same, n = reference(folder)
            print(f"\nreference, N = {args.reference}: oxigraph {fast:.2f} s, pyshacl {ref:.1f} s, "
                  f"ratio {ref / fast:.0f}×; {n:,} condition statuses, identical: {same}")


if __name__ == "__main__":
    main()
