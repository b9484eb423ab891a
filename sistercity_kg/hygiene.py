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
    """Every hygiene query over `graph`, run by pyoxigraph (a second, where rdflib's engine takes ten); rows of
    rdflib terms."""
    import pyoxigraph as ox

    from .sparql import _from_oxigraph

    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    results = []
    for path in hygiene_queries(folder):
        text = path.read_text(encoding="utf-8")
        solutions = store.query(text)
        names = list(solutions.variables)
        rows = [tuple(_from_oxigraph(s[v]) for v in names) for s in solutions]
        results.append(HygieneResult(path.stem, _title(text), rows))
    return results
