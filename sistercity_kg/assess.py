"""Stage 3, assess: every legal test of every framework, for an agreement as of a date.

The law is in the shapes (ontology/shapes/<framework>.ttl): each shape detects one outcome of one or more
conditions (or of a whole test) on an `sckg:Assessment` node — the question "agreement A as of date D, judged by
the law of the day it was signed". Two engines run the same shapes:

- `pyshacl`, the reference path: pyshacl validates the data against the shapes, one focus node at a time;
- `oxigraph`, the fast path: each shape's SPARQL (its own, or its component's with the parameters filled in) is
  run once over all focus nodes at once in pyoxigraph.

Both yield the set of (assessment, shape) pairs that reported, with their messages; the statuses follow from it
by one rule for both (`derive`): not-applicable, else violated, else not-evidenced, else satisfied. A missing
record is therefore never a breach: only a shape that finds a contrary record reports a violation.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .errors import InputError
from .namespaces import ID, SCKG, SH, VOC, graph_iri, sparql_prologue

SCKGC = "https://w3id.org/sistercity-kg/shapes/components#"
STATUSES = ("satisfied", "violated", "not-evidenced", "not-applicable")
GRADE_ORDER = {"primary": 0, "secondary": 1, "unverified": 2}
_VAR = re.compile(r"\{\?(\w+)\}")


# ------------------------------------------------------------------------------------------------ the shapes
@dataclass
class Shape:
    iri: str
    outcome: str                      # violated | not-evidenced | not-applicable
    conditions: list[str]             # condition IRIs it decides
    tests: list[str]                  # test IRIs it decides as a whole
    query: str                        # SELECT ?this … over all assessments (the fast path)
    messages: dict[str, str]          # lang → template with {?var}
    provisions: list[str]


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


@dataclass
class Catalogue:
    shapes: list[Shape]
    tests: list[Test]
    conditions: dict[str, Condition]
    graph: Graph


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


def _for_all_focus_nodes(select: str) -> str:
    """`SELECT $this … WHERE { … }` → the same query over every assessment at once."""
    q = select.replace("$this", "?this")
    m = re.search(r"WHERE\s*\{", q)
    return q[:m.end()] + "\n  ?this a <https://w3id.org/sistercity-kg/ontology#Assessment> ." + q[m.end():]


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
        shapes_out.append(Shape(
            str(shape), outcome,
            sorted(str(c) for c in g.objects(shape, SCKG.encodesCondition)),
            sorted(str(t) for t in g.objects(shape, SCKG.encodesTest)),
            prefix + _for_all_focus_nodes(select), messages,
            sorted(str(p) for p in g.objects(shape, SCKG.citesProvision))))
    conditions = {}
    for c in g.subjects(RDF.type, SCKG.Condition):
        conditions[str(c)] = Condition(
            str(c), str(g.value(c, SCKG.conditionId)), _langs(g, c, RDFS.label),
            sorted(str(p) for p in g.objects(c, SCKG.citesProvision)), _langs(g, c, SCKG.satisfiedMessage),
            sorted(str(e).rsplit("/", 1)[-1] for e in g.objects(c, SCKG.readsEvidence)),
            _opt(g.value(c, SCKG.evidenceStep)), _opt(g.value(c, SCKG.evidenceFinding)))
    tests = []
    for t in g.subjects(RDF.type, SCKG.LegalTest):
        tests.append(Test(str(t), str(g.value(t, SCKG.testId)), str(g.value(t, SCKG.ofFramework)),
                          _langs(g, t, SCKG.question), _langs(g, t, RDFS.label),
                          sorted(str(c) for c in g.objects(t, SCKG.hasCondition))))

    def chronology(test: Test):
        fw = URIRef(test.framework)
        start = g.value(fw, SCKG.inForceFrom) or g.value(fw, SCKG.notBefore)
        return (str(start or ""), test.tid)

    tests.sort(key=chronology)  # the frameworks in the order they came into force
    return Catalogue(shapes_out, tests, conditions, g)


def _opt(v):
    return str(v) if v is not None else None


# ------------------------------------------------------------------------------------------------ questions
@dataclass
class Question:
    """One assessment: an agreement as of a date, judged by the law of its signature date."""

    iri: URIRef
    agreement: URIRef
    aid: str
    as_of: dt.date
    rule: str
    judged_on: dt.date | None


def assessment_iri(aid: str, as_of: dt.date) -> URIRef:
    return ID[f"assessment/{aid}/{as_of.isoformat()}"]


def parse_as_of(value: str | None) -> str | dt.date:
    """'signing' (default), 'today', or a date YYYY-MM-DD that exists."""
    if value in (None, "", "signing"):
        return "signing"
    if value == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(None, None, f"--as-of {value!r}: expected signing, today or a date YYYY-MM-DD that exists") from None


def questions(graph: Graph, agreement_ids: dict[str, URIRef], as_of) -> list[Question]:
    out = []
    for aid, node in agreement_ids.items():
        signed = None
        for sig in graph.objects(node, SCKG.signing):
            d = graph.value(sig, SCKG.onDate)
            if d is not None:
                signed = d.toPython() if isinstance(d.toPython(), dt.date) else None
        if as_of == "signing":
            date, rule = (signed or dt.date.today()), ("signing" if signed else "today")
        else:
            date, rule = as_of, ("today" if as_of == dt.date.today() else "date")
        out.append(Question(assessment_iri(aid, date), node, aid, date, rule, signed))
    return out


def question_triples(qs: list[Question]) -> list[tuple]:
    triples = []
    for q in qs:
        triples += [(q.iri, RDF.type, SCKG.Assessment), (q.iri, SCKG.assessedAgreement, q.agreement),
                    (q.iri, SCKG.asOf, Literal(q.as_of.isoformat(), datatype=XSD.date))]
        if q.judged_on:
            triples.append((q.iri, SCKG.judgedOn, Literal(q.judged_on.isoformat(), datatype=XSD.date)))
    return triples


# ------------------------------------------------------------------------------------------------ engines
Fired = dict  # (assessment IRI, shape IRI) → {lang: message}


def _fill(template: str, binding: dict[str, str]) -> str:
    return _VAR.sub(lambda m: binding.get(m.group(1), ""), template)


def run_oxigraph(data: Graph, catalogue: Catalogue) -> Fired:
    """The fast path: each shape's query once, over all assessments, in pyoxigraph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_extend(_to_ox(t) for t in data)
    fired: Fired = {}
    for shape in catalogue.shapes:
        result = store.query(shape.query)
        names = [v.value for v in result.variables]
        for row in result:
            binding = {n: _ox_str(row[n]) for n in names if row[n] is not None}
            key = (binding["this"], shape.iri)
            if key not in fired:
                fired[key] = {lang: _fill(t, binding) for lang, t in shape.messages.items()}
    return fired


def _ox_str(term) -> str:
    return term.value


def _to_ox(triple):
    import pyoxigraph as ox

    def conv(t):
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))

    s, p, o = triple
    return ox.Quad(conv(s), conv(p), conv(o), ox.DefaultGraph())


def run_pyshacl(data: Graph, catalogue: Catalogue) -> Fired:
    """The reference path: pyshacl over the same data and shapes."""
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=catalogue.graph, advanced=True, inference="none",
                                    allow_warnings=True, allow_infos=True)
    fired: Fired = {}
    wanted = {s.iri for s in catalogue.shapes}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape))
        if shape not in wanted:
            continue
        key = (str(report.value(result, SH.focusNode)), shape)
        if key not in fired:
            fired[key] = {m.language or "": str(m) for m in report.objects(result, SH.resultMessage)}
    return fired


# ------------------------------------------------------------------------------------------------ results
@dataclass
class ConditionResult:
    condition: str
    cid: str
    status: str
    provisions: list[str]
    messages: dict[str, str]
    grade: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class TestResult:
    test: Test
    answer: str
    conditions: list[ConditionResult]


@dataclass
class Assessment:
    question: Question
    tests: list[TestResult]
    in_force: bool
    notes: dict[str, str]
    engine: str


def derive(question: Question, catalogue: Catalogue, fired: Fired) -> list[TestResult]:
    """Statuses and answers from the shapes that reported, by one rule for every engine."""
    by_condition: dict[str, dict[str, tuple]] = defaultdict(dict)
    by_test: dict[str, dict[str, tuple]] = defaultdict(dict)
    for shape in catalogue.shapes:
        msg = fired.get((str(question.iri), shape.iri))
        if msg is None:
            continue
        for c in shape.conditions:
            by_condition[c].setdefault(shape.outcome, (msg, shape.provisions))
        for t in shape.tests:
            by_test[t].setdefault(shape.outcome, (msg, shape.provisions))
    results = []
    for test in catalogue.tests:
        whole = by_test.get(test.iri, {})
        rows = []
        for c_iri in test.conditions:
            cond = catalogue.conditions[c_iri]
            own = by_condition.get(c_iri, {})
            # the test as a whole first (framework not in force, outside its scope, no signature date) …
            source = next(((st, whole[st]) for st in ("not-applicable", "not-evidenced") if st in whole), None)
            # … then the condition's own shapes, the strongest outcome first
            source = source or next(((st, own[st]) for st in ("not-applicable", "violated", "not-evidenced")
                                     if st in own), None)
            if source is None:
                status, msg, provs = "satisfied", cond.satisfied, []
            else:
                status, (msg, provs) = source
            rows.append(ConditionResult(c_iri, cond.cid, status, sorted(set(cond.provisions) | set(provs)), msg))
        statuses = {r.status for r in rows}
        if "not-applicable" in whole or statuses == {"not-applicable"}:
            answer = "not-applicable"
        elif "violated" in statuses:
            answer = "no"
        elif "not-evidenced" in statuses:
            answer = "undetermined"
        else:
            answer = "yes"
        results.append(TestResult(test, answer, rows))
    return results


# ------------------------------------------------------------------------------------------------ evidence
class Evidence:
    """The sources behind each record, for the grade of the weakest source a condition rests on."""

    def __init__(self, graph: Graph):
        prologue = sparql_prologue()
        self.graph = graph
        self.grade: dict[str, str] = {}
        for src, g in graph.query(prologue + "SELECT ?s ?g { ?s sckg:grade ?g }"):
            self.grade[str(src)] = str(g).rsplit("/", 1)[-1]
        self.sources: dict[str, set[str]] = defaultdict(set)
        for node, src in graph.query(prologue + """SELECT ?n ?s { { ?n sckg:attestedBy ?s }
                                                    UNION { ?n sckg:searchedIn ?s } }"""):
            self.sources[str(node)].add(str(src))

    def of(self, question: Question, cond: Condition, extra_provisions: list[str]) -> set[str]:
        out: set[str] = set()
        for p in set(cond.provisions) | set(extra_provisions):
            out |= self.sources.get(p, set())
        a = question.agreement
        g = self.graph
        records: list = []
        if "agreement" in cond.evidence:
            records.append(a)
        if "parties" in cond.evidence or "relation" in cond.evidence:
            parties = list(g.objects(a, SCKG.hasParty))
            records += parties
            states = {s for p in parties for s in g.objects(p, SCKG.inState)}
            records += list(states)
            if "relation" in cond.evidence:
                for s in states:
                    records += list(g.subjects(SCKG.relationBetween, s))
        if "signatories" in cond.evidence:
            records += list(g.objects(a, SCKG.hasSignatory))
        if "step" in cond.evidence and cond.evidence_step:
            for owner in [a] + list(g.objects(a, SCKG.implementsAgreement)):
                records += [s for s in g.objects(owner, SCKG.hasStep)
                            if str(g.value(s, SCKG.stepType)) == cond.evidence_step]
        if "finding" in cond.evidence and cond.evidence_finding:
            records += [f for f in g.objects(a, SCKG.hasFinding)
                        if str(g.value(f, SCKG.findingKey)) == cond.evidence_finding]
        for r in records:
            out |= self.sources.get(str(r), set())
        return out

    def weakest(self, sources: set[str]) -> str | None:
        grades = [self.grade[s] for s in sources if s in self.grade]
        return max(grades, key=GRADE_ORDER.__getitem__) if grades else None


# ------------------------------------------------------------------------------------------------ the run
def in_force(graph: Graph, q: Question) -> bool:
    """Still in force on the as-of date, on the record: signed by then, and no recorded end before it."""
    if q.judged_on is None or q.as_of < q.judged_on:
        return q.judged_on is not None and q.as_of >= q.judged_on
    a = q.agreement
    for t in graph.objects(a, SCKG.terminatedBy):
        d = graph.value(t, SCKG.onDate)
        if d is not None and d.toPython() <= q.as_of:
            return False
    until = graph.value(a, SCKG.validUntil)
    if until is not None and until.toPython() < q.as_of:
        return False
    years = graph.value(a, SCKG.termYears)
    if years is not None:
        y = int(years)
        try:
            end = q.judged_on.replace(year=q.judged_on.year + y)
        except ValueError:  # 29 February
            end = q.judged_on.replace(year=q.judged_on.year + y, day=28)
        if end <= q.as_of:
            return False
    return True


def reading_note(graph: Graph, q: Question) -> dict[str, str]:
    """Which reading of the instrument was judged, and why, when the parties name it differently."""
    kind = graph.value(q.agreement, SCKG.instrumentKind)
    kind_name = str(kind).rsplit("/", 1)[-1] if kind is not None else "—"
    names = []
    for d in graph.objects(q.agreement, SCKG.hasDesignation):
        text = graph.value(d, SCKG.designationText)
        user = graph.value(d, SCKG.usedBy)
        user_name = None
        if user is not None:
            user_name = next((str(l) for l in graph.objects(user, RDFS.label) if l.language == "en"), None)
        user_name = user_name or graph.value(d, SCKG.usedByName)
        names.append(f"«{text}»" + (f" ({user_name})" if user_name else ""))
    listed = "; ".join(sorted(names))
    if len(names) > 1:
        return {"en": f"Judged as {kind_name}, the kind the case file gives; the instrument is also named: {listed}.",
                "id": f"Dinilai sebagai {kind_name}, jenis yang dinyatakan berkas kasus; instrumen ini juga disebut: {listed}."}
    return {"en": f"Judged as {kind_name}." + (f" Designation: {listed}." if names else ""),
            "id": f"Dinilai sebagai {kind_name}." + (f" Sebutan: {listed}." if names else "")}


def data_for(kg, qs: list[Question]) -> Graph:
    """What the shapes read: the case, actor, legislation and framework layers, and the questions."""
    g = Graph()
    for layer in ("legislation", "actors", "cases", "shapes", "ontology"):
        for t in kg.layer(layer):
            g.add(t)
    for t in question_triples(qs):
        g.add(t)
    return g


def catalogue_of(kg) -> Catalogue:
    shapes = Graph()
    for t in kg.layer("shapes"):
        shapes.add(t)
    return load_catalogue(shapes)


def assess(kg, agreement_ids: list[str] | None = None, as_of=None, engine: str = "oxigraph") -> list[Assessment]:
    """Assess the given agreements (all when none is named) as of a date; the results also go into the
    assessments layer of the dataset."""
    known = {aid: ID["agreement/" + aid] for aid in kg.agreements}
    ids = agreement_ids or sorted(known)
    for aid in ids:
        if aid not in known:
            raise InputError(None, None, f"unknown agreement id {aid!r}; known ids: {', '.join(sorted(known)) or 'none'}")
    union = kg.union("cases", "actors")
    qs = questions(union, {aid: known[aid] for aid in ids}, parse_as_of(as_of) if isinstance(as_of, (str, type(None))) else as_of)
    catalogue = catalogue_of(kg)
    data = data_for(kg, qs)
    fired = run_pyshacl(data, catalogue) if engine == "pyshacl" else run_oxigraph(data, catalogue)
    evidence = Evidence(data + kg.layer("sources"))
    out = []
    for q in qs:
        tests = derive(q, catalogue, fired)
        for tr in tests:
            for cr in tr.conditions:
                srcs = evidence.of(q, catalogue.conditions[cr.condition], cr.provisions)
                cr.sources = sorted(srcs)
                cr.grade = evidence.weakest(srcs)
        out.append(Assessment(q, tests, in_force(union, q), reading_note(union, q), engine))
    write_results(kg.layer("assessments"), out)
    return out


def write_results(graph: Graph, results: list[Assessment]) -> None:
    for a in results:
        q = a.question
        graph.remove((q.iri, None, None))
        graph.add((q.iri, RDF.type, SCKG.Assessment))
        graph.add((q.iri, RDFS.label, Literal(f"penilaian {q.aid} per {q.as_of}", lang="id")))
        graph.add((q.iri, RDFS.label, Literal(f"assessment of {q.aid} as of {q.as_of}", lang="en")))
        graph.add((q.iri, SCKG.assessedAgreement, q.agreement))
        graph.add((q.iri, SCKG.asOf, Literal(q.as_of.isoformat(), datatype=XSD.date)))
        graph.add((q.iri, SCKG.asOfRule, Literal(q.rule)))
        graph.add((q.iri, SCKG.engine, Literal(a.engine)))
        graph.add((q.iri, SCKG.instrumentInForce, Literal(a.in_force)))
        if q.judged_on:
            graph.add((q.iri, SCKG.judgedOn, Literal(q.judged_on.isoformat(), datatype=XSD.date)))
        for lang, text in a.notes.items():
            graph.add((q.iri, SCKG.readingNote, Literal(text, lang=lang)))
        for tr in a.tests:
            t_node = URIRef(f"{q.iri}/{tr.test.tid}")
            graph.add((q.iri, SCKG.hasTestResult, t_node))
            graph.add((t_node, RDF.type, SCKG.TestResult))
            graph.add((t_node, SCKG.test, URIRef(tr.test.iri)))
            graph.add((t_node, SCKG.answer, VOC[f"answer/{tr.answer}"]))
            for lang in ("id", "en"):
                graph.add((t_node, RDFS.label, Literal(f"{tr.test.tid} — {q.aid} ({q.as_of})", lang=lang)))
            for cr in tr.conditions:
                c_node = URIRef(f"{t_node}/{cr.cid.split('/', 1)[1]}")  # per test: tests share conditions
                graph.add((t_node, SCKG.hasConditionResult, c_node))
                graph.add((c_node, RDF.type, SCKG.ConditionResult))
                graph.add((c_node, SCKG.condition, URIRef(cr.condition)))
                graph.add((c_node, SCKG.status, VOC[f"status/{cr.status}"]))
                for lang in ("id", "en"):
                    graph.add((c_node, RDFS.label, Literal(f"{cr.cid} — {q.aid} ({q.as_of})", lang=lang)))
                for lang, text in cr.messages.items():
                    if lang:
                        graph.add((c_node, SCKG.message, Literal(text, lang=lang)))
                for p in cr.provisions:
                    graph.add((c_node, SCKG.citesProvision, URIRef(p)))
                for s in cr.sources:
                    graph.add((c_node, SCKG.restsOn, URIRef(s)))
                if cr.grade:
                    graph.add((c_node, SCKG.weakestGrade, VOC[f"grade/{cr.grade}"]))
