"""Stage 4, render: assessments as the JSON contract of docs/outputs.md (an array, or NDJSON: one object per
line) or as a lawyer's checklist, in either language."""
from __future__ import annotations

import json
from typing import IO, Iterable

from rdflib import Graph

from .assess import Assessment
from .namespaces import SCKG

#: The words of the statuses, answers, grades, kinds and in-force values, in each language (the dossier uses them too).
#: "not applicable" is «tidak diterapkan», never «tidak berlaku», which in legal Indonesian means "not in force".
STATUS_WORDS = {"en": {"satisfied": "satisfied", "violated": "violated", "not-evidenced": "not evidenced",
                       "not-applicable": "not applicable"},
                "id": {"satisfied": "terpenuhi", "violated": "dilanggar", "not-evidenced": "tidak ada bukti",
                       "not-applicable": "tidak diterapkan"}}
#: A classification test's condition that fails is not met, not broken: the instrument is not a treaty, say.
UNMET_WORDS = {"en": "not met", "id": "tidak terpenuhi"}
ANSWER_WORDS = {"en": {"yes": "yes", "no": "no", "undetermined": "undetermined", "not-applicable": "not applicable"},
                "id": {"yes": "ya", "no": "tidak", "undetermined": "belum dapat ditentukan",
                       "not-applicable": "tidak dapat diterapkan"}}
GRADE_WORDS = {"en": {"primary": "primary", "secondary": "secondary", "unverified": "unverified"},
               "id": {"primary": "primer", "secondary": "sekunder", "unverified": "belum diverifikasi"}}
KIND_WORDS = {"en": {"classification": "classification", "lawfulness": "lawfulness"},
              "id": {"classification": "klasifikasi", "lawfulness": "keabsahan"}}
IN_FORCE_WORDS = {"en": {"yes": "yes", "no": "no", "not-evidenced": "not evidenced"},
                  "id": {"yes": "ya", "no": "tidak", "not-evidenced": "tidak ada bukti"}}
#: The lawfulness tests together, when none of them applies: nothing the graph holds judged the making.
NOT_ASSESSED = {"en": "NOT ASSESSED: no framework of lawful making that the graph holds applied on that date",
                "id": "TIDAK DINILAI: tidak ada kerangka keabsahan yang dimuat graf berlaku pada tanggal itu"}

WORDS = {
    "en": {"all_na": "every condition not applicable", "as_of": "as of", "judged": "judged by the law in force on",
           "precision": {"month": "only the month is recorded: judged as of its first day, {d}",
                         "year": "only the year is recorded: judged as of its first day, {d}"},
           "in_force": "in force on that date", "unknown": "an unknown date", "grade": "weakest source",
           "no_source": "no sourced fact was used",
           "rule": {"signing": "the signature date", "today": "today", "date": "a given date"},
           "lawful": "lawfully made (lawfulness tests together)", "reading": "Reading"},
    "id": {"all_na": "semua syarat tidak diterapkan", "as_of": "per", "judged": "dinilai menurut hukum yang berlaku pada",
           "precision": {"month": "hanya bulannya tercatat; dinilai per hari pertamanya, {d}",
                         "year": "hanya tahunnya tercatat; dinilai per hari pertamanya, {d}"},
           "in_force": "berlaku pada tanggal itu", "unknown": "tanggal yang tidak diketahui", "grade": "sumber terlemah",
           "no_source": "tidak ada fakta bersumber yang digunakan",
           "rule": {"signing": "tanggal penandatanganan", "today": "hari ini", "date": "tanggal yang diberikan"},
           "lawful": "dibuat secara sah (uji keabsahan seluruhnya)", "reading": "Bacaan"},
}
MARK = {"satisfied": "✓", "violated": "✗", "not-evidenced": "○", "not-applicable": "–"}


class Citations:
    """Citation labels of provisions ("PP 28/2018 Pasal 27 ayat (1) huruf a"), read from the legislation layer."""

    def __init__(self, legislation: Graph):
        self.labels: dict[str, dict[str, str]] = {}
        self._cited: dict[tuple, str] = {}
        for s, o in legislation.subject_objects(SCKG.citationLabel):
            self.labels.setdefault(str(s), {})[o.language] = str(o)

    def cite(self, provisions: list[str], lang: str) -> str:
        key = (tuple(provisions), lang)
        if key not in self._cited:   # conditions cite the same few sets of provisions
            self._cited[key] = "; ".join(self.labels.get(p, {}).get(lang, p.rsplit("/legislation/", 1)[-1])
                                         for p in provisions)
        return self._cited[key]


def status_word(status: str, kind: str, lang: str) -> str:
    """A condition's status in words: in a classification test a failed condition is "not met", not "violated"."""
    return UNMET_WORDS[lang] if status == "violated" and kind == "classification" else STATUS_WORDS[lang][status]


def as_json(a: Assessment, citations: Citations, lang: str) -> dict:
    return {**_assessment_json(a, lang),
            "tests": [{**_test_json(tr, lang), "conditions": [_condition_json(c, citations, lang) for c in tr.conditions]}
                      for tr in a.tests]}


def _assessment_json(a: Assessment, lang: str) -> dict:
    q = a.question
    return {
        "agreement": str(q.agreement), "id": q.aid, "title": a.titles.get(lang) or a.titles.get("en"),
        "as_of": q.as_of.isoformat(), "as_of_rule": q.rule,
        "judged_on": q.judged_on.isoformat() if q.judged_on else None,
        "signed": q.signed_text, "signed_precision": q.precision if q.judged_on else None,
        "in_force": a.in_force, "in_force_reason": a.in_force_reason.get(lang, ""), "lawful": a.lawful,
        "reading": a.notes.get(lang, ""), "engine": a.engine,
    }


def _test_json(tr, lang: str) -> dict:
    return {"test": tr.test.tid, "kind": tr.test.kind, "question": tr.test.questions.get(lang, ""), "answer": tr.answer}


def _condition_json(c, citations: Citations, lang: str) -> dict:
    return {"condition": c.cid, "label": c.labels.get(lang, ""), "status": c.status, "provisions": c.provisions,
            "citation": citations.cite(c.provisions, lang), "message": c.messages.get(lang, ""), "grade": c.grade,
            **({"sources": c.sources} if c.sources else {})}


class JsonLines:
    """`json.dumps(as_json(a, …), ensure_ascii=False)` (one line, no indent), the same text, made faster: a
    register's conditions repeat (the same status, articles, message and grade in thousands of agreements), so each
    condition's object is encoded once and reused. The objects' last keys ("tests", "conditions") are filled in
    after encoding the rest."""

    def __init__(self, citations: Citations, lang: str, cache_size: int = 1 << 16):
        self.citations, self.lang = citations, lang
        self.cache: dict[tuple, str] = {}
        self.cache_size = cache_size

    def _condition(self, c) -> str:
        key = (c.cid, c.status, tuple(c.provisions), c.messages.get(self.lang, ""), c.grade, tuple(c.sources))
        text = self.cache.get(key)
        if text is None:
            if len(self.cache) >= self.cache_size:
                self.cache.clear()
            text = self.cache[key] = json.dumps(_condition_json(c, self.citations, self.lang), ensure_ascii=False)
        return text

    def __call__(self, a: Assessment) -> str:
        tests = [_last_key({**_test_json(tr, self.lang), "conditions": None}, map(self._condition, tr.conditions))
                 for tr in a.tests]
        return _last_key({**_assessment_json(a, self.lang), "tests": None}, tests)


def _last_key(obj: dict, items) -> str:
    """`obj` encoded with its last key's value (None here) the list of the already encoded `items`."""
    return json.dumps(obj, ensure_ascii=False)[:-len("null}")] + "[" + ", ".join(items) + "]}"


def as_text(a: Assessment, citations: Citations, lang: str) -> str:
    w = WORDS[lang]
    q = a.question
    lawful = NOT_ASSESSED[lang] if a.lawful == "not-applicable" else ANSWER_WORDS[lang][a.lawful].upper()
    as_of = q.signed_text if q.rule == "signing" else q.as_of.isoformat()
    judged = q.signed_text or w["unknown"]
    if q.judged_on and q.precision in w["precision"]:
        judged += f" ({w['precision'][q.precision].format(d=q.judged_on.isoformat())})"
    lines = [f"{a.titles.get(lang) or a.titles.get('en') or q.aid} ({q.aid})",
             f"  {w['as_of']} {as_of} ({w['rule'][q.rule]}); {w['judged']} {judged}; "
             f"{w['in_force']}: {IN_FORCE_WORDS[lang][a.in_force]} ({a.in_force_reason.get(lang, '')})",
             f"  {w['lawful']}: {lawful}",
             f"  {w['reading']}: {a.notes.get(lang, '')}", ""]
    for tr in a.tests:
        answer = ANSWER_WORDS[lang][tr.answer].upper()
        lines.append(f"[{answer}] {tr.test.tid} ({KIND_WORDS[lang][tr.test.kind]}) — {tr.test.questions.get(lang, '')}")
        reasons = {c.messages.get(lang, "") for c in tr.conditions}
        if tr.answer == "not-applicable" and len(reasons) == 1:
            # the test as a whole does not apply (framework not in force, out of scope): say why once
            lines.append(f"   {MARK['not-applicable']} {w['all_na']} ({len(tr.conditions)}): {reasons.pop()}")
            lines.append("")
            continue
        for c in tr.conditions:
            grade = f"{w['grade']}: {GRADE_WORDS[lang][c.grade]}" if c.grade else w["no_source"]
            status = status_word(c.status, tr.test.kind, lang)
            lines.append(f"   {MARK[c.status]} {status:<16} {c.cid} — {c.labels.get(lang, '')}")
            lines.append(f"       {citations.cite(c.provisions, lang)}  [{grade}]")
            lines.append(f"       {c.messages.get(lang, '')}")
        lines.append("")
    return "\n".join(lines)


def summary_header(results: list[Assessment]) -> str:
    """The columns: id, dates, in force, the lawfulness tests together, then each test as `kind:test-id`."""
    tests = [f"{tr.test.kind}:{tr.test.tid}" for tr in results[0].tests] if results else []
    return "\t".join(["id", "as_of", "signed", "in_force", "lawful"] + tests)


def as_summary_row(a: Assessment) -> str:
    """One line per agreement: its date, whether it is in force, whether it was lawfully made (the lawfulness tests
    together) and each test's answer (a register's overview)."""
    q = a.question
    return "\t".join([q.aid, q.as_of.isoformat(), q.signed_text or "", a.in_force, a.lawful]
                     + [tr.answer for tr in a.tests])


def renderer(fmt: str, citations: Citations, lang: str, count: int, tests: list) -> tuple:
    """How `assess` writes a run in a format, one agreement at a time: (head, render(assessment) → its text,
    the separator between two agreements, tail) — the same bytes as `write_json_array`, `write_ndjson`, the
    summary and the checklists give for the whole list."""
    if fmt == "json" and count <= 50:   # indented while small
        return ("[", lambda a: "\n" + json.dumps(as_json(a, citations, lang), ensure_ascii=False, indent=2), ",",
                "\n]\n")
    if fmt == "json":
        line = JsonLines(citations, lang)
        return "[", lambda a: "\n" + line(a), ",", "\n]\n"
    if fmt == "ndjson":
        line = JsonLines(citations, lang)
        return "", lambda a: line(a) + "\n", "", ""
    if fmt == "summary":
        header = "\t".join(["id", "as_of", "signed", "in_force", "lawful"] + [f"{t.kind}:{t.tid}" for t in tests])
        return header + "\n", lambda a: as_summary_row(a) + "\n", "", ""
    return "", lambda a: as_text(a, citations, lang) + "\n", "", ""


def write_json_array(out: IO[str], objects: Iterable[dict], count: int | None = None) -> None:
    """A JSON array, whatever the count (one agreement, none, thousands), written item by item: a register of
    thousands never sits in memory as one string. Indented while small."""
    indent = 2 if count is not None and count <= 50 else None
    out.write("[")
    n = -1
    for n, obj in enumerate(objects):
        out.write(("," if n else "") + "\n" + json.dumps(obj, ensure_ascii=False, indent=indent))
    out.write("\n]\n" if n >= 0 else "]\n")


def write_ndjson(out: IO[str], objects: Iterable[dict]) -> None:
    """Newline-delimited JSON: one object per line, flushed as it is written (a consumer reads as it comes)."""
    for obj in objects:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()


def answers_csv(answers, wide: bool = True) -> str:
    """The answers' rows as CSV. Wide: one table per question (a header `question,<variable>…`, one row per
    result), the tables separated by an empty line. Long: one table `question,row,variable,value`."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if not wide:
        writer.writerow(["question", "row", "variable", "value"])
    for k, a in enumerate(answers):
        if wide:
            if k:
                buf.write("\n")
            writer.writerow(["question"] + list(a.variables))
            for row in a.rows:
                writer.writerow([a.number] + [row.get(var) or "" for var in a.variables])
            continue
        for n, row in enumerate(a.rows, 1):
            for var in a.variables:
                writer.writerow([a.number, n, var, row.get(var) or ""])
    return buf.getvalue()
