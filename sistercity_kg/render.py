"""Stage 4, render: assessments as the JSON contract (docs/json.md) or as a lawyer's checklist, in either language."""
from __future__ import annotations

from rdflib import Graph

from .assess import Assessment
from .namespaces import SCKG

WORDS = {
    "en": {"satisfied": "satisfied", "violated": "violated", "not-evidenced": "not evidenced",
           "not-applicable": "not applicable", "yes": "YES", "no": "NO", "undetermined": "UNDETERMINED",
           "answer-not-applicable": "NOT APPLICABLE", "all_na": "every condition not applicable",
           "as_of": "as of", "judged": "judged by the law in force on",
           "precision": {"month": "only the month is recorded: judged as of its first day, {d}",
                         "year": "only the year is recorded: judged as of its first day, {d}"}, "in_force": "in force on that date",
           "unknown": "unknown", "grade": "weakest source", "no_source": "no sourced fact was read",
           "rule": {"signing": "the signature date", "today": "today", "date": "a given date"},
           "in_force_value": {"yes": "yes", "no": "no", "not-evidenced": "not evidenced"},
           "kind": {"classification": "classification", "lawfulness": "lawfulness"},
           "lawful": "lawfully made (lawfulness tests together)",
           "reading": "Reading"},
    "id": {"satisfied": "terpenuhi", "violated": "dilanggar", "not-evidenced": "tidak ada bukti",
           "not-applicable": "tidak berlaku", "yes": "YA", "no": "TIDAK", "undetermined": "BELUM DAPAT DITENTUKAN",
           "answer-not-applicable": "TIDAK BERLAKU", "all_na": "semua syarat tidak berlaku",
           "as_of": "per", "judged": "dinilai menurut hukum yang berlaku pada",
           "precision": {"month": "hanya bulannya tercatat; dinilai per hari pertamanya, {d}",
                         "year": "hanya tahunnya tercatat; dinilai per hari pertamanya, {d}"}, "in_force": "berlaku pada tanggal itu",
           "unknown": "tidak diketahui", "grade": "sumber terlemah", "no_source": "tidak ada fakta bersumber yang dibaca",
           "rule": {"signing": "tanggal penandatanganan", "today": "hari ini", "date": "tanggal yang diberikan"},
           "in_force_value": {"yes": "ya", "no": "tidak", "not-evidenced": "tidak ada bukti"},
           "kind": {"classification": "klasifikasi", "lawfulness": "keabsahan"},
           "lawful": "dibuat secara sah (uji keabsahan seluruhnya)",
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
        "judged_on": q.judged_on.isoformat() if q.judged_on else None,
        "signed": q.signed_text, "signed_precision": q.precision if q.judged_on else None,
        "in_force": a.in_force, "in_force_reason": a.in_force_reason.get(lang, ""), "lawful": a.lawful,
        "reading": a.notes.get(lang, ""), "engine": a.engine,
        "tests": [{
            "test": tr.test.tid, "kind": tr.test.kind, "question": tr.test.questions.get(lang, ""),
            "answer": tr.answer,
            "conditions": [{
                "condition": c.cid, "label": c.labels.get(lang, ""), "status": c.status, "provisions": c.provisions,
                "citation": citations.cite(c.provisions, lang), "message": c.messages.get(lang, ""),
                "grade": c.grade, **({"sources": c.sources} if c.sources else {}),
            } for c in tr.conditions],
        } for tr in a.tests],
    }


def as_text(a: Assessment, citations: Citations, lang: str) -> str:
    w = WORDS[lang]
    q = a.question
    lawful = w["answer-not-applicable"] if a.lawful == "not-applicable" else w[a.lawful]
    as_of = q.signed_text if q.rule == "signing" else q.as_of.isoformat()
    judged = q.signed_text or w["unknown"]
    if q.judged_on and q.precision in w["precision"]:
        judged += f" ({w['precision'][q.precision].format(d=q.judged_on.isoformat())})"
    lines = [f"{a.titles.get(lang) or a.titles.get('en') or q.aid} ({q.aid})",
             f"  {w['as_of']} {as_of} ({w['rule'][q.rule]}); {w['judged']} {judged}; "
             f"{w['in_force']}: {w['in_force_value'][a.in_force]} ({a.in_force_reason.get(lang, '')})",
             f"  {w['lawful']}: {lawful}",
             f"  {w['reading']}: {a.notes.get(lang, '')}", ""]
    for tr in a.tests:
        answer = w["answer-not-applicable"] if tr.answer == "not-applicable" else w[tr.answer]
        lines.append(f"[{answer}] {tr.test.tid} ({w['kind'][tr.test.kind]}) — {tr.test.questions.get(lang, '')}")
        reasons = {c.messages.get(lang, "") for c in tr.conditions}
        if tr.answer == "not-applicable" and len(reasons) == 1:
            # the test as a whole does not apply (framework not in force, out of scope): say why once
            lines.append(f"   {MARK['not-applicable']} {w['all_na']} ({len(tr.conditions)}): {reasons.pop()}")
            lines.append("")
            continue
        for c in tr.conditions:
            grade = f"{w['grade']}: {GRADES[lang][c.grade]}" if c.grade else w["no_source"]
            lines.append(f"   {MARK[c.status]} {w[c.status]:<15} {c.cid} — {c.labels.get(lang, '')}")
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
