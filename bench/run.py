"""Benchmark: `assess --case DIR` on N synthetic case files in every output format, and the pyshacl reference.

    python bench/run.py [--sizes 1000,10000,100000] [--formats summary,json,ndjson] [--reference 100]

For each size it generates N valid case files (bench/generate.py, a tenth of them renewing or implementing the
agreement of another file), then runs `sistercity-kg assess --case DIR --format F` (every test, as of signing) in a
fresh process for each format, and reports its wall time, the peak memory of its whole process tree (the parent
and its worker processes together, sampled from /proc every 100 ms) and, for NDJSON, when the first line came. On
the reference size it runs both engines on the same graph, reports their times and ratio, and checks that every
status of every condition of every test is the same. Numbers, not assertions: this is not a test.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))
sys.path.insert(0, str(HOME / "bench"))

from generate import generate  # noqa: E402


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total = 0
    for pid in rss:
        p = pid
        while p and p != root and p in parents:
            p = parents[p]
        if p == root:
            total += rss[pid]
    return total


def cli_run(folder: Path, fmt: str = "summary") -> tuple[float, float, float | None]:
    """Wall seconds, peak RSS of the process tree (MB) and, for NDJSON, seconds to the first line, of
    `sistercity-kg assess --case DIR --format F` in a fresh process (its output read and thrown away)."""
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "sistercity_kg", "assess", "--case", str(folder), "--format", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=HOME)
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            stop.wait(0.1)

    threading.Thread(target=sample, daemon=True).start()
    first = None
    fd = proc.stdout.fileno()
    for chunk in iter(lambda: os.read(fd, 1 << 20), b""):   # large reads: the harness takes little of the CPU
        if first is None and b"\n" in chunk:
            first = time.time() - start
    err = proc.stderr.read()
    rc = proc.wait()
    wall = time.time() - start
    stop.set()
    if rc not in (0, 1):
        raise SystemExit(f"assess failed ({rc}): {err.decode()[-500:]}")
    return wall, peak[0] / 2**20, first if fmt == "ndjson" else None


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
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--formats", default="summary,json,ndjson")
    ap.add_argument("--links", type=float, default=0.1, help="share of files linked to another file")
    ap.add_argument("--reference", type=int, default=100, help="size for the pyshacl comparison (0: skip)")
    args = ap.parse_args()
    formats = args.formats.split(",")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print("| agreements | " + " | ".join(f"`--format {f}` (wall, peak memory)" for f in formats)
          + (" | NDJSON first line |" if "ndjson" in formats else " |"))
    print("|---|" + "---|" * len(formats) + ("---|" if "ndjson" in formats else ""))
    with tempfile.TemporaryDirectory(prefix="sckg-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            folder = Path(tmp) / str(n)
            generate(n, folder, seed=n, links=args.links)
            cells, first = [], None
            for fmt in formats:
                wall, rss, line = cli_run(folder, fmt)
                cells.append(f"{wall:.1f} s, {rss:,.0f} MB")
                first = line if line is not None else first
            print(f"| {n:,} | " + " | ".join(cells) + (f" | {first:.1f} s |" if first is not None else " |"), flush=True)
            for p in folder.iterdir():
                p.unlink()
        if args.reference:
            folder = Path(tmp) / f"ref-{args.reference}"
            generate(args.reference, folder, seed=7)
            fast, ref, same, n = reference(folder)
            print(f"\nreference, N = {args.reference}: oxigraph {fast:.2f} s, pyshacl {ref:.1f} s, "
                  f"ratio {ref / fast:.0f}×; {n:,} condition statuses, identical: {same}")


if __name__ == "__main__":
    main()
