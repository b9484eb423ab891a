"""The legal tests as data: every shape is complete and linked to the law; the engine's public interface."""
import json
import subprocess
import sys

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from sistercity_kg.assess import assess, catalogue_of
from sistercity_kg.namespaces import ELI, SCKG, SH

REQUIRED_TESTS = {"vclt-1969/treaty", "uu-24-2000/perjanjian-internasional", "uu-37-1999/hubungan-luar-negeri",
                  "uu-23-2014/kerja-sama-luar-negeri", "pp-28-2018/ksdpl", "pp-28-2018/ksdll",
                  "permendagri-3-2008/kerja-sama-luar-negeri"}
REQUIRED_CONDITIONS = """vclt-1969/parties-are-states vclt-1969/written-form vclt-1969/governed-by-international-law
uu-24-2000/made-by-government-of-ri uu-24-2000/counterpart-is-subject-of-international-law
uu-23-2014/object-within-pasal-367 uu-23-2014/not-absolute-affair uu-23-2014/regional-competence
uu-23-2014/central-approval uu-23-2014/dprd-approval pp-28-2018/head-of-region-represents pp-28-2018/written-text
pp-28-2018/object-permitted pp-28-2018/diplomatic-relations pp-28-2018/regional-affair pp-28-2018/no-office-abroad
pp-28-2018/non-interference pp-28-2018/development-plans pp-28-2018/technology-transfer pp-28-2018/equal-status
pp-28-2018/complementarity pp-28-2018/people-to-people pp-28-2018/consultation-before-loi pp-28-2018/dprd-approval
pp-28-2018/mendagri-consideration pp-28-2018/draft-approved pp-28-2018/central-approval
pp-28-2018/surat-konfirmasi-before-signing""".split()


@pytest.fixture(scope="module")
def catalogue(kg):
    return catalogue_of(kg)


def test_public_test_and_condition_ids_exist(catalogue):
    assert REQUIRED_TESTS <= {t.tid for t in catalogue.tests}
    assert set(REQUIRED_CONDITIONS) <= {c.cid for c in catalogue.conditions.values()}


def test_every_shape_speaks_both_languages_and_has_a_severity(catalogue):
    g = catalogue.graph
    for shape in catalogue.shapes:
        node = URIRef(shape.iri)
        assert g.value(node, SH.severity) is not None, shape.iri
        names = {n.language for n in g.objects(node, SH.name)}
        assert {"id", "en"} <= names, shape.iri
        assert {"id", "en"} <= set(shape.messages), shape.iri
        assert shape.conditions or shape.tests, f"{shape.iri} decides nothing"


def test_every_condition_shape_links_to_the_articles_it_encodes(catalogue):
    for shape in catalogue.shapes:
        if shape.conditions:
            assert shape.provisions, f"{shape.iri} cites no provision"


def test_every_condition_belongs_to_a_test_of_a_framework_with_a_window(catalogue):
    g = catalogue.graph
    in_a_test = {c for t in catalogue.tests for c in t.conditions}
    assert set(catalogue.conditions) <= in_a_test
    for t in catalogue.tests:
        fw = URIRef(t.framework)
        assert g.value(fw, SCKG.inForceFrom) or g.value(fw, SCKG.notBefore), t.tid


def _has_text(graph, node) -> bool:
    if graph.value(node, SCKG.text) is not None or graph.value(node, SCKG.gloss) is not None:
        return True
    return any(_has_text(graph, part) for part in graph.objects(node, ELI.has_part))


def test_every_provision_cited_by_a_shape_exists_with_text_and_source(kg, catalogue):
    leg = kg.layer("legislation")
    cited = {p for s in catalogue.shapes for p in s.provisions}
    cited |= {p for c in catalogue.conditions.values() for p in c.provisions}
    assert cited
    for p in sorted(cited):
        node = URIRef(p)
        assert (node, RDF.type, SCKG.Provision) in leg, f"{p} is not in data/legislation"
        assert _has_text(leg, node), f"{p} has no text"
        assert leg.value(node, SCKG.attestedBy) is not None, f"{p} has no source"


def test_framework_windows_agree_with_the_legislation(kg, catalogue):
    g, leg = catalogue.graph, kg.layer("legislation")
    checked = 0
    for fw in g.subjects(RDF.type, SCKG.LegalFramework):
        instrument = g.value(fw, SCKG.frameworkInstrument)
        for mine, theirs in ((SCKG.inForceFrom, ELI.first_date_entry_in_force),
                             (SCKG.inForceUntil, ELI.date_no_longer_in_force)):
            a, b = g.value(fw, mine), leg.value(instrument, theirs)
            if a is not None and b is not None:
                assert a == b, f"{fw}: {mine} {a} but the legislation says {b}"
                checked += 1
    assert checked >= 6


def test_results_are_stored_in_the_graph_and_queryable(kg):
    assess(kg, ["bogor-kisarazu-2016", "bogor-kisarazu-2022"])
    g = kg.layer("assessments")
    q = """PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
           SELECT ?agreement ?status WHERE {
             ?a sckg:assessedAgreement ?agreement ; sckg:hasTestResult/sckg:hasConditionResult ?r .
             ?r sckg:citesProvision <https://w3id.org/sistercity-kg/id/legislation/pp/2018/28/pasal/27/ayat/1/huruf/a> ;
                sckg:status ?status }"""
    rows = {(str(a).rsplit("/", 1)[-1], str(s).rsplit("/", 1)[-1]) for a, s in g.query(q)}
    assert ("bogor-kisarazu-2022", "satisfied") in rows
    assert ("bogor-kisarazu-2016", "not-applicable") in rows


def test_as_of_today_keeps_the_making_rules_of_the_signing_date(kg):
    (a,) = assess(kg, ["bogor-kisarazu-2016"], as_of="today", write=False)
    assert a.question.judged_on.isoformat() == "2016-11-18"
    # in force is three-valued, with its reason: the 2016 instrument was replaced by its renewal of 2022-11-28
    assert a.in_force == "no" and "bogor-kisarazu-2022" in a.in_force_reason["en"]
    (signed,) = assess(kg, ["bogor-kisarazu-2016"], write=False)
    assert signed.in_force == "not-evidenced"   # no term, termination or renewal recorded by 2016-11-18
    ksdpl = next(t for t in a.tests if t.test.tid == "pp-28-2018/ksdpl")
    assert ksdpl.answer == "not-applicable"
    assert "Art. 48" in ksdpl.conditions[0].messages["en"] and "Pasal 48" in ksdpl.conditions[0].messages["id"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "sistercity_kg", *args], capture_output=True, text=True)


def test_assess_json_contract():
    proc = _cli("assess", "bogor-kisarazu-2016", "--format", "json")
    # exit 0: only classification tests answer "no" (not a treaty, not a perjanjian internasional); no lawfulness
    # test does (UU 23/2014 and the 2008 guideline are undetermined, PP 28/2018 not applicable)
    assert proc.returncode == 0, proc.stderr
    (data,) = json.loads(proc.stdout)                  # an array, whatever the count
    assert data["id"] == "bogor-kisarazu-2016" and data["as_of"] == "2016-11-18"
    assert data["agreement"] == "https://w3id.org/sistercity-kg/id/agreement/bogor-kisarazu-2016"
    tests = {t["test"]: t for t in data["tests"]}
    cond = next(c for c in tests["vclt-1969/treaty"]["conditions"] if c["condition"] == "vclt-1969/parties-are-states")
    assert cond["status"] == "violated"
    assert cond["citation"].startswith("VCLT 1969 Art. 1")
    assert "https://w3id.org/sistercity-kg/id/legislation/vclt/1969/art/2/para/1/sub/a" in cond["provisions"]
    assert cond["grade"] in ("primary", "secondary", "unverified") and cond["message"]
    for t in data["tests"]:
        assert t["answer"] in ("yes", "no", "undetermined", "not-applicable") and t["question"]
    kinds = {t["test"]: t["kind"] for t in data["tests"]}
    assert kinds == {"vclt-1969/treaty": "classification", "uu-24-2000/perjanjian-internasional": "classification",
                     "uu-37-1999/hubungan-luar-negeri": "classification",
                     "uu-23-2014/kerja-sama-luar-negeri": "lawfulness", "pp-28-2018/ksdpl": "lawfulness",
                     "pp-28-2018/ksdll": "lawfulness", "permendagri-3-2008/kerja-sama-luar-negeri": "lawfulness",
                     "jp-local-autonomy-act/partner-capacity": "lawfulness"}
    assert data["lawful"] == "undetermined" and data["in_force"] == "not-evidenced" and data["in_force_reason"]


def test_assess_exits_1_when_a_lawfulness_test_answers_no():
    """A city agreement on defence (an absolute affair, UU 23/2014 Pasal 10(1)) is not lawful cooperation: exit 1."""
    proc = _cli("assess", "--case", "tests/fixtures/conditions/uu-23-2014--not-absolute-affair--fail.yaml",
                "--format", "summary")
    assert proc.returncode == 1, proc.stderr
    header, row = proc.stdout.splitlines()
    assert "lawfulness:uu-23-2014/kerja-sama-luar-negeri" in header.split("\t")
    assert "classification:vclt-1969/treaty" in header.split("\t")
    assert dict(zip(header.split("\t"), row.split("\t")))["lawful"] == "no"


def test_assess_text_in_indonesian_reads_like_a_checklist():
    proc = _cli("assess", "bogor-kisarazu-2016", "--lang", "id")
    assert "[TIDAK] vclt-1969/treaty" in proc.stdout
    assert "Konvensi Wina 1969 Pasal 2 ayat (1) huruf a" in proc.stdout
    assert "sumber terlemah" in proc.stdout


@pytest.mark.parametrize("args,text", [
    (["assess", "no-such-agreement"], "unknown agreement id 'no-such-agreement'"),
    (["assess", "bogor-kisarazu-2016", "--as-of", "2016-02-30"], "--as-of '2016-02-30'"),
    (["assess", "--case", "tests/fixtures/input/malformed.ttl"], "malformed.ttl"),
    (["assess", "--case", "tests/fixtures/input/case-malformed.yaml"], "case-malformed.yaml:5: malformed YAML"),
])
def test_assess_bad_input_exits_2_with_one_line(args, text):
    proc = _cli(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and text in proc.stderr and "Traceback" not in proc.stderr


def test_condition_shapes_are_asked_only_where_their_tests_are_open_and_the_statuses_do_not_change(kg, catalogue):
    """The fast path runs the whole-test shapes first and each condition's shape only on the assessments where one
    of its tests is still open (`still_open`, `_run_open`). On the register, as of signing, every status, article
    and message equals that of every shape asked of every assessment; PP 28/2018's condition shapes are not asked
    of an agreement signed before the regulation came into force (its test is not applicable there as a whole);
    and the marks of what each shape was asked of are gone afterwards."""
    import datetime as dt

    import pyoxigraph as ox

    from sistercity_kg.assess import (ASKED, Facts, _run_open, by_assessment, derive, engine_store,
                                      question_triples, questions, run_oxigraph, still_open)
    from sistercity_kg.dataset import _ntriples
    from sistercity_kg.namespaces import ID

    agreements = {aid: ID["agreement/" + aid] for aid in sorted(kg.agreements)}
    store = engine_store(kg)
    facts = Facts(store)
    qs = questions(facts.signed, agreements, "signing", facts.precision)
    store.bulk_load(_ntriples(question_triples(qs)), format=ox.RdfFormat.N_TRIPLES)
    full = by_assessment(run_oxigraph(store, catalogue))
    whole = run_oxigraph(store, catalogue, shapes=[s for s in catalogue.shapes if s.tests])
    focus = still_open(catalogue, whole, [str(q.iri) for q in qs])

    store = engine_store(kg)
    store.bulk_load(_ntriples(question_triples(qs)), format=ox.RdfFormat.N_TRIPLES)
    restricted = by_assessment(_run_open(store, catalogue, qs, None, 2))
    assert not list(store.quads_for_pattern(None, ox.NamedNode(ASKED), None, None))

    def statuses(tests):
        return [(t.answer, [(c.cid, c.status, c.provisions, c.messages) for c in t.conditions]) for t in tests]

    for q in qs:
        assert statuses(derive(q, catalogue, full.get(str(q.iri), {}))) == \
               statuses(derive(q, catalogue, restricted.get(str(q.iri), {}))), q.aid
    ksdpl = next(t for t in catalogue.tests if t.tid == "pp-28-2018/ksdpl")
    start = dt.date.fromisoformat(str(catalogue.graph.value(URIRef(ksdpl.framework), SCKG.inForceFrom)))
    before = {str(q.iri) for q in qs if q.judged_on and q.judged_on < start}
    assert before and len(before) < len(qs)
    shape = "https://w3id.org/sistercity-kg/shapes/pp-28-2018#diplomatic-relations.unrecorded"
    assert shape in focus and not before & set(focus[shape])


def test_register_lines_are_the_text_json_dumps_gives(kg):
    """`assess --case DIR` writes NDJSON and large JSON arrays with `render.JsonLines`, which encodes each repeated
    condition once and fills in the last keys: on every agreement of the register, in both languages, with and
    without sources, its text is exactly `json.dumps(as_json(…), ensure_ascii=False)`."""
    from sistercity_kg.render import Citations, JsonLines, as_json

    citations = Citations(kg.layer("legislation"))
    for with_sources in (False, True):
        results = assess(kg, write=False, with_sources=with_sources)
        for lang in ("id", "en"):
            line = JsonLines(citations, lang)
            for a in results + results:   # the second time, from the cache
                assert line(a) == json.dumps(as_json(a, citations, lang), ensure_ascii=False), a.question.aid
