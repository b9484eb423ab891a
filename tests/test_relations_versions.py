"""Issue 11: Indonesia's diplomatic relations as dated intervals (per-state dates and the 2010 rule, each with its
source), the interval the conditions read on the signing date, and the law as it stood on the day (versions in time
of UU 23/2014 Pasal 101 and 154, cited by the engine for the signing date)."""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _nt_row

from sistercity_kg import summary
from sistercity_kg.assess import (assessment_iri, catalogue_of, engine_store, run_oxigraph, run_pyshacl, assess,
                                  by_assessment)
from sistercity_kg.dataset import load
from sistercity_kg.namespaces import ID, SCKG
from sistercity_kg.queries import find_query, with_params
from sistercity_kg.sparql import Embedded

from .conftest import FIXTURES

VERSIONS = FIXTURES / "versions"
UU = "https://w3id.org/sistercity-kg/id/legislation/uu/2014/23/"


@pytest.fixture(scope="module")
def embedded(kg):
    return Embedded(kg)


def r6(embedded, state: str, date: str) -> list[dict]:
    variables, rows = embedded.select(with_params(find_query("r6"), {"state": [state], "date": [date]}))
    return [dict(zip(variables, map(lambda t: None if t is None else str(t), row))) for row in rows]


# ------------------------------------------------------------------------------------------------ relations
def test_summary_counts_relations_for_190_states_each_with_its_source(union):
    counts = {key: n for key, _, _, n in summary.count(union)}
    assert counts["relation_states"] >= 190
    assert counts["relation_intervals"] >= counts["relation_states"]


def test_the_2010_rule_is_a_rule_with_its_source_not_a_fact_per_state(ask):
    rows = ask("""SELECT ?rule ?src WHERE { ?rule a sckg:RelationRule ; sckg:attestedBy ?src ; sckg:ruleStatement ?s }""")
    assert {r[1].rsplit("/", 1)[-1] for r in rows} >= {"news-jakartaglobe-2010-21-countries"}
    derived = ask("""SELECT ?iv WHERE { ?iv sckg:derivedFromRule ?rule ; sckg:sinceNoLaterThan true ;
                     sckg:since "2010-11-29"^^xsd:date ; sckg:attestedBy ?src }""")
    assert len({r[0] for r in derived}) >= 170
    # Israel, South Sudan (admitted 2011) and the named states without relations in 2010 are not covered
    for iso in ("IL", "SS", "BB", "BT", "NR"):
        assert not ask(f"""SELECT ?iv WHERE {{ ?r sckg:relationBetween ?s ; sckg:hasInterval ?iv .
                           ?s sckg:isoCode "{iso}" . ?iv sckg:derivedFromRule ?rule }}""")


@pytest.mark.parametrize("date, status, interval", [
    ("1985-06-01", "suspended", "suspended 1967-10-30 – 1990-08-08"),
    ("1995-06-01", "established", "resumed 1990-08-08"),
    ("1960-01-01", "established", "established 1950-04-13 – 1967-10-30"),
])
def test_r6_answers_the_relation_with_china_on_any_date(embedded, date, status, interval):
    rows = r6(embedded, "CN", date)
    assert {r["status"] for r in rows} == {status}
    assert {r["interval"] for r in rows} == {interval}
    assert all(r["source"] for r in rows)


def test_r6_says_not_recorded_where_no_interval_covers_the_date(embedded):
    rows = r6(embedded, "Barbados", "2019-06-01")
    assert [r["status"] for r in rows] == ["not-recorded"] and rows[0]["relation"] == "none 2010-11-29 – 2012-01-01"


def test_a_suspended_relation_violates_pp_28_2018_in_both_engines(kg):
    """PP 28/2018 never applied while relations with China were suspended (1967–1990); the shape is asked directly
    of an assessment judged on 1985-06-01, so that the suspended interval is read and named by both engines."""
    store = engine_store(kg)
    a, party, q = ID["agreement/fx-suspended"], ID["party/fx-suspended"], assessment_iri("fx-suspended", dt.date(1985, 6, 1))
    day = Literal("1985-06-01", datatype=XSD.date)
    triples = [(a, RDF.type, SCKG.Agreement), (a, SCKG.hasParty, party), (party, SCKG.inState, ID["actor/china"]),
               (q, RDF.type, SCKG.Assessment), (q, SCKG.assessedAgreement, a), (q, SCKG.judgedOn, day)]
    store.bulk_load("".join(_nt_row(t) for t in triples).encode(), format=ox.RdfFormat.N_TRIPLES)
    catalogue = catalogue_of(kg)
    shape = "https://w3id.org/sistercity-kg/shapes/pp-28-2018#diplomatic-relations.violated"
    fast = by_assessment(run_oxigraph(store, catalogue))[str(q)]
    assert "«suspended 1967-10-30 – 1990-08-08»" in fast[shape]["en"]
    assert "«dibekukan 1967-10-30 – 1990-08-08»" in fast[shape]["id"]
    assert not any(s.endswith(("diplomatic-relations.satisfied", "diplomatic-relations.unrecorded")) for s in fast)
    from rdflib import Graph
    data = Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    for other in set(data.subjects(RDF.type, SCKG.Assessment)) - {q}:
        data.remove((other, RDF.type, SCKG.Assessment))
    reference = by_assessment(run_pyshacl(data, catalogue))[str(q)]
    assert {s for s in reference if "diplomatic" in s} == {s for s in fast if "diplomatic" in s}


# ------------------------------------------------------------------------------------------------ versions in time
@pytest.fixture(scope="module")
def versioned():
    kg = load(case_files=sorted(VERSIONS.glob("*.yaml")) + [FIXTURES.parent.parent / "data/cases/bogor-kisarazu-2016.yaml",
                                                           FIXTURES.parent.parent / "data/cases/bogor-kisarazu-2022.yaml"],
              include_register=False)
    ids = ["fx-versions-bogor-kisarazu-2014", "fx-versions-bogor-kisarazu-2016"]
    return kg, {a.question.aid: a for a in assess(kg, ids, "signing", write=False)}


def _dprd(assessment) -> list[str]:
    return next(c.provisions for t in assessment.tests if t.test.tid == "uu-23-2014/kerja-sama-luar-negeri"
                for c in t.conditions if c.cid == "uu-23-2014/dprd-approval")


@pytest.mark.parametrize("aid, version, label", [
    ("fx-versions-bogor-kisarazu-2014", "perppu-2-2014",
     "UU 23/2014 Pasal 154 ayat (1) huruf g (teks 2014, sebagaimana diubah Perppu 2/2014)"),
    ("fx-versions-bogor-kisarazu-2016", "uu-2015-9", "UU 23/2014 Pasal 154 ayat (1) huruf g (teks UU 9/2015)"),
])
def test_the_dprd_approval_condition_cites_the_version_in_force_on_the_signing_date(versioned, aid, version, label):
    kg, results = versioned
    provisions = _dprd(results[aid])
    cited = UU + f"pasal/154/ayat/1/huruf/g/version/{version}"
    assert cited in provisions
    assert [p for p in provisions if "/version/" in p and "/154/" in p] == [cited], "one version, the one of the day"
    g = kg.union()
    node = URIRef(cited)
    assert label in {str(o) for o in g.objects(node, SCKG.citationLabel)}
    assert str(g.value(node, SCKG.text)).startswith("memberikan persetujuan terhadap rencana kerja sama internasional")


def test_the_original_2014_wording_has_no_day_of_its_own(ask):
    rows = ask(f"""SELECT ?v ?from ?until WHERE {{ <{UU}pasal/154/ayat/1/huruf/d> eli:is_realized_by ?v .
                  ?v eli:date_applicability ?from . OPTIONAL {{ ?v eli:date_no_longer_in_force ?until }} }}""")
    by = {r[0].rsplit("/", 1)[-1]: (r[1], r[2]) for r in rows}
    assert by["uu-2014-23"] == ("2014-10-02", "2014-10-02")
    assert by["perppu-2-2014"] == ("2014-10-02", "2015-03-18")
    assert by["uu-2015-9"] == ("2015-03-18", None)


def test_r5_answers_which_version_was_in_force(embedded):
    for date, version in (("2014-12-15", "perppu-2-2014"), ("2016-06-01", "uu-2015-9")):
        variables, rows = embedded.select(with_params(find_query("r5"), {"date": [date]}))
        found = {str(r[variables.index("instrument")]) for r in rows
                 if str(r[variables.index("instrument")]).startswith(UU + "pasal/154/ayat/1/huruf/g/")}
        assert found == {UU + f"pasal/154/ayat/1/huruf/g/version/{version}"}, date
