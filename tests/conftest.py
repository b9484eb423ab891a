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


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """An OpenLink Virtuoso server (Debian's virtuoso-opensource: virtuoso-t, isql-vt) on free loopback ports for the
    whole session, over a temporary database; skipped where Virtuoso is not installed (.ci/setup installs it)."""
    from sistercity_kg.serve import VirtuosoServer, virtuoso_binaries
    from sistercity_kg.sparql import StoreError

    try:
        virtuoso_binaries()
    except StoreError as exc:
        pytest.skip(f"Virtuoso is not installed ({exc})")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db", "127.0.0.1")
    server.start()
    yield server
    server.stop()


class StoreUnderTest:
    """A running store and the options that point a command at it (`--endpoint URL --store-profile NAME`)."""

    def __init__(self, name, server):
        self.name, self.server, self.url = name, server, server.query_url

    @property
    def args(self) -> list[str]:
        return ["--endpoint", self.url, "--store-profile", self.name]

    def __repr__(self):
        return self.name


STORES = ["oxigraph", "virtuoso"]


@pytest.fixture(scope="session", params=STORES)
def store(request):
    """Each store the store tests run against: the Oxigraph server, then Virtuoso (session-scoped servers)."""
    return StoreUnderTest(request.param, request.getfixturevalue(request.param))


@pytest.fixture(params=STORES)
def fresh_store(request, tmp_path):
    """A new, empty server of each kind for one test (stopped after it)."""
    from sistercity_kg.serve import OxigraphServer, VirtuosoServer

    if request.param == "virtuoso":
        from sistercity_kg.serve import virtuoso_binaries
        from sistercity_kg.sparql import StoreError

        try:
            virtuoso_binaries()
        except StoreError as exc:
            pytest.skip(f"Virtuoso is not installed ({exc})")
    server = (OxigraphServer if request.param == "oxigraph" else VirtuosoServer)(tmp_path / "db")
    server.start()
    yield StoreUnderTest(request.param, server)
    server.stop()
