"""FIBO-style hygiene: every query in ontology/hygiene/ returns nothing over the whole graph (not a sample)."""
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from sistercity_kg.hygiene import hygiene_queries, run_hygiene

QUERIES = hygiene_queries()


def test_there_are_hygiene_queries():
    names = {q.stem for q in QUERIES}
    assert {"missing-labels", "missing-definitions", "duplicate-labels", "undeclared-predicates",
            "undeclared-classes", "punning", "ontology-header"} <= names


@pytest.fixture(scope="module")
def results(union):
    return {r.name: r for r in run_hygiene(union)}


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_hygiene_query_returns_nothing(results, query):
    result = results[query.stem]
    assert result.rows == [], f"{query.stem}: {result.title}\n" + "\n".join(map(str, result.rows[:20]))


def test_hygiene_catches_a_typo(union):
    """The battery is not blind: a misspelt rdfs:Label and an undeclared sckg term are caught."""
    g = Graph()
    for t in union:
        g.add(t)
    g.add((URIRef("https://w3id.org/sistercity-kg/id/agreement/x"), URIRef(str(RDFS) + "Label"), Literal("x")))
    g.add((URIRef("https://w3id.org/sistercity-kg/id/agreement/x"),
           URIRef("https://w3id.org/sistercity-kg/ontology#signedOnn"), Literal("2016-11-18")))
    bad = {r.name: r.rows for r in run_hygiene(g)}
    flagged = {str(row[0]) for row in bad["undeclared-predicates"]}
    assert str(RDFS) + "Label" in flagged
    assert "https://w3id.org/sistercity-kg/ontology#signedOnn" in flagged


def test_every_term_the_code_shapes_and_queries_use_is_declared(union):
    """A term written in Python, a shape or a stored query but missing from the ontology is caught here, even
    when no data happens to use it yet."""
    import re

    from rdflib.namespace import OWL, RDF

    from sistercity_kg.paths import HOME

    declared = {str(s).split("#", 1)[1] for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                                  OWL.AnnotationProperty)
                for s in union.subjects(RDF.type, t) if str(s).startswith("https://w3id.org/sistercity-kg/ontology#")}
    used = set()
    for path in (HOME / "sistercity_kg").rglob("*.py"):
        used |= set(re.findall(r"SCKG\.(\w+)", path.read_text(encoding="utf-8")))
    for path in list((HOME / "ontology" / "shapes").glob("*.ttl")) + list((HOME / "queries").glob("*.rq")):
        used |= set(re.findall(r"sckg:(\w+)", path.read_text(encoding="utf-8")))
    assert used and sorted(used - declared) == []


def test_hygiene_holds_with_the_assessments_written_in():
    """The graph as it is exported and loaded carries the register's assessments: they obey the same hygiene."""
    from sistercity_kg.assess import assess
    from sistercity_kg.dataset import load

    kg = load()
    assess(kg)
    assess(kg, ["bogor-kisarazu-2016"], as_of="2024-01-01")
    results = {r.name: r.rows for r in run_hygiene(kg.union())}
    assert len(kg.layer("assessments")) > 1000
    assert results == {name: [] for name in results}
