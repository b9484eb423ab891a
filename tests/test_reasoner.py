"""OWL 2 DL: owlready2 loads ontology + data and HermiT finds it consistent; and it does catch inconsistency."""
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from sistercity_kg.namespaces import ID, SCKG
from sistercity_kg.reason import check_consistency, reasoner_copy

DATA_LAYERS = ("ontology", "sources", "legislation", "actors", "cases", "doctrine")


def test_ontology_and_data_are_consistent(kg):
    result = check_consistency(kg.union(*DATA_LAYERS))
    assert result.consistent, result.message
    assert result.triples > 1000


def test_dates_reach_the_reasoner_as_datetimes(kg):
    copy = reasoner_copy(kg.union(*DATA_LAYERS))
    dates = [o for o in copy.objects() if isinstance(o, Literal) and o.datatype == XSD.date]
    assert dates == []
    signing = ID["agreement/bogor-kisarazu-2016/signing"]
    assert Literal("2016-11-18T00:00:00", datatype=XSD.dateTime) in set(copy.objects(signing, SCKG.onDate))


def test_hermit_rejects_a_disjointness_breach(kg):
    g = kg.union("ontology")
    x = URIRef(str(ID) + "actor/test-both")
    g.add((x, RDF.type, SCKG.State))
    g.add((x, RDF.type, SCKG.Person))
    assert not check_consistency(g).consistent


def test_hermit_rejects_an_impossible_date(kg):
    g = kg.union("ontology")
    g.add((URIRef(str(ID) + "agreement/test/signing"), SCKG.onDate, Literal("2016-02-30", datatype=XSD.date)))
    assert not check_consistency(g).consistent
