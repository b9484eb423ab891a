"""Write docs/vocabularies.md from the ontology: every controlled value a case file or an output uses.

    python3 docs/generate.py          # rewrite the page
    python3 docs/generate.py --check  # exit status 1 when the page is stale (tests/test_contracts.py checks it)
"""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))

from sistercity_kg.dataset import load_ontology  # noqa: E402

PAGE = HOME / "docs" / "vocabularies.md"
USED = [("step", "`steps[].step` in a case file: the procedural steps"),
        ("record-status", "`steps[].record` in a case file"),
        ("instrument-kind", "`kind` in a case file: the legal kind judged"),
        ("party-kind", "`parties[].kind` in a case file"),
        ("level", "`parties[].level` in a case file"),
        ("field", "`fields` in a case file"),
        ("finding", "the keys of `facts` in a case file"),
        ("governing-law", "`governing-law` in a case file"),
        ("event-type", "`events[].event` in a case file"),
        ("grade", "the `grade` of a source"),
        ("status", "a condition's `status` in the assess output"),
        ("answer", "a test's `answer` in the assess output")]


def _text(g: Graph, node, prop, lang: str) -> str:
    for o in g.objects(node, prop):
        if getattr(o, "language", None) == lang:
            return " ".join(str(o).split()).replace("|", "\\|")
    return ""


def page() -> str:
    g = load_ontology(Graph())
    schemes: dict[str, list] = {}
    for c in g.subjects(RDF.type, SKOS.Concept):
        for s in g.objects(c, SKOS.inScheme):
            schemes.setdefault(str(s).rsplit("/", 1)[-1], []).append(c)
    out = ["# Controlled vocabularies", "",
           "The values a case file and the outputs use, with the labels and definitions the ontology gives them",
           "(`ontology/modules/vocabularies.ttl`; each value is the SKOS concept",
           "`https://w3id.org/sistercity-kg/id/vocab/<scheme>/<value>`). Generated from the ontology by",
           "`python3 docs/generate.py`; a test fails when this page is stale.", ""]
    for scheme, where in USED:
        out += [f"## `{scheme}`", "", f"Used in {where}.", "", "| value | label (en / id) | definition |", "|---|---|---|"]
        for c in sorted(schemes.get(scheme, []), key=str):
            value = str(c).rsplit("/", 1)[-1]
            out.append(f"| `{value}` | {_text(g, c, RDFS.label, 'en')} / {_text(g, c, RDFS.label, 'id')} | "
                       f"{_text(g, c, SKOS.definition, 'en')} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    text = page()
    if "--check" in sys.argv:
        sys.exit(0 if PAGE.exists() and PAGE.read_text(encoding="utf-8") == text else 1)
    PAGE.write_text(text, encoding="utf-8")
    print(PAGE)
