"""Hygiene queries (FIBO's pattern): each file in ontology/hygiene/ must return no row over the whole graph."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import paths


@dataclass
class HygieneResult:
    name: str
    title: str
    rows: list[tuple]


def hygiene_queries(folder: Path | None = None) -> list[Path]:
    return sorted(Path(folder or paths.HYGIENE_DIR).glob("*.rq"))


def _title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def run_hygiene(graph: Graph, folder: Path | None = None) -> list[HygieneResult]:
    results = []
    for path in hygiene_queries(folder):
        text = path.read_text(encoding="utf-8")
        rows = [tuple(row) for row in graph.query(text)]
        results.append(HygieneResult(path.stem, _title(text), rows))
    return results
