"""The register: real agreements assess as their sources imply; case files round-trip through RDF; the intake
rejects bad input by file and line and writes nothing; the fast engine equals pyshacl on a small generated register
(the large comparison is in bench/run.py)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sistercity_kg.assess import assess
from sistercity_kg.dataset import expand_case_paths, load
from sistercity_kg.errors import InputError
from sistercity_kg.paths import DATA_DIR, HOME

sys.path.insert(0, str(HOME / "bench"))
from generate import generate  # noqa: E402

REGISTER = sorted((DATA_DIR / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def register(kg):
    return {a.question.aid: a for a in assess(kg, write=False)}


def answers(a):
    return {t.test.tid: t.answer for t in a.tests}


def test_the_register_holds_at_least_fifteen_real_agreements():
    assert len(REGISTER) >= 15
    regions = set()
    for path in REGISTER:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert case.get("sources") or case.get("source"), f"{path.name} cites no source"
        regions.add(path.stem.split("-")[0])
    assert len(regions) >= 6


def test_every_register_case_assesses(register):
    assert len(register) == len(REGISTER)
    for aid, a in register.items():
        assert len(a.tests) == 8, aid   # seven Indonesian and international tests, and the Japanese partner's
        for t in a.tests:
            assert t.answer in ("yes", "no", "undetermined", "not-applicable")


def test_bandung_braunschweig_1960_precedes_every_framework(register):
    assert set(answers(register["bandung-braunschweig-1960"]).values()) == {"not-applicable"}


def test_1990_agreement_only_the_vienna_convention_applies(register):
    got = answers(register["bandung-fort-worth-1990"])
    assert got["vclt-1969/treaty"] == "no"          # two cities, not States (Art. 2(1)(a))
    assert {v for k, v in got.items() if k != "vclt-1969/treaty"} == {"not-applicable"}


def test_a_2020_sister_city_agreement_is_judged_under_pp_28_2018(register):
    got = answers(register["bogor-lankaran-2020"])
    assert got["pp-28-2018/ksdpl"] in ("undetermined", "no")
    # signed on 14 March 2020, before Permendagri 25/2020 revoked the 2008 guideline (22 May 2020): both apply
    assert got["permendagri-3-2008/kerja-sama-luar-negeri"] != "not-applicable"
    ksdpl = next(t for t in register["bogor-lankaran-2020"].tests if t.test.tid == "pp-28-2018/ksdpl")
    # Indonesia's relations with Azerbaijan in 2020 rest on the 2010 rule (a UN member other than Israel and the
    # 21 without relations in 2010), and the message names that interval
    dr = next(c for c in ksdpl.conditions if c.cid == "pp-28-2018/diplomatic-relations")
    assert dr.status == "satisfied"
    assert "«established no later than 2010-11-29 (2010 rule)»" in dr.messages["en"]


def test_a_letter_of_intent_of_2019_answers_only_to_pasal_27_and_28(register):
    ksdpl = next(t for t in register["sulawesi-selatan-ehime-2019"].tests if t.test.tid == "pp-28-2018/ksdpl")
    status = {c.cid: c.status for c in ksdpl.conditions}
    assert status["pp-28-2018/dprd-approval"] == "not-applicable"
    assert status["pp-28-2018/consultation-before-loi"] == "not-evidenced"


def test_round_trip_case_file_to_rdf_gives_the_same_assessment(tmp_path):
    case = DATA_DIR / "cases" / "bogor-kisarazu-2022.yaml"
    copy = tmp_path / "copy.yaml"
    copy.write_text(case.read_text(encoding="utf-8").replace("id: bogor-kisarazu-2022", "id: round-trip"),
                    encoding="utf-8")
    ttl = tmp_path / "copy.ttl"
    subprocess.run([sys.executable, "-m", "sistercity_kg", "import", str(copy), "--out", str(ttl)], check=True,
                   capture_output=True)

    def statuses(path):
        kg = load(case_files=[path])
        (a,) = assess(kg, ["round-trip"], write=False)
        return [(t.test.tid, c.cid, c.status, c.grade) for t in a.tests for c in t.conditions]

    assert statuses(copy) == statuses(ttl)


def test_import_of_bad_input_writes_nothing(tmp_path):
    out = tmp_path / "out.ttl"
    proc = subprocess.run([sys.executable, "-m", "sistercity_kg", "import", str(HOME / "tests/fixtures/input"),
                           "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 2 and not out.exists()
    lines = proc.stderr.strip().splitlines()      # every bad file of the folder, one line each
    assert len(lines) == len(list((HOME / "tests/fixtures/input").glob("*.yaml")))
    assert all(re.match(r"sistercity-kg: \S+\.yaml:\d+: ", line) for line in lines), lines


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text((DATA_DIR / "cases" / "bogor-kisarazu-2022.yaml").read_text(encoding="utf-8")
                                     .replace("id: bogor-kisarazu-2022", "id: same-id"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(case_files=expand_case_paths([tmp_path]))
    assert err.value.file.endswith("b.yaml") and "duplicate agreement id 'same-id'" in err.value.message


def test_parties_resolve_through_the_wikidata_extracts(tmp_path):
    path = tmp_path / "resolve.yaml"
    path.write_text("""id: resolve-test
kind: memorandum-of-understanding
signed: {date: 2019-03-01}
parties:
  - {name: Kota Bandung, kind: city, country: ID}
  - {name: Kabupaten Bogor, kind: regency, country: ID, kemendagri-code: "32.01"}
  - {name: Chiba, kind: prefecture, country: JP, wikidata: Q80011}
sources: [{url: "https://example.org/test", title: test, grade: unverified}]
""", encoding="utf-8")
    kg = load(case_files=[path])
    q = """PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
           SELECT ?wd WHERE { <https://w3id.org/sistercity-kg/id/agreement/resolve-test> sckg:hasParty/sckg:wikidataId ?wd }"""
    assert {str(r[0]) for r in kg.union("cases", "actors").query(q)} == {"Q10389", "Q10363", "Q80011"}


def test_a_code_of_another_kind_of_region_is_rejected(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text("""id: wrong-kind
kind: memorandum-of-understanding
parties:
  - {name: Bogor, kind: city, country: ID, kemendagri-code: "32.01"}
  - {name: Chiba, kind: prefecture, country: JP}
""", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(case_files=[path])
    assert err.value.line == 4 and "regency" in err.value.message


# ------------------------------------------------------------------------------------------------ the second round
AG = "https://w3id.org/sistercity-kg/id/agreement/"


def conditions(a, test):
    return {c.cid: c for t in a.tests if t.test.tid == test for c in t.conditions}


def test_the_register_holds_at_least_100_signed_agreements_every_fact_graded(ask):
    assert len(REGISTER) >= 100
    signed = ask("""SELECT DISTINCT ?a WHERE { ?a a sckg:Agreement ; sckg:signing/sckg:onDate ?d ;
                    sckg:attestedBy/sckg:grade ?g }""")
    assert len(signed) >= 100
    # every node of a case the data-quality shapes check for a source carries one with a grade (a step may instead
    # name where a record was searched for)
    for cls in ("Agreement", "Designation", "SignatoryRole", "WitnessRole", "Signing", "CaseEvent", "Finding",
                "ProceduralStep"):
        searched = "FILTER NOT EXISTS { ?node sckg:searchedIn/sckg:grade ?h }" if cls == "ProceduralStep" else ""
        assert ask(f"""SELECT ?node WHERE {{ ?node a sckg:{cls} .
                       FILTER NOT EXISTS {{ ?node sckg:attestedBy/sckg:grade ?g }} {searched} }}""") == [], cls
    # every source a case cites names a public address, never a path of this machine
    urls = ask("""SELECT DISTINCT ?src ?url WHERE { ?a a sckg:Agreement ; sckg:attestedBy ?src .
                  OPTIONAL { ?src sckg:url ?url } }""")
    assert urls and all(u and u.startswith(("http://", "https://")) for _, u in urls)


def test_semarang_dprd_approval_of_7_march_2016_is_recorded_but_no_signature_is(ask, register):
    rows = ask(f"""SELECT ?d ?src WHERE {{ <{AG}semarang-ulsan-2016> sckg:hasStep ?s . ?s sckg:stepType/skos:notation
                   "dprd-approval" ; sckg:onDate ?d ; sckg:attestedBy/sckg:url ?src }}""")
    assert {r[0] for r in rows} == {"2016-03-07"} and any("solopos.com/2016/03/07" in r[1] for r in rows)
    # the MoU that was to follow has no recorded signature: the approval cannot be set against one
    c = conditions(register["semarang-ulsan-2016"], "uu-23-2014/kerja-sama-luar-negeri")
    assert c["uu-23-2014/dprd-approval"].status == "not-evidenced"
    assert "signature" in c["uu-23-2014/dprd-approval"].messages["en"]


def test_bandung_melbourne_dprd_approval_is_read_before_the_2024_signature(register):
    a = register["bandung-melbourne-2024"]
    assert conditions(a, "uu-23-2014/kerja-sama-luar-negeri")["uu-23-2014/dprd-approval"].status == "satisfied"
    assert conditions(a, "pp-28-2018/ksdpl")["pp-28-2018/dprd-approval"].status == "satisfied"
    # an acting mayor signed: whether he is the head of region is not recorded, so Pasal 23(1) stays open
    assert conditions(a, "pp-28-2018/ksdpl")["pp-28-2018/head-of-region-represents"].status == "not-evidenced"


def test_unusual_counterparts_are_what_they_are(ask):
    # Jakarta–Pyongyang: the party is the city, the signatory for it the DPRK's ambassador, not a head of region
    rows = ask(f"""SELECT ?iso ?head ?post WHERE {{ <{AG}jakarta-pyongyang-2007> sckg:hasSignatory ?r .
                   ?r sckg:onBehalfOf ?p ; sckg:headOfRegion ?head ; sckg:postLabel ?post . ?p sckg:inState/sckg:isoCode ?iso }}""")
    by_iso = {r[0]: r for r in rows}
    assert by_iso["KP"][1] == "false" and "Ambassador" in by_iso["KP"][2]
    assert by_iso["ID"][1] == "true"
    # Bali–Hainan: a party secretary signed for the province
    rows = ask(f"""SELECT ?head ?post WHERE {{ <{AG}bali-hainan-2015> sckg:hasSignatory ?r . ?r sckg:onBehalfOf ?p ;
                   sckg:headOfRegion ?head ; sckg:postLabel ?post . ?p sckg:wikidataId "Q42200" }}""")
    assert rows and rows[0][0] == "false" and "Secretary" in rows[0][1]
    # a combined authority and a territory are regional governments of their own party kind, with no invented class
    rows = ask(f"""SELECT ?a ?kind WHERE {{ VALUES ?a {{ <{AG}surabaya-liverpool-city-region-2024>
                   <{AG}ntb-northern-territory-2023> }} ?a sckg:hasParty ?p . ?p a sckg:RegionalGovernment ;
                   sckg:partyKind/skos:notation ?kind ; sckg:inState/sckg:isoCode ?iso FILTER(?iso != "ID") }}""")
    assert {r[1] for r in rows} == {"combined-authority", "territory"}


def test_a_non_head_signatory_gets_the_outcome_the_law_gives(register):
    # Jakarta's vice-governor signed the Ankara declaration of intent: Pasal 23, the general part for every KSDPL act,
    # reaches a letter of intent too, and Pasal 23(1) wants the region represented by its governor: violated
    c = conditions(register["jakarta-ankara-2025"], "pp-28-2018/ksdpl")
    assert c["pp-28-2018/head-of-region-represents"].status == "violated"
    # West Java's governor signed with Ulsan's deputy mayor: the region was represented by its head
    c = conditions(register["jawa-barat-ulsan-2022"], "pp-28-2018/ksdpl")
    assert c["pp-28-2018/head-of-region-represents"].status == "satisfied"
    # the combined authority is a foreign regional government for UU 23/2014 Pasal 363(2)(c)
    c = conditions(register["surabaya-liverpool-city-region-2024"], "uu-23-2014/kerja-sama-luar-negeri")
    assert c["uu-23-2014/permitted-counterpart"].status == "satisfied"


def test_steps_lapses_and_inferred_dates_from_the_sources(ask):
    steps = dict(ask(f"""SELECT ?t ?d WHERE {{ <{AG}ambon-vlissingen-1996> sckg:hasStep ?s .
                         ?s sckg:stepType/skos:notation ?t ; sckg:onDate ?d }}"""))
    assert steps == {"loi-signed": "1989-01-01", "central-approval": "1996-01-01"}   # years, the earliest day
    assert ask(f"""SELECT ?d WHERE {{ <{AG}jawa-barat-south-australia-1997> sckg:validUntil ?d ;
                   sckg:datePrecision/skos:notation "year" }}""") == [("2007-01-01",)]
    # revived in 2015 by what South Australia called "a renewal of the MOU"
    assert ask(f"SELECT ?x WHERE {{ <{AG}jawa-barat-south-australia-2015> sckg:renews ?x }}") == \
        [(AG + "jawa-barat-south-australia-1997",)]
    assert ask(f"SELECT ?x WHERE {{ <{AG}jakarta-new-south-wales-2022> sckg:renews ?x }}") == \
        [(AG + "jakarta-new-south-wales-1994",)]
    # Kompas of Monday 11 September 1995 says "Jumat": the Friday before is inferred, and marked so
    assert ask(f"""SELECT ?d WHERE {{ <{AG}jakarta-paris-1995> sckg:signing ?s . ?s sckg:onDate ?d ;
                   sckg:dateInferred true }}""") == [("1995-09-08",)]
    assert ask(f"SELECT ?f WHERE {{ <{AG}jakarta-paris-1994> sckg:signing/sckg:dateInferred ?f }}") == []


def test_an_inferred_date_needs_a_note_saying_how(tmp_path):
    path = tmp_path / "inferred.yaml"
    path.write_text("""id: inferred-test
kind: letter-of-intent
signed:
  date: 2015-08-01
  date-inferred: true
parties:
  - {name: Kota Bandung, kind: city, country: ID}
  - {name: Hainan, kind: province, country: CN, wikidata: Q42200}
sources: [{url: "https://example.org/test", title: test, grade: unverified}]
""", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(case_files=[path])
    assert err.value.line == 5 and "note" in err.value.message


# ------------------------------------------------------------------------------------------------ property-based
KINDS = ["letter-of-intent", "memorandum-of-understanding", "friendship-agreement", "sister-city-agreement",
         "cooperation-agreement", "renewal"]
FIELDS = ["culture", "education", "tourism", "health", "trade", "science-technology", "defence"]
CASE = st.fixed_dictionaries({
    "kind": st.sampled_from(KINDS),
    "date": st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2030, 12, 31)),
    "fields": st.lists(st.sampled_from(FIELDS), unique=True, max_size=4),
    "iso": st.sampled_from(["JP", "KR", "IL", "TW", "DE", "US"]),
    "written": st.booleans(),
})


def _write(tmp: Path, c: dict, extra: str = "") -> Path:
    text = (f"id: prop-case\nkind: {c['kind']}\nwritten: {'true' if c['written'] else 'false'}\n"
            f"signed: {{date: {c['date'].isoformat()}}}\nparties:\n"
            f"  - {{name: Kota Bogor, kind: city, country: ID}}\n"
            f"  - {{name: Somewhere, kind: municipality, country: {c['iso']}, level: second}}\n"
            f"fields: [{', '.join(c['fields'])}]\n{extra}"
            "sources: [{url: 'https://example.org/p', title: property test, grade: unverified}]\n")
    path = tmp / "prop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=CASE)
def test_any_valid_case_file_is_read_and_judged(tmp_path, c):
    kg = load(case_files=[_write(tmp_path, c)])
    (a,) = assess(kg, ["prop-case"], write=False)
    got = {t.test.tid: t for t in a.tests}
    assert a.question.judged_on == c["date"]
    if c["date"].isoformat() < "1980-01-27":
        assert got["vclt-1969/treaty"].answer == "not-applicable"
    else:
        assert got["vclt-1969/treaty"].answer == "no"     # a city is not a State
    if "defence" in c["fields"] and c["date"].isoformat() >= "2014-10-02":
        nab = next(x for x in got["uu-23-2014/kerja-sama-luar-negeri"].conditions
                   if x.cid == "uu-23-2014/not-absolute-affair")
        assert nab.status == "violated"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=CASE, bad=st.sampled_from([("colour: red\n", "unknown key 'colour'"),
                                    ("term: {years: five}\n", "whole number"),
                                    ("renews: no-such-agreement\n", "no agreement with id"),
                                    ("steps:\n  - {step: blessing, date: 2001-01-01}\n", "'blessing' is not one of")]))
def test_any_bad_key_is_rejected_with_its_line(tmp_path, c, bad):
    extra, message = bad
    path = _write(tmp_path, c, extra)
    line = path.read_text(encoding="utf-8").splitlines().index(extra.splitlines()[-1]) + 1
    with pytest.raises(InputError) as err:
        load(case_files=[path])
    assert message in err.value.message
    assert err.value.line in (line, line - 1 if extra.count("\n") > 1 else line)


# ------------------------------------------------------------------------------------------------ the reference path
def test_fast_engine_equals_pyshacl_on_a_generated_register(tmp_path):
    """A small generated register, enough for every status of every condition kind to occur; the large comparison
    (100 agreements and more, with timings) is `python bench/run.py --reference 100` (README, "Speed")."""
    generate(12, tmp_path, seed=11)
    files = expand_case_paths([tmp_path])
    kg = load(case_files=files)
    ids = [kg.case_ids[str(f)] for f in files]

    def statuses(engine):
        return [(a.question.aid, t.test.tid, c.cid, c.status) for a in assess(kg, ids, engine=engine, write=False)
                for t in a.tests for c in t.conditions]

    fast, reference = statuses("oxigraph"), statuses("pyshacl")
    assert len(fast) > 500 and fast == reference
    assert {s for *_, s in fast} == {"satisfied", "violated", "not-evidenced", "not-applicable"}
