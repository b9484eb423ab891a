"""data/actors/*.yaml → states, regions, organs, posts, people and diplomatic relations."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from ..errors import InputError
from ..namespaces import ID, SCKG, WD
from .common import Fields, Writer
from .yamlfile import load_yaml

#: party kind → (class, implied level), DESIGN.md "Case files": a province, prefecture or federated state is
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
    """The level a kind of party implies, where DESIGN.md fixes it (a Japanese shi is a municipality like a kota)."""
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
SECTIONS = {"states", "entities", "international-organizations", "regions", "organs", "posts", "people", "relations"}


@dataclass
class ActorIndex:
    """What the graph knows of actors, for resolving references from other files and from case files."""

    actors: dict[str, URIRef] = field(default_factory=dict)        # id → IRI
    by_wikidata: dict[str, URIRef] = field(default_factory=dict)
    by_kemendagri: dict[str, URIRef] = field(default_factory=dict)
    state_by_iso: dict[str, URIRef] = field(default_factory=dict)
    kinds: dict[URIRef, str] = field(default_factory=dict)
    posts: dict[str, URIRef] = field(default_factory=dict)
    people: dict[str, URIRef] = field(default_factory=dict)
    labels: dict[URIRef, dict] = field(default_factory=dict)   # IRI → {lang: label}, for other layers' labels

    def label(self, node, lang: str = "en") -> str:
        labels = self.labels.get(node, {})
        return labels.get(lang) or labels.get("en") or str(node).rsplit("/", 1)[-1]

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
                        "relations"):
            for item, line in f.items(section):
                self._pending.append((section, item, str(path), line))

    def finish(self) -> None:
        order = ("states", "entities", "international-organizations", "regions", "organs", "posts", "people",
                 "relations")
        for section in order:
            for sec, item, file, line in self._pending:
                if sec == section:
                    getattr(self, "_" + section.replace("-", "_"))(item, file, line)
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
        f = Fields(item, "state", {"id", "label", "iso", "wikidata", "source", "note"}, {"id", "label", "iso"},
                   file=file, line=line)
        node, _ = self._new(f, "state", SCKG.State, self.index.actors, "actor")
        self._identity(node, f)
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

    def _relations(self, item, file, line):
        f = Fields(item, "relation", {"id", "states", "status", "since", "source", "note"}, {"id", "states", "status"},
                   file=file, line=line)
        rid = f.slug("id")
        node = ID["relation/" + rid]
        states = [self.index.actor(str(s), f.file, f.line_of("states"), "state") for s in f.list("states")]
        if len(states) != 2:
            raise f.error("states", f"relation {rid}: expected exactly two states")
        self.w.typed(node, SCKG.DiplomaticRelation)
        for s in states:
            self.w.add(node, SCKG.relationBetween, s)
        self.w.concept(node, SCKG.relationStatus, "relation-status", f.choice("status", ("established", "none")))
        self.w.date(node, f.when("since"), SCKG.since)
        self.w.labels(node, {
            "id": "hubungan diplomatik " + " – ".join(self.index.label(s, "id") for s in states),
            "en": "diplomatic relations " + " – ".join(self.index.label(s, "en") for s in states)})
        srcs = self.w.sources.resolve(f.raw("source"), f.file, f.line_of("source"))
        if not srcs:
            raise InputError(f.file, f.line, f"relation {rid} needs a source")
        self.w.attest(node, srcs)
        if "note" in f:
            self.w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))
