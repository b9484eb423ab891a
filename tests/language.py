"""A checker for the text the project prints (answers, assessment reports): no unfilled placeholder, no raw
vocabulary id in prose, and no English in the Indonesian output.

    problems(text, lang) -> list of one-line problems, each naming the line number and what was found

What it allows, because a lawyer's text holds them too: identifiers (a token with a slash, a digit or a dot in it,
such as `pp-28-2018/dprd-approval`, `bogor-kisarazu-2016`, `kotabogor.go.id`), URLs (`<https://…>`), words quoted
as designations or titles («Letter of Intent», "friendship city", “…”), the English gloss of a provision (a line
opening with `[en]`) and bibliography entries (a line `[grade] Title <url>`), whose titles are proper names, the expansion of an acronym
("ALGOA (Asian Local Governments for Organic Agriculture)") and the few English terms of art the graph's Indonesian
texts gloss in parentheses (TERMS_OF_ART).
"""
from __future__ import annotations

import re

#: Notations of the graph's controlled vocabularies that are not plain words: printed bare in prose they are raw ids.
RAW_IDS = frozenset("""
not-evidenced not-applicable no-record not-done loi-signed dprd-requested dprd-approval mendagri-consideration
inter-ministerial-meeting draft-approved surat-konfirmasi full-powers central-approval ministers-consulted
kerja-sama-luar-negeri hubungan-luar-negeri perjanjian-internasional second-level first-level
foreign-institution federated-state international-organization special-municipality
letter-of-intent memorandum-of-understanding friendship-agreement sister-city-agreement cooperation-agreement
governor-as-central-representative head-of-region sectoral-minister end-of-force in-force year-only
no-recorded-end renewed-by none-stated
""".split())

#: English words the templates and the graph's English labels use; none of them is an Indonesian word. Matched as
#: whole words, case-insensitively, in Indonesian output only.
ENGLISH = frozenset("""
the and of is are was were not under signed satisfied violated evidenced applicable undetermined yes answer
answers question condition conditions test tests regime regimes rule rules signature city province regency level
primary secondary unverified evidence sources source grade graded before after step steps approval approved
consulted record recorded searched found done complementarity agriculture culture education health tourism
named judged parties party witnessed fields renewed events dated verdict conclusion supported contested cited
met which what where when with for to on by from its it this that there none nothing only must act law article art
gr moha mofa regulation letter intent friendship sister twin treaty agreement foreign relations cooperation
central government minister president house representatives role head sectoral governor supervision guidance
report negotiation draft meeting confirmation consideration powers renewal memorandum understanding elucidation
point kind municipality prefecture state states holds held text provisions made whether settled record
""".split())

#: English terms of art the Indonesian texts of the graph give in parentheses after the Indonesian term, as a gloss
#: ("perjanjian internasional (treaty)", "pernyataan kehendak kerja sama (letter of intent)").
TERMS_OF_ART = ("treaty", "letter of intent", "full powers")
_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"\n]*\"|<[^<>\s]+>"
                     r"|(?<=[A-Z]{2}) ?\([^()]*\)"                      # the expansion of an acronym: a proper name
                     r"|\((?i:" + "|".join(TERMS_OF_ART) + r")\)")
_TOKEN = re.compile(r"[^\s,;:()\[\]«»“”\"'!?]+")
_PLACEHOLDERS = (
    (re.compile(r"\{[^{}\n]{0,40}\}"), "an unfilled template placeholder"),
    (re.compile(r"\"-\"|«-»|\(-\)|(?<![\w\-])-(?=[;,)])"), "a dash standing for a missing value"),
    (re.compile(r"(?<![\w.\[])…(?![\w\]])|«…»|\(…\)"), "an ellipsis standing for a missing value"),
    (re.compile(r"(?:^|(?<=[\s(;:,]))\?(?=[\s);,]|$)"), "a question mark standing for a missing value"),
    (re.compile(r"\bNone(?=[);,.]|$)|(?<=: )None\b(?! of)|\bnan\b"), "a missing value printed as None"),
)


def _prose(line: str) -> str:
    """The line with what may legitimately be foreign or raw taken out: quoted words, URLs."""
    return _QUOTED.sub(" ", line)


def problems(text: str, lang: str) -> list[str]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[en]"):
            continue
        for pattern, what in _PLACEHOLDERS:
            m = pattern.search(line)
            if m:
                out.append(f"line {n}: {what} ({m.group(0)!r}): {stripped[:120]}")
        if re.match(r"\[[^\]]+\]\s", stripped) and "<http" in stripped:
            continue   # a bibliography entry: its title is a proper name
        for token in _TOKEN.findall(_prose(line)):
            bare = token.strip(".").lower()
            if "/" in bare or any(ch.isdigit() for ch in bare) or "." in bare:
                continue   # an identifier, a citation, a date, a domain
            if bare in RAW_IDS:
                out.append(f"line {n}: a raw vocabulary id ({token!r}) in prose: {stripped[:120]}")
            elif lang == "id" and bare in ENGLISH:
                out.append(f"line {n}: an English word ({token!r}) in Indonesian output: {stripped[:120]}")
    return out
