"""The prose of each research question, built from its query's rows and worded in the language asked for."""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from ..report import STEP_ORDER, fmt_date, strip_qualifier
from .words import FRIENDSHIP_WORDS, T, TWIN_WORDS


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
    by = _group(rows, "aspect")
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


def _group(rows, key: str) -> OrderedDict:
    """The rows grouped by the value of one variable, in the order the query gave them."""
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(r[key], []).append(r)
    return groups


def _tests(rows) -> OrderedDict:
    return _group(rows, "test")


def prose_q2(rows, ctx: Context):
    t = ctx.t
    out = []
    partner_said = False
    for test, conds in _tests(rows).items():
        first = conds[0]
        if str(first.get("partner")).lower() == "true" and not partner_said:
            out.append(t["partner_side"])   # the partner's capacity under its own state's law
            partner_said = True
        out.append(t["test_head"].format(test=test, label=_cap(first.get("testLabel") or test), sentence=answer_sentence(first.get("question"), first["answer"],
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


#: PP 28/2018 Pasal 24, the article that says which kinds of KSDPL there are.
PASAL_24 = "https://w3id.org/sistercity-kg/id/legislation/pp/2018/28/pasal/24"


def _pasal24(ctx: Context, agreement_id: str) -> tuple[list[dict], list[dict]]:
    """PP 28/2018 Pasal 24's huruf (citation, text, gloss) and the names recorded for the instrument and for the
    instruments it renews (text, who uses it, whether it is the renewed one's)."""
    huruf = ctx.backend.select(f"""
        PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?p ?cite ?text ?gloss WHERE {{
          ?p eli:is_part_of <{PASAL_24}> ; sckg:text ?text .
          OPTIONAL {{ ?p sckg:gloss ?gloss }}
          OPTIONAL {{ <{PASAL_24}> sckg:citationLabel ?cite
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
        }} ORDER BY ?own STR(?name) LANG(?name) STR(?user)""")[1]   # names in several languages: ORDER BY ?name
    # would leave their order to the store (SPARQL orders no literals of different languages; Virtuoso differs)
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
    agreements = _group(rows, "agreementId")
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
            out.append("  " + t["test_head"].format(test=test, label=_cap(first.get("testLabel") or test),
                                                    sentence=answer_sentence(
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
    agreements = _group(rows, "agreementId")
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
                                      label=r.get("testLabel") or r["test"],
                                      answer=t["answer"].get(r["answer"], r["answer"])) for r in reached)))
        others = []
        for r in regimes.values():
            if r["applies"] == "yes":
                continue
            regime = r.get("regimeLabel") or r["regime"]
            if r["applies"] == "unknown":
                others.append(t["q4_why_unknown"].format(regime=regime))
            elif r["answer"] == "not-applicable":
                others.append(t["q4_why_na"].format(regime=regime, test=r["test"], label=r.get("testLabel") or ""))
            else:
                others.append(t["q4_why_no"].format(regime=regime, test=r["test"], label=r.get("testLabel") or ""))
        if others:
            out.append("  " + t["q4_not_reached"].format(regimes="; ".join(others)))
        organs = _group([r for r in rs if r["applies"] == "yes"], "organLabel")
        if not organs:
            out.append("  " + t["q4_none"])
        for organ, duties in organs.items():
            out.append("  " + t["q4_organ"].format(organ=_cap(strip_qualifier(organ))))
            # in the order of the procedure (PP 28/2018 Pasal 28–33), as the dossier gives them
            for r in sorted(duties, key=lambda d: STEP_ORDER.index(d["step"]) if d["step"] in STEP_ORDER else 99):
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
    if len(set(signed.values())) > 1:   # what changed needs two dates to lie between
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
