"""Stage 4, render: assessments as the JSON contract of docs/outputs.md (an array, or NDJSON: one object per
line) or as a lawyer's checklist."""
from __future__ import annotations

import json
from typing import IO, Iterable

from rdflib import Graph

from .assess import Assessment
from .namespaces import SCKG

WORDS = {
    "en": {"satisfied": "satisfied", "violated": "violated", "not-evidenced": "not evidenced",
           "not-applicable": "not applicable", "yes": "YES", "no": "NO", "undetermined": "UNDETERMINED",
           "answer-not-applicable": "NOT APPLICABLE", "all_na": "every condition not applicable",
           "as_of": "as of", "judged": "judged by the law of", "in_force": "in force on that date",
           "yes_word": "yes", "no_word": "no", "unknown": "unknown", "grade": "weakest source",
           "no_source": "no source", "rule": {"signing": "the signature date", "today": "today", "date": "a given date"},
           "reading": "Reading"},
    "id": {"satisfied": "terpenuhi", "violated": "dilanggar", "not-evidenced": "tidak ada bukti",
           "not-applicable": "tidak berlaku", "yes": "YA", "no": "TIDAK", "undetermined": "BELUM DAPAT DITENTUKAN",
           "answer-not-applicable": "TIDAK BERLAKU", "all_na": "semua syarat tidak berlaku",
           "as_of": "per", "judged": "dinilai menurut hukum tanggal", "in_force": "berlaku pada tanggal itu",
           "yes_word": "ya", "no_word": "tidak", "unknown": "tidak diketahui", "grade": "sumber terlemah",
           "no_source": "tanpa sumber", "rule": {"signing": "tanggal penandatanganan", "today": "hari ini",
                                                "date": "tanggal yang diberikan"},
           "reading": "Bacaan"},
}
GRADES = {"en": {"primary": "primary", "secondary": "secondary", "unverified": "unverified"},
          "id": {"primary": "primer", "secondary": "sekunder", "unverified": "belum diverifikasi"}}
MARK = {"satisfied": "✓", "violated": "✗", "not-evidenced": "?", "not-applicable": "–"}


class Citations:
    """Citation labels of provisions ("PP 28/2018 Pasal 27 ayat (1) huruf a"), read from the legislation layer."""

    def __init__(self, legislation: Graph):
        self.labels: dict[str, dict[str, str]] = {}
        for s, o in legislation.subject_objects(SCKG.citationLabel):
            self.labels.setdefault(str(s), {})[o.language] = str(o)

    def cite(self, provisions: list[str], lang: str) -> str:
        return "; ".join(self.labels.get(p, {}).get(lang, p.rsplit("/legislation/", 1)[-1]) for p in provisions)


def as_json(a: Assessment, citations: Citations, lang: str) -> dict:
    q = a.question
    return {
        "agreement": str(q.agreement), "id": q.aid, "title": a.titles.get(lang) or a.titles.get("en"),
        "as_of": q.as_of.isoformat(), "as_of_rule": q.rule,
        "judged_on": q.judged_on.isoformat() if q.judged_on else None, "in_force": a.in_force,
        "reading": a.notes.get(lang, ""), "engine": a.engine,
        "tests": [{
            "test": tr.test.tid, "question": tr.test.questions.get(lang, ""), "answer": tr.answer,
            "conditions": [{
                "condition": c.cid, "status": c.status, "provisions": c.provisions,
                "citation": citations.cite(c.provisions, lang), "message": c.messages.get(lang, ""),
                "grade": c.grade, **({"sources": c.sources} if c.sources else {}),
            } for c in tr.conditions],
        } for tr in a.tests],
    }


def as_text(a: Assessment, citations: Citations, lang: str) -> str:
    w = WORDS[lang]
    q = a.question
    lines = [f"{a.titles.get(lang) or a.titles.get('en') or q.aid} ({q.aid})",
             f"  {w['as_of']} {q.as_of} ({w['rule'][q.rule]}); {w['judged']} "
             f"{q.judged_on or w['unknown']}; {w['in_force']}: {w['yes_word'] if a.in_force else w['no_word']}",
             f"  {w['reading']}: {a.notes.get(lang, '')}", ""]
    for tr in a.tests:
        answer = w["answer-not-applicable"] if tr.answer == "not-applicable" else w[tr.answer]
        lines.append(f"[{answer}] {tr.test.tid} — {tr.test.questions.get(lang, '')}")
        reasons = {c.messages.get(lang, "") for c in tr.conditions}
        if tr.answer == "not-applicable" and len(reasons) == 1:
            # the test as a whole does not apply (framework not in force, out of scope): say why once
            lines.append(f"   {MARK['not-applicable']} {w['all_na']} ({len(tr.conditions)}): {reasons.pop()}")
            lines.append("")
            continue
        for c in tr.conditions:
            grade = GRADES[lang].get(c.grade, w["no_source"]) if c.grade else w["no_source"]
            lines.append(f"   {MARK[c.status]} {w[c.status]:<15} {c.cid}")
            lines.append(f"       {citations.cite(c.provisions, lang)}  [{w['grade']}: {grade}]")
            lines.append(f"       {c.messages.get(lang, '')}")
        lines.append("")
    return "\n".join(lines)


def summary_header(results: list[Assessment]) -> str:
    tests = [tr.test.tid for tr in results[0].tests] if results else []
    return "\t".join(["id", "as_of", "judged_on", "in_force"] + tests)


def as_summary_row(a: Assessment) -> str:
    """One line per agreement: its date, whether it is in force, and each test's answer (a register's overview)."""
    q = a.question
    return "\t".join([q.aid, q.as_of.isoformat(), q.judged_on.isoformat() if q.judged_on else "",
                      "yes" if a.in_force else "no"] + [tr.answer for tr in a.tests])


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
