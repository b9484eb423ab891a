"""What the engine reads besides the shapes' verdicts, for every agreement at once: signature dates and their
precision, terms, terminations and renewals (whether the instrument is in force), designations, and the sources
behind each kind of record (the weakest grade a result rests on)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..namespaces import sparql_prologue
from .catalogue import Condition
from .questions import Question, date_text

GRADE_ORDER = {"primary": 0, "secondary": 1, "unverified": 2}
GRADE_NAMES = {v: k for k, v in GRADE_ORDER.items()}
PROLOGUE = sparql_prologue()


def _select_in(store, query: str, graphs: list | None = None) -> list[list[str | None]]:
    result = store.query(PROLOGUE + query, default_graph=graphs) if graphs else store.query(PROLOGUE + query)
    return [[None if term is None else term.value for term in row] for row in result]   # in the variables' order


class Facts:
    """What the engine reads besides the shapes' verdicts, for every agreement at once: signature dates, terms,
    designations, and the sources behind each kind of record (for the weakest grade a condition rests on)."""

    def __init__(self, store, graphs: list | None = None):
        def _select(store, query: str):
            return _select_in(store, query, graphs)

        self.signed: dict[str, dt.date] = {}
        self.precision: dict[str, str] = {}
        for aid, d, p in _select(store, """SELECT ?id ?d ?p { ?a sckg:agreementId ?id ; sckg:signing ?s . ?s sckg:onDate ?d .
                OPTIONAL { ?s sckg:datePrecision/skos:notation ?p } }"""):
            self.signed[aid] = dt.date.fromisoformat(d)
            self.precision[aid] = p or "day"
        self.renewals: dict[str, list] = defaultdict(list)   # id → [(date, precision, renewing id)]
        self.renews: dict[str, str] = dict(_select(store, """SELECT ?id ?old { ?a sckg:agreementId ?id ;
                sckg:renews/sckg:agreementId ?old }"""))
        for aid, new, d, p in _select(store, """SELECT ?id ?new ?d ?p { ?n sckg:renews ?a ; sckg:agreementId ?new ;
                sckg:signing ?s . ?a sckg:agreementId ?id . ?s sckg:onDate ?d .
                OPTIONAL { ?s sckg:datePrecision/skos:notation ?p } }"""):
            self.renewals[aid].append((dt.date.fromisoformat(d), p or "day", new))
        self.ends: dict[str, list] = defaultdict(list)   # id → [(kind, value)]
        for aid, term, until, ended in _select(store, """SELECT ?id ?years ?until ?ended { ?a sckg:agreementId ?id .
                { ?a sckg:termYears ?years } UNION { ?a sckg:validUntil ?until }
                UNION { ?a sckg:terminatedBy/sckg:onDate ?ended } }"""):
            self.ends[aid].append((term, until, ended))
        self.titles: dict[str, dict[str, str]] = defaultdict(dict)
        for aid, title, lang in _select(store, """SELECT ?id ?t (LANG(?t) AS ?l) { ?a sckg:agreementId ?id ;
                rdfs:label ?t }"""):
            self.titles[aid][lang] = title
        self.kind: dict[str, dict[str, str]] = defaultdict(dict)   # id → {lang: the kind's label}
        for aid, kind, lang in _select(store, """SELECT ?id ?k (LANG(?k) AS ?l) { ?a sckg:agreementId ?id ;
                sckg:instrumentKind/rdfs:label ?k }"""):
            self.kind[aid][lang] = kind
        self.designations: dict[tuple, list[str]] = defaultdict(list)   # (id, lang) → «name» (user)
        for lang in ("en", "id"):
            for aid, text, label, name in _select(store, f"""SELECT ?id ?t ?ul ?un {{ ?a sckg:agreementId ?id ;
                    sckg:hasDesignation ?d . ?d sckg:designationText ?t .
                    OPTIONAL {{ ?d sckg:usedBy/rdfs:label ?ul FILTER(LANG(?ul) = "{lang}") }}
                    OPTIONAL {{ ?d sckg:usedByName ?un }} }}"""):
                # the user's label, else its name as the source gives it (quoted here: Virtuoso's CONCAT takes an
                # unbound variable as "", where SPARQL makes it an error)
                user = label if label is not None else (f"«{name}»" if name is not None else None)
                self.designations[(aid, lang)].append(f"«{text}»" + (f" ({user})" if user else ""))
        self.grade: dict[str, str] = dict(_select(store, "SELECT ?s ?g { ?s sckg:grade/skos:notation ?g }"))
        self.provision_sources: dict[str, set[str]] = defaultdict(set)
        for p, src in _select(store, """SELECT ?p ?s { { ?p a sckg:Provision } UNION { ?p a eli:LegalExpression }
                                          ?p sckg:attestedBy ?s }"""):
            self.provision_sources[p].add(src)
        # versions in time of a provision (eli:is_realized_by): provision → [(version, from, until or None)]
        self.versions: dict[str, list[tuple]] = defaultdict(list)
        for p, v, start, end in _select(store, """SELECT ?p ?v ?from ?until { ?p eli:is_realized_by ?v .
                ?v eli:date_applicability ?from . OPTIONAL { ?v eli:date_no_longer_in_force ?until } }"""):
            self.versions[p].append((v, dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
        self.sources: dict[tuple, set[str]] = defaultdict(set)   # (agreement id, kind, key) → sources
        for kind, query in EVIDENCE.items():
            for aid, key, src in _select(store, query):
                self.sources[(aid, kind, key)].add(src)
        self._rank: dict = {}

    def versions_on(self, provisions: list[str], day: dt.date | None) -> list[str]:
        """The version of each cited provision that applied on the day (the law as it stood when signed)."""
        if day is None:
            return []
        return sorted(v for p in provisions for v, start, end in self.versions.get(p, ())
                      if start <= day and (end is None or day < end))

    def _weakest_rank(self, key, sources) -> int:
        if key not in self._rank:
            self._rank[key] = max((GRADE_ORDER[self.grade[s]] for s in sources if s in self.grade), default=-1)
        return self._rank[key]

    @staticmethod
    def records(cond: Condition, kinds: list[str]) -> tuple:
        """The records a condition's result reads, (kind, key) each (key: the step or finding, where there is one):
        `kinds` are the kinds of record read by the shape that decided it, or by the condition when satisfied."""
        return tuple((kind, (cond.evidence_step if kind == "step" else cond.evidence_finding if kind == "finding"
                             else "") or "") for kind in kinds)

    def evidence(self, aid: str, records: tuple, provisions: list[str]) -> set[str]:
        """Every source a condition's result rests on: the provisions it cites and the records it read."""
        out: set[str] = set()
        for p in provisions:
            out |= self.provision_sources.get(p, set())
        for kind, key in records:
            out |= self.sources.get((aid, kind, key), set())
        return out

    def weakest_grade(self, aid: str, records: tuple, provisions: list[str]) -> str | None:
        """The grade of the weakest source of the records the result read and of the provisions it cites; None when
        it read no record with a source (a result that rests on no fact has no grade, however primary its law)."""
        facts = -1
        for kind, key in records:
            rank = self._rank.get((aid, kind, key))
            if rank is None:
                rank = self._weakest_rank((aid, kind, key), self.sources.get((aid, kind, key), ()))
            facts = max(facts, rank)
        if facts < 0:
            return None
        key = tuple(provisions)
        law = self._rank.get(key)
        if law is None:
            law = self._rank[key] = max((self._weakest_rank(("p", p), self.provision_sources.get(p, ()))
                                         for p in provisions), default=-1)
        return GRADE_NAMES[max(facts, law)]

    def in_force(self, q: Question) -> tuple[str, dict[str, str]]:
        """Whether the instrument is in force on the as-of date, on the record: yes (a recorded term covers the date),
        no (not yet signed, terminated, replaced by its renewal, or its term ended), or not-evidenced (nothing
        recorded either way), with the reason in both languages."""
        if q.judged_on is None:
            return "not-evidenced", {"en": "no signature date is recorded", "id": "tanggal penandatanganan tidak tercatat"}
        signed, when = q.judged_on, q.as_of
        if when < q.judged_on:
            return "no", {"en": f"not yet signed on that date (signed {q.signed_text})",
                          "id": f"belum ditandatangani pada tanggal itu (ditandatangani {q.signed_text})"}
        running = None
        for years, until, ended in self.ends.get(q.aid, []):
            if ended and dt.date.fromisoformat(ended) <= when:
                return "no", {"en": f"terminated on {ended}", "id": f"diakhiri pada {ended}"}
        for d, precision, new in sorted(self.renewals.get(q.aid, [])):
            if d <= when:
                text = date_text(d, precision)
                return "no", {"en": f"replaced by its renewal {new}, signed {text}",
                              "id": f"digantikan oleh pembaruannya {new}, yang ditandatangani {text}"}
        for years, until, ended in self.ends.get(q.aid, []):
            if until:
                if dt.date.fromisoformat(until) < when:
                    return "no", {"en": f"its term ended on {until}", "id": f"jangka waktunya berakhir pada {until}"}
                running = {"en": f"within its term, which runs until {until}",
                           "id": f"dalam jangka waktunya, yang berlaku sampai {until}"}
            if years:
                n = int(years)
                end = signed.replace(year=signed.year + n, day=min(signed.day, 28 if signed.month == 2 else 31))
                if end <= when:
                    return "no", {"en": f"its term of {n} years from {q.signed_text} ended on {end.isoformat()}",
                                  "id": f"jangka waktu {n} tahun sejak {q.signed_text} berakhir pada {end.isoformat()}"}
                running = {"en": f"within its term of {n} years from {q.signed_text}, to {end.isoformat()}",
                           "id": f"dalam jangka waktu {n} tahun sejak {q.signed_text}, sampai dengan {end.isoformat()}"}
        if running:
            return "yes", running
        reason = {"en": "no term or termination is recorded", "id": "tidak tercatat jangka waktu atau pengakhiran"}
        later = sorted(self.renewals.get(q.aid, []))
        if later:   # renewed only after the date asked
            d, precision, new = later[0]
            reason = {"en": f"{reason['en']}; renewed later by {new}, signed {date_text(d, precision)}",
                      "id": f"{reason['id']}; kemudian diperbarui oleh {new}, yang ditandatangani {date_text(d, precision)}"}
        if q.aid in self.renews:
            old = self.renews[q.aid]
            reason = {"en": f"{reason['en']}; this instrument renews {old}", "id": f"{reason['id']}; instrumen ini memperbarui {old}"}
        return "not-evidenced", reason

    def reading_note(self, q: Question) -> dict[str, str]:
        """Which reading of the instrument was judged, and why, when the parties name it differently."""
        kind = self.kind.get(q.aid, {})
        names = {lang: sorted(self.designations.get((q.aid, lang), [])) for lang in ("en", "id")}
        listed = {lang: "; ".join(n) for lang, n in names.items()}
        if not kind:
            return {"en": "No instrument kind is recorded." + (f" Designation: {listed['en']}." if names["en"] else ""),
                    "id": "Jenis instrumen tidak tercatat." + (f" Sebutan: {listed['id']}." if names["id"] else "")}
        en, id_ = kind.get("en", ""), kind.get("id", kind.get("en", ""))
        if len(names["en"]) > 1:
            return {"en": f"Judged as: {en}, the kind the case file gives; the instrument is also named (as the "
                          f"sources word it): {listed['en']}.",
                    "id": f"Dinilai sebagai: {id_}, jenis yang dinyatakan berkas kasus; instrumen ini juga disebut "
                          f"(sebagaimana dirumuskan sumber): {listed['id']}."}
        return {"en": f"Judged as: {en}." + (f" Designation (as the sources word it): {listed['en']}." if names["en"] else ""),
                "id": f"Dinilai sebagai: {id_}." + (f" Sebutan (sebagaimana dirumuskan sumber): {listed['id']}." if names["id"] else "")}


#: The records each kind of evidence reads, per agreement (key: the step or finding, where there is one).
EVIDENCE = {
    "agreement": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:attestedBy ?s }',
    "parties": """SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasParty ?p .
                  { ?p sckg:attestedBy ?s } UNION { ?p sckg:inState/sckg:attestedBy ?s } }""",
    # the intervals of Indonesia's relation with a foreign party's state that cover the date of signature (all of
    # them where there is no date); Indonesia's own state is no foreign party's (every relation is with it)
    "relation": """SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasParty/sckg:inState ?st .
                   ?st sckg:isoCode ?iso FILTER(?iso != "ID")
                   ?r sckg:relationBetween ?st ; sckg:hasInterval ?iv . ?iv sckg:attestedBy ?s .
                   OPTIONAL { ?a sckg:signing/sckg:onDate ?d }
                   FILTER NOT EXISTS { ?iv sckg:since ?from FILTER(BOUND(?d) && ?from > ?d) }
                   FILTER NOT EXISTS { ?iv sckg:until ?until FILTER(BOUND(?d) && ?until <= ?d) } }""",
    "signatories": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:hasSignatory/sckg:attestedBy ?s }',
    "step": """SELECT ?id ?k ?s { ?a sckg:agreementId ?id ; sckg:implementsAgreement?/sckg:hasStep ?st .
               ?st sckg:stepType ?k . { ?st sckg:attestedBy ?s } UNION { ?st sckg:searchedIn ?s } }""",
    "finding": """SELECT ?id ?k ?s { ?a sckg:agreementId ?id ; sckg:hasFinding ?f .
                  ?f sckg:findingKey ?k ; sckg:attestedBy ?s }""",
    "signing": 'SELECT ?id ("" AS ?k) ?s { ?a sckg:agreementId ?id ; sckg:signing/sckg:attestedBy ?s }',
}
