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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import InputError
from ..namespaces import ID, SCKG, VOC
from ..progress import track
from .catalogue import (DEFAULT_PRECEDENCE, FOCUS_ANCHOR, Catalogue, Condition, Shape, Test, in_statute_order,
                        load_catalogue, provision_order)
from .engines import Fired, run_oxigraph, run_pyshacl, run_pyshacl_in_parts
from .facts import EVIDENCE, GRADE_NAMES, GRADE_ORDER, Facts
from .questions import Question, assessment_iri, date_text, parse_as_of, question_triples, questions
from .results import Assessment, ConditionResult, TestResult, by_assessment, derive, still_open

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
    known = {aid: ID["agreement/" + aid] for aid in kg.agreements}
    ids = agreement_ids or sorted(known)
    for aid in ids:
        if aid not in known:
            raise InputError(None, None, f"unknown agreement id {aid!r}; known ids: {', '.join(sorted(known)) or 'none'}")
    when = parse_as_of(as_of) if isinstance(as_of, (str, type(None))) else as_of
    store = engine_store(kg) if store is None else store
    out = judge(store, catalogue_of(kg), {aid: known[aid] for aid in ids}, when, engine, with_sources)
    if write:
        write_results(kg.layer("assessments"), out)
    return out


def judge(store, catalogue: Catalogue, agreements: dict, when, engine: str = "oxigraph", with_sources: bool = False,
          graphs: list | None = None, progress: bool = True, threads: int = 2) -> list[Assessment]:
    """The engine's one pass: the questions (one per agreement, as of `when`) into the store, every shape over all
    of them, then each condition's status, articles, message and weakest grade. `graphs`: the store's named graphs
    that make up the data (a pyoxigraph store holding several runs); the questions go into the last of them.
    `threads`: the shapes' queries run at once (run_oxigraph)."""
    import pyoxigraph as ox

    from ..dataset import _ntriples

    facts = Facts(store, graphs)
    qs = questions(facts.signed, agreements, when, facts.precision)
    nt = _ntriples(question_triples(qs))
    if graphs:
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=graphs[-1])
    else:
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
    if engine == "pyshacl":
        data = Graph()
        for g in graphs or [ox.DefaultGraph()]:
            data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g), format="nt")
        fired = run_pyshacl_in_parts(data, catalogue, [q.iri for q in qs])
    elif isinstance(store, ox.Store):
        fired = _run_open(store, catalogue, qs, graphs, threads)
    else:
        fired = run_oxigraph(store, catalogue, graphs)
    grouped = by_assessment(fired)
    out = []
    cited: dict[tuple, list[str]] = {}   # (provisions, date) → the provisions with their versions on that date
    read: dict[tuple, tuple] = {}   # (condition, deciding shape) → the records the result read, whether a
    #                                 provision it cites has versions in time
    for q in (track(qs, "judging") if progress else qs):
        tests = derive(q, catalogue, grouped.get(str(q.iri), {}))
        for tr in tests:
            for cr in tr.conditions:
                if (cr.condition, cr.shape) not in read:
                    cond = catalogue.conditions[cr.condition]
                    decided = catalogue.by_iri.get(cr.shape) if cr.shape else None
                    read[(cr.condition, cr.shape)] = (
                        facts.records(cond, decided.evidence if decided is not None and decided.evidence
                                      else cond.evidence),
                        any(p in facts.versions for p in cr.provisions))
                records, versioned = read[(cr.condition, cr.shape)]
                if versioned:   # a provision that changed is cited with the version in force on the signing date
                    key = (tuple(cr.provisions), q.judged_on)
                    if key not in cited:
                        versions = facts.versions_on(cr.provisions, q.judged_on)
                        cited[key] = in_statute_order(set(cr.provisions) | set(versions)) if versions else cr.provisions
                    cr.provisions = list(cited[key])
                if with_sources:
                    cr.sources = sorted(facts.evidence(q.aid, records, cr.provisions))
                cr.grade = facts.weakest_grade(q.aid, records, cr.provisions)
        in_force, reason = facts.in_force(q)
        out.append(Assessment(q, tests, in_force, facts.reading_note(q), engine, facts.titles.get(q.aid, {}), reason))
    return out


#: While `judge` runs in a pyoxigraph store, each set of assessments a shape is asked of is marked
#: `<assessment> <ASKED> <ASKED:n>` beside the questions (removed after).
ASKED = "urn:x-sistercity-kg:asked"


def _run_open(store, catalogue: Catalogue, qs: list[Question], graphs: list | None, threads: int) -> Fired:
    """The fast path in a pyoxigraph store that holds the questions: the shapes that decide a whole test first, over
    every assessment; then each condition's shapes only over the assessments where one of its tests is still open
    (`still_open`). Such a shape's query finds its focus nodes by a mark of the set it is asked of instead of their
    type (the same pattern, an index lookup; a list of the assessments in the query was planned far worse by
    Oxigraph)."""
    import pyoxigraph as ox

    target = graphs[-1] if graphs else ox.DefaultGraph()
    fired = run_oxigraph(store, catalogue, graphs, [s for s in catalogue.shapes if s.tests], threads=threads)
    open_ = still_open(catalogue, fired, [str(q.iri) for q in qs])
    sets: dict[tuple, int] = {}   # a set of assessments → its mark
    marks = []
    for members in map(tuple, open_.values()):
        if members and members not in sets:
            sets[members] = len(sets)
            marks += [ox.Quad(ox.NamedNode(a), ox.NamedNode(ASKED), ox.NamedNode(f"{ASKED}:{sets[members]}"), target)
                      for a in members]
    store.extend(marks)
    try:
        queries = {iri: catalogue.by_iri[iri].query.replace(
                       FOCUS_ANCHOR, f"\n  ?this <{ASKED}> <{ASKED}:{sets[tuple(members)]}> .", 1) if members else None
                   for iri, members in open_.items()}
        fired.update(run_oxigraph(store, catalogue, graphs, [s for s in catalogue.shapes if not s.tests], queries,
                                  threads))
        return fired
    finally:
        for quad in marks:
            store.remove(quad)


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


__all__ = ["assess", "judge", "ASKED", "write_results", "engine_store", "catalogue_of", "ENGINE_LAYERS", "Assessment", "ConditionResult",
           "TestResult", "Question", "Catalogue", "Condition", "Shape", "Test", "Facts", "EVIDENCE", "GRADE_ORDER",
           "GRADE_NAMES", "DEFAULT_PRECEDENCE", "Fired", "load_catalogue", "derive", "by_assessment", "run_oxigraph",
           "run_pyshacl", "run_pyshacl_in_parts", "parse_as_of", "questions", "question_triples", "assessment_iri",
           "date_text", "provision_order"]
