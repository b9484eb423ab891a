import os
from pathlib import Path

import pytest

from sistercity_kg.dataset import load
from sistercity_kg.namespaces import sparql_prologue

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE_GOLDEN = os.environ.get("SCKG_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def kg():
    return load()


@pytest.fixture(scope="session")
def union(kg):
    return kg.union()


@pytest.fixture(scope="session")
def ask(union):
    """Run a SELECT over the whole graph (prefixes sckg, id, voc, eli, … predeclared) → list of tuples of str.
    pyoxigraph runs it: the same SPARQL 1.1 answers as rdflib's engine, in a fraction of the time."""
    import pyoxigraph as ox

    from sistercity_kg.sparql import _from_oxigraph

    store = ox.Store()
    store.bulk_load(union.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)

    def run(query: str) -> list[tuple]:
        solutions = store.query(sparql_prologue() + query)
        names = list(solutions.variables)
        return [tuple(None if s[v] is None else str(_from_oxigraph(s[v])) for v in names) for s in solutions]

    return run


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free loopback port for the whole session (tests/test_store.py, test_remote.py).

    Each module loads what it needs (a load replaces every layer's graph); no test leaves other graphs behind."""
    from sistercity_kg.serve import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db", "127.0.0.1")
    server.start()
    yield server
    server.stop()
