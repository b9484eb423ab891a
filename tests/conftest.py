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
    """Run a SELECT over the whole graph (prefixes sckg, id, voc, eli, … predeclared) → list of tuples of str."""

    def run(query: str) -> list[tuple]:
        return [tuple(None if v is None else str(v) for v in row) for row in union.query(sparql_prologue() + query)]

    return run
