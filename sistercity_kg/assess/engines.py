"""The two engines over the same shapes: the fast path (each shape's SPARQL once over all assessments, in
pyoxigraph) and the reference path (pyshacl). Both give, per (assessment, shape) that reported, its messages; when a
shape reports several solutions on one assessment, both keep the same one (`_first`)."""
from __future__ import annotations

import contextlib
import re
from collections import defaultdict

from rdflib import Graph
from rdflib.namespace import RDF

from ..namespaces import SCKG, SH
from .catalogue import Catalogue, Shape

_VAR = re.compile(r"\{\?(\w+)\}")


Fired = dict  # (assessment IRI, shape IRI) → {lang: message}


def _first(candidates) -> dict[str, str]:
    """Of the messages one shape gave one assessment (one per solution of its query), the one every engine picks:
    the first in the order of its English text, then its Indonesian text."""
    return min(candidates, key=lambda msg: (msg.get("en", ""), msg.get("id", "")))


def _compiled(shape: Shape) -> tuple[list[str], dict[str, str]]:
    """A shape's message templates as str.format strings over the variables they name (in that order)."""
    names: list[str] = []
    formats = {}
    for lang, template in shape.messages.items():
        parts = _VAR.split(template)
        out = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                out.append(part.replace("{", "{{").replace("}", "}}"))
            else:
                if part not in names:
                    names.append(part)
                out.append("{%d}" % names.index(part))
        formats[lang] = "".join(out)
    return names, formats


def run_oxigraph(store, catalogue: Catalogue, graphs: list | None = None, shapes: list[Shape] | None = None,
                 queries: dict[str, str | None] | None = None, threads: int = 2) -> Fired:
    """The fast path: each shape's query once, over all assessments at once, in a pyoxigraph store (over the union
    of `graphs` where given). Only the variables its messages name are read from each solution. `shapes`: only
    these (default: all the catalogue's); `queries`: shape IRI → the query to run instead of its own (None: the
    shape is not run). `threads`: queries run at once (pyoxigraph evaluates outside the GIL; one where the cores
    are already busy with other processes: a second thread then only costs time)."""
    from concurrent.futures import ThreadPoolExecutor

    def run(shape: Shape):
        query = queries.get(shape.iri, shape.query) if queries else shape.query
        result = store.query(query, default_graph=graphs) if graphs else store.query(query)
        names, formats = _compiled(shape)
        variables = [v.value for v in result.variables]
        at = [variables.index(n) if n in variables else None for n in names]   # a name not selected is filled with ""
        this = variables.index("this")
        rows = []
        for row in result:
            terms = list(row)
            rows.append((terms[this].value, ["" if i is None or terms[i] is None else terms[i].value for i in at]))
        return shape, formats, rows

    found: dict[tuple, list] = defaultdict(list)
    chosen = [s for s in (catalogue.shapes if shapes is None else shapes)
              if not queries or queries.get(s.iri, True) is not None]
    with ThreadPoolExecutor(max_workers=threads) if threads > 1 else contextlib.nullcontext() as pool:
        for shape, formats, rows in (pool.map(run, chosen) if pool is not None else map(run, chosen)):
            for node, values in rows:
                found[(node, shape.iri)].append({lang: f.format(*values) for lang, f in formats.items()})
    return {key: _first(candidates) if len(candidates) > 1 else candidates[0] for key, candidates in found.items()}


def _template_pattern(template: str) -> re.Pattern:
    """A message template as a pattern that matches the messages filled from it."""
    parts = _VAR.split(template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else "(.*)" for i, p in enumerate(parts)) + r"\Z", re.S)


@contextlib.contextmanager
def _prepared_queries():
    """pyshacl hands rdflib the same few query texts for every focus node; parse each once (the evaluation is
    rdflib's, unchanged). Parsing was two thirds of the reference path's time."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    cache: dict = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(q, str):
            key = (q, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(q), base, initNs)
            q = cache[key]
        return original(self, q, initBindings or {}, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def run_pyshacl(data: Graph, catalogue: Catalogue) -> Fired:
    """The reference path: pyshacl over the same data and shapes. pyshacl fills the {?variables} of an
    sh:sparql constraint's messages but drops their language tags, so each message is given back its language by
    the template it was filled from."""
    import pyshacl

    with _prepared_queries():
        _, report, _ = pyshacl.validate(data, shacl_graph=catalogue.graph, advanced=True, inference="none",
                                        allow_warnings=True, allow_infos=True)
    shapes = catalogue.by_iri
    patterns = {iri: {lang: _template_pattern(t) for lang, t in s.messages.items()} for iri, s in shapes.items()}
    found: dict[tuple, list] = defaultdict(list)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = shapes.get(str(report.value(result, SH.sourceShape)))
        if shape is None:
            continue
        messages = {}
        for m in report.objects(result, SH.resultMessage):
            lang = m.language or next((lang for lang, p in patterns[shape.iri].items() if p.match(str(m))), None)
            if lang is not None:
                messages[lang] = str(m)
        if set(messages) != set(shape.messages) or any(_VAR.search(m) for m in messages.values()):
            raise RuntimeError(f"pyshacl gave shape {shape.iri} messages that its templates do not account for: "
                               f"{sorted(messages.values())}")
        found[(str(report.value(result, SH.focusNode)), shape.iri)].append(messages)
    return {key: _first(candidates) for key, candidates in found.items()}


_PART: dict = {}


def _validate_part(focus: list[str]) -> Fired:
    """In a forked worker: pyshacl on the shared data, with only these assessments as targets."""
    data, catalogue, everyone = _PART["data"], _PART["catalogue"], _PART["focus"]
    keep = set(focus)
    for iri in everyone:
        if str(iri) not in keep:
            data.remove((iri, RDF.type, SCKG.Assessment))
    return run_pyshacl(data, catalogue)


def run_pyshacl_in_parts(data: Graph, catalogue: Catalogue, focus: list, parts: int | None = None) -> Fired:
    """The reference path over many assessments: the same pyshacl run, its targets shared out among processes
    (one per core). Each assessment is validated exactly as alone; only the wall time changes."""
    import multiprocessing as mp
    import os

    parts = parts or min(os.cpu_count() or 1, 4)
    if parts < 2 or len(focus) < 40:
        return run_pyshacl(data, catalogue)
    slices = [[str(f) for f in focus[i::parts]] for i in range(parts)]
    _PART.update(data=data, catalogue=catalogue, focus=focus)
    try:
        with mp.get_context("fork").Pool(parts) as pool:
            fired: Fired = {}
            for part in pool.map(_validate_part, slices):
                fired.update(part)
    finally:
        _PART.clear()
    return fired
