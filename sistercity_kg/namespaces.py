"""IRIs and prefixes: the public identifiers of the graph (README.md, "Identifiers")."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

class CachedNamespace(Namespace):
    """A namespace whose terms are made once: the intake asks for the same dozen terms millions of times."""

    _terms: dict = {}

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        key = (str(self), name)
        term = CachedNamespace._terms.get(key)
        if term is None:
            term = CachedNamespace._terms[key] = Namespace.__getattr__(self, name)
        return term


BASE = "https://w3id.org/sistercity-kg/"
SCKG = CachedNamespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
ID = Namespace(BASE + "id/")
VOC = Namespace(BASE + "id/vocab/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")

#: The layers of the dataset, each its own named graph, in load order.
LAYERS = ("ontology", "shapes", "sources", "legislation", "actors", "cases", "doctrine", "assessments")

#: One prefix per controlled vocabulary, so queries can say grade:primary, status:not-evidenced, step:dprd-approval.
VOCAB_PREFIXES = {
    "grade": "grade", "record": "record-status", "step": "step", "field": "field", "status": "status",
    "answer": "answer", "level": "level", "partykind": "party-kind", "kind": "instrument-kind",
    "rank": "hierarchy-rank", "organ": "organ-role", "relstatus": "relation-status", "lifecycle": "lifecycle",
}

PREFIXES = {
    "sckg": SCKG, "id": ID, "voc": VOC, "eli": ELI, "org": ORG, "prov": PROV, "time": TIME, "skos": SKOS,
    "dct": DCTERMS, "schema": SCHEMA, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "sh": SH, "wd": WD,
    **{prefix: Namespace(f"{VOC}{scheme}/") for prefix, scheme in VOCAB_PREFIXES.items()},
}


def graph_iri(layer: str):
    return GRAPH[layer]


@lru_cache(maxsize=4096)
def vocab(scheme: str, value: str):
    """The IRI of a controlled value, e.g. vocab('field', 'tourism')."""
    return VOC[f"{scheme}/{value}"]


def legislation(path: str):
    return ID["legislation/" + path.strip("/")]


def bind_prefixes(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
