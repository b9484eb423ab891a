"""Stage 4, answer: the research questions, each answered in prose built from its query's rows.

The sentences are templates; every fact in them (names, dates, answers, articles, sources) comes from the rows of
the stored query (queries/q1…q7), run on the embedded store or on a remote endpoint. Nothing here knows the case.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from .queries import as_records, stored_queries, with_params

QUESTIONS = {1: "q1-instrument", 2: "q2-international-agreement", 3: "q3-regional-cooperation",
             4: "q4-central-government-role", 5: "q5-rules-2016-vs-2022", 6: "q6-thesis-claims",
             7: "q7-secondary-only"}

T = {
    "en": {
        "status": {"satisfied": "satisfied", "violated": "violated", "not-evidenced": "not evidenced",
                   "not-applicable": "not applicable"},
        "answer": {"yes": "yes", "no": "no", "undetermined": "undetermined", "not-applicable": "not applicable"},
        "record": {"done": "done", "not-done": "not done", "no-record": "searched, no record found",
                   "absent": "nothing recorded"},
        "position": {"supported": "supports", "contested": "contests", "undetermined": "cannot yet settle"},
        "aspect": {"designation": "Named", "kind": "Judged as", "party": "Parties", "signatory": "Signed by",
                   "signed": "Signed on", "witness": "Witnessed by", "field": "Fields", "renewed by": "Renewed by",
                   "event": "Dated events"},
        "grades": "sources graded",
        "q2": "Under {question} — the answer is {answer}.",
        "q2_fail": "{condition} is {status} ({citation}): {message}",
        "q3_head": "{agreement} (signed {signed}; the Indonesian party is a {kind}):",
        "q3_test": "{test}: {answer}.",
        "q3_type": "  As a KSDPL it is, under {cite}, «{words}».",
        "q3_req": "it requires {conditions}",
        "q4_organ": "{organ} must act:",
        "q4_duty": "{step} ({regime}) under {citation}{before} — {description} On record: {records}.",
        "q4_before": ", before the {before}",
        "q5_head": "{agreement}, signed {signed}, was judged under: {frameworks}.",
        "q5_changed": "Between them: {changes}.",
        "q5_only": "{framework} applied only to {agreement}",
        "q5_none": "the same frameworks applied to both",
        "q6": "Conclusion {number}: «{claim}» — the graph {position} it: {test} for {agreement} answers {actual}, "
              "where the claim needs {expected}.",
        "q6_fail": " The test fails on {failing}.",
        "q6_cite": " It cites «{written}»{meant}.",
        "q6_miscited": ", which names another statute than the one meant ({meant_label}): the conclusion is mis-cited",
        "q6_citeok": "",
        "q6_correct": " Verdict: {verdict}.",
        "verdict": {"supported": "supported", "contested": "contested", "undetermined": "undetermined",
                    "miscited": "supported but mis-cited"},
        "q7_facts": "{n} recorded facts rest only on secondary or unverified sources, among them: {examples}.",
        "q7_conclusions": "{n} conclusions (satisfied or violated conditions) rest on a source weaker than primary, "
                          "among them: {examples}.",
        "none": "none",
    },
    "id": {
        "status": {"satisfied": "terpenuhi", "violated": "dilanggar", "not-evidenced": "tidak ada bukti",
                   "not-applicable": "tidak berlaku"},
        "answer": {"yes": "ya", "no": "tidak", "undetermined": "belum dapat ditentukan",
                   "not-applicable": "tidak berlaku"},
        "record": {"done": "dilakukan", "not-done": "tidak dilakukan",
                   "no-record": "dicari, tidak ada catatan", "absent": "tidak ada yang dicatat"},
        "position": {"supported": "mendukung", "contested": "membantah", "undetermined": "belum dapat menilai"},
        "aspect": {"designation": "Disebut", "kind": "Dinilai sebagai", "party": "Para pihak",
                   "signatory": "Ditandatangani oleh", "signed": "Ditandatangani pada", "witness": "Disaksikan oleh",
                   "field": "Bidang", "renewed by": "Diperbarui oleh", "event": "Peristiwa bertanggal"},
        "grades": "derajat sumber",
        "q2": "Menurut pertanyaan «{question}» — jawabannya {answer}.",
        "q2_fail": "{condition} {status} ({citation}): {message}",
        "q3_head": "{agreement} (ditandatangani {signed}; pihak Indonesia berupa {kind}):",
        "q3_test": "{test}: {answer}.",
        "q3_type": "  Sebagai KSDPL ia merupakan, menurut {cite}, «{words}».",
        "q3_req": "mensyaratkan {conditions}",
        "q4_organ": "{organ} wajib bertindak:",
        "q4_duty": "{step} ({regime}) menurut {citation}{before} — {description} Catatan: {records}.",
        "q4_before": ", sebelum {before}",
        "q5_head": "{agreement}, ditandatangani {signed}, dinilai menurut: {frameworks}.",
        "q5_changed": "Di antara keduanya: {changes}.",
        "q5_only": "{framework} hanya berlaku bagi {agreement}",
        "q5_none": "kerangka yang sama berlaku bagi keduanya",
        "q6": "Kesimpulan {number}: «{claim}» — graf {position}nya: {test} untuk {agreement} menjawab {actual}, "
              "sedangkan klaim itu memerlukan {expected}.",
        "q6_fail": " Uji itu gagal pada {failing}.",
        "q6_cite": " Ia merujuk «{written}»{meant}.",
        "q6_miscited": ", yang menunjuk undang-undang lain daripada yang dimaksud ({meant_label}): kesimpulan ini salah rujuk",
        "q6_citeok": "",
        "q6_correct": " Penilaian: {verdict}.",
        "verdict": {"supported": "didukung", "contested": "dibantah", "undetermined": "belum dapat dinilai",
                    "miscited": "didukung tetapi salah rujuk"},
        "q7_facts": "{n} fakta tercatat hanya bertumpu pada sumber sekunder atau yang belum diverifikasi, antara lain: {examples}.",
        "q7_conclusions": "{n} kesimpulan (syarat terpenuhi atau dilanggar) bertumpu pada sumber yang lebih lemah "
                          "daripada sumber primer, antara lain: {examples}.",
        "none": "tidak ada",
    },
}


@dataclass
class Answer:
    number: int
    name: str
    question: str
    rests_on: str
    text: str
    variables: list[str]
    rows: list[dict]
    provisions: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"question": self.number, "name": self.name, "title": self.question, "rests_on": self.rests_on,
                "answer": self.text, "rows": self.rows, "provisions": self.provisions, "sources": self.sources}


def _join(items, lang) -> str:
    items = [i for i in items if i]
    if not items:
        return T[lang]["none"]
    return "; ".join(items)


# ------------------------------------------------------------------------------------------------ prose
def prose_q1(rows, lang):
    t = T[lang]
    by = OrderedDict()
    for r in rows:
        by.setdefault(r["aspect"], []).append(r)
    out = []
    for aspect in ("designation", "kind", "party", "signed", "signatory", "witness", "field", "renewed by", "event"):
        items = by.get(aspect, [])
        if not items:
            continue
        parts = []
        for r in items:
            detail = f" ({r['detail']})" if r.get("detail") else ""
            grades = f" [{t['grades']}: {r['grades']}]" if r.get("grades") else ""
            parts.append(f"{r['value']}{detail}{grades}")
        out.append(f"{t['aspect'][aspect]}: {_join(parts, lang)}.")
    return "\n".join(out)


def prose_tests(rows, lang):
    t = T[lang]
    tests = OrderedDict()
    for r in rows:
        tests.setdefault((r["test"], r["question"], r["answer"]), []).append(r)
    out = []
    for (test, question, answer), conds in tests.items():
        out.append(t["q2"].format(question=question, answer=t["answer"][answer]))
        for c in conds:
            if c["status"] in ("violated", "not-evidenced"):
                out.append("  " + t["q2_fail"].format(condition=c["condition"], status=t["status"][c["status"]],
                                                     citation=c["citation"], message=c["message"] or ""))
    return "\n".join(out)


def prose_q3(rows, lang):
    t = T[lang]
    agreements = OrderedDict()
    types = {}
    for r in rows:
        agreements.setdefault((r["agreementId"], r["signed"], r["indonesianKind"]), OrderedDict()) \
            .setdefault((r["test"], r["answer"]), []).append(r)
        if r.get("typeCite"):
            types[r["agreementId"]] = (r["typeCite"], r["typeText"] if lang == "id" else r["typeGloss"])
    out = []
    for (aid, signed, kind), tests in agreements.items():
        out.append(t["q3_head"].format(agreement=aid, signed=signed, kind=kind or "?"))
        if aid in types and any(test == "pp-28-2018/ksdpl" and answer != "not-applicable" for test, answer in tests):
            cite, words = types[aid]
            out.append(t["q3_type"].format(cite=cite, words=words.removesuffix(" dan").removesuffix(" and").rstrip(" ;,")))
        for (test, answer), conds in tests.items():
            line = "  " + t["q3_test"].format(test=test, answer=t["answer"][answer])
            required = [f"{c['condition'].split('/', 1)[1]} ({t['status'][c['status']]}; {c['citation']})"
                        for c in conds if c["status"] != "not-applicable"]
            if required:
                line += " " + t["q3_req"].format(conditions=", ".join(required)) + "."
            else:
                line += " " + (conds[0]["message"] or "")
            out.append(line)
    return "\n".join(out)


def prose_q4(rows, lang):
    t = T[lang]
    organs = OrderedDict()
    for r in rows:
        key = (r["organLabel"], r["step"], r["regime"], r["citation"], r["description"] or "", r["before"])
        organs.setdefault(r["organLabel"], OrderedDict()).setdefault(key, []).append(
            f"{r['agreementId']}: {t['record'].get(r['record'], r['record'])}")
    out = []
    for organ, duties in organs.items():
        out.append(t["q4_organ"].format(organ=organ))
        for (_, step, regime, citation, description, before), records in duties.items():
            out.append("  " + t["q4_duty"].format(
                step=step, regime=regime, citation=citation, description=description.rstrip(".") + ".",
                before=t["q4_before"].format(before=before) if before else "", records="; ".join(records)))
    return "\n".join(out)


def prose_q5(rows, lang):
    t = T[lang]
    applied = OrderedDict()
    labels = {}
    for r in rows:
        applied.setdefault((r["agreementId"], r["signed"]), set())
        labels[r["framework"]] = r["frameworkLabel"]
        if r["answer"] != "not-applicable":
            applied[(r["agreementId"], r["signed"])].add(r["framework"])
    out = []
    for (aid, signed), fws in applied.items():
        out.append(t["q5_head"].format(agreement=aid, signed=signed,
                                       frameworks=_join(sorted(labels[f] for f in fws), lang)))
    if len(applied) == 2:
        (a1, f1), (a2, f2) = [(k[0], v) for k, v in applied.items()]
        changes = [t["q5_only"].format(framework=labels[f], agreement=a1) for f in sorted(f1 - f2)]
        changes += [t["q5_only"].format(framework=labels[f], agreement=a2) for f in sorted(f2 - f1)]
        out.append(t["q5_changed"].format(changes="; ".join(changes) if changes else t["q5_none"]))
    return "\n".join(out)


def prose_q6(rows, lang):
    t = T[lang]
    claims = OrderedDict()
    for r in rows:
        claims.setdefault((r["number"], r["claim"]), []).append(r)
    out = []
    for (number, claim), rs in claims.items():
        checks = OrderedDict(((r["test"], r["agreementId"]), r) for r in rs if r.get("test"))
        cites = OrderedDict((r["asWritten"], r) for r in rs if r.get("asWritten"))
        positions = {r["position"] for r in checks.values()}
        miscited = any(r["citationError"] == "true" for r in cites.values())
        first = True
        for r in checks.values():
            text = t["q6"].format(number=number, claim=claim if first else "…", position=t["position"][r["position"]],
                                  test=r["test"], agreement=r["agreementId"], actual=t["answer"][r["actual"]],
                                  expected=t["answer"][r["expected"]])
            if r.get("failing"):
                text += t["q6_fail"].format(failing=r["failing"])
            out.append(text)
            first = False
        for written, r in cites.items():
            meant = t["q6_miscited"].format(meant_label=r["meant"] or "?") if r["citationError"] == "true" else ""
            out.append("  " + t["q6_cite"].format(written=written, meant=meant).strip())
        verdict = ("contested" if "contested" in positions else "undetermined" if "undetermined" in positions
                   else "supported" if positions else "undetermined")
        if verdict == "supported" and miscited:
            verdict = "miscited"
        out.append("  " + t["q6_correct"].format(verdict=t["verdict"][verdict]).strip())
    return "\n".join(out)


def prose_q7(rows, lang):
    t = T[lang]
    facts = [r for r in rows if r["kind"] == "fact"]
    conclusions = [r for r in rows if r["kind"] == "conclusion"]
    return "\n".join([
        t["q7_facts"].format(n=len(facts), examples=_join([f"{r['label']} ({r['grade']})" for r in facts[:8]], lang)),
        t["q7_conclusions"].format(n=len(conclusions),
                                   examples=_join([f"{r['label']} ({r['grade']})" for r in conclusions[:8]], lang)),
    ])


PROSE = {1: prose_q1, 2: prose_tests, 3: prose_q3, 4: prose_q4, 5: prose_q5, 6: prose_q6, 7: prose_q7}


# ------------------------------------------------------------------------------------------------ provisions, sources
def _provision_details(backend, iris: list[str], lang: str, with_text: bool) -> list[dict]:
    if not iris:
        return []
    values = " ".join(f"<{i}>" for i in sorted(set(iris)))
    _, rows = backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        SELECT ?p ?citation ?text ?gloss WHERE {{
          VALUES ?p {{ {values} }}
          ?p sckg:citationLabel ?citation FILTER(LANG(?citation) = "{lang}")
          OPTIONAL {{ ?p sckg:text ?text }}
          OPTIONAL {{ ?p sckg:gloss ?gloss }}
        }} ORDER BY ?citation""")
    out = []
    for p, citation, text, gloss in rows:
        item = {"iri": str(p), "citation": str(citation)}
        if with_text:
            item["text"] = str(text) if text is not None else None
            item["gloss"] = str(gloss) if gloss is not None else None
        out.append(item)
    return out


def _sources(backend, iris: list[str]) -> list[dict]:
    if not iris:
        return []
    values = " ".join(f"<{i}>" for i in sorted(set(iris)))
    _, rows = backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?s ?title ?grade ?url WHERE {{
          VALUES ?n {{ {values} }}
          ?n sckg:attestedBy ?s . ?s dct:title ?title ; sckg:grade/skos:notation ?grade .
          OPTIONAL {{ ?s sckg:url ?url }}
        }} ORDER BY ?grade ?title""")
    return [{"iri": str(s), "title": str(t), "grade": str(g), "url": str(u) if u is not None else None}
            for s, t, g, u in rows]


#: Columns the stored queries fill with GROUP_CONCAT, whose order SPARQL leaves to the store: their parts are sorted
#: (numbers as numbers), so that the embedded store and a remote one give the same rows and the same prose.
CONCATENATED = {"citation": "; ", "failing": "; ", "provisions": " ", "grades": " "}


def _natural(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


def _ordered(records: list[dict]) -> list[dict]:
    for r in records:
        for name, sep in CONCATENATED.items():
            if r.get(name):
                r[name] = sep.join(sorted(r[name].split(sep), key=_natural))
    return records


def answer(backend, numbers: list[int] | None = None, lang: str = "en", with_text: bool = False,
           params: dict[str, list[str]] | None = None) -> list[Answer]:
    stored = stored_queries()
    out = []
    for n in numbers or sorted(QUESTIONS):
        q = stored[QUESTIONS[n]]
        p = {"lang": [lang]}
        for name, values in (params or {}).items():
            if name in q.parameters:
                p[name] = values
        variables, rows = backend.select(with_params(q, p))
        records = _ordered(as_records(variables, rows))
        provisions = [iri for r in records for iri in (r.get("provisions") or "").split()]
        nodes = list(provisions)
        if n == 1:
            nodes += [r for r in (params or {}).get("agreement", [])]
            agreement = q.parameters.get("agreement", "").strip("<> ")
            nodes.append(agreement if agreement.startswith("http") else "")
        out.append(Answer(n, q.name, q.questions.get(lang, ""), q.rests_on, PROSE[n](records, lang), variables,
                          records, _provision_details(backend, provisions, lang, with_text),
                          _sources(backend, [x for x in nodes if x.startswith("http")])))
    return out
