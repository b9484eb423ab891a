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
#: A shape with no sckg:precedence comes after the whole-test shapes (window 1, signature date 2, scope 3, stage 4).
DEFAULT_PRECEDENCE = 10
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


def provision_order(iri: str) -> tuple:
    """Provisions in the order of the statute book: instrument, then article, paragraph, letter as numbers
    (Pasal 9 before Pasal 11, ayat (2) before ayat (10))."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[/]", iri))


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
    precision: str = "day"            # of the signature date: day | month | year (judged at its earliest day)

    @property
    def signed_text(self) -> str | None:
        return date_text(self.judged_on, self.precision) if self.judged_on else None


def date_text(d: dt.date, precision: str = "day") -> str:
    """A date as precise as its source: 2016-11-18, or 2016-11 for a month, 2016 for a year (never the 1st)."""
    iso = d.isoformat()
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso


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


def questions(signed: dict[str, dt.date | None], agreement_ids: dict[str, URIRef], as_of,
              precision: dict[str, str] | None = None) -> list[Question]:
    """One question per agreement: as of its signature (or today when it has none), or as of the date given."""
    out = []
    today = dt.date.today()
    for aid, node in agreement_ids.items():
        d = signed.get(aid)
        if as_of == "signing":
            date, rule = (d or today), ("signing" if d else "today")
        else:
            date, rule = as_of, ("today" if as_of == today else "date")
        out.append(Question(assessment_iri(aid, date), node, aid, date, rule, d, (precision or {}).get(aid, "day")))
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


def _first(candidates) -> dict[str, str]:
    """Of the messages one shape gave one assessment (one per solution of its query), the one every engine picks:
    the first in the order of its English text, then its Indonesian text."""
    return min(candidates, key=lambda msg: (msg.get("en", ""), msg.get("id", "")))


def run_oxigraph(store, catalogue: Catalogue) -> Fired:
    """The fast path: each shape's query once, over all assessments at once, in a pyoxigraph store."""
    from concurrent.futures import ThreadPoolExecutor

    def run(shape: Shape):
        result = store.query(shape.query)
        names = [v.value for v in result.variables]
        return shape, [{n: row[n].value for n in names if row[n] is not None} for row in result]

    found: dict[tuple, list] = defaultdict(list)
    with ThreadPoolExecutor(max_workers=2) as pool:  # pyoxigraph evaluates outside the GIL
        for shape, bindings in pool.map(run, catalogue.shapes):
            for binding in bindings:
                found[(binding["this"], shape.iri)].append(
                    {lang: _fill(t, binding) for lang, t in shape.messages.items()})
    return {key: _first(candidates) for key, candidates in found.items()}


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
    shape: str | None = None          # the shape that decided the status (None: satisfied, no shape reported)
    labels: dict[str, str] = field(default_factory=dict)   # the condition's name, per language


@dataclass
class TestResult:
    test: Test
    answer: str
    conditions: list[ConditionResult]


@dataclass
class Assessment:
    question: Question
    tests: list[TestResult]
    in_force: str                     # yes | no | not-evidenced
    notes: dict[str, str]
    engine: str
    titles: dict[str, str] = field(default_factory=dict)
    in_force_reason: dict[str, str] = field(default_factory=dict)

    @property
    def lawful(self) -> str:
        """The lawfulness tests together: no when one answers no, else undetermined when one does, else yes
        (not-applicable when none applies). Classification tests do not count: not being a treaty breaks nothing."""
        answers = {tr.answer for tr in self.tests if tr.test.kind == "lawfulness"} - {"not-applicable"}
        return ("no" if "no" in answers else "undetermined" if "undetermined" in answers
                else "yes" if answers else "not-applicable")


def by_assessment(fired: Fired) -> dict[str, dict[str, dict]]:
    """The reports grouped by assessment: assessment IRI → shape IRI → messages."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for (focus, shape), msg in fired.items():
        out[focus][shape] = msg
    return out


def derive(question: Question, catalogue: Catalogue, fired: dict[str, dict]) -> list[TestResult]:
    """Statuses and answers from the shapes that reported on this assessment (`fired`: shape IRI → messages),
    by one rule for every engine.

    A condition's status: the test as a whole first (not applicable, then not evidenced: the framework's window, the
    signature date, the scope), then the condition's own shapes (not applicable, violated, not evidenced), else
    satisfied. When several shapes give the same status, the one of lowest sckg:precedence (then of first IRI)
    gives the provisions, citation and message shown, so the answer does not depend on the order an engine reports
    in."""
    by_condition: dict[str, dict[str, Shape]] = defaultdict(dict)
    by_test: dict[str, dict[str, Shape]] = defaultdict(dict)
    shapes = catalogue.by_iri

    def keep(table: dict, shape: Shape):
        held = table.get(shape.outcome)
        if held is None or shape.rank < held.rank:
            table[shape.outcome] = shape

    for iri in fired:
        shape = shapes[iri]
        for c in shape.conditions:
            keep(by_condition[c], shape)
        for t in shape.tests:
            keep(by_test[t], shape)
    results = []
    for test in catalogue.tests:
        whole = by_test.get(test.iri, {})
        rows = []
        for c_iri in test.conditions:
            cond = catalogue.conditions[c_iri]
            own = by_condition.get(c_iri, {})
            decided = next((whole[st] for st in ("not-applicable", "not-evidenced") if st in whole), None)
            decided = decided or next((own[st] for st in ("not-applicable", "violated", "not-evidenced")
                                       if st in own), None)
            if decided is None:
                rows.append(ConditionResult(c_iri, cond.cid, "satisfied",
                                            sorted(cond.provisions, key=provision_order), cond.satisfied,
                                            labels=cond.labels))
            else:
                rows.append(ConditionResult(c_iri, cond.cid, decided.outcome,
                                            sorted(set(cond.provisions) | set(decided.provisions), key=provision_order),
                                            fired[decided.iri], shape=decided.iri, labels=cond.labels))
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
        self.precision: dict[str, str] = {}
        for aid, d, p in _select(store, """SELECT ?id ?d ?p { ?a sckg:agreementId ?id ; sckg:signing ?s . ?s sckg:onDate ?d .
                OPTIONAL { ?s sckg:datePrecision/skos:notation ?p } }"""):
            self.signed[aid] = dt.date.fromisoformat(d)
            self.precision[aid] = p or "day"
        self.renewals: dict[str, list] = defaultdict(list)   # id → [(date, precision, renewing id)]
        for aid, new, d, p in _select(store, """SELECT ?id ?new ?d ?p { ?n sckg:renews ?a ; sckg:agreementId ?new ;
                sckg:signing ?s . ?a sckg:agreementId ?id . ?s sckg:onDate ?d .
                OPTIONAL { ?s sckg:datePrecision/skos:notation ?p } }"""):
            self.renewals[aid].append((dt.date.fromisoformat(d), p or "day", new))
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
        for p, src in _select(store, "SELECT ?p ?s { ?p a sckg:Provision ; sckg:attestedBy ?s }"):
            self.provision_sources[p].add(src)
        self.sources: dict[tuple, set[str]] = defaultdict(set)   # (agreement id, kind, key) → sources
        for kind, query in EVIDENCE.items():
            for aid, key, src in _select(store, query):
                self.sources[(aid, kind, key)].add(src)
        self._rank: dict = {}

    def _weakest_rank(self, key, sources) -> int:
        if key not in self._rank:
            self._rank[key] = max((GRADE_ORDER[self.grade[s]] for s in sources if s in self.grade), default=-1)
        return self._rank[key]

    @staticmethod
    def _record_keys(aid: str, cond: Condition, kinds: list[str]) -> list[tuple]:
        return [(aid, kind, (cond.evidence_step if kind == "step" else cond.evidence_finding if kind == "finding"
                             else "") or "") for kind in kinds]

    def evidence(self, aid: str, cond: Condition, provisions: list[str], kinds: list[str]) -> set[str]:
        """Every source a condition's result rests on: the provisions it cites and the records it read (`kinds`:
        the kinds of record read by the shape that decided it, or by the condition when satisfied)."""
        out: set[str] = set()
        for p in provisions:
            out |= self.provision_sources.get(p, set())
        for key in self._record_keys(aid, cond, kinds):
            out |= self.sources.get(key, set())
        return out

    def weakest_grade(self, aid: str, cond: Condition, provisions: list[str], kinds: list[str]) -> str | None:
        """The grade of the weakest source of the records the result read and of the provisions it cites; None when
        it read no record with a source (a result that rests on no fact has no grade, however primary its law)."""
        facts = -1
        for key in self._record_keys(aid, cond, kinds):
            facts = max(facts, self._weakest_rank(key, self.sources.get(key, ())))
        if facts < 0:
            return None
        rank = facts
        for p in provisions:
            rank = max(rank, self._weakest_rank(("p", p), self.provision_sources.get(p, ())))
        return GRADE_NAMES[rank]

    def in_force(self, q: Question) -> tuple[str, dict[str, str]]:
        """Whether the instrument is in force on the as-of date, on the record: yes (a recorded term covers the date),
        no (not yet signed, terminated, replaced by its renewal, or its term ended), or not-evidenced (nothing
        recorded either way), with the reason in both languages."""
        if q.judged_on is None:
            return "not-evidenced", {"en": "no signature date is recorded", "id": "tanggal penandatanganan tidak tercatat"}
        signed, when = q.judged_on, q.as_of
        if when < q.judged_on:
            return "no", {"en": f"not yet signed on that date (signed {q.signed_text})",
                          "id": f"belum ditandatangani pada tanggal itu (ditandatangani {q.signed_text})"}
        running = None
        for years, until, ended in self.ends.get(q.aid, []):
            if ended and dt.date.fromisoformat(ended) <= when:
                return "no", {"en": f"terminated on {ended}", "id": f"diakhiri pada {ended}"}
        for d, precision, new in sorted(self.renewals.get(q.aid, [])):
            if d <= when:
                text = date_text(d, precision)
                return "no", {"en": f"replaced by its renewal {new}, signed {text}",
                              "id": f"digantikan oleh pembaruannya {new}, yang ditandatangani {text}"}
        for years, until, ended in self.ends.get(q.aid, []):
            if until:
                if dt.date.fromisoformat(until) < when:
                    return "no", {"en": f"its term ended on {until}", "id": f"jangka waktunya berakhir pada {until}"}
                running = {"en": f"within its term, which runs until {until}",
                           "id": f"dalam jangka waktunya, yang berlaku sampai {until}"}
            if years:
                n = int(years)
                end = signed.replace(year=signed.year + n, day=min(signed.day, 28 if signed.month == 2 else 31))
                if end <= when:
                    return "no", {"en": f"its term of {n} years from {q.signed_text} ended on {end.isoformat()}",
                                  "id": f"jangka waktunya {n} tahun sejak {q.signed_text} berakhir pada {end.isoformat()}"}
                running = {"en": f"within its term of {n} years from {q.signed_text}, to {end.isoformat()}",
                           "id": f"dalam jangka waktunya {n} tahun sejak {q.signed_text}, sampai {end.isoformat()}"}
        if running:
            return "yes", running
        return "not-evidenced", {"en": "no term, termination or renewal is recorded",
                                 "id": "tidak tercatat jangka waktu, pengakhiran, atau pembaruan"}

    def reading_note(self, q: Question) -> dict[str, str]:
        """Which reading of the instrument was judged, and why, when the parties name it differently."""
        kind = self.kind.get(q.aid, {})
        names = {lang: sorted(self.designations.get((q.aid, lang), [])) for lang in ("en", "id")}
        listed = {lang: "; ".join(n) for lang, n in names.items()}
        if not kind:
            return {"en": "No instrument kind is recorded." + (f" Designation: {listed['en']}." if names["en"] else ""),
                    "id": "Jenis instrumen tidak tercatat." + (f" Sebutan: {listed['id']}." if names["id"] else "")}
        en, id_ = kind.get("en", ""), kind.get("id", kind.get("en", ""))
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
    "relation": """SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasParty/sckg:inState ?st .
                   ?r sckg:relationBetween ?st ; sckg:attestedBy ?s }""",
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
    qs = questions(facts.signed, {aid: known[aid] for aid in ids}, when, facts.precision)
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
                decided = catalogue.by_iri.get(cr.shape) if cr.shape else None
                kinds = decided.evidence if decided is not None and decided.evidence else cond.evidence
                if with_sources:
                    cr.sources = sorted(facts.evidence(q.aid, cond, cr.provisions, kinds))
                cr.grade = facts.weakest_grade(q.aid, cond, cr.provisions, kinds)
        in_force, reason = facts.in_force(q)
        out.append(Assessment(q, tests, in_force, facts.reading_note(q), engine, facts.titles.get(q.aid, {}), reason))
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
        graph.add((q.iri, SCKG.instrumentInForce, VOC[f"in-force/{a.in_force}"]))
        for lang, text in a.in_force_reason.items():
            graph.add((q.iri, SCKG.inForceReason, Literal(text, lang=lang)))
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
            graph.add((t_node, SCKG.testKind, VOC[f"test-kind/{tr.test.kind}"]))
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
