"""Time a register of case files in the triple stores, and check the stores judge as the embedded engine does.

    python bench/stores.py CASE_DIR [--store oxigraph,virtuoso] [--timeout 600]

For each store (started here on 127.0.0.1 with a fresh database, stopped at the end): `load --endpoint`,
`load --case CASE_DIR --endpoint`, `assess --endpoint --format json` (every agreement the store holds), each timed;
then the embedded `assess --case CASE_DIR --format json`, timed once, and a comparison agreement by agreement of
the case files' statuses, messages and grades (the `engine` field aside). Prints one line per step.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))


def sckg(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "sistercity_kg", *args], capture_output=True, cwd=HOME)
    return time.monotonic() - started, proc


def by_id(output: bytes) -> dict[str, dict]:
    return {a["agreement"]: {k: v for k, v in a.items() if k != "engine"} for a in json.loads(output)}


def main() -> int:
    from sistercity_kg.serve import OxigraphServer, VirtuosoServer

    parser = argparse.ArgumentParser()
    parser.add_argument("cases")
    parser.add_argument("--store", default="oxigraph,virtuoso")
    parser.add_argument("--timeout", default="600")
    args = parser.parse_args()
    seconds, proc = sckg("assess", "--case", args.cases, "--format", "json")
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr.decode())
    embedded = by_id(proc.stdout)
    print(f"embedded assess --case: {seconds:.1f} s, {len(embedded)} agreements")
    for name in args.store.split(","):
        with tempfile.TemporaryDirectory(prefix=f"sckg-bench-{name}-") as tmp:
            server = (OxigraphServer if name == "oxigraph" else VirtuosoServer)(Path(tmp) / "db")
            with server:
                common = ["--endpoint", server.query_url, "--store-profile", name, "--timeout", args.timeout]
                for label, cmd in (("load", ["load", *common]), ("load --case", ["load", "--case", args.cases, *common]),
                                   ("assess --endpoint", ["assess", *common, "--format", "json"])):
                    seconds, proc = sckg(*cmd)
                    if proc.returncode not in (0, 1):
                        print(f"{name}: {label}: FAILED ({seconds:.1f} s): {proc.stderr.decode().strip()}")
                        break
                    print(f"{name}: {label}: {seconds:.1f} s")
                else:
                    remote = by_id(proc.stdout)
                    missing = sorted(set(embedded) - set(remote))
                    differ = sorted(a for a in embedded if a in remote and remote[a] != embedded[a])
                    print(f"{name}: {len(remote)} agreements judged; of the {len(embedded)} case files: "
                          f"{len(missing)} missing, {len(differ)} differ" + (f" (e.g. {differ[:3]})" if differ else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
