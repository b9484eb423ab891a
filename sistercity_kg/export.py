"""Exports: each layer as Turtle, N-Triples and JSON-LD, the ontology also as RDF/XML, the whole dataset as TriG.

Every file is deterministic — the same dataset gives the same bytes, whatever the process's hash seed:
blank nodes get canonical labels (RDFC-1.0), N-Triples lines are sorted, RDF/XML and
JSON-LD are written in sorted order, and the TriG file is assembled from the (already stable) Turtle of each
layer in the order of `namespaces.LAYERS`. Empty layers are skipped. All files are serialised in memory first
and then each is written atomically, so an error leaves no half-written file behind.

JSON-LD files embed their context (the object of `context.jsonld`, also written beside the exports and kept as the
release artefact `ontology/context.jsonld`): any JSON-LD processor (rdflib, pyld, jsonld.js) reads a file offline,
with no document loader. `read_jsonld` also reads older exports that named the context by its IRI
(`https://w3id.org/sistercity-kg/context.jsonld`), with the local copy.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from .namespaces import BASE, ELI, LAYERS, ONTOLOGY_IRI, ORG, PREFIXES, SCKG, graph_iri
from .release import write_atomically

FORMATS = ("ttl", "nt", "owl", "jsonld", "trig")
CONTEXT_IRI = BASE + "context.jsonld"
CONTEXT_FILE = "context.jsonld"
TRIG_FILE = "sistercity-kg.trig"

# ---------------------------------------------------------------------------------------------- the context

#: Properties whose values are texts in several languages: a language map ({"id": "…", "en": "…"}).
LANGUAGE_MAPS = {
    RDFS.label, RDFS.comment, SKOS.definition, SKOS.prefLabel, SKOS.altLabel, SKOS.changeNote, DCTERMS.abstract,
    *(SCKG[n] for n in ("text", "gloss", "heading", "citationLabel", "editorialNote", "description", "claimText",
                        "designationText", "message", "question", "reason", "readingNote", "satisfiedMessage")),
}

#: Terms for the external properties the graph uses most; the sckg terms are generated from the ontology.
EXTERNAL_TERMS = {
    "label": RDFS.label, "comment": RDFS.comment, "isDefinedBy": RDFS.isDefinedBy, "seeAlso": RDFS.seeAlso,
    "sameAs": OWL.sameAs, "definition": SKOS.definition, "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
    "notation": SKOS.notation, "inScheme": SKOS.inScheme, "broader": SKOS.broader, "exactMatch": SKOS.exactMatch,
    "closeMatch": SKOS.closeMatch, "relatedMatch": SKOS.relatedMatch, "changeNote": SKOS.changeNote,
    "title": DCTERMS.title, "abstract": DCTERMS.abstract, "license": DCTERMS.license, "created": DCTERMS.created,
    "creator": DCTERMS.creator, "publisher": DCTERMS.publisher, "language": DCTERMS.language,
    "has_part": ELI.has_part, "is_part_of": ELI.is_part_of, "amends": ELI.amends, "amended_by": ELI.amended_by,
    "based_on": ELI.based_on, "basis_for": ELI.basis_for, "repeals": ELI.repeals, "repealed_by": ELI.repealed_by,
    "number": ELI.number, "date_document": ELI.date_document, "date_publication": ELI.date_publication,
    "first_date_entry_in_force": ELI.first_date_entry_in_force,
    "date_no_longer_in_force": ELI.date_no_longer_in_force,
    "holds": ORG.holds, "heldBy": ORG.heldBy, "postIn": ORG.postIn,
    "hasBeginning": TIME.hasBeginning, "hasEnd": TIME.hasEnd, "inXSDDate": TIME.inXSDDate,
    "wasDerivedFrom": PROV.wasDerivedFrom,
}
#: External properties whose values are IRIs, or dates, beyond what the ontology declares.
_EXTERNAL_IRI_VALUED = {RDFS.isDefinedBy, RDFS.seeAlso, OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch,
                        SKOS.relatedMatch, DCTERMS.license}
_EXTERNAL_DATE_VALUED = {DCTERMS.created}


def _compact(iri: str, vocab_prefixes: list[tuple[str, str]]) -> str:
    """The shortest compact IRI `prefix:suffix` for `iri`, or the IRI itself."""
    for prefix, ns in vocab_prefixes:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _prefix_table() -> list[tuple[str, str]]:
    """(prefix, namespace), longest namespace first, so `grade:primary` wins over `voc:grade/primary`."""
    return sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda x: (-len(x[1]), x[0]))


def context(ontology: Graph) -> dict:
    """The JSON-LD context: the project's prefixes and one term per main property, typed from the ontology.

    Object properties are `@id`-typed, properties whose range is xsd:date are `xsd:date`-typed, and text
    properties (labels, definitions, article texts, glosses…) are language maps. A term that would clash with a
    prefix (`level`, `status`, `step`…) is left out: that property is written as a compact IRI (`sckg:level`)."""
    table = _prefix_table()
    ctx: dict[str, object] = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    object_props = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | _EXTERNAL_IRI_VALUED
    date_props = {p for p in ontology.subjects(RDFS.range, XSD.date)} | _EXTERNAL_DATE_VALUED
    declared = (object_props | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
                | set(ontology.subjects(RDF.type, OWL.AnnotationProperty)))
    terms: dict[str, URIRef] = {}
    for prop in sorted(p for p in declared if isinstance(p, URIRef) and str(p).startswith(str(SCKG))):
        terms[str(prop)[len(str(SCKG)):]] = prop
    for name, prop in sorted(EXTERNAL_TERMS.items()):
        terms.setdefault(name, prop)
    for name, prop in sorted(terms.items()):
        if name in ctx or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            continue
        definition: dict[str, str] = {"@id": _compact(str(prop), table)}
        if prop in LANGUAGE_MAPS:
            definition["@container"] = "@language"
        elif prop in object_props:
            definition["@type"] = "@id"
        elif prop in date_props:
            definition["@type"] = "xsd:date"
        ctx[name] = definition
    return {"@context": ctx}


def context_bytes(ontology: Graph) -> bytes:
    return _json_bytes(context(ontology))


def _json_bytes(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------ canonical graphs

def canonical(graph: Graph, bindings: Iterable[tuple[str, str]] = ()) -> Graph:
    """A copy of `graph` whose blank nodes have canonical labels (W3C RDF Dataset Canonicalization, RDFC-1.0,
    computed by pyoxigraph: `c14n0`, `c14n1`…), with the project's prefixes (and `bindings`) bound.
    A graph without blank nodes is returned as it is."""
    if not any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in graph):
        return graph
    out = Graph()
    for prefix, ns in bindings:
        out.bind(prefix, ns, override=True, replace=True)
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns, override=True, replace=True)
    for t in _rdfc10(graph):
        out.add(t)
    return out


def _rdfc10(graph: Graph):
    import pyoxigraph as ox

    from .sparql import _from_oxigraph

    data = graph.serialize(format="nt", encoding="utf-8")
    ds = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    for q in ds:
        yield _from_oxigraph(q.subject), _from_oxigraph(q.predicate), _from_oxigraph(q.object)


def fold_ontology(layer: Graph) -> Graph:
    """The ontology layer as one ontology (as release.merged_ontology does with the files): the module headers
    and the imports among them are folded into the root, so Protégé opens the file with no network."""
    g = Graph()
    for prefix, ns in layer.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    for t in layer:
        g.add(t)
    root = URIRef(ONTOLOGY_IRI)
    for m in [o for o in g.subjects(RDF.type, OWL.Ontology) if o != root]:
        for t in list(g.triples((m, None, None))):
            g.remove(t)
    for t in list(g.triples((None, OWL.imports, None))):
        g.remove(t)
    return g


# ------------------------------------------------------------------------------------------------ serialisers

def to_turtle(graph: Graph) -> bytes:
    """rdflib's Turtle writer sorts subjects, predicates and objects: stable once blank nodes are canonical."""
    return graph.serialize(format="turtle", encoding="utf-8")


def to_ntriples(graph: Graph) -> bytes:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


class _SortedGraph(Graph):
    """A graph that hands subjects and their predicate-objects to the RDF/XML writer in sorted order."""

    def subjects(self, predicate=None, object=None, unique=False):  # noqa: A002 - rdflib's signature
        return iter(sorted(set(super().subjects(predicate, object))))

    def predicate_objects(self, subject=None, unique=False):
        return iter(sorted(set(super().predicate_objects(subject))))


def to_rdfxml(graph: Graph) -> bytes:
    g = _SortedGraph()
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    for t in graph:
        g.add(t)
    return g.serialize(format="xml", encoding="utf-8")


_PREFIX_LINE = re.compile(r"^(@prefix|PREFIX)\s", re.IGNORECASE)


def to_trig(layers: list[tuple[str, Graph | bytes]]) -> bytes:
    """One named graph per layer, from each layer's Turtle (a graph, or its Turtle already written): a shared
    prefix block, then `<graph> { … }` per layer."""
    prefixes: set[str] = set()
    blocks = []
    for name, graph in layers:
        text = graph if isinstance(graph, bytes) else to_turtle(graph)
        lines = text.decode("utf-8").splitlines()
        prefixes.update(line.strip() for line in lines if _PREFIX_LINE.match(line))
        body = [line for line in lines if not _PREFIX_LINE.match(line)]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        # not indented: a multi-line literal ("""…""") must keep its text
        blocks.append(f"<{graph_iri(name)}> {{\n" + "\n".join(body) + "\n}\n")
    declared: dict[str, str] = {}
    for line in sorted(prefixes):
        m = re.match(r"^(?:@prefix|PREFIX)\s+([^:\s]*):\s*<([^>]*)>", line, re.IGNORECASE)
        if m:
            if declared.get(m.group(1), m.group(2)) != m.group(2):
                raise ValueError(f"prefix {m.group(1)}: bound to two namespaces across layers")
            declared[m.group(1)] = m.group(2)
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(declared.items()))
    return (head + "\n" + "\n".join(blocks)).encode("utf-8")


# -------------------------------------------------------------------------------------------------- JSON-LD

class _Compactor:
    """Writes a graph as compacted JSON-LD against the project's context, deterministically.

    A property is written with its term only where every value fits the term's definition (IRIs for an
    `@id` term, xsd:date literals for a date term, language-tagged strings for a language map); otherwise with
    its compact IRI and explicit value objects, so expansion always gives back exactly the same triples."""

    def __init__(self, ctx: dict):
        self.ctx = ctx
        self.table = _prefix_table()
        self.terms: dict[str, tuple[str, dict]] = {}
        for name, definition in ctx["@context"].items():
            if isinstance(definition, dict):
                iri = self._expand(definition["@id"])
                self.terms[iri] = (name, definition)

    def _expand(self, value: str) -> str:
        prefix, _, suffix = value.partition(":")
        ns = dict(self.table).get(prefix)
        return ns + suffix if ns is not None and not suffix.startswith("//") else value

    def iri(self, term) -> str:
        if isinstance(term, BNode):
            return f"_:{term}"
        return _compact(str(term), self.table)

    def value_object(self, o) -> object:
        if isinstance(o, (URIRef, BNode)):
            return {"@id": self.iri(o)}
        if o.language:
            return {"@value": str(o), "@language": o.language}
        if o.datatype is None:
            return str(o)
        return {"@value": str(o), "@type": self.iri(o.datatype)}

    def fits(self, definition: dict, values: list) -> bool:
        if definition.get("@container") == "@language":
            return all(isinstance(v, Literal) and v.language for v in values)
        if definition.get("@type") == "@id":
            return all(isinstance(v, (URIRef, BNode)) for v in values)
        if definition.get("@type") == "xsd:date":
            return all(isinstance(v, Literal) and v.datatype == XSD.date and not v.language for v in values)
        return True

    def property(self, prop: URIRef, values: list) -> tuple[str, object]:
        name, definition = self.terms.get(str(prop), (None, None))
        if name is not None and self.fits(definition, values):
            if definition.get("@container") == "@language":
                by_lang: dict[str, list[str]] = {}
                for v in values:
                    by_lang.setdefault(v.language, []).append(str(v))
                return name, {lang: _one(sorted(texts)) for lang, texts in sorted(by_lang.items())}
            if definition.get("@type") == "@id":
                return name, _one(sorted(self.iri(v) for v in values))
            if definition.get("@type") == "xsd:date":
                return name, _one(sorted(str(v) for v in values))
            return name, _one(_sorted_json(self.value_object(v) for v in values))
        return self.iri(prop), _one(_sorted_json(self.value_object(v) for v in values))

    def document(self, graph: Graph) -> dict:
        nodes = []
        for s in sorted(set(graph.subjects())):
            node: dict[str, object] = {"@id": self.iri(s)}
            by_pred: dict[URIRef, list] = {}
            for p, o in graph.predicate_objects(s):
                by_pred.setdefault(p, []).append(o)
            types = by_pred.get(RDF.type, [])
            if types and all(isinstance(t, URIRef) for t in types):
                node["@type"] = _one(sorted(self.iri(t) for t in types))
                del by_pred[RDF.type]
            for p in sorted(by_pred):
                key, value = self.property(p, by_pred[p])
                node[key] = value
            nodes.append(node)
        nodes.sort(key=lambda n: n["@id"])
        return {"@context": self.ctx["@context"], "@graph": nodes}


def _one(values: list):
    return values[0] if len(values) == 1 else values


def _sorted_json(values: Iterable) -> list:
    return sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))


def to_jsonld(graph: Graph, ctx: dict) -> bytes:
    return _json_bytes(_Compactor(ctx).document(graph))


def read_jsonld(data: bytes | str | Path, ctx: dict | Path | str | None = None) -> Graph:
    """Parse one of our JSON-LD exports (a path as `Path` or `str`, or the JSON text as `bytes`/`str`), with no
    network: the context is embedded, or (older exports) named by its IRI and read from the copy beside the file."""
    if isinstance(data, str) and not data.lstrip().startswith(("{", "[")):
        data = Path(data)
    if isinstance(ctx, str):
        ctx = Path(ctx)
    if isinstance(data, Path):
        if ctx is None and (data.parent / CONTEXT_FILE).exists():
            ctx = data.parent / CONTEXT_FILE
        data = data.read_bytes()
    if isinstance(ctx, Path):
        ctx = json.loads(ctx.read_text(encoding="utf-8"))
    doc = json.loads(data)
    if doc.get("@context") == CONTEXT_IRI:
        if ctx is None:
            raise ValueError("no local copy of the context given")
        doc["@context"] = ctx["@context"]
    return Graph().parse(data=json.dumps(doc), format="json-ld")


# -------------------------------------------------------------------------------------------------- export

def parse_formats(text: str | Iterable[str] | None) -> tuple[str, ...]:
    if text is None:
        return FORMATS
    items = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    unknown = [t for t in items if t not in FORMATS]
    if unknown or not items:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}: expected some of {','.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in items)


def render(dataset: Dataset, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """File name → content, for every non-empty layer in every format asked (nothing is written)."""
    formats = tuple(formats)
    bindings = [(p, str(ns)) for p, ns in dataset.namespace_manager.namespaces()]
    layers = []
    for name in LAYERS:
        g = dataset.graph(graph_iri(name))
        if len(g):
            layers.append((name, canonical(g, bindings)))
    onto = dict(layers).get("ontology")
    ctx = context(onto if onto is not None else Graph())
    files: dict[str, bytes] = {}
    turtle = {name: to_turtle(g) for name, g in layers} if {"ttl", "trig"} & set(formats) else {}
    for name, g in layers:
        if "ttl" in formats:
            files[f"{name}.ttl"] = turtle[name]
        if "nt" in formats:
            files[f"{name}.nt"] = to_ntriples(g)
        if "jsonld" in formats:
            files[f"{name}.jsonld"] = to_jsonld(g, ctx)
        if "owl" in formats and name == "ontology":
            files["ontology.owl"] = to_rdfxml(fold_ontology(g))
    if "jsonld" in formats:
        files[CONTEXT_FILE] = _json_bytes(ctx)
    if "trig" in formats:
        files[TRIG_FILE] = to_trig([(name, turtle[name]) for name, _ in layers])
    return files


def export(kg_or_dataset, out_dir: Path | str, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write the exports into `out_dir`; returns the paths written (sorted)."""
    dataset = getattr(kg_or_dataset, "dataset", kg_or_dataset)
    files = render(dataset, formats)   # everything is serialised before anything is written
    out = Path(out_dir)
    written = []
    for name in sorted(files):
        write_atomically(out / name, files[name])
        written.append(out / name)
    return written
