"""The legal tests as the engine reads them from the shapes: tests (with their kind), conditions, and shapes (what
each detects, its query over all assessments at once, its messages, articles, precedence and the records it reads)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import SCKG, SH

SCKGC = "https://w3id.org/sistercity-kg/shapes/components#"
#: A shape with no sckg:precedence comes after the whole-test shapes (window 1, signature date 2, scope 3, stage 4).
DEFAULT_PRECEDENCE = 10


@dataclass
class Shape:
    iri: str
    outcome: str                      # violated | not-evidenced | not-applicable | satisfied (its words only)
    conditions: list[str]             # condition IRIs it decides
    tests: list[str]                  # test IRIs it decides as a whole
    query: str                        # SELECT ?this … over all assessments (the fast path)
    messages: dict[str, str]          # lang → template with {?var}
    provisions: list[str]
    precedence: int = DEFAULT_PRECEDENCE  # sckg:precedence: the lowest decides when shapes agree (see `derive`)
    evidence: list[str] = field(default_factory=list)  # the kinds of record it reads (sckg:readsEvidence), if stated

    @property
    def rank(self) -> tuple:
        return (self.precedence, self.iri)


@dataclass
class Condition:
    iri: str
    cid: str
    labels: dict[str, str]
    provisions: list[str]
    satisfied: dict[str, str]
    evidence: list[str]
    evidence_step: str | None
    evidence_finding: str | None


@dataclass
class Test:
    iri: str
    tid: str
    framework: str
    questions: dict[str, str]
    labels: dict[str, str]
    conditions: list[str]
    kind: str = "lawfulness"          # classification | lawfulness (sckg:testKind)


@dataclass
class Catalogue:
    shapes: list[Shape]
    tests: list[Test]
    conditions: dict[str, Condition]
    graph: Graph

    @property
    def by_iri(self) -> dict[str, Shape]:
        if not hasattr(self, "_by_iri"):
            self._by_iri = {s.iri: s for s in self.shapes}
        return self._by_iri


def _langs(g: Graph, s, p) -> dict[str, str]:
    return {o.language or "": str(o) for o in g.objects(s, p) if isinstance(o, Literal)}


def _prefixes(g: Graph, node) -> str:
    out = []
    for decl_owner in g.objects(node, SH.prefixes):
        for decl in g.objects(decl_owner, SH.declare):
            out.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
    return "\n".join(out) + "\n"


def _as_term(value) -> str:
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, Literal):
        return value.n3()
    raise ValueError(value)


#: A `FILTER NOT EXISTS` block that opens by restating the focus node's anchor shares every variable it reads
#: with the outer pattern, so it means the same as MINUS; the fast path compiles it so (a hash anti-join, linear
#: in the register, where NOT EXISTS is re-evaluated row by row). SHACL-SPARQL forbids MINUS in the shapes.
_ANCHORED_NOT_EXISTS = re.compile(r"FILTER NOT EXISTS\s*\{(\s*\$this sckg:assessedAgreement)")


def _matching(q: str, start: int, open_: str, close: str) -> int:
    """The index just past the `close` that matches the `open_` at `q[start]`."""
    depth = 0
    for i in range(start, len(q)):
        depth += 1 if q[i] == open_ else -1 if q[i] == close else 0
        if depth == 0:
            return i + 1
    raise ValueError(f"unbalanced {open_}{close} in {q!r}")


_VARIABLE = re.compile(r"[?$](\w+)")
_NOT_TRIPLES = re.compile(r"\b(OPTIONAL|UNION|MINUS|BIND|VALUES|GRAPH|SERVICE|SELECT|EXISTS)\b", re.I)
_BARE_GROUP = re.compile(r"(?<=[{}.)])(\s*)\{([^{}]*)\}")


def _filters(body: str) -> tuple[str, str]:
    """A group's body split into its FILTER expressions and the rest (its triples)."""
    filters, rest, at = [], [], 0
    for m in re.finditer(r"\bFILTER\s*\(", body, re.I):
        if m.start() < at:
            continue
        end = _matching(body, m.end() - 1, "(", ")")
        rest.append(body[at:m.start()])
        filters.append(body[m.start():end])
        at = end
    rest.append(body[at:])
    return " ".join(filters), " ".join(rest)


def _spliced(q: str) -> str:
    """Bare groups of triples and FILTERs spliced into the group around them, where that means the same: each
    FILTER reads only variables the group's own triples bind, so it keeps every solution it kept before. The shapes
    nest such groups (`{ { $this … FILTER(…) } { … } }`) so that rdflib, the reference path, evaluates the focus
    node's group first and joins the rest to it; Oxigraph plans a join of a filtered group far worse than the same
    triples in one group (seconds against a tenth of one over 3,000 assessments)."""
    while True:
        for m in _BARE_GROUP.finditer(q):
            body = m.group(2)
            filters, triples = _filters(body)
            after = q[m.end():].lstrip()
            if _NOT_TRIPLES.search(body) or after.upper().startswith("UNION") or \
                    not set(_VARIABLE.findall(filters)) <= set(_VARIABLE.findall(triples)):
                continue
            q = q[:m.start()] + m.group(1) + body.rstrip().rstrip(".") + " .\n" + q[m.end():]
            break
        else:
            return q


#: The pattern by which a shape's query finds its focus nodes, all the assessments (`_for_all_focus_nodes`).
FOCUS_ANCHOR = "\n  ?this a <https://w3id.org/sistercity-kg/ontology#Assessment> ."


def _for_all_focus_nodes(select: str) -> str:
    """`SELECT $this … WHERE { … }` → the same query over every assessment at once. After splicing (`_spliced`),
    the focus nodes' type goes into the query's first group: joined with a nested group from outside, it would
    have every assessment joined with that group's results in Oxigraph. A group that is the first branch of a
    UNION is not entered."""
    q = _spliced(_ANCHORED_NOT_EXISTS.sub(r"MINUS {\1", select).replace("$this", "?this"))
    at = re.search(r"WHERE\s*\{", q).end()
    while (inner := re.match(r"\s*\{", q[at:])) and \
            not re.match(r"\s*UNION\b", q[_matching(q, at + inner.end() - 1, "{", "}"):], re.I):
        at += inner.end()
    return q[:at] + FOCUS_ANCHOR + q[at:]


def load_catalogue(shapes: Graph) -> Catalogue:
    """Read tests, conditions and shapes (with their components) from the shapes graph."""
    g = shapes
    components = {}
    for comp in g.subjects(RDF.type, SH.ConstraintComponent):
        params = [g.value(p, SH.path) for p in g.objects(comp, SH.parameter)]
        validator = g.value(comp, SH.nodeValidator) or g.value(comp, SH.validator)
        components[comp] = (params, validator)
    shapes_out = []
    for shape in sorted(set(g.subjects(SCKG.outcome, None)), key=str):
        outcome = str(g.value(shape, SCKG.outcome)).rsplit("/", 1)[-1]
        sparql = g.value(shape, SH.sparql)
        messages = {}
        if sparql is not None:
            select = str(g.value(sparql, SH.select))
            prefix = _prefixes(g, sparql)
            messages = _langs(g, sparql, SH.message)
        else:
            select = prefix = None
            for comp, (params, validator) in components.items():
                values = {p: g.value(shape, p) for p in params}
                if params and all(v is not None for v in values.values()):
                    select = str(g.value(validator, SH.select))
                    for p, v in values.items():
                        select = select.replace("$" + str(p)[len(SCKGC):], _as_term(v))
                    prefix = _prefixes(g, validator)
                    break
            if select is None:
                raise ValueError(f"shape {shape} uses no known component")
        messages = messages or _langs(g, shape, SH.message)
        precedence = g.value(shape, SCKG.precedence)
        shapes_out.append(Shape(
            str(shape), outcome,
            sorted(str(c) for c in g.objects(shape, SCKG.encodesCondition)),
            sorted(str(t) for t in g.objects(shape, SCKG.encodesTest)),
            prefix + _for_all_focus_nodes(select), messages,
            sorted(str(p) for p in g.objects(shape, SCKG.citesProvision)),
            int(precedence) if precedence is not None else DEFAULT_PRECEDENCE,
            sorted(str(e).rsplit("/", 1)[-1] for e in g.objects(shape, SCKG.readsEvidence))))
    conditions = {}
    for c in g.subjects(RDF.type, SCKG.Condition):
        conditions[str(c)] = Condition(
            str(c), str(g.value(c, SCKG.conditionId)), _langs(g, c, RDFS.label),
            sorted(str(p) for p in g.objects(c, SCKG.citesProvision)), _langs(g, c, SCKG.satisfiedMessage),
            sorted(str(e).rsplit("/", 1)[-1] for e in g.objects(c, SCKG.readsEvidence)),
            _opt(g.value(c, SCKG.evidenceStep)), _opt(g.value(c, SCKG.evidenceFinding)))
    tests = []
    for t in g.subjects(RDF.type, SCKG.LegalTest):
        kind = g.value(t, SCKG.testKind)
        if kind is None:
            raise ValueError(f"test {t} has no sckg:testKind")
        tests.append(Test(str(t), str(g.value(t, SCKG.testId)), str(g.value(t, SCKG.ofFramework)),
                          _langs(g, t, SCKG.question), _langs(g, t, RDFS.label),
                          sorted(str(c) for c in g.objects(t, SCKG.hasCondition)), str(kind).rsplit("/", 1)[-1]))

    def chronology(test: Test):
        fw = URIRef(test.framework)
        start = g.value(fw, SCKG.inForceFrom) or g.value(fw, SCKG.notBefore)
        # a partner state's law (sckg:judgesPartyIn: it judges the foreign party) comes after the others
        return ((fw, SCKG.judgesPartyIn, None) in g, str(start or ""), test.tid)

    tests.sort(key=chronology)  # the frameworks in the order they came into force, the partner's side last
    return Catalogue(shapes_out, tests, conditions, g)


@functools.lru_cache(maxsize=None)
def provision_order(iri: str) -> tuple:
    """Provisions in the order of the statute book: instrument, then article, paragraph, letter as numbers
    (Pasal 9 before Pasal 11, ayat (2) before ayat (10))."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in iri.split("/"))


def in_statute_order(provisions) -> list[str]:
    """Provisions, each once, in the order of the statute book (cached: conditions cite the same few sets)."""
    return list(_in_statute_order(frozenset(provisions)))


@functools.lru_cache(maxsize=None)
def _in_statute_order(provisions: frozenset) -> tuple:
    return tuple(sorted(provisions, key=provision_order))


def _opt(v):
    return str(v) if v is not None else None
