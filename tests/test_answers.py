"""The research questions: stored queries are well formed, and each answer agrees with the facts in the graph.

The text of `answer` in both languages is compared with the golden files tests/fixtures/answers/answer.{en,id}.txt;
regenerate them with `SCKG_UPDATE_GOLDEN=1 python3 -m pytest tests/test_answers.py` and read the diff.
"""
import json
import re
import subprocess
import sys

import pytest

from sistercity_kg.answer import QUESTIONS, answer, as_text
from sistercity_kg.assess import assess
from sistercity_kg.dataset import load
from sistercity_kg.queries import check_syntax, stored_queries
from sistercity_kg.sparql import Embedded

from .conftest import FIXTURES, UPDATE_GOLDEN
from .language import problems

STORED = stored_queries()
GOLDEN = FIXTURES / "answers"
#: The tests the three classification tests are; the rest ask whether the instrument was lawfully made.
CLASSIFICATION = ("vclt-1969/treaty", "uu-24-2000/perjanjian-internasional", "uu-37-1999/hubungan-luar-negeri")


@pytest.fixture(scope="module")
def kg_assessed():
    kg = load()
    assess(kg)
    return kg


@pytest.fixture(scope="module")
def backend(kg_assessed):
    return Embedded(kg_assessed)


@pytest.fixture(scope="module")
def answers(backend):
    return {lang: {a.number: a for a in answer(backend, lang=lang, with_text=True)} for lang in ("en", "id")}


@pytest.fixture(scope="module")
def kinded(kg_assessed):
    """The answers over a store in which every test carries its kind (sckg:testKind), as the shapes say it once
    they do: where the graph already holds the kinds, nothing is added."""
    store = Embedded(kg_assessed)
    _, rows = store.select("SELECT ?t WHERE { ?t <https://w3id.org/sistercity-kg/ontology#testKind> ?k } LIMIT 1")
    if not rows:
        triples = []
        for (test,) in store.select("SELECT ?t WHERE { ?t a <https://w3id.org/sistercity-kg/ontology#LegalTest> }")[1]:
            kind = "classification" if any(str(test).endswith(c) for c in CLASSIFICATION) else "lawfulness"
            triples.append(f"<{test}> <https://w3id.org/sistercity-kg/ontology#testKind> "
                           f"<https://w3id.org/sistercity-kg/id/vocab/test-kind/{kind}> .")
        store.store.update("INSERT DATA { GRAPH <urn:test:kinds> { " + " ".join(triples) + " } }")
    return {lang: {a.number: a for a in answer(store, lang=lang)} for lang in ("en", "id")}


@pytest.mark.parametrize("name", sorted(STORED))
def test_stored_query_is_headed_and_parses(name):
    q = STORED[name]
    assert q.questions.get("en") and q.questions.get("id") and q.rests_on, name
    check_syntax(q.text, q.path)
    for line in q.text.splitlines():
        if "# parameter:" in line:
            assert re.match(r"\s*VALUES \?\w+ \{[^}]*\}\s*# parameter: \w+\s*$", line), f"{name}: {line}"


def test_there_is_a_query_per_research_question_and_for_the_register():
    assert set(QUESTIONS.values()) <= set(STORED)
    assert {"r1-agreements-of-region", "r2-agreements-per-country-level", "r3-agreements-failing-provision",
            "r4-agreements-in-force-on-date"} <= set(STORED)


def test_q1_gives_the_designations_parties_and_signatories_of_the_record(answers, ask):
    rows = answers["en"][1].rows
    designations = {r["value"] for r in rows if r["aspect"] == "designation"}
    in_graph = {t for (t,) in ask("""SELECT ?t WHERE { <https://w3id.org/sistercity-kg/id/agreement/bogor-kisarazu-2016>
                                      sckg:hasDesignation/sckg:designationText ?t }""")}
    assert designations == in_graph and "友好協定" in designations
    parties = {r["value"]: r["detail"] for r in rows if r["aspect"] == "party"}
    assert len(parties) == 2 and all("second-level" in d or "second" in d for d in parties.values())
    assert {r["value"] for r in rows if r["aspect"] == "signed"} == {"2016-11-18"}
    assert any("Bima Arya" in r["value"] for r in rows if r["aspect"] == "signatory")
    assert {r["value"] for r in rows if r["aspect"] == "renewed by"} == {"bogor-kisarazu-2022"}
    assert all(r["grades"] for r in rows), "every fact reports the grade of its sources"


def test_q2_names_the_failing_conditions_and_their_articles(answers):
    rows = answers["en"][2].rows
    by = {(r["test"], r["condition"]): r for r in rows}
    assert by[("vclt-1969/treaty", "vclt-1969/parties-are-states")]["status"] == "violated"
    assert "VCLT 1969 Art. 2(1)(a)" in by[("vclt-1969/treaty", "vclt-1969/parties-are-states")]["citation"]
    assert by[("uu-24-2000/perjanjian-internasional", "uu-24-2000/made-by-government-of-ri")]["status"] == "violated"
    assert {r["answer"] for r in rows if r["test"] == "uu-37-1999/hubungan-luar-negeri"} == {"yes"}
    assert "[vclt-1969/treaty]. No: the instrument is not a treaty within the Vienna Convention 1969." in answers["en"][2].text
    assert "Tidak: instrumen ini bukan perjanjian internasional" in answers["id"][2].text


def test_q2_a_classification_no_is_no_breach(kinded):
    text = kinded["en"][2].text
    assert "a «no» says what the instrument is not, and is no breach of any rule" in text
    assert "violated" not in text.lower() and "Not met: «the parties are States»" in text
    assert "bukan pelanggaran atas aturan apa pun" in kinded["id"][2].text


def test_q3_classifies_the_2022_renewal_under_pasal_24(answers, ask):
    words = ask("""SELECT ?t WHERE { <https://w3id.org/sistercity-kg/id/legislation/pp/2018/28/pasal/24/huruf/b>
                   sckg:text ?t }""")[0][0]
    en, id_ = answers["en"][3].text, answers["id"][3].text
    assert "Under GR 28/2018 Art. 24 a KSDPL is one of" in en
    assert "Menurut PP 28/2018 Pasal 24 KSDPL terdiri atas" in id_ and words.split(";")[0] in id_
    # both sides call the tie friendship (友好, friendship city): the text does not settle huruf b against huruf c
    assert "None of these names says «kembar» or «bersaudara»" in en and "«友好協定»" in en
    assert "whether it is huruf b or «kerja sama lainnya» (huruf c) the text does not settle" in en
    # the 2016 instrument: PP 28/2018 did not govern its making, and none of its articles is cited for it
    head_2016 = en.split("bogor-kisarazu-2022")[0]
    assert "GR 28/2018 on Regional Cooperation did not govern its making: it came into force on 13 July 2018" in head_2016
    assert "GR 28/2018 Art." not in head_2016 and "pp-28-2018/ksdpl" not in head_2016
    assert "Its making was governed by MoHA Regulation 3/2008" in head_2016 and "Law 23/2014" in head_2016


def test_q4_names_the_organs_steps_and_articles(answers):
    rows = answers["en"][4].rows

    def cited(organ):
        return " ; ".join(r["citation"] for r in rows if r["organ"] == organ)

    mendagri, menlu, dprd = cited("mendagri"), cited("menlu"), cited("dprd")
    for article in ("GR 28/2018 Art. 29", "GR 28/2018 Art. 31", "GR 28/2018 Art. 32", "GR 28/2018 Art. 33"):
        assert article in mendagri, article
    for article in ("GR 28/2018 Art. 28(4)", "GR 28/2018 Art. 33(3)", "Law 37/1999 Art. 6"):
        assert article in menlu, article
    for article in ("GR 28/2018 Art. 30(1)", "Law 23/2014 Art. 154(1)(g)"):
        assert article in dprd, article
    # what the record shows: for Bogor–Kisarazu the DPRD's approval was searched for and not found
    assert {r["record"] for r in rows if r["organ"] == "dprd" and r["step"] == "dprd-approval"} == {"no-record"}
    # which regime reached which instrument, read from the test of each regime
    applies = {(r["agreementId"], r["regime"]): r["applies"] for r in rows}
    assert applies[("bogor-kisarazu-2016", "ksdpl")] == "no" and applies[("bogor-kisarazu-2022", "ksdpl")] == "yes"
    assert applies[("bogor-kisarazu-2022", "ksdll")] == "no"


def test_q4_lists_only_the_duties_of_the_regimes_that_reached_each_instrument(kinded):
    text = kinded["en"][4].text
    y2016, y2022 = text.split("bogor-kisarazu-2022, signed")
    duties_2016 = [line for line in y2016.splitlines() if line.startswith("    ")]
    duties_2022 = [line for line in y2022.splitlines() if line.startswith("    ")]
    # no PP 28/2018 duty for 2016, no KSDLL duty for the KSDPL of 2022
    assert duties_2016 and not any("GR 28/2018" in d for d in duties_2016)
    assert any("(KSDPL)" in d for d in duties_2022) and not any("(KSDLL)" in d for d in duties_2022)
    # question 2 finds neither instrument a perjanjian internasional: no UU 24/2000 duty
    assert "Law 24/2000" not in "\n".join(duties_2016 + duties_2022)
    assert "uu-24-2000/perjanjian-internasional, answers no: the instrument is not within it" in text


def test_q5_compares_the_two_signings(answers):
    text = answers["en"][5].text
    assert "GR 28/2018" in text and "MoHA Regulation 3/2008" in text
    rows = answers["en"][5].rows
    applied = {(r["agreementId"], r["framework"]) for r in rows if r["answer"] != "not-applicable"}
    assert ("bogor-kisarazu-2022", "pp-28-2018") in applied and ("bogor-kisarazu-2016", "pp-28-2018") not in applied
    assert ("bogor-kisarazu-2016", "permendagri-3-2008") in applied
    assert ("bogor-kisarazu-2022", "permendagri-3-2008") not in applied
    # the rules that changed between the two signings, read from the legislation layer
    for line in ("MoHA Regulation 3/2008 (Regulation of the Minister of Home Affairs Number 3 of 2008",
                 "ceased to be in force on 22 May 2020, repealed by MoHA Regulation 25/2020",
                 "MoHA Regulation 25/2020 (Regulation", "was promulgated on 22 May 2020; it repeals MoHA Regulation 3/2008",
                 "GR 28/2018 (Government Regulation Number 28 of 2018 on Regional Cooperation) came into force on 13 July 2018",
                 "MoFA Regulation 3/2019", "the graph records no end of its force and no repeal, nor whether MoFA "
                 "Regulation 3/2019 replaced it"):
        assert line in text, line
    assert "the graph holds none of its text" in text.split("MoHA Regulation 3/2008 (Regulation")[1].split("\n")[0]


def test_q6_contests_conclusion_2_on_art_2_1_a_and_finds_conclusion_3_mis_cited(answers):
    rows = answers["en"][6].rows
    c2 = [r for r in rows if r["number"] == "2"]
    assert {r["position"] for r in c2} == {"contested"}
    assert all("VCLT 1969 Art. 2(1)(a)" in r["failing"] for r in c2)
    c3 = [r for r in rows if r["number"] == "3"]
    assert {r["position"] for r in c3} == {"supported"}
    cited = {r["asWritten"]: r for r in c3 if r["asWritten"]}
    uu30 = cited["UU No. 30 Tahun 2014 tentang Pemerintah Daerah"]
    assert uu30["citationError"] == "true" and uu30["meant"] == "Law 23/2014"
    text = answers["en"][6].text
    assert "Verdict: contested" in text
    # PP 28/2018, which conclusion 3 invokes, did not govern the 2016 instrument: not "supported" for it
    assert ("the conclusion invokes GR 28/2018, which was not in force when bogor-kisarazu-2016 was signed" in text)
    assert ("Verdict: supported only for bogor-kisarazu-2022; not as stated for bogor-kisarazu-2016, and mis-cited"
            in text)
    assert "What the graph tested: «Is the instrument a treaty within the Vienna Convention 1969?»" in text


def test_q7_lists_each_fact_once(answers):
    rows = [r for r in answers["en"][7].rows if r["kind"] == "fact"]
    assert len(rows) == len({r["what"] for r in rows})
    assert f"{len(rows)} recorded facts, each counted once" in answers["en"][7].text


def test_q1_prints_dates_at_their_precision_and_one_witness_with_two_titles(answers):
    en, id_ = answers["en"][1].text, answers["id"][1].text
    assert "Witnessed by: Ben Perkasa Drajat (“Kuasa Usaha a.i.”; “Wakil Dubes”)" in en
    assert en.count("Ben Perkasa Drajat") == 1
    # recorded with month precision: printed as a month, never as its first day
    assert "April 2016: Visit of the Minister" in en and "1 April 2016" not in en
    assert "Ditandatangani pada: 18 November 2016 (Kedutaan Besar Republik Indonesia (KBRI) Tokyo)" in id_


@pytest.mark.parametrize("lang", ["en", "id"])
def test_answer_text_matches_the_golden_file_and_reads_clean(answers, lang):
    text = as_text(list(answers[lang].values()), lang)
    golden = GOLDEN / f"answer.{lang}.txt"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with SCKG_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"answer --lang {lang} differs from {golden.name}"
    found = problems(text, lang)
    # a problem inside a condition's message comes from the assessment (the shapes), not from these templates
    messages = {r["message"] for a in answers[lang].values() for r in a.rows if r.get("message")}
    ours = [p for p in found if not any(m in text.splitlines()[int(p.split(":")[0].split()[1]) - 1]
                                        and _inside(p, m) for m in messages)]
    assert not ours, "\n".join(ours)
    if found:
        pytest.xfail("the assessment's messages still hold: " + "; ".join(found))


def _inside(problem: str, message: str) -> bool:
    m = re.search(r"\('(.+?)'\)|\(\"(.+?)\"\)", problem)
    return bool(m) and (m.group(1) or m.group(2)) in message


def test_the_language_checker_finds_what_it_must():
    bad = ('Under Is the instrument {question} — the answer is no; its Indonesian party is Bogor City ("-": '
           'there is no Indonesian party); before the loi-signed; «…»; undetermined. it requires complementarity')
    found = problems(bad, "id")
    for what in ("placeholder", "dash standing", "ellipsis", "raw vocabulary id ('loi-signed')",
                 "English word ('Under')", "English word ('complementarity')"):
        assert any(what in p for p in found), what
    assert not problems("Ya: instrumen ini merupakan «Letter of Intent» (kota); lihat <https://x.org/a?b=1> dan "
                        "pp-28-2018/dprd-approval.", "id")
    assert not problems("The instrument is not a treaty (vclt-1969/treaty).", "en")


def test_q7_lists_facts_and_conclusions_resting_on_weak_sources(answers, ask):
    rows = answers["en"][7].rows
    facts = {r["what"] for r in rows if r["kind"] == "fact"}
    assert "https://w3id.org/sistercity-kg/id/agreement/bogor-kisarazu-2016" in facts
    # and no fact listed has a primary source
    primary = {s for (s,) in ask("SELECT ?n WHERE { ?n sckg:attestedBy/sckg:grade grade:primary }")}
    assert not facts & primary
    assert all(r["grade"] in ("secondary", "unverified") for r in rows)


def test_indonesian_and_english_differ_in_language_and_agree_in_content(answers):
    for n in QUESTIONS:
        en, id_ = answers["en"][n], answers["id"][n]
        assert en.text != id_.text, n
        assert len(en.rows) == len(id_.rows), n
        keys = [v for v in en.variables if v in ("test", "condition", "status", "answer", "agreementId", "organ",
                                                   "step", "record", "position", "aspect", "kind", "grade")]
        assert sorted(tuple(r[k] for k in keys) for r in en.rows) == sorted(tuple(r[k] for k in keys) for r in id_.rows)
    assert "Pertanyaan" not in answers["en"][1].question
    assert answers["id"][2].provisions[0]["citation"].split()[0] in ("UU", "Konvensi", "PP", "Permendagri")


def test_provisions_come_with_their_text_on_request(answers):
    provs = {p["citation"]: p for p in answers["id"][4].provisions}
    p = provs["PP 28/2018 Pasal 30 ayat (1)"]
    assert "persetujuan Dewan Perwakilan Rakyat Daerah" in p["text"] and p["gloss"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "sistercity_kg", *args], capture_output=True, text=True)


def test_answer_cli_json_and_csv():
    proc = _cli("answer", "--question", "6", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (a,) = json.loads(proc.stdout)
    assert a["question"] == 6 and a["answer"] and a["rows"] and a["sources"]
    proc = _cli("answer", "--question", "2", "--format", "csv-long")
    assert proc.stdout.splitlines()[0] == "question,row,variable,value"


def test_query_cli_with_parameter_and_syntax_error(tmp_path):
    proc = _cli("query", "r1", "--param", "region=kota-bogor", "--format", "json")
    rows = json.loads(proc.stdout)["rows"]
    assert {"bogor-kisarazu-2016", "bogor-kisarazu-2022"} <= {r["agreementId"] for r in rows}
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = }\n")
    proc = _cli("query", str(bad))
    assert proc.returncode == 2
    assert re.search(r"bad\.rq:3: column \d+[^:]*: SPARQL syntax error", proc.stderr), proc.stderr
