"""data/actors/*.yaml → states, regions, organs, posts, people and diplomatic relations."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from ..errors import InputError
from ..namespaces import ID, SCKG, WD
from .common import Fields, Writer
from .yamlfile import load_yaml

#: party kind → (class, implied level), docs/case-files.md: a province, prefecture or federated state is
#: first-level, an Indonesian kota or kabupaten second. No level is implied where no source fixes one: a foreign
#: municipality is second-level only where its state's system is known here (a Japanese shi, see implied_level),
#: and a special municipality's place varies, so its level must be given.
PARTY_KINDS = {
    "city": (SCKG.City, "second"),
    "regency": (SCKG.Regency, "second"),
    "province": (SCKG.Province, "first"),
    "prefecture": (SCKG.Prefecture, "first"),
    "municipality": (SCKG.Municipality, None),
    "special-municipality": (SCKG.SpecialMunicipality, None),
    "federated-state": (SCKG.FederatedState, "first"),
    # a regional government of a kind the subclasses above do not name: typed sckg:RegionalGovernment only
    "territory": (SCKG.RegionalGovernment, None),               # e.g. Australia's Northern Territory
    "combined-authority": (SCKG.RegionalGovernment, None),      # e.g. England's Liverpool City Region
    "state": (SCKG.State, "national"),
    "international-organization": (SCKG.InternationalOrganization, None),
    "foreign-institution": (SCKG.ForeignInstitution, None),
    "central-government": (SCKG.CentralGovernmentOrgan, "national"),
}
def implied_level(kind: str, iso: str | None) -> str | None:
    """The level a kind of party implies, where the case-file format fixes it (a Japanese shi is a municipality like a kota)."""
    if kind == "municipality" and iso == "JP":
        return "second"
    return PARTY_KINDS[kind][1]


REGION_KINDS = ("city", "regency", "province", "prefecture", "municipality", "special-municipality", "federated-state",
                "territory", "combined-authority")
LEVELS = ("national", "first", "second")
ORGAN_KINDS = {
    "president": SCKG.CentralGovernmentOrgan, "ministry": SCKG.CentralGovernmentOrgan,
    "regional-legislature": SCKG.RegionalLegislature, "municipal-assembly": SCKG.RegionalLegislature,
    "regional-executive": SCKG.RegionalExecutive, "diplomatic-mission": SCKG.DiplomaticMission,
}
ORGAN_ROLES = ("president", "mendagri", "menlu", "dprd", "head-of-region", "governor-as-central-representative",
               "sectoral-minister")
SECTIONS = {"states", "entities", "international-organizations", "regions", "organs", "posts", "people", "relations",
            "relation-rules"}
RELATION_STATUSES = ("established", "suspended", "none", "not-a-state")
FROM_QUALIFIERS = ("on", "no-later-than")


@dataclass
class ActorIndex:
    """What the graph knows of actors, for resolving references from other files and from case files."""

    actors: dict[str, URIRef] = field(default_factory=dict)        # id → IRI
    by_wikidata: dict[str, URIRef] = field(default_factory=dict)
    by_kemendagri: dict[str, URIRef] = field(default_factory=dict)
    state_by_iso: dict[str, URIRef] = field(default_factory=dict)
    kinds: dict[URIRef, str] = field(default_factory=dict)
    un_members: set[URIRef] = field(default_factory=set)      # states with `un-member: true`
    posts: dict[str, URIRef] = field(default_factory=dict)
    people: dict[str, URIRef] = field(default_factory=dict)
    labels: dict[URIRef, dict] = field(default_factory=dict)   # IRI → {lang: label}, for other layers' labels

    def label(self, node, lang: str = "en") -> str:
        labels = self.labels.get(node, {})
        return labels.get(lang) or labels.get("en") or str(node).rsplit("/", 1)[-1]

    def overlay(self) -> "ActorIndex":
        """A view of this index for reading one case file: it resolves what the index knows, and what the file
        mints (a region of the Wikidata extracts, a state) stays in the view. So each case file writes every node it
        mints itself, and its triples stand on their own beside the graph, whatever was read before it."""
        from collections import ChainMap

        return ActorIndex(**{name: ChainMap({}, value) if isinstance(value, dict) else value
                             for name, value in vars(self).items()})

    def actor(self, aid: str, file: str, line: int | None, what: str = "actor") -> URIRef:
        if aid not in self.actors:
            raise InputError(file, line, f"unknown {what} {aid!r}: expected an id of data/actors/*.yaml")
        return self.actors[aid]



class ActorReader:
    def __init__(self, writer: Writer, index: ActorIndex | None = None):
        self.w = writer
        self.index = index or ActorIndex()
        self._pending: list = []   # (kind, fields) read in a second pass, so files may refer to each other

    def read(self, path: Path) -> None:
        data = load_yaml(path)
        if data is None:
            return
        f = Fields(data, f"actors file {path.name}", SECTIONS, file=str(path), line=1)
        for section in ("states", "entities", "international-organizations", "regions", "organs", "posts", "people",
                        "relations", "relation-rules"):
            for item, line in f.items(section):
                self._pending.append((section, item, str(path), line))

    def finish(self) -> None:
        order = ("states", "entities", "international-organizations", "regions", "organs", "posts", "people",
                 "relations", "relation-rules")
        self._relations_by_state: dict[URIRef, dict] = {}
        for section in order:
            for sec, item, file, line in self._pending:
                if sec == section:
                    getattr(self, "_" + section.replace("-", "_"))(item, file, line)
        for rel in self._relations_by_state.values():
            self._summarise(rel)
        self._pending.clear()

    # -- helpers ---------------------------------------------------------------------------------------
    def _new(self, f: Fields, section: str, cls, collection: dict, prefix: str) -> tuple[URIRef, list]:
        aid = f.slug("id")
        if aid in self.index.actors or aid in self.index.posts or aid in self.index.people:
            raise f.error("id", f"id {aid!r} is defined twice in data/actors")
        node = ID[f"{prefix}/{aid}"]
        collection[aid] = node
        self.w.typed(node, cls)
        labels = f.labels("label", True)
        if "id" not in labels or "en" not in labels:
            raise f.error("label", f"{section} {aid}: label needs both id and en")
        self.w.labels(node, labels)
        self.index.labels[node] = labels
        srcs = self.w.sources.resolve(f.raw("source"), f.file, f.line_of("source"))
        if not srcs:
            raise InputError(f.file, f.line, f"{section} {aid} needs a source")
        self.w.attest(node, srcs)
        if "note" in f:
            self.w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))
        return node, srcs

    def _identity(self, node, f: Fields) -> None:
        if "wikidata" in f:
            qid = f.str("wikidata")
            self.w.add(node, SCKG.wikidataId, Literal(qid))
            self.w.add(node, SKOS.exactMatch, WD[qid])
            self.index.by_wikidata[qid] = node
        if "iso" in f:
            self.w.add(node, SCKG.isoCode, Literal(f.str("iso")))

    # -- sections --------------------------------------------------------------------------------------
    def _states(self, item, file, line):
        f = Fields(item, "state", {"id", "label", "iso", "wikidata", "un-member", "source", "note"},
                   {"id", "label", "iso"}, file=file, line=line)
        node, _ = self._new(f, "state", SCKG.State, self.index.actors, "actor")
        self._identity(node, f)
        if f.bool("un-member"):
            self.w.add(node, SCKG.unMember, Literal(True))
            self.index.un_members.add(node)
        self.w.concept(node, SCKG.partyKind, "party-kind", "state")
        self.w.concept(node, SCKG.level, "level", "national")
        self.index.state_by_iso[f.str("iso")] = node
        self.index.kinds[node] = "state"

    def _entities(self, item, file, line):
        f = Fields(item, "entity", {"id", "label", "iso", "wikidata", "recognised-state", "source", "note"},
                   {"id", "label", "recognised-state"}, file=file, line=line)
        node, _ = self._new(f, "entity", SCKG.UnrecognisedEntity, self.index.actors, "actor")
        self._identity(node, f)
        self.w.add(node, SCKG.recognisedState, Literal(f.bool("recognised-state")))
        if "iso" in f:
            self.index.state_by_iso[f.str("iso")] = node
        self.index.kinds[node] = "entity"

    def _international_organizations(self, item, file, line):
        f = Fields(item, "international organization", {"id", "label", "wikidata", "source", "note"},
                   {"id", "label"}, file=file, line=line)
        node, _ = self._new(f, "international organization", SCKG.InternationalOrganization, self.index.actors,
                            "actor")
        self._identity(node, f)
        self.w.concept(node, SCKG.partyKind, "party-kind", "international-organization")
        self.index.kinds[node] = "international-organization"

    def _regions(self, item, file, line):
        f = Fields(item, "region", {"id", "kind", "level", "state", "within", "label", "wikidata", "kemendagri-code",
                                    "codes", "source", "note"}, {"id", "kind", "state", "label"}, file=file, line=line)
        kind = f.choice("kind", REGION_KINDS)
        cls = PARTY_KINDS[kind][0]
        state = self.index.actor(f.str("state"), f.file, f.line_of("state"), "state")
        iso = next((i for i, s in self.index.state_by_iso.items() if s == state), None)
        implied = implied_level(kind, iso)
        node, _ = self._new(f, "region", cls, self.index.actors, "actor")
        self.w.typed(node, SCKG.RegionalGovernment)
        self._identity(node, f)
        self.w.concept(node, SCKG.partyKind, "party-kind", kind)
        self.w.concept(node, SCKG.level, "level", f.choice("level", LEVELS, implied))
        self.w.add(node, SCKG.inState, self.index.actor(f.str("state"), f.file, f.line_of("state"), "state"))
        if "within" in f:
            self.w.add(node, SCKG.withinRegion, self.index.actor(f.str("within"), f.file, f.line_of("within"), "region"))
        if "kemendagri-code" in f:
            code = f.str("kemendagri-code")
            self.w.add(node, SCKG.kemendagriCode, Literal(code))
            self.index.by_kemendagri[code] = node
        codes = f.sub("codes", "region codes", {"jis", "iso-3166-2"})
        if codes is not None:
            if "jis" in codes:
                self.w.add(node, SCKG.jisCode, Literal(codes.str("jis")))
            if "iso-3166-2" in codes:
                self.w.add(node, SCKG.isoCode, Literal(codes.str("iso-3166-2")))
        self.index.kinds[node] = kind

    def _organs(self, item, file, line):
        f = Fields(item, "organ", {"id", "kind", "role", "of", "label", "source", "note"}, {"id", "kind", "of", "label"},
                   file=file, line=line)
        cls = ORGAN_KINDS[f.choice("kind", tuple(ORGAN_KINDS))]
        node, _ = self._new(f, "organ", cls, self.index.actors, "actor")
        self.w.typed(node, SCKG.Organ)
        self.w.concept(node, SCKG.organRole, "organ-role", f.choice("role", ORGAN_ROLES))
        self.w.add(node, SCKG.organOf, self.index.actor(f.str("of"), f.file, f.line_of("of")))
        self.index.kinds[node] = "organ"

    def _posts(self, item, file, line):
        from ..namespaces import ORG

        f = Fields(item, "post", {"id", "label", "in", "head-of-region", "source", "note"}, {"id", "label", "in"},
                   file=file, line=line)
        node, _ = self._new(f, "post", ORG.Post, self.index.posts, "post")
        self.w.add(node, ORG.postIn, self.index.actor(f.str("in"), f.file, f.line_of("in")))
        if f.bool("head-of-region") is not None:
            self.w.add(node, SCKG.headOfRegion, Literal(f.bool("head-of-region")))

    def _people(self, item, file, line):
        from ..namespaces import ORG

        f = Fields(item, "person", {"id", "label", "name-variants", "holds", "source", "note"}, {"id", "label"},
                   file=file, line=line)
        node, srcs = self._new(f, "person", SCKG.Person, self.index.people, "person")
        for variant in f.list("name-variants"):
            self.w.add(node, SCKG.nameVariant, Literal(str(variant)))
        for n, (hold, hline) in enumerate(f.items("holds"), 1):
            h = Fields(hold, "post holding", {"post", "attested-on", "from", "until", "source", "note"}, {"post"},
                       file=f.file, line=hline)
            pid = h.str("post")
            if pid not in self.index.posts:
                raise h.error("post", f"unknown post {pid!r}: expected an id of the posts of data/actors")
            post = self.index.posts[pid]
            holding = URIRef(f"{node}/holding/{n}")
            self.w.typed(holding, SCKG.PostHolding)
            self.w.add(holding, SCKG.holder, node)
            self.w.add(holding, SCKG.post, post)
            self.w.add(post, ORG.heldBy, node)
            self.w.add(node, ORG.holds, post)
            self.w.date(holding, h.when("attested-on"), SCKG.attestedOn)
            self.w.date(holding, h.when("from"), SCKG.heldFrom)
            self.w.date(holding, h.when("until"), SCKG.heldUntil)
            self.w.attest(holding, self.w.sources.resolve(h.raw("source"), h.file, h.line_of("source"), srcs))
            label = f.labels("label")
            self.w.labels(holding, {"id": f"{label['id']} — jabatan {n}", "en": f"{label['en']} — post held {n}"})
            if "note" in h:
                self.w.add(holding, SCKG.editorialNote, Literal(h.str("note"), lang="en"))

    def _relation_node(self, rid: str, states: list[URIRef], f: Fields) -> dict:
        """The relation record between two states (one per pair): its intervals are added by files and rules."""
        key = frozenset(states)
        if key in self._relations_by_state:
            return self._relations_by_state[key]
        node = ID["relation/" + rid]
        self.w.typed(node, SCKG.DiplomaticRelation)
        for s in states:
            self.w.add(node, SCKG.relationBetween, s)
        labels = {"id": "hubungan diplomatik " + " – ".join(self.index.label(s, "id") for s in states),
                  "en": "diplomatic relations " + " – ".join(self.index.label(s, "en") for s in states)}
        self.w.labels(node, labels)
        rel = {"node": node, "intervals": [], "sources": set(), "labels": labels}
        self._relations_by_state[key] = rel
        return rel

    def _interval(self, rel: dict, item, file, line, inherited: list[URIRef], rule: URIRef | None = None) -> None:
        f = Fields(item, "relation interval", {"status", "from", "from-qualifier", "until", "source", "note"},
                   {"status"}, file=file, line=line)
        status = f.choice("status", RELATION_STATUSES)
        start, end = f.when("from"), f.when("until")
        for key, when in (("from", start), ("until", end)):
            if when is not None and when.precision != "day":
                raise f.error(key, f"relation interval: {key} must be a full date YYYY-MM-DD (the source's own words "
                                   "go into the note, and a year or month into from-qualifier: no-later-than)")
        if start and end and end.date <= start.date:
            raise f.error("until", "relation interval: until must be after from")
        qualifier = f.choice("from-qualifier", FROM_QUALIFIERS, "on" if start else None)
        if qualifier and not start:
            raise f.error("from-qualifier", "relation interval: from-qualifier needs a from date")
        srcs = self.w.sources.resolve(f.raw("source"), f.file, f.line_of("source"), inherited)
        if not srcs:
            raise InputError(f.file, f.line, "relation interval needs a source")
        n = len(rel["intervals"]) + 1
        node = URIRef(f"{rel['node']}/interval/{n}")
        self.w.typed(node, SCKG.RelationInterval)
        self.w.add(rel["node"], SCKG.hasInterval, node)
        self.w.concept(node, SCKG.relationStatus, "relation-status", status)
        self.w.date(node, start, SCKG.since)
        self.w.date(node, end, SCKG.until)
        if qualifier == "no-later-than":
            self.w.add(node, SCKG.sinceNoLaterThan, Literal(True))
        if rule is not None:
            self.w.add(node, SCKG.derivedFromRule, rule)
        self.w.attest(node, srcs)
        rel["sources"].update(srcs)
        if "note" in f:
            self.w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))
        rel["intervals"].append({"node": node, "status": status, "from": start.date if start else None,
                                 "qualifier": qualifier, "until": end.date if end else None, "rule": rule})

    def _relations(self, item, file, line):
        f = Fields(item, "relation", {"id", "states", "intervals", "source", "note"}, {"id", "states", "intervals"},
                   file=file, line=line)
        rid = f.slug("id")
        states = [self.index.actor(str(s), f.file, f.line_of("states"), "state") for s in f.list("states")]
        if len(states) != 2:
            raise f.error("states", f"relation {rid}: expected exactly two states")
        rel = self._relation_node(rid, states, f)
        inherited = self.w.sources.resolve(f.raw("source"), f.file, f.line_of("source"))
        items = f.items("intervals")
        if not items:
            raise f.error("intervals", f"relation {rid}: expected at least one interval")
        for iv, iline in items:
            self._interval(rel, iv, f.file, iline or f.line, inherited)
        if "note" in f:
            self.w.add(rel["node"], SCKG.editorialNote, Literal(f.str("note"), lang="en"))

    def _relation_rules(self, item, file, line):
        """A rule a source states for many states at once (the 2010 statement: after 29 November 2010 only Israel
        and Taiwan remained without relations): one interval for every UN member it covers, carrying the rule."""
        f = Fields(item, "relation rule", {"id", "label", "between", "applies-to", "except", "status", "from",
                                           "from-qualifier", "source", "statement", "note"},
                   {"id", "label", "between", "applies-to", "status", "from", "source", "statement"}, file=file, line=line)
        rid = f.slug("id")
        node = ID["relation-rule/" + rid]
        self.w.typed(node, SCKG.RelationRule)
        labels = f.labels("label", True)
        self.w.labels(node, labels)
        self.w.add(node, SCKG.ruleStatement, Literal(f.str("statement"), lang="en"))
        if "note" in f:
            self.w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))
        srcs = self.w.sources.resolve(f.raw("source"), f.file, f.line_of("source"))
        if not srcs:
            raise InputError(f.file, f.line, f"relation rule {rid} needs a source")
        self.w.attest(node, srcs)
        home = self.index.actor(f.str("between"), f.file, f.line_of("between"), "state")
        f.choice("applies-to", ("un-members",))
        excluded = {self.index.actor(str(s), f.file, f.line_of("except"), "state") for s in f.list("except")}
        interval = {"status": f.str("status"), "from": f.raw("from"), "source": f.raw("source")}
        if "from-qualifier" in f:
            interval["from-qualifier"] = f.str("from-qualifier")
        n = 0
        for state in sorted(self.index.un_members - excluded - {home}, key=str):
            aid = str(state).rsplit("/", 1)[-1]
            rel = self._relation_node(f"{str(home).rsplit('/', 1)[-1]}-{aid}", [home, state], f)
            self._interval(rel, interval, f.file, f.line, [], rule=node)
            self.w.add(node, SCKG.ruleAppliedTo, state)
            n += 1
        if n == 0:
            raise InputError(f.file, f.line, f"relation rule {rid} covers no state: expected states with un-member: true")

    def _summarise(self, rel: dict) -> None:
        """Each interval's label, and the relation's summary of them all, in the words the messages quote."""
        words = {"established": ("terjalin", "established"), "suspended": ("dibekukan", "suspended"),
                 "none": ("tidak ada", "none"), "not-a-state": ("bukan negara", "not a state")}
        ordered = sorted(rel["intervals"], key=lambda iv: (iv["from"] or _dt.date.min, iv["until"] or _dt.date.max))
        parts = {"id": [], "en": []}
        previous = None
        for iv in ordered:
            id_word, en_word = words[iv["status"]]
            if iv["status"] == "established" and previous == "suspended":
                id_word, en_word = "dipulihkan", "resumed"
            text = {"id": id_word, "en": en_word}
            if iv["from"]:
                if iv["qualifier"] == "no-later-than":
                    text["id"] += f" paling lambat {iv['from']}"
                    text["en"] += f" no later than {iv['from']}"
                else:
                    text = {k: v + f" {iv['from']}" for k, v in text.items()}
            if iv["until"]:
                text["id"] += (" –" if iv["from"] else " sampai") + f" {iv['until']}"
                text["en"] += (" –" if iv["from"] else " until") + f" {iv['until']}"
            if iv["rule"] is not None:
                text["id"] += " (kaidah 2010)"
                text["en"] += " (2010 rule)"
            pair = rel["labels"]
            self.w.labels(iv["node"], {lang: f"{pair[lang]}: {text[lang]}" for lang in text})
            self.w.add(iv["node"], SCKG.intervalText, Literal(text["id"], lang="id"))
            self.w.add(iv["node"], SCKG.intervalText, Literal(text["en"], lang="en"))
            for lang in parts:
                parts[lang].append(text[lang])
            previous = iv["status"]
        for lang, items in parts.items():
            self.w.add(rel["node"], SCKG.relationSummary, Literal("; ".join(items), lang=lang))
        self.w.attest(rel["node"], sorted(rel["sources"]))
