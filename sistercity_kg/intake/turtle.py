"""Turtle files beside the YAML: parsed as they are, with syntax errors and undeclared terms reported by line."""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..errors import InputError
from ..namespaces import SCKG

_LINE = re.compile(r"at line (\d+)")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual,
                RDF.Property)


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    graph = graph if graph is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises BadSyntax and others; all mean "this file is not valid Turtle"
        text = str(exc)
        m = _LINE.search(text)
        reason = text.split(":", 1)[-1].strip().splitlines()[0] if ":" in text else text
        raise InputError(path, int(m.group(1)) if m else None, f"malformed Turtle: {reason[:200]}") from None
    return graph


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in DECLARATIONS for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}


def check_declared(path: Path, graph: Graph, declared: set[URIRef]) -> None:
    """Every ontology term a data file uses (as predicate or class) must be declared in the ontology."""
    used = set()
    for s, p, o in graph:
        if str(p).startswith(str(SCKG)):
            used.add(p)
        if p == RDF.type and str(o).startswith(str(SCKG)):
            used.add(o)
    missing = sorted(t for t in used if t not in declared)
    if missing:
        term = missing[0]
        local = str(term)[len(str(SCKG)):]
        line = None
        for n, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if re.search(rf"(?<![\w-]){re.escape(local)}(?![\w-])", text):
                line = n
                break
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(path, line, f"undeclared term sckg:{local}{more}: expected a term of the ontology")
