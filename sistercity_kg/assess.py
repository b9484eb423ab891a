"""Stage 3, assess: every legal test of every framework, for an agreement as of a date.

The law is in the shapes (ontology/shapes/<framework>.ttl): each shape detects one outcome of one or more
conditions (or of a whole test) on an `sckg:Assessment` node — the question "agreement A as of date D, judged by
the law of the day it was signed". Two engines run the same shapes:

- `pyshacl`, the reference path: pyshacl validates the data against the shapes, one focus node at a time;
- `oxigraph`, the fast path: each shape's SPARQL (its own, or its component's with the parameters filled in) is
  run once over all focus nodes at once in pyoxigraph.

Both yield the set of (assessment, shape) pairs that reported, with their messages; the statuses follow from it
by one rule for both (`derive`): not-applicable, else violated, else not-evidenced, else satisfied. A missing
record is therefore never a breach: only a shape that finds a contrary record reports a violation. A shape whose
outcome is `satisfied` (severity sh:Info) only words the satisfied result: it says which record it read.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .errors import InputError
from .namespaces import ID, SCKG, SH, VOC, sparql_prologue
from .progress import track

SCKGC = "https://w3id.org/sistercity-kg/shapes/components#"
GRADE_ORDER = {"primary": 0, "secondary": 1, "unverified": 2}
GRADE_NAMES = {v: k for k, v in GRADE_ORDER.items()}
_VAR = re.compile(r"\{\?(\w+)\}")


# ------------------------------------------------------------------------------------------------ the shapes
@dataclass
class Shape:
    iri: str
    outcome: str                      # violated | not-evidenced | not-applicable | satisfied (its words only)
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


def _for_all_focus_nodes(select: str) -> str:
    """`SELECT $this … WHERE { … }` → the same query over every assessment at once."""
    q = _ANCHORED_NOT_EXISTS.sub(r"MINUS {\1", select).replace("$this", "?this")
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


def questions(signed: dict[str, dt.date | None], agreement_ids: dict[str, URIRef], as_of) -> list[Question]:
    """One question per agreement: as of its signature (or today when it has none), or as of the date given."""
    out = []
    today = dt.date.today()
    for aid, node in agreement_ids.items():
        d = signed.get(aid)
        if as_of == "signing":
            date, rule = (d or today), ("signing" if d else "today")
        else:
            date, rule = as_of, ("today" if as_of == today else "date")
        out.append(Question(assessment_iri(aid, date), node, aid, date, rule, d))
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


def run_oxigraph(store, catalogue: Catalogue) -> Fired:
    """The fast path: each shape's query once, over all assessments at once, in a pyoxigraph store."""
    from concurrent.futures import ThreadPoolExecutor

    def run(shape: Shape):
        result = store.query(shape.query)
        names = [v.value for v in result.variables]
        bindings = [{n: row[n].value for n in names if row[n] is not None} for row in result]
        # the message comes from the first row: first in value order, so it does not depend on the store's order
        return shape, sorted(bindings, key=lambda binding: sorted(binding.items()))

    fired: Fired = {}
    with ThreadPoolExecutor(max_workers=2) as pool:  # pyoxigraph evaluates outside the GIL
        for shape, bindings in pool.map(run, catalogue.shapes):
            for binding in bindings:
                key = (binding["this"], shape.iri)
                if key not in fired:
                    fired[key] = {lang: _fill(t, binding) for lang, t in shape.messages.items()}
    return fired


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
    """The reference path: pyshacl over the same data and shapes."""
    import pyshacl

    with _prepared_queries():
        _, report, _ = pyshacl.validate(data, shacl_graph=catalogue.graph, advanced=True, inference="none",
                                        allow_warnings=True, allow_infos=True)
    fired: Fired = {}
    shapes = catalogue.by_iri
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = shapes.get(str(report.value(result, SH.sourceShape)))
        if shape is None:
            continue
        key = (str(report.value(result, SH.focusNode)), shape.iri)
        if key not in fired:
            messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage) if m.language}
            if set(messages) != set(shape.messages) or any("{?" in m for m in messages.values()):
                # pyshacl drops the language of some messages and leaves some variables unfilled: then the
                # shape's own words, with the values it did not give marked as such
                messages = {lang: _VAR.sub("…", t) for lang, t in shape.messages.items()}
            fired[key] = messages
    return fired


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
    titles: dict[str, str] = field(default_factory=dict)


def by_assessment(fired: Fired) -> dict[str, dict[str, dict]]:
    """The reports grouped by assessment: assessment IRI → shape IRI → messages."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for (focus, shape), msg in fired.items():
        out[focus][shape] = msg
    return out


def derive(question: Question, catalogue: Catalogue, fired: dict[str, dict]) -> list[TestResult]:
    """Statuses and answers from the shapes that reported on this assessment (`fired`: shape IRI → messages),
    by one rule for every engine."""
    by_condition: dict[str, dict[str, tuple]] = defaultdict(dict)
    by_test: dict[str, dict[str, tuple]] = defaultdict(dict)
    shapes = catalogue.by_iri
    for iri, msg in fired.items():
        shape = shapes[iri]
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
                # satisfied: in the words of the shape that read the record, where one did (the interval of a
                # diplomatic relation that covers the date), else the condition's own
                msg, provs = own.get("satisfied", (cond.satisfied, []))
                status = "satisfied"
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


# ------------------------------------------------------------------------------------------------ facts read in bulk
PROLOGUE = sparql_prologue()


def _select(store, query: str) -> list[list[str | None]]:
    result = store.query(PROLOGUE + query)
    names = [v.value for v in result.variables]
    return [[row[n].value if row[n] is not None else None for n in names] for row in result]


class Facts:
    """What the engine reads besides the shapes' verdicts, for every agreement at once: signature dates, terms,
    designations, and the sources behind each kind of record (for the weakest grade a condition rests on)."""

    def __init__(self, store):
        self.signed: dict[str, dt.date] = {}
        for aid, d in _select(store, "SELECT ?id ?d { ?a sckg:agreementId ?id ; sckg:signing/sckg:onDate ?d }"):
            self.signed[aid] = dt.date.fromisoformat(d)
        self.ends: dict[str, list] = defaultdict(list)   # id → [(kind, value)]
        for aid, term, until, ended in _select(store, """SELECT ?id ?years ?until ?ended { ?a sckg:agreementId ?id .
                { ?a sckg:termYears ?years } UNION { ?a sckg:validUntil ?until }
                UNION { ?a sckg:terminatedBy/sckg:onDate ?ended } }"""):
            self.ends[aid].append((term, until, ended))
        self.titles: dict[str, dict[str, str]] = defaultdict(dict)
        for aid, title, lang in _select(store, """SELECT ?id ?t (LANG(?t) AS ?l) { ?a sckg:agreementId ?id ;
                rdfs:label ?t }"""):
            self.titles[aid][lang] = title
        self.kind: dict[str, dict[str, str]] = defaultdict(dict)   # id → {lang: the kind's label}
        for aid, kind, lang in _select(store, """SELECT ?id ?k (LANG(?k) AS ?l) { ?a sckg:agreementId ?id ;
                sckg:instrumentKind/rdfs:label ?k }"""):
            self.kind[aid][lang] = kind
        self.designations: dict[tuple, list[str]] = defaultdict(list)   # (id, lang) → «name» (user)
        for lang in ("en", "id"):
            for aid, text, user in _select(store, f"""SELECT ?id ?t ?u {{ ?a sckg:agreementId ?id ;
                    sckg:hasDesignation ?d . ?d sckg:designationText ?t .
                    OPTIONAL {{ ?d sckg:usedBy/rdfs:label ?ul FILTER(LANG(?ul) = "{lang}") }}
                    OPTIONAL {{ ?d sckg:usedByName ?un }}
                    BIND(COALESCE(?ul, ?un) AS ?u) }}"""):
                self.designations[(aid, lang)].append(f"«{text}»" + (f" ({user})" if user else ""))
        self.grade: dict[str, str] = dict(_select(store, "SELECT ?s ?g { ?s sckg:grade/skos:notation ?g }"))
        self.provision_sources: dict[str, set[str]] = defaultdict(set)
        for p, src in _select(store, """SELECT ?p ?s { { ?p a sckg:Provision } UNION { ?p a eli:LegalExpression }
                                          ?p sckg:attestedBy ?s }"""):
            self.provision_sources[p].add(src)
        # versions in time of a provision (eli:is_realized_by): provision → [(version, from, until or None)]
        self.versions: dict[str, list[tuple]] = defaultdict(list)
        for p, v, start, end in _select(store, """SELECT ?p ?v ?from ?until { ?p eli:is_realized_by ?v .
                ?v eli:date_applicability ?from . OPTIONAL { ?v eli:date_no_longer_in_force ?until } }"""):
            self.versions[p].append((v, dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
        self.sources: dict[tuple, set[str]] = defaultdict(set)   # (agreement id, kind, key) → sources
        for kind, query in EVIDENCE.items():
            for aid, key, src in _select(store, query):
                self.sources[(aid, kind, key)].add(src)
        self._rank: dict = {}

    def versions_on(self, provisions: list[str], day: dt.date | None) -> list[str]:
        """The version of each cited provision that applied on the day (the law as it stood when signed)."""
        if day is None:
            return []
        return sorted(v for p in provisions for v, start, end in self.versions.get(p, ())
                      if start <= day and (end is None or day < end))

    def _weakest_rank(self, key, sources) -> int:
        if key not in self._rank:
            self._rank[key] = max((GRADE_ORDER[self.grade[s]] for s in sources if s in self.grade), default=-1)
        return self._rank[key]

    def evidence(self, aid: str, cond: Condition, provisions: list[str]) -> set[str]:
        """Every source a condition's result rests on: the provisions it cites and the records it reads."""
        out: set[str] = set()
        for p in set(cond.provisions) | set(provisions):
            out |= self.provision_sources.get(p, set())
        for kind in cond.evidence:
            key = cond.evidence_step if kind == "step" else cond.evidence_finding if kind == "finding" else ""
            out |= self.sources.get((aid, kind, key or ""), set())
        return out

    def weakest_grade(self, aid: str, cond: Condition, provisions: list[str]) -> str | None:
        """The grade of the weakest of those sources, without building their set (for large registers)."""
        rank = -1
        for p in provisions:
            rank = max(rank, self._weakest_rank(("p", p), self.provision_sources.get(p, ())))
        for p in cond.provisions:
            rank = max(rank, self._weakest_rank(("p", p), self.provision_sources.get(p, ())))
        for kind in cond.evidence:
            key = (aid, kind, (cond.evidence_step if kind == "step" else cond.evidence_finding if kind == "finding"
                               else "") or "")
            rank = max(rank, self._weakest_rank(key, self.sources.get(key, ())))
        return GRADE_NAMES[rank] if rank >= 0 else None

    def in_force(self, q: Question) -> bool:
        """Still in force on the as-of date, on the record: signed by then, and no recorded end before it."""
        if q.judged_on is None or q.as_of < q.judged_on:
            return False
        for years, until, ended in self.ends.get(q.aid, []):
            if ended and dt.date.fromisoformat(ended) <= q.as_of:
                return False
            if until and dt.date.fromisoformat(until) < q.as_of:
                return False
            if years:
                y = q.judged_on.year + int(years)
                end = q.judged_on.replace(year=y, day=min(q.judged_on.day, 28 if q.judged_on.month == 2 else 31))
                if end <= q.as_of:
                    return False
        return True

    def reading_note(self, q: Question) -> dict[str, str]:
        """Which reading of the instrument was judged, and why, when the parties name it differently."""
        kind = self.kind.get(q.aid, {})
        en, id_ = kind.get("en", "—"), kind.get("id", kind.get("en", "—"))
        names = {lang: sorted(self.designations.get((q.aid, lang), [])) for lang in ("en", "id")}
        listed = {lang: "; ".join(n) for lang, n in names.items()}
        if len(names["en"]) > 1:
            return {"en": f"Judged as {en}, the kind the case file gives; the instrument is also named: "
                          f"{listed['en']}.",
                    "id": f"Dinilai sebagai {id_}, jenis yang dinyatakan berkas kasus; instrumen ini juga disebut: "
                          f"{listed['id']}."}
        return {"en": f"Judged as {en}." + (f" Designation: {listed['en']}." if names["en"] else ""),
                "id": f"Dinilai sebagai {id_}." + (f" Sebutan: {listed['id']}." if names["id"] else "")}


#: The records each kind of evidence reads, per agreement (key: the step or finding, where there is one).
EVIDENCE = {
    "agreement": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:attestedBy ?s }',
    "parties": """SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasParty ?p .
                  { ?p sckg:attestedBy ?s } UNION { ?p sckg:inState/sckg:attestedBy ?s } }""",
    # the intervals of the relation that cover the date of signature (all of them where there is no date)
    "relation": """SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasParty/sckg:inState ?st .
                   ?r sckg:relationBetween ?st ; sckg:hasInterval ?iv . ?iv sckg:attestedBy ?s .
                   OPTIONAL { ?a sckg:signing/sckg:onDate ?d }
                   FILTER NOT EXISTS { ?iv sckg:since ?from FILTER(BOUND(?d) && ?from > ?d) }
                   FILTER NOT EXISTS { ?iv sckg:until ?until FILTER(BOUND(?d) && ?until <= ?d) } }""",
    "signatories": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasSignatory/sckg:attestedBy ?s }',
    "step": """SELECT ?id ?k ?s { ?a sckg:agreementId ?id ; sckg:implementsAgreement?/sckg:hasStep ?st .
               ?st sckg:stepType ?k . { ?st sckg:attestedBy ?s } UNION { ?st sckg:searchedIn ?s } }""",
    "finding": """SELECT ?id ?k ?s { ?a sckg:agreementId ?id ; sckg:hasFinding ?f .
                  ?f sckg:findingKey ?k ; sckg:attestedBy ?s }""",
    "signing": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:signing/sckg:attestedBy ?s }',
}

ENGINE_LAYERS = ("ontology", "shapes", "legislation", "actors", "sources", "cases")


def catalogue_of(kg) -> Catalogue:
    return load_catalogue(kg.layer("shapes"))


def engine_store(kg):
    """The layers the shapes read, in one pyoxigraph store (bulk-loaded from N-Triples)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(kg.ntriples(*ENGINE_LAYERS), format=ox.RdfFormat.N_TRIPLES)
    return store


def assess(kg, agreement_ids: list[str] | None = None, as_of=None, engine: str = "oxigraph",
           write: bool = True, with_sources: bool | None = None, store=None) -> list[Assessment]:
    """Assess the given agreements (all when none is named) as of a date. With `write`, the results also go into
    the assessments layer of the dataset (as SPARQL-queryable data); `with_sources` lists every source each result
    rests on (by default when the results are written), besides the grade of the weakest, which is always given.
    `store`: another store to run on (remote_engine.RemoteStore: a SPARQL 1.1 endpoint) instead of `engine_store(kg)`."""
    with_sources = write if with_sources is None else with_sources
    import pyoxigraph as ox
    from rdflib.plugins.serializers.nt import _nt_row

    known = {aid: ID["agreement/" + aid] for aid in kg.agreements}
    ids = agreement_ids or sorted(known)
    for aid in ids:
        if aid not in known:
            raise InputError(None, None, f"unknown agreement id {aid!r}; known ids: {', '.join(sorted(known)) or 'none'}")
    when = parse_as_of(as_of) if isinstance(as_of, (str, type(None))) else as_of
    store = engine_store(kg) if store is None else store
    facts = Facts(store)
    qs = questions(facts.signed, {aid: known[aid] for aid in ids}, when)
    store.bulk_load("".join(_nt_row(t) for t in question_triples(qs)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    catalogue = catalogue_of(kg)
    if engine == "pyshacl":
        data = Graph()
        data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
        fired = run_pyshacl_in_parts(data, catalogue, [q.iri for q in qs])
    else:
        fired = run_oxigraph(store, catalogue)
    grouped = by_assessment(fired)
    out = []
    for q in track(qs, "judging"):
        tests = derive(q, catalogue, grouped.get(str(q.iri), {}))
        for tr in tests:
            for cr in tr.conditions:
                cond = catalogue.conditions[cr.condition]
                # a provision that changed is cited with the version in force on the signing date
                cr.provisions = sorted(set(cr.provisions) | set(facts.versions_on(cr.provisions, q.judged_on)))
                if with_sources:
                    cr.sources = sorted(facts.evidence(q.aid, cond, cr.provisions))
                cr.grade = facts.weakest_grade(q.aid, cond, cr.provisions)
        out.append(Assessment(q, tests, facts.in_force(q), facts.reading_note(q), engine, facts.titles.get(q.aid, {})))
    if write:
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
                    graph.add((c_node, RDFS.label,
                               Literal(f"{cr.cid} [{tr.test.tid}] — {q.aid} ({q.as_of})", lang=lang)))
                for lang, text in cr.messages.items():
                    if lang:
                        graph.add((c_node, SCKG.message, Literal(text, lang=lang)))
                for p in cr.provisions:
                    graph.add((c_node, SCKG.citesProvision, URIRef(p)))
                for s in cr.sources:
                    graph.add((c_node, SCKG.restsOn, URIRef(s)))
                if cr.grade:
                    graph.add((c_node, SCKG.weakestGrade, VOC[f"grade/{cr.grade}"]))
