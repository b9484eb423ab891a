"""Stage 4, answer: the research questions, each answered in prose built from its query's rows.

The sentences are templates; every fact in them (names, dates, answers, articles, sources) comes from the rows of
the stored query (queries/q1…q7), run on the embedded store or on a remote endpoint. Nothing here knows the case.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from .queries import as_records, stored_queries, with_params
from .report import fmt_date, strip_qualifier

QUESTIONS = {1: "q1-instrument", 2: "q2-international-agreement", 3: "q3-regional-cooperation",
             4: "q4-central-government-role", 5: "q5-rules-2016-vs-2022", 6: "q6-thesis-claims",
             7: "q7-secondary-only"}

#: Words a name of the instrument uses for a twin or sister tie (PP 28/2018 Pasal 24 huruf a–b: "kembar/bersaudara"),
#: and for a friendship, in the languages the register's designations are in. Matched case-insensitively.
TWIN_WORDS = ("kembar", "bersaudara", "twin", "sister", "姉妹")
FRIENDSHIP_WORDS = ("persahabatan", "friendship", "友好")

T = {
    "en": {
        # a condition's status, worded for a lawfulness test and for a classification test (or a test of unknown kind)
        "status": {"satisfied": "satisfied", "violated": "violated", "not-evidenced": "not evidenced",
                   "not-applicable": "not applicable"},
        "status_class": {"satisfied": "met", "violated": "not met", "not-evidenced": "not evidenced",
                         "not-applicable": "not applicable"},
        "answer": {"yes": "yes", "no": "no", "undetermined": "undetermined", "not-applicable": "not applicable"},
        "record": {"done": "done", "not-done": "not done", "no-record": "searched for, no record found",
                   "absent": "nothing recorded"},
        "aspect": {"designation": "Named", "kind": "Judged as", "party": "Parties", "signatory": "Signed by",
                   "signed": "Signed on", "witness": "Witnessed by", "field": "Fields", "renewed by": "Renewed by",
                   "event": "Dated events"},
        "sources": "sources: {grades}",
        "none": "none",
        # answers, from the test's own question ("Is the instrument X?" / "Did the instrument meet X?")
        "ans_q": r"^(Is|Did) the instrument (meet )?(.+)\?$",
        "ans": {"yes": "Yes: the instrument {is} {x}.", "no": "No: the instrument {isnot} {x}.",
                "undetermined": "Undetermined: whether the instrument {is} {x} cannot be settled on the record.",
                "not-applicable": "Not applicable: the question does not arise for this instrument."},
        "verb": {"Is": ("is", "is not"), "Did": ("met", "did not meet")},
        "ans_fallback": "«{question}» Answer: {answer}.",
        "classification_no": " This test classifies the instrument; a «no» says what the instrument is not, and is "
                             "no breach of any rule.",
        "cond": "«{label}» ({id}; {citation})",
        "cond_group": "{status}: {conditions}.",
        "test_head": "{test}: {sentence}",
        # question 3
        "q3_head": "{agreement}, signed {signed}{party}:",
        "q3_party": "; its Indonesian party is a {kind}",
        "q3_not_governed": "{framework} did not govern its making: {window}, and the instrument was signed on {signed}.",
        "win_from": "it came into force on {date}",
        "win_notbefore": "it did not exist before {date}",
        "win_until": "it ceased to be in force on {date}",
        "q3_governed": "Its making was governed by {frameworks}.",
        "q24_options": "Under {cite} a KSDPL is one of: {options}.",
        "q24_option": "{letter}) «{text}» ({gloss})",
        "q24_kind": "Its Indonesian party is a {kind}, so of huruf a and b only huruf {letter} can fit it; huruf c, "
                    "«{c}», fits any KSDPL.",
        "q24_names": "The names recorded for it: {names}.",
        "q24_no_names": "No name of it is recorded.",
        "q24_twin": "{names} use the words of huruf {letter} (kembar/bersaudara): as the parties name it, it is a "
                    "KSDPL of huruf {letter}.",
        "q24_open": "None of these names says «kembar» or «bersaudara» (twin, sister){friendship}. Pasal 24 does not "
                    "say what makes a cooperation kembar or bersaudara, and the kind of the parties alone does not "
                    "make it so: whether it is huruf {letter} or «{c}» (huruf c) the text does not settle. Either "
                    "way it is a KSDPL under Pasal 24, and Pasal 29(1) and 30(1) speak of every KSDPL «sebagaimana "
                    "dimaksud dalam Pasal 24».",
        "q24_friendship": "; they call it friendship ({words})",
        "renews": "for the instrument it renews",
        # question 4
        "q4_head": "{agreement}, signed {signed}:",
        "q4_reached": "Regimes that reached it: {regimes}.",
        "q4_regime": "{regime} (decided by {test}: {answer})",
        "q4_not_reached": "Regimes that did not reach it, whose duties are not listed: {regimes}.",
        "q4_why_na": "{regime} ({test} is not applicable to it)",
        "q4_why_no": "{regime} ({test} answers no: the instrument is not within it)",
        "q4_why_unknown": "{regime} (the graph holds no answer of a test of this regime)",
        "q4_organ": "{organ} must act:",
        "q4_duty": "{step} ({regime}), under {citation}{before}. {description} On record: {record}.",
        "q4_before": ", before the step «{before}»",
        "q4_none": "No duty of the regimes that reached it is recorded.",
        # question 5
        "q5_head": "{agreement}, signed {signed}, was judged under: {frameworks}.",
        "q5_only": "{framework} applied only to {agreement}",
        "q5_changed": "Frameworks that applied to only one of them: {changes}.",
        "q5_none": "The same frameworks applied to both.",
        "q5_rules": "Rules that changed between {first} and {last}, as the legislation layer records them:",
        "q5_in-force": "came into force on {date}",
        "q5_promulgated": "was promulgated on {date}",
        "q5_end-of-force": "ceased to be in force on {date}",
        "q5_year-only": "was made in {year}; the graph records only its year, no date of promulgation or entry into force",
        "q5_by_end": ", repealed by {by}",
        "q5_by_new": "; it repeals {by}",
        "q5_grade": "its sources: {grade} at weakest",
        "q5_text": {"true": "the graph holds the text of some of its provisions", "false": "the graph holds none of its text"},
        "q5_rule": "{work} ({title}) {events}; {grade}; {text}.",
        "q5_no_end": "{work} ({title}, {year}): the graph records no end of its force and no repeal, nor whether "
                     "{successor} replaced it; {grade}; {text}.",
        "q5_no_rules": "The legislation layer records no rule that changed between {first} and {last}.",
        # question 6
        "q6_head": "Conclusion {number}: «{claim}»",
        "q6_check": "What the graph tested: «{question}» for {agreement}. The answer is {actual}; the claim needs {expected}.",
        "q6_supported": "This part of the conclusion holds.",
        "q6_contested": "This part of the conclusion does not hold; the conditions not met rest on {failing}.",
        "q6_contested_plain": "This part of the conclusion does not hold.",
        "q6_undetermined": "The graph cannot settle this part of the conclusion.",
        "q6_basis": "The answer matches, but the conclusion invokes {basis}, which was not in force when {agreement} "
                    "was signed: for that instrument the conclusion is not supported as it is stated.",
        "q6_untested": "The graph tests only that proposition; the rest of the conclusion, the legal basis it names "
                       "included, is not tested, save for its citations:",
        "q6_untested_nocite": "The graph tests only that proposition; the rest of the conclusion is not tested.",
        "q6_cite": "it cites «{written}»{meant}.",
        "q6_miscited": ", which names another statute than the one meant ({meant}): the conclusion is mis-cited",
        "q6_verdict": "Verdict: {verdict}.",
        "verdict": {"supported": "supported", "contested": "contested", "undetermined": "undetermined",
                    "partly": "supported only for {good}; not as stated for {bad}"},
        "miscited": ", and mis-cited",
        "q6_none": "No test of the graph checks this conclusion.",
        # question 7
        "q7_facts": "{n} recorded facts, each counted once, rest only on secondary or unverified sources; among them: "
                    "{examples}.",
        "q7_conclusions": "{n} conclusions (conditions found satisfied or violated) rest on a source weaker than "
                          "primary; among them: {examples}.",
        "q7_conclusion": "{agreement}: «{label}» ({condition}) {status}",
    },
    "id": {
        "status": {"satisfied": "terpenuhi", "violated": "dilanggar", "not-evidenced": "tidak ada bukti",
                   "not-applicable": "tidak berlaku"},
        "status_class": {"satisfied": "terpenuhi", "violated": "tidak terpenuhi", "not-evidenced": "tidak ada bukti",
                         "not-applicable": "tidak berlaku"},
        "answer": {"yes": "ya", "no": "tidak", "undetermined": "belum dapat ditentukan",
                   "not-applicable": "tidak berlaku"},
        "record": {"done": "dilakukan", "not-done": "tidak dilakukan",
                   "no-record": "dicari, tidak ada catatan", "absent": "tidak ada yang dicatat"},
        "aspect": {"designation": "Disebut", "kind": "Dinilai sebagai", "party": "Para pihak",
                   "signatory": "Ditandatangani oleh", "signed": "Ditandatangani pada", "witness": "Disaksikan oleh",
                   "field": "Bidang", "renewed by": "Diperbarui oleh", "event": "Peristiwa bertanggal"},
        "sources": "sumber: {grades}",
        "none": "tidak ada",
        "ans_q": r"^Apakah instrumen ini (memenuhi )?(.+)\?$",
        "ans": {"yes": "Ya: instrumen ini {is} {x}.", "no": "Tidak: instrumen ini {isnot} {x}.",
                "undetermined": "Belum dapat ditentukan: apakah instrumen ini {is} {x} tidak dapat dipastikan dari "
                                "catatan yang ada.",
                "not-applicable": "Tidak berlaku: pertanyaan ini tidak timbul bagi instrumen ini."},
        "verb": {"": ("merupakan", "bukan"), "memenuhi ": ("memenuhi", "tidak memenuhi")},
        "ans_fallback": "«{question}» Jawaban: {answer}.",
        "classification_no": " Uji ini menggolongkan instrumen; jawaban «tidak» menyatakan apa yang bukan instrumen "
                             "ini, dan bukan pelanggaran atas aturan apa pun.",
        "cond": "«{label}» ({id}; {citation})",
        "cond_group": "{status}: {conditions}.",
        "test_head": "{test}: {sentence}",
        "q3_head": "{agreement}, ditandatangani {signed}{party}:",
        "q3_party": "; pihak Indonesianya berupa {kind}",
        "q3_not_governed": "{framework} tidak mengatur pembuatannya: {window}, sedangkan instrumen ini ditandatangani "
                           "pada {signed}.",
        "win_from": "peraturan itu mulai berlaku pada {date}",
        "win_notbefore": "peraturan itu belum ada sebelum {date}",
        "win_until": "peraturan itu tidak berlaku lagi sejak {date}",
        "q3_governed": "Pembuatannya diatur oleh {frameworks}.",
        "q24_options": "Menurut {cite} KSDPL terdiri atas: {options}.",
        "q24_option": "{letter}) «{text}»",
        "q24_kind": "Pihak Indonesianya berupa {kind}, sehingga dari huruf a dan b hanya huruf {letter} yang dapat "
                    "sesuai; huruf c, «{c}», dapat meliputi KSDPL mana pun.",
        "q24_names": "Sebutan yang tercatat untuknya: {names}.",
        "q24_no_names": "Tidak ada sebutan yang tercatat untuknya.",
        "q24_twin": "{names} memakai kata-kata huruf {letter} (kembar/bersaudara): menurut sebutan para pihak, ia "
                    "KSDPL huruf {letter}.",
        "q24_open": "Tidak satu pun sebutan itu menyatakan «kembar» atau «bersaudara»{friendship}. Pasal 24 tidak "
                    "menyatakan apa yang menjadikan suatu kerja sama kembar atau bersaudara, dan jenis para pihak "
                    "saja tidak menjadikannya demikian: apakah ia huruf {letter} atau «{c}» (huruf c) tidak "
                    "dipastikan oleh teksnya. Bagaimanapun ia KSDPL menurut Pasal 24, dan Pasal 29 ayat (1) serta "
                    "Pasal 30 ayat (1) berbicara tentang setiap KSDPL «sebagaimana dimaksud dalam Pasal 24».",
        "q24_friendship": "; para pihak menyebutnya persahabatan ({words})",
        "renews": "untuk instrumen yang diperbaruinya",
        "q4_head": "{agreement}, ditandatangani {signed}:",
        "q4_reached": "Rezim yang menjangkaunya: {regimes}.",
        "q4_regime": "{regime} (ditentukan oleh {test}: {answer})",
        "q4_not_reached": "Rezim yang tidak menjangkaunya, yang kewajibannya tidak dicantumkan: {regimes}.",
        "q4_why_na": "{regime} ({test} tidak berlaku baginya)",
        "q4_why_no": "{regime} ({test} menjawab tidak: instrumen ini tidak termasuk di dalamnya)",
        "q4_why_unknown": "{regime} (graf tidak memuat jawaban uji rezim ini)",
        "q4_organ": "{organ} wajib bertindak:",
        "q4_duty": "{step} ({regime}), menurut {citation}{before}. {description} Catatan: {record}.",
        "q4_before": ", sebelum langkah «{before}»",
        "q4_none": "Tidak ada kewajiban tercatat dari rezim yang menjangkaunya.",
        "q5_head": "{agreement}, ditandatangani {signed}, dinilai menurut: {frameworks}.",
        "q5_only": "{framework} hanya berlaku bagi {agreement}",
        "q5_changed": "Kerangka yang hanya berlaku bagi salah satunya: {changes}.",
        "q5_none": "Kerangka yang sama berlaku bagi keduanya.",
        "q5_rules": "Aturan yang berubah antara {first} dan {last}, sebagaimana dicatat lapisan peraturan:",
        "q5_in-force": "mulai berlaku pada {date}",
        "q5_promulgated": "diundangkan pada {date}",
        "q5_end-of-force": "tidak berlaku lagi sejak {date}",
        "q5_year-only": "dibuat pada tahun {year}; graf hanya mencatat tahunnya, tanpa tanggal pengundangan atau mulai "
                        "berlaku",
        "q5_by_end": ", dicabut oleh {by}",
        "q5_by_new": "; peraturan ini mencabut {by}",
        "q5_grade": "sumbernya paling lemah berderajat {grade}",
        "q5_text": {"true": "graf memuat teks sebagian ketentuannya", "false": "graf tidak memuat teksnya sama sekali"},
        "q5_rule": "{work} ({title}) {events}; {grade}; {text}.",
        "q5_no_end": "{work} ({title}, {year}): graf tidak mencatat berakhirnya masa berlaku maupun pencabutannya, "
                     "juga tidak mencatat apakah {successor} menggantikannya; {grade}; {text}.",
        "q5_no_rules": "Lapisan peraturan tidak mencatat aturan yang berubah antara {first} dan {last}.",
        "q6_head": "Kesimpulan {number}: «{claim}»",
        "q6_check": "Yang diuji graf: «{question}» untuk {agreement}. Jawabannya {actual}; klaim itu memerlukan "
                    "{expected}.",
        "q6_supported": "Bagian kesimpulan ini berlaku.",
        "q6_contested": "Bagian kesimpulan ini tidak berlaku; syarat yang tidak terpenuhi bertumpu pada {failing}.",
        "q6_contested_plain": "Bagian kesimpulan ini tidak berlaku.",
        "q6_undetermined": "Graf belum dapat memastikan bagian kesimpulan ini.",
        "q6_basis": "Jawabannya sesuai, tetapi kesimpulan itu bersandar pada {basis}, yang belum berlaku ketika "
                    "{agreement} ditandatangani: bagi instrumen itu kesimpulan ini tidak didukung sebagaimana "
                    "dirumuskan.",
        "q6_untested": "Graf hanya menguji proposisi itu; bagian lain kesimpulan, termasuk dasar hukum yang "
                       "disebutnya, tidak diuji, kecuali rujukannya:",
        "q6_untested_nocite": "Graf hanya menguji proposisi itu; bagian lain kesimpulan tidak diuji.",
        "q6_cite": "ia merujuk «{written}»{meant}.",
        "q6_miscited": ", yang menunjuk undang-undang lain daripada yang dimaksud ({meant}): kesimpulan ini salah rujuk",
        "q6_verdict": "Penilaian: {verdict}.",
        "verdict": {"supported": "didukung", "contested": "dibantah", "undetermined": "belum dapat dinilai",
                    "partly": "didukung hanya untuk {good}; tidak sebagaimana dirumuskan untuk {bad}"},
        "miscited": ", dan salah rujuk",
        "q6_none": "Tidak ada uji dalam graf yang memeriksa kesimpulan ini.",
        "q7_facts": "{n} fakta tercatat, masing-masing dihitung sekali, hanya bertumpu pada sumber sekunder atau yang "
                    "belum diverifikasi; antara lain: {examples}.",
        "q7_conclusions": "{n} kesimpulan (syarat yang dinyatakan terpenuhi atau dilanggar) bertumpu pada sumber yang "
                          "lebih lemah daripada sumber primer; antara lain: {examples}.",
        "q7_conclusion": "{agreement}: «{label}» ({condition}) {status}",
    },
}
#: The words of the text output around the prose.
WORDS = {"en": {"question": "Question", "rests_on": "Rests on", "provisions": "Provisions", "sources": "Sources",
                "rows": "Rows"},
         "id": {"question": "Pertanyaan", "rests_on": "Bertumpu pada", "provisions": "Ketentuan", "sources": "Sumber",
                "rows": "Baris"}}


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


@dataclass
class Context:
    """What the prose needs besides the rows: the language, the labels of the vocabulary (read from the graph) and
    the backend, for the few facts a question reads beside its stored query."""
    lang: str
    vocab: dict = field(default_factory=dict)    # (scheme, notation) → label in the language, qualifier stripped
    backend: object = None

    @property
    def t(self) -> dict:
        return T[self.lang]

    def label(self, scheme: str, notation: str | None) -> str:
        if not notation:
            return ""
        return self.vocab.get((scheme, notation)) or T[self.lang].get(scheme, {}).get(notation, notation)

    def grades(self, notations: str | None) -> str:
        return ", ".join(self.label("grade", g) for g in sorted(set((notations or "").split()), key=_grade_rank))

    def weakest(self, notations: str | None) -> str:
        grades = sorted(set((notations or "").split()), key=_grade_rank)
        return self.label("grade", grades[-1]) if grades else ""

    def date(self, value: str | None, precision: str | None = None) -> str:
        return fmt_date(value, self.lang, precision or "day") if value else ""


GRADE_ORDER = ("primary", "secondary", "unverified")


def _grade_rank(g: str) -> int:
    return GRADE_ORDER.index(g) if g in GRADE_ORDER else len(GRADE_ORDER)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items, ctx: Context, sep: str = "; ") -> str:
    items = [i for i in items if i]
    return sep.join(items) if items else ctx.t["none"]


def _and(items: list[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    word = {"en": "and", "id": "dan"}[lang]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def answer_sentence(question: str | None, answer: str, kind: str | None, ctx: Context) -> str:
    """The answer of a test in a sentence, from the test's own question: "Is the instrument X?" → "No: the
    instrument is not X." A classification test that answers no says what the instrument is not, never a breach."""
    t = ctx.t
    m = re.match(t["ans_q"], question or "")
    if m and answer in t["ans"]:
        if ctx.lang == "en":
            is_, isnot = t["verb"]["Did" if m.group(1) == "Did" else "Is"]
            x = m.group(3)
        else:
            is_, isnot = t["verb"][m.group(1) or ""]
            x = m.group(2)
        text = t["ans"][answer].format(**{"is": is_, "isnot": isnot, "x": x})
    else:
        text = t["ans_fallback"].format(question=question or "", answer=t["answer"].get(answer, answer))
    if kind == "classification" and answer == "no":
        text += t["classification_no"]
    return text


def _status(status: str, kind: str | None, ctx: Context) -> str:
    words = ctx.t["status"] if kind == "lawfulness" else ctx.t["status_class"]
    return words.get(status, status)


def _cond(r: dict, ctx: Context) -> str:
    return ctx.t["cond"].format(label=r.get("conditionLabel") or r["condition"], id=r["condition"],
                                citation=r.get("citation") or "")


def _condition_lines(conds: list[dict], kind: str | None, ctx: Context, indent: str,
                     messages: tuple = ("violated", "not-evidenced")) -> list[str]:
    """Conditions grouped by status (violated, not evidenced, satisfied; not applicable ones are left out), each
    with its label, id and articles; the message of each condition of a status in `messages`."""
    out = []
    for status in ("violated", "not-evidenced", "satisfied"):
        group = [c for c in conds if c["status"] == status]
        if not group:
            continue
        if status in messages:
            for c in group:
                line = f"{indent}{_cap(_status(status, kind, ctx))}: {_cond(c, ctx)}."
                if c.get("message"):
                    line += " " + c["message"]
                out.append(line)
        else:
            out.append(indent + ctx.t["cond_group"].format(status=_cap(_status(status, kind, ctx)),
                                                           conditions="; ".join(_cond(c, ctx) for c in group)))
    return out


# ------------------------------------------------------------------------------------------------ prose
def prose_q1(rows, ctx: Context):
    t = ctx.t
    by = OrderedDict()
    for r in rows:
        by.setdefault(r["aspect"], []).append(r)
    out = []
    for aspect in ("designation", "kind", "party", "signed", "signatory", "witness", "field", "renewed by", "event"):
        items = by.get(aspect, [])
        if not items:
            continue
        # one entry per value (a person recorded with two titles is one witness with two titles)
        merged = OrderedDict()
        for r in items:
            m = merged.setdefault(r["value"], {"details": [], "grades": set(), "row": r})
            if r.get("detail") and r["detail"] not in m["details"]:
                m["details"].append(r["detail"])
            m["grades"] |= set((r.get("grades") or "").split())
        parts = []
        for value, m in merged.items():
            r = m["row"]
            if aspect in ("signed", "event"):
                value = ctx.date(r.get("date") or value, r.get("precision"))
            details = list(m["details"])
            if aspect == "renewed by" and r.get("date"):
                details = [ctx.date(r["date"], r.get("precision"))]
            if aspect == "designation":
                value = f"«{value}»"
            if aspect == "event":
                text = f"{value}: {'; '.join(details)}"
            else:
                text = value + (f" ({'; '.join(details)})" if details else "")
            if m["grades"]:
                text += " [" + t["sources"].format(grades=ctx.grades(" ".join(m["grades"]))) + "]"
            parts.append(text)
        out.append(f"{t['aspect'][aspect]}: {_join(parts, ctx)}.")
    return "\n".join(out)


def _tests(rows) -> OrderedDict:
    tests = OrderedDict()
    for r in rows:
        tests.setdefault(r["test"], []).append(r)
    return tests


def prose_q2(rows, ctx: Context):
    t = ctx.t
    out = []
    for test, conds in _tests(rows).items():
        first = conds[0]
        out.append(t["test_head"].format(test=test, sentence=answer_sentence(first.get("question"), first["answer"],
                                                                             first.get("kind"), ctx)))
        out += _condition_lines(conds, first.get("kind"), ctx, "  ")
    return "\n".join(out)


def _window(r: dict, signed: str | None) -> str | None:
    """Why the framework of row r did not govern a signing on `signed` (a window key), or None if it did."""
    if not signed:
        return None
    if r.get("from") and signed < r["from"]:
        return "from"
    if r.get("notBefore") and signed < r["notBefore"]:
        return "notbefore"
    if r.get("until") and signed > r["until"]:
        return "until"
    return None


def _pasal24(ctx: Context, agreement_id: str) -> tuple[list[dict], list[dict]]:
    """PP 28/2018 Pasal 24's huruf (citation, text, gloss) and the names recorded for the instrument and for the
    instruments it renews (text, who uses it, whether it is the renewed one's)."""
    huruf = ctx.backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?p ?cite ?text ?gloss WHERE {{
          ?p eli:is_part_of <https://w3id.org/sistercity-kg/id/legislation/pp/2018/28/pasal/24> ; sckg:text ?text .
          OPTIONAL {{ ?p sckg:gloss ?gloss }}
          OPTIONAL {{ <https://w3id.org/sistercity-kg/id/legislation/pp/2018/28/pasal/24> sckg:citationLabel ?cite
                     FILTER(LANG(?cite) = "{ctx.lang}") }}
        }} ORDER BY ?p""")[1]
    names = ctx.backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?own ?name ?user WHERE {{
          ?a sckg:agreementId "{agreement_id}" .
          {{ ?a sckg:hasDesignation ?d BIND("own" AS ?own) }}
          UNION {{ ?a sckg:renews+ ?r . ?r sckg:hasDesignation ?d BIND("renewed" AS ?own) }}
          ?d sckg:designationText ?name .
          OPTIONAL {{ ?d sckg:usedBy/rdfs:label ?user FILTER(LANG(?user) = "{ctx.lang}") }}
        }} ORDER BY ?own ?name""")[1]
    return ([{"letter": str(p).rsplit("/", 1)[1], "cite": str(c or ""), "text": str(x), "gloss": str(g or "")}
             for p, c, x, g in huruf],
            [{"own": str(o) == "own", "name": str(n), "user": str(u) if u is not None else ""} for o, n, u in names])


def _has(words, text: str) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def prose_pasal24(ctx: Context, agreement_id: str, kind: str | None, kind_label: str) -> list[str]:
    """How PP 28/2018 Pasal 24 classifies a KSDPL: huruf a (province) or b (regency/city) by the Indonesian party's
    kind, but only if the tie is kembar/bersaudara, which the names the parties use say or do not say; else huruf c
    may fit as well, and the text does not settle which."""
    t = ctx.t
    huruf, names = _pasal24(ctx, agreement_id)
    if len(huruf) < 3:
        return []
    letters = {h["letter"]: h for h in huruf}
    cite = huruf[0]["cite"]
    out = [t["q24_options"].format(cite=cite, options="; ".join(
        t["q24_option"].format(letter=h["letter"], text=h["text"].rstrip(";,. ").removesuffix("; dan")
                               .removesuffix(" dan").rstrip(";,. "),
                               gloss=h["gloss"].rstrip(";,. ").removesuffix("; and").removesuffix(" and")
                               .rstrip(";,. "))
        for h in huruf))]
    letter = "a" if kind == "province" else "b"
    c_words = letters.get("c", {}).get("text", "").rstrip(";,. ")
    if kind:
        out.append(t["q24_kind"].format(kind=kind_label, letter=letter, c=c_words))
    if not names:
        out.append(t["q24_no_names"])
    else:
        listed = []
        for n in names:
            entry = f"«{n['name']}»" + (f" ({n['user']})" if n["user"] else "")
            listed.append(entry if n["own"] else f"{entry} {t['renews']}")
        out.append(t["q24_names"].format(names=", ".join(listed)))
    twin = [n for n in names if _has(TWIN_WORDS, n["name"])]
    if twin:
        out.append(t["q24_twin"].format(names=_and([f"«{n['name']}»" for n in twin], ctx.lang), letter=letter))
    else:
        friendly = [n["name"] for n in names if _has(FRIENDSHIP_WORDS, n["name"])]
        friendship = t["q24_friendship"].format(words=", ".join(f"«{w}»" for w in friendly)) if friendly else ""
        out.append(t["q24_open"].format(friendship=friendship, letter=letter, c=c_words))
    return out


def prose_q3(rows, ctx: Context):
    t = ctx.t
    agreements = OrderedDict()
    for r in rows:
        agreements.setdefault(r["agreementId"], []).append(r)
    out = []
    for aid, rs in agreements.items():
        head = rs[0]
        signed = head.get("signed")
        kind_label = strip_qualifier(head.get("indonesianKindLabel") or "")
        party = t["q3_party"].format(kind=kind_label) if kind_label else ""
        out.append(t["q3_head"].format(agreement=aid, signed=ctx.date(signed, head.get("precision")), party=party))
        tests = _tests(rs)
        governed, not_governed = OrderedDict(), OrderedDict()
        for test, conds in tests.items():
            why = _window(conds[0], signed)
            (not_governed if why else governed)[conds[0]["framework"]] = (conds[0], why)
        for fw, (r, why) in not_governed.items():
            date = {"from": r.get("from"), "notbefore": r.get("notBefore"), "until": r.get("until")}[why]
            # a window that opens on the first of January is known to the year only
            precision = "year" if why == "notbefore" and date.endswith("-01-01") else "day"
            out.append("  " + t["q3_not_governed"].format(
                framework=r.get("frameworkLabel") or fw, signed=ctx.date(signed, head.get("precision")),
                window=t[f"win_{why}"].format(date=ctx.date(date, precision))))
        if not_governed and governed:
            out.append("  " + t["q3_governed"].format(
                frameworks=_and([r.get("frameworkLabel") or fw for fw, (r, _) in governed.items()], ctx.lang)))
        for test, conds in tests.items():
            first = conds[0]
            if first["framework"] in not_governed:
                continue
            out.append("  " + t["test_head"].format(test=test, sentence=answer_sentence(
                first.get("question"), first["answer"], first.get("kind"), ctx)))
            if first["answer"] == "not-applicable":
                messages = sorted({c["message"] for c in conds if c.get("message")})
                out += ["    " + m for m in messages[:1]]
                continue
            if test == "pp-28-2018/ksdpl":
                out += ["    " + line for line in prose_pasal24(ctx, aid, head.get("indonesianKind"), kind_label)]
            out += _condition_lines(conds, first.get("kind"), ctx, "    ", messages=("violated",))
    return "\n".join(out)


def prose_q4(rows, ctx: Context):
    t = ctx.t
    agreements = OrderedDict()
    for r in rows:
        agreements.setdefault(r["agreementId"], []).append(r)
    signed = _signing_dates(ctx, list(agreements))
    out = []
    for aid, rs in agreements.items():
        out.append(t["q4_head"].format(agreement=aid, signed=ctx.date(*signed.get(aid, (None, None))) or "?"))
        regimes = OrderedDict()
        for r in rs:
            regimes.setdefault(r["regime"], r)
        reached = [r for r in regimes.values() if r["applies"] == "yes"]
        if reached:
            out.append("  " + t["q4_reached"].format(regimes="; ".join(
                t["q4_regime"].format(regime=r.get("regimeLabel") or r["regime"], test=r["test"],
                                      answer=t["answer"].get(r["answer"], r["answer"])) for r in reached)))
        others = []
        for r in regimes.values():
            if r["applies"] == "yes":
                continue
            regime = r.get("regimeLabel") or r["regime"]
            if r["applies"] == "unknown":
                others.append(t["q4_why_unknown"].format(regime=regime))
            elif r["answer"] == "not-applicable":
                others.append(t["q4_why_na"].format(regime=regime, test=r["test"]))
            else:
                others.append(t["q4_why_no"].format(regime=regime, test=r["test"]))
        if others:
            out.append("  " + t["q4_not_reached"].format(regimes="; ".join(others)))
        organs = OrderedDict()
        for r in rs:
            if r["applies"] != "yes":
                continue
            organs.setdefault(r["organLabel"], []).append(r)
        if not organs:
            out.append("  " + t["q4_none"])
        for organ, duties in organs.items():
            out.append("  " + t["q4_organ"].format(organ=_cap(strip_qualifier(organ))))
            for r in duties:
                before = (t["q4_before"].format(before=strip_qualifier(r.get("beforeLabel") or r["before"]))
                          if r.get("before") else "")
                out.append("    " + t["q4_duty"].format(
                    step=_cap(strip_qualifier(r.get("stepLabel") or r["step"])),
                    regime=r.get("regimeLabel") or r["regime"], citation=r["citation"], before=before,
                    description=(r.get("description") or "").strip(),
                    record=t["record"].get(r["record"], r["record"])).replace(". .", ".").replace(".  ", ". "))
    return "\n".join(out)


def _signing_dates(ctx: Context, ids: list[str]) -> dict:
    if not ids or ctx.backend is None:
        return {}
    values = " ".join(f'"{i}"' for i in ids)
    rows = ctx.backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?id ?date ?precision WHERE {{
          VALUES ?id {{ {values} }}
          ?a sckg:agreementId ?id ; sckg:signing ?s . ?s sckg:onDate ?date .
          OPTIONAL {{ ?s sckg:datePrecision/skos:notation ?precision }}
        }}""")[1]
    return {str(i): (str(d), str(p) if p is not None else None) for i, d, p in rows}


def prose_q5(rows, ctx: Context):
    t = ctx.t
    applied, signed, labels = OrderedDict(), {}, {}
    changes, no_end = OrderedDict(), OrderedDict()
    for r in rows:
        if r["aspect"] == "framework":
            applied.setdefault(r["agreementId"], set())
            signed[r["agreementId"]] = r["signed"]
            labels[r["framework"]] = r["frameworkLabel"]
            if r["answer"] != "not-applicable":
                applied[r["agreementId"]].add(r["framework"])
        elif r["aspect"] == "change":
            changes.setdefault(r["work"], []).append(r)
        elif r["aspect"] == "no-recorded-end":
            no_end.setdefault(r["work"], []).append(r)
    out = []
    for aid, fws in applied.items():
        out.append(t["q5_head"].format(agreement=aid, signed=ctx.date(signed[aid]),
                                       frameworks=_join(sorted(labels[f] for f in fws), ctx)))
    if len(applied) == 2:
        (a1, f1), (a2, f2) = list(applied.items())
        only = [t["q5_only"].format(framework=labels[f], agreement=a1) for f in sorted(f1 - f2)]
        only += [t["q5_only"].format(framework=labels[f], agreement=a2) for f in sorted(f2 - f1)]
        out.append(t["q5_changed"].format(changes="; ".join(only)) if only else t["q5_none"])
    if signed:
        first, last = ctx.date(min(signed.values())), ctx.date(max(signed.values()))
        if changes or no_end:
            out.append(t["q5_rules"].format(first=first, last=last))
        else:
            out.append(t["q5_no_rules"].format(first=first, last=last))
        ordered = sorted(changes.values(), key=lambda rs: (min(r.get("eventDate") or f"{r['year']}-99" for r in rs),
                                                           rs[0]["workLabel"]))
        for rs in ordered:
            r = rs[0]
            events = []
            for e in sorted(rs, key=lambda e: e.get("eventDate") or ""):
                text = t[f"q5_{e['event']}"].format(date=ctx.date(e.get("eventDate")), year=e.get("year"))
                if e.get("byLabel"):
                    text += t["q5_by_end" if e["event"] == "end-of-force" else "q5_by_new"].format(by=e["byLabel"])
                if text not in events:
                    events.append(text)
            out.append("  " + t["q5_rule"].format(
                work=r["workLabel"], title=r.get("title") or "", events=_and(events, ctx.lang),
                grade=t["q5_grade"].format(grade=ctx.weakest(r.get("grades"))), text=t["q5_text"][r["textHeld"]]))
        for rs in no_end.values():
            r = rs[0]
            out.append("  " + t["q5_no_end"].format(
                work=r["workLabel"], title=r.get("title") or "", year=r["year"],
                successor=_and(sorted({x["successorLabel"] for x in rs}), ctx.lang),
                grade=t["q5_grade"].format(grade=ctx.weakest(r.get("grades"))), text=t["q5_text"][r["textHeld"]]))
    return "\n".join(out)


def prose_q6(rows, ctx: Context):
    t = ctx.t
    claims = OrderedDict()
    for r in rows:
        claims.setdefault((r["number"], r["claim"]), []).append(r)
    out = []
    for (number, claim), rs in claims.items():
        out.append(t["q6_head"].format(number=number, claim=claim))
        checks = OrderedDict(((r["test"], r["agreementId"]), r) for r in rs if r.get("test"))
        cites = OrderedDict((r["asWritten"], r) for r in rs if r.get("asWritten"))
        positions, good, bad = set(), [], []
        for r in checks.values():
            line = t["q6_check"].format(question=r.get("question") or r["test"], agreement=r["agreementId"],
                                        actual=t["answer"][r["actual"]], expected=t["answer"][r["expected"]])
            position = r["position"]
            if position == "supported" and r.get("basisNotInForce"):
                line += " " + t["q6_basis"].format(basis=_and(r["basisNotInForce"].split("; "), ctx.lang),
                                                   agreement=r["agreementId"])
                bad.append(r["agreementId"])
            elif position == "supported":
                line += " " + t["q6_supported"]
                good.append(r["agreementId"])
            elif position == "contested":
                line += " " + (t["q6_contested"].format(failing=r["failing"]) if r.get("failing")
                               else t["q6_contested_plain"])
            else:
                line += " " + t["q6_undetermined"]
            positions.add(position)
            out.append("  " + line)
        if not checks:
            out.append("  " + t["q6_none"])
        miscited = any(r["citationError"] == "true" for r in cites.values())
        if checks:
            out.append("  " + (t["q6_untested"] if cites else t["q6_untested_nocite"]))
        for written, r in cites.items():
            meant = t["q6_miscited"].format(meant=r.get("meant") or "") if r["citationError"] == "true" else ""
            out.append("    " + _cap(t["q6_cite"].format(written=written, meant=meant)))
        if "contested" in positions:
            verdict = t["verdict"]["contested"]
        elif "undetermined" in positions or not positions:
            verdict = t["verdict"]["undetermined"]
        elif bad:
            verdict = t["verdict"]["partly"].format(good=_and(good, ctx.lang) or t["none"], bad=_and(bad, ctx.lang))
        else:
            verdict = t["verdict"]["supported"]
        if miscited:
            verdict += t["miscited"]
        out.append("  " + t["q6_verdict"].format(verdict=verdict))
    return "\n".join(out)


def prose_q7(rows, ctx: Context):
    t = ctx.t
    facts = OrderedDict((r["what"], r) for r in rows if r["kind"] == "fact")
    conclusions = OrderedDict((r["what"], r) for r in rows if r["kind"] == "conclusion")
    fact_examples = [f"{r['label']} ({ctx.label('grade', r['grade'])})" for r in list(facts.values())[:8]]
    conclusion_examples = [
        t["q7_conclusion"].format(agreement=r["agreementId"], label=r.get("conditionLabel") or r["condition"],
                                  condition=r["condition"], status=t["status"].get(r["status"], r["status"]))
        + f" ({ctx.label('grade', r['grade'])})" for r in list(conclusions.values())[:8]]
    return "\n".join([t["q7_facts"].format(n=len(facts), examples=_join(fact_examples, ctx)),
                      t["q7_conclusions"].format(n=len(conclusions), examples=_join(conclusion_examples, ctx))])


PROSE = {1: prose_q1, 2: prose_q2, 3: prose_q3, 4: prose_q4, 5: prose_q5, 6: prose_q6, 7: prose_q7}


def vocabulary(backend, lang: str) -> dict:
    """The labels of the graph's controlled vocabularies in a language: (scheme, notation) → label."""
    _, rows = backend.select(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?scheme ?notation ?label WHERE {{
          ?c skos:inScheme ?scheme ; skos:notation ?notation ; rdfs:label ?label FILTER(LANG(?label) = "{lang}")
          FILTER(STRSTARTS(STR(?scheme), "https://w3id.org/sistercity-kg/id/vocab/"))
        }}""")
    return {(str(s).rsplit("/", 1)[1], str(n)): strip_qualifier(str(l)) for s, n, l in rows}


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


def _sources(backend, iris: list[str], lang: str = "en") -> list[dict]:
    if not iris:
        return []
    values = " ".join(f"<{i}>" for i in sorted(set(iris)))
    _, rows = backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s ?title ?grade ?gradeLabel ?url WHERE {{
          VALUES ?n {{ {values} }}
          ?n sckg:attestedBy ?s . ?s dct:title ?title ; sckg:grade ?g . ?g skos:notation ?grade .
          OPTIONAL {{ ?g rdfs:label ?gradeLabel FILTER(LANG(?gradeLabel) = "{lang}") }}
          OPTIONAL {{ ?s sckg:url ?url }}
        }} ORDER BY ?grade ?title""")
    return [{"iri": str(s), "title": str(t), "grade": str(g), "gradeLabel": str(gl) if gl is not None else str(g),
             "url": str(u) if u is not None else None}
            for s, t, g, gl, u in rows]


#: Columns the stored queries fill with GROUP_CONCAT, whose order SPARQL leaves to the store: their parts are sorted
#: (numbers as numbers), so that the embedded store and a remote one give the same rows and the same prose.
CONCATENATED = {"citation": "; ", "failing": "; ", "provisions": " ", "grades": " ", "basisNotInForce": "; "}


def _natural(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


def _ordered(records: list[dict]) -> list[dict]:
    for r in records:
        for name, sep in CONCATENATED.items():
            if r.get(name):
                r[name] = sep.join(sorted(r[name].split(sep), key=_natural))
    return records


def _printed(n: int, records: list[dict]) -> list[dict]:
    """The rows whose articles the prose of question n cites: not those of a framework that did not govern the
    instrument, nor, for a test that does not apply, any but the one whose message is printed (question 3); not the
    duties of a regime that did not reach the instrument (question 4)."""
    if n == 3:
        out, shown = [], set()
        for r in records:
            if _window(r, r.get("signed")) is not None:
                continue
            if r["answer"] == "not-applicable":
                key = (r["agreementId"], r["test"])
                first = min((x.get("message") or "" for x in records
                             if (x["agreementId"], x["test"]) == key and x.get("message")), default="")
                if key in shown or (r.get("message") or "") != first:
                    continue
                shown.add(key)
            out.append(r)
        return out
    if n == 4:
        return [r for r in records if r.get("applies") != "no"]
    return records


def rests_on(q, lang: str) -> str:
    """What the answer rests on, in the language asked for: a stored query's `# rests on (id): …` line, else its
    `# rests on: …` line."""
    if lang != "en":
        for line in q.text.splitlines():
            m = re.match(rf"#\s*rests on \({lang}\):\s*(.+)", line)
            if m:
                return m.group(1).strip()
    return q.rests_on


def answer(backend, numbers: list[int] | None = None, lang: str = "en", with_text: bool = False,
           params: dict[str, list[str]] | None = None) -> list[Answer]:
    stored = stored_queries()
    ctx = Context(lang, vocabulary(backend, lang), backend)
    out = []
    for n in numbers or sorted(QUESTIONS):
        q = stored[QUESTIONS[n]]
        p = {"lang": [lang]}
        for name, values in (params or {}).items():
            if name in q.parameters:
                p[name] = values
        variables, rows = backend.select(with_params(q, p))
        records = _ordered(as_records(variables, rows))
        provisions = [iri for r in _printed(n, records) for iri in (r.get("provisions") or "").split()]
        nodes = list(provisions)
        if n == 1:
            nodes += [r for r in (params or {}).get("agreement", [])]
            agreement = q.parameters.get("agreement", "").strip("<> ")
            nodes.append(agreement if agreement.startswith("http") else "")
        out.append(Answer(n, q.name, q.questions.get(lang, ""), rests_on(q, lang), PROSE[n](records, ctx),
                          variables, records, _provision_details(backend, provisions, lang, with_text),
                          _sources(backend, [x for x in nodes if x.startswith("http")], lang)))
    return out


def as_text(answers: list[Answer], lang: str, with_text: bool = False, rows: bool = False) -> str:
    """The answers as a reader gets them: the question, what it rests on, the prose, the provisions cited, the
    sources with their grades (worded in the language asked for) and, on request, the rows."""
    from .queries import format_rows

    word = WORDS[lang]
    grades = {}
    out = []
    for a in answers:
        out.append(f"{word['question']} {a.number}. {a.question}")
        out.append(f"{word['rests_on']}: {a.rests_on}\n")
        out.append(a.text + "\n")
        if a.provisions:
            out.append(f"{word['provisions']}:")
            for p in a.provisions:
                out.append(f"  {p['citation']}  <{p['iri']}>")
                if with_text and p.get("text"):
                    out.append("    " + " ".join(p["text"].split()))
                if with_text and p.get("gloss"):
                    out.append("    [en] " + " ".join(p["gloss"].split()))
        if a.sources:
            out.append(f"{word['sources']}:")
            for s in a.sources:
                label = grades.setdefault(s["grade"], s.get("gradeLabel") or s["grade"])
                out.append(f"  [{label}] {s['title']}" + (f" <{s['url']}>" if s.get("url") else ""))
        if rows:
            out.append(f"{word['rows']} ({len(a.rows)}):")
            out.append(format_rows(a.variables, [tuple(r[v] for v in a.variables) for r in a.rows], "text"))
        out.append("")
    return "\n".join(out) + "\n"
