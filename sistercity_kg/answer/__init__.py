"""Stage 4, answer: the research questions, each answered in prose built from its query's rows.

The sentences are templates; every fact in them (names, dates, answers, articles, sources) comes from the rows of
the stored query (queries/q1…q7), run on the embedded store or on a remote endpoint. Nothing here knows the case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..queries import as_records, format_rows, stored_queries, with_params
from .prose import PASAL_24, PROSE, Context, _window, vocabulary
from .words import WORDS

QUESTIONS = {1: "q1-instrument", 2: "q2-international-agreement", 3: "q3-regional-cooperation",
             4: "q4-central-government-role", 5: "q5-rules-2016-vs-2022", 6: "q6-thesis-claims",
             7: "q7-secondary-only"}


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
        printed = _printed(n, records)
        provisions = [iri for r in printed for iri in (r.get("provisions") or "").split()]
        if n == 3 and any(r["test"] == "pp-28-2018/ksdpl" and r["answer"] != "not-applicable" for r in printed):
            provisions.append(PASAL_24)   # the prose classifies the KSDPL under Pasal 24
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
