"""The condition catalogue: every legal test, its kind and window, every condition with its articles, what makes
it satisfied, and which shape makes it violated, not evidenced or not applicable — written as Markdown from the
shapes themselves (ontology/shapes/*.ttl), so the documentation and the law cannot drift apart.

    from sistercity_kg.catalogue import condition_catalogue
    text = condition_catalogue()          # the text of docs/conditions.md (a test keeps that file current)
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined
from rdflib import URIRef
from rdflib.namespace import RDFS

from .assess import Catalogue, Shape, catalogue_of, provision_order
from .namespaces import SCKG, SH

OUTCOMES = ("violated", "not-evidenced", "not-applicable")


@dataclass
class Row:
    outcome: str
    when: dict[str, str]          # the shape's sh:name, per language
    articles: str
    shape: str
    precedence: int


def _cite(labels: dict, provisions) -> str:
    ordered = sorted(map(str, provisions), key=provision_order)
    return "; ".join(labels.get(p, {}).get("en", p.rsplit("/legislation/", 1)[-1]) for p in ordered)


def _row(catalogue: Catalogue, labels: dict, shape: Shape) -> Row:
    g = catalogue.graph
    names = {o.language: str(o) for o in g.objects(URIRef(shape.iri), SH.name)}
    return Row(shape.outcome, names, _cite(labels, shape.provisions), shape.iri.rsplit("/", 1)[-1], shape.precedence)


def collect(kg) -> dict:
    """What the catalogue shows, read from the shapes and the legislation layer."""
    catalogue = catalogue_of(kg)
    g = catalogue.graph
    labels: dict[str, dict[str, str]] = {}
    for s, o in kg.layer("legislation").subject_objects(SCKG.citationLabel):
        labels.setdefault(str(s), {})[o.language] = str(o)
    tests = []
    for test in catalogue.tests:
        fw = URIRef(test.framework)
        window = {"from": g.value(fw, SCKG.inForceFrom) or g.value(fw, SCKG.notBefore),
                  "from_exact": g.value(fw, SCKG.inForceFrom) is not None, "until": g.value(fw, SCKG.inForceUntil)}
        whole = sorted((s for s in catalogue.shapes if test.iri in s.tests), key=lambda s: s.rank)
        conditions = []
        for c_iri in test.conditions:
            cond = catalogue.conditions[c_iri]
            own = [s for s in catalogue.shapes if c_iri in s.conditions]
            rows = [_row(catalogue, labels, s)
                    for s in sorted(own, key=lambda s: (OUTCOMES.index(s.outcome), s.rank))]
            conditions.append({"id": cond.cid, "label": cond.labels, "articles": _cite(labels, cond.provisions),
                               "satisfied": cond.satisfied, "rows": rows,
                               "evidence": ", ".join(cond.evidence) or "—"})
        tests.append({"id": test.tid, "kind": test.kind, "label": test.labels, "question": test.questions,
                      "framework": {o.language: str(o) for o in g.objects(fw, RDFS.label)}, "window": window,
                      "articles": _cite(labels, g.objects(URIRef(test.iri), SCKG.citesProvision)),
                      "whole": [_row(catalogue, labels, s) for s in whole], "conditions": conditions})
    return {"tests": tests, "n_conditions": len(catalogue.conditions), "n_shapes": len(catalogue.shapes)}


def condition_catalogue(kg=None) -> str:
    """docs/conditions.md, generated from the shapes (English, with the Indonesian names beside them)."""
    if kg is None:
        from .dataset import load
        kg = load()
    env = Environment(loader=PackageLoader("sistercity_kg", "templates"), undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("conditions.md.j2").render(**collect(kg))
