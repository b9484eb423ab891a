"""Stage 2, reason: OWL 2 DL consistency of ontology + instance data with HermiT (through owlready2).

HermiT refuses literals outside the OWL 2 datatype map, xsd:date among them. So that the check still covers
every instance, the reasoner's copy carries each xsd:date as the xsd:dateTime at the start of that day (and
each xsd:date range as xsd:dateTime): a malformed date then still makes the data inconsistent.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, XSD


@dataclass
class Consistency:
    consistent: bool
    triples: int
    message: str


def reasoner_copy(graph: Graph) -> Graph:
    """The graph as HermiT can read it: dates as dateTimes, no owl:imports (everything is merged already)."""
    out = Graph()
    for s, p, o in graph:
        if p == OWL.imports:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        elif o == XSD.date:
            o = XSD.dateTime
        if s == XSD.date:
            continue
        out.add((s, p, o))
    # one ontology header, so owlready2 sees one ontology
    return out


def check_consistency(graph: Graph) -> Consistency:
    """Run HermiT on the graph; needs a Java runtime (`java` on the PATH)."""
    if shutil.which("java") is None:
        raise RuntimeError("HermiT needs a Java runtime: install one (apt-get install -y default-jre-headless)")
    import owlready2

    copy = reasoner_copy(graph)
    with tempfile.TemporaryDirectory(prefix="sckg-hermit-") as tmp:
        path = Path(tmp) / "merged.owl"
        copy.serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return Consistency(False, len(copy), f"inconsistent: {exc}")
        except owlready2.OwlReadyJavaError as exc:
            # an ill-typed literal (a date that does not exist) makes the ontology inconsistent in OWL 2
            if "MalformedLiteralException" not in str(exc):
                raise
            detail = str(exc).split("MalformedLiteralException:", 1)[1].splitlines()[0].strip()
            return Consistency(False, len(copy), f"inconsistent: {detail}")
        finally:
            world.close()
    return Consistency(True, len(copy), "consistent")
