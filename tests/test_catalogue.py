"""The condition catalogue in docs/conditions.md is the one the shapes give, and it says what they say."""
from __future__ import annotations

from sistercity_kg import paths
from sistercity_kg.assess import catalogue_of
from sistercity_kg.docs import condition_catalogue

from .conftest import UPDATE_GOLDEN

DOC = paths.HOME / "docs" / "conditions.md"


def test_the_catalogue_in_the_repository_is_current(kg):
    text = condition_catalogue(kg)
    if UPDATE_GOLDEN:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "docs/conditions.md is stale: sistercity-kg docs --conditions-only --out docs"


def test_every_test_and_condition_is_in_the_catalogue_with_its_kind(kg):
    text = DOC.read_text(encoding="utf-8")
    catalogue = catalogue_of(kg)
    for test in catalogue.tests:
        assert f"## `{test.tid}` — {test.kind}" in text
    for cond in catalogue.conditions.values():
        assert f"| `{cond.cid}`<br>" in text
    for shape in catalogue.shapes:
        assert f"`{shape.iri.rsplit('/', 1)[-1]}`" in text, shape.iri


def test_the_fast_path_splices_only_groups_whose_filters_keep_their_meaning():
    """The fast path splices a bare group of triples and FILTERs into the group around it only where each FILTER
    reads variables the group's own triples bind; the spliced query gives the same solutions as the shape's."""
    import pyoxigraph as ox

    from sistercity_kg.assess.catalogue import _spliced

    store = ox.Store()
    store.load(b"""<urn:a> <urn:p> <urn:b> , <urn:c> . <urn:b> <urn:q> 1 . <urn:c> <urn:q> 2 . <urn:c> <urn:r> 3 .""",
               format=ox.RdfFormat.TURTLE)
    spliced = "SELECT * WHERE { { ?s <urn:p> ?o . ?o <urn:q> ?n FILTER(?n > 1) } OPTIONAL { ?o <urn:r> ?m } }"
    kept = {   # each keeps its group: a FILTER reading a variable bound outside it, a UNION branch, an OPTIONAL
        "SELECT * WHERE { ?o <urn:r> ?m { ?s <urn:p> ?o FILTER(BOUND(?m)) } }",
        "SELECT * WHERE { { ?s <urn:p> ?o } UNION { ?o <urn:q> ?n } }",
        "SELECT * WHERE { ?s <urn:p> ?o OPTIONAL { ?o <urn:r> ?m FILTER(?m > 2) } }",
    }

    def rows(q):
        result = store.query(q)
        names = [v.value for v in result.variables]
        return sorted(tuple(str(solution[n]) for n in names) for solution in result)

    assert "{" not in _spliced(spliced).split("WHERE {", 1)[1].split("OPTIONAL")[0]
    assert rows(_spliced(spliced)) == rows(spliced) and len(rows(spliced)) == 1
    for q in kept:
        assert _spliced(q) == q, q
