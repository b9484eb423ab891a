"""Case files (docs/case-files.md, data/README.md additions) → agreements with their procedural record."""
from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import InputError
from ..namespaces import ID, SCKG
from .actors import PARTY_KINDS, REGION_KINDS, ActorIndex, implied_level
from .common import Fields, Writer, literal, slug_of
from rdflib.namespace import SKOS

from ..namespaces import WD
from .reference import Region, by_kemendagri, countries, find_indonesian, regions
from .yamlfile import load_yaml

KINDS = ("letter-of-intent", "memorandum-of-understanding", "friendship-agreement", "sister-city-agreement",
         "cooperation-agreement", "renewal", "treaty")
GOVERNING_LAW = ("international", "national", "none-stated")
FIELDS_VOCAB = ("science-technology", "culture", "government-capacity", "regional-promotion", "education", "health",
                "tourism", "agriculture", "economy", "trade", "investment", "environment", "youth-sport",
                "disaster-management", "infrastructure", "public-order", "foreign-policy", "defence", "security",
                "justice", "monetary-fiscal", "religion")
STEPS = ("ministers-consulted", "loi-signed", "dprd-requested", "dprd-approval", "mendagri-consideration",
         "inter-ministerial-meeting", "draft-approved", "central-approval", "surat-konfirmasi", "full-powers", "report",
         "partner-council-approval")
RECORDS = ("done", "not-done", "no-record")
FACTS = ("representative-office-abroad", "interference-in-domestic-affairs", "consistent-with-development-plans",
         "complementarity", "people-to-people", "technology-transferable", "partner-council-matter")
EVENTS = ("visit", "minutes-of-meeting", "exchange", "ceremony", "signature", "renewal", "termination", "other")
LEVELS = ("national", "first", "second")

CASE_KEYS = {"id", "title", "designation", "kind", "written", "governing-law", "signed", "renews", "implements",
             "amends", "term", "terminated", "parties", "witnesses", "fields", "steps", "facts", "sources", "source",
             "events", "registers", "note"}
REGISTERS = ("clair",)
REGISTER_KEYS = {"register", "listed", "as-of", "date", "criteria-met", "source", "note"}
PARTY_KEYS = {"name", "kind", "level", "country", "wikidata", "kemendagri-code", "signatory", "signatories", "actor",
              "label", "source", "note"}
PERSON_KEYS = {"name", "post", "head-of-region", "person", "post-id", "source", "note"}


def agreement_iri(aid: str) -> URIRef:
    return ID["agreement/" + aid]


class CaseReader:
    """Reads case files into the cases layer; resolves parties against the actors the graph already knows."""

    def __init__(self, writer: Writer, actors: ActorIndex):
        self.w = writer
        self.actors = actors
        self.ids: dict[str, str] = {}
        self.links: list[tuple[str, int, str]] = []

    def read(self, path: Path) -> str:
        data = load_yaml(path)
        file = str(path)
        f = Fields(data, "case file", CASE_KEYS, {"id", "parties"}, file=file, line=1)
        aid = f.slug("id")
        if aid in self.ids:
            raise f.error("id", f"duplicate agreement id {aid!r}: already used by {self.ids[aid]}")
        self.ids[aid] = file
        node = agreement_iri(aid)
        w = self.w
        case_sources = self.w.sources.resolve(f.raw("source"), file, f.line_of("source"))
        for item, line in f.items("sources"):
            case_sources += self.w.sources.resolve(item, file, line)
        w.typed(node, SCKG.Agreement)
        w.add(node, SCKG.agreementId, Literal(aid))
        w.add(node, SCKG.caseFile, Literal(path.name))
        w.attest(node, case_sources)
        title = f.labels("title")
        kind = f.choice("kind", KINDS)
        w.concept(node, SCKG.instrumentKind, "instrument-kind", kind)
        if "written" in f:   # absent: not evidenced (a default is never evidence)
            w.add(node, SCKG.writtenForm, literal(f.bool("written")))
        w.concept(node, SCKG.governingLaw, "governing-law", f.choice("governing-law", GOVERNING_LAW, "none-stated"))
        if "note" in f:
            w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))

        designations = self._designations(f, node, case_sources)
        parties = self._parties(f, node, case_sources, aid)
        if not title:
            names = " – ".join(self.actors.label(p, "en") for p in parties)
            title = {"id": f"{designations[0] if designations else 'Perjanjian'} {names}",
                     "en": f"{designations[0] if designations else 'Agreement'} {names}"}
        w.labels(node, title)
        self._signed(f, node, aid, case_sources)
        for key, prop in (("renews", SCKG.renews), ("implements", SCKG.implementsAgreement),
                          ("amends", SCKG.amendsAgreement)):
            if key in f:
                target = f.slug(key)
                self.links.append((file, f.line_of(key), target))
                w.add(node, prop, agreement_iri(target))
        term = f.sub("term", "term", {"years", "until", "source"})
        if term is not None:
            if "years" not in term and "until" not in term:
                raise InputError(file, term.line, "term needs years: N or until: YYYY-MM-DD")
            if "years" in term:
                w.add(node, SCKG.termYears, Literal(term.int("years")))
            w.date(node, term.when("until"), SCKG.validUntil)
            w.attest(node, self.w.sources.resolve(term.raw("source"), file, term.line_of("source")))
        ended = f.sub("terminated", "terminated", {"date", "reason", "source"}, {"date"})
        if ended is not None:
            t = URIRef(f"{node}/termination")
            w.typed(t, SCKG.Termination)
            w.concept(t, SCKG.eventType, "event-type", "termination")
            w.date(t, ended.when("date"))
            if "reason" in ended:
                w.add(t, SCKG.reason, Literal(ended.str("reason")))
            w.add(node, SCKG.terminatedBy, t)
            w.labels(t, {"id": f"pengakhiran {aid}", "en": f"termination of {aid}"})
            w.attest(t, self.w.sources.resolve(ended.raw("source"), file, ended.line_of("source"), case_sources))
        self._people_roles(f, "witnesses", node, SCKG.hasWitness, SCKG.WitnessRole, "witness", case_sources, None)
        self._fields(f, node, case_sources)
        self._steps(f, node, aid, case_sources)
        self._facts(f, node, case_sources)
        self._events(f, node, aid, case_sources)
        self._registers(f, node, aid, case_sources)
        return aid

    # -- parts -----------------------------------------------------------------------------------------
    def _designations(self, f: Fields, node, inherited) -> list[str]:
        names = []
        for n, (item, line) in enumerate(f.items("designation"), 1):
            d = URIRef(f"{node}/designation/{n}")
            if isinstance(item, str):
                text, lang, used_by, srcs, note = item, None, None, inherited, None
            else:
                g = Fields(item, "designation", {"name", "lang", "used-by", "source", "note"}, {"name"},
                           file=f.file, line=line)
                text, lang, used_by, note = g.str("name"), g.str("lang"), g.str("used-by"), g.str("note")
                srcs = self.w.sources.resolve(g.raw("source"), f.file, g.line_of("source"), inherited)
            names.append(text)
            self.w.typed(d, SCKG.Designation)
            self.w.add(d, SCKG.designationText, Literal(text, lang=lang) if lang else Literal(text))
            aid = str(node).rsplit("/", 1)[-1]
            self.w.labels(d, {"id": f"sebutan «{text}» ({aid})", "en": f"designation «{text}» ({aid})"})
            if used_by:
                agent = self.actors.actors.get(used_by) or self.actors.people.get(used_by)
                if agent is not None:
                    self.w.add(d, SCKG.usedBy, agent)
                else:
                    self.w.add(d, SCKG.usedByName, Literal(used_by))
            if note:
                self.w.add(d, SCKG.editorialNote, Literal(note, lang="en"))
            self.w.attest(d, srcs)
            self.w.add(node, SCKG.hasDesignation, d)
        return names

    def _parties(self, f: Fields, node, inherited, aid: str) -> list[URIRef]:
        items = f.items("parties")
        if len(items) < 2:
            raise f.error("parties", f"an agreement needs at least two parties, got {len(items)}")
        parties = []
        for n, (item, line) in enumerate(items, 1):
            p = Fields(item, f"party {n}", PARTY_KEYS, file=f.file, line=line)
            srcs = self.w.sources.resolve(p.raw("source"), f.file, p.line_of("source"), inherited)
            actor = self._resolve_party(p, srcs)
            if actor in parties:
                raise InputError(f.file, line, f"party {n} is the same actor as an earlier party")
            parties.append(actor)
            self.w.add(node, SCKG.hasParty, actor)
            signers = p.items("signatories") + ([(p.raw("signatory"), p.line_of("signatory"))] if "signatory" in p else [])
            for m, (s, sline) in enumerate(signers, 1):
                self._person_role(s, sline, f.file, node, SCKG.hasSignatory, SCKG.SignatoryRole,
                                  f"signatory/{n}-{m}", srcs, actor)
        return parties

    def _resolve_party(self, p: Fields, srcs) -> URIRef:
        idx = self.actors
        if "actor" in p:
            return idx.actor(p.str("actor"), p.file, p.line_of("actor"))
        if "wikidata" in p and p.str("wikidata") in idx.by_wikidata:
            return idx.by_wikidata[p.str("wikidata")]
        if "kemendagri-code" in p and p.str("kemendagri-code") in idx.by_kemendagri:
            return idx.by_kemendagri[p.str("kemendagri-code")]
        for key in ("name", "kind", "country"):
            if key not in p:
                raise p.error(key, f"{p.where} needs {key!r} (or actor: <id> naming a known actor)")
        kind = p.choice("kind", tuple(PARTY_KINDS))
        iso = p.str("country")
        if iso not in countries():
            raise p.error("country", f"{p.where}: unknown country code {iso!r}; expected ISO 3166-1 alpha-2")
        region = self._reference_region(p, kind, iso)
        if region is not None:
            return self._region_node(region, p, srcs)
        if kind == "state" and iso in idx.state_by_iso:
            return idx.state_by_iso[iso]
        name = p.str("name")
        node = ID[f"actor/{iso.lower()}-{kind}-{slug_of(name)}"]
        cls, implied = PARTY_KINDS[kind][0], implied_level(kind, iso)
        self.w.typed(node, cls, SCKG.Actor)
        if kind in REGION_KINDS:
            self.w.typed(node, SCKG.RegionalGovernment)
        labels = p.labels("label") or {"id": name, "en": name}
        self.w.labels(node, labels)
        self.actors.labels[node] = labels
        self.w.concept(node, SCKG.partyKind, "party-kind", kind)
        self.w.concept(node, SCKG.level, "level", p.choice("level", LEVELS, implied))
        self.w.add(node, SCKG.inState, self._state(iso))
        if "wikidata" in p:
            self.w.add(node, SCKG.wikidataId, Literal(p.str("wikidata")))
        if "kemendagri-code" in p:
            self.w.add(node, SCKG.kemendagriCode, Literal(p.str("kemendagri-code")))
        self.w.attest(node, srcs)
        return node

    def _reference_region(self, p: Fields, kind: str, iso: str) -> Region | None:
        """The region a party names by its Wikidata id, its Kemendagri code or (in Indonesia) its name and kind,
        as the CC0 Wikidata extracts give it; a code that names another kind of region is an error."""
        if "wikidata" in p:
            region = regions().get(p.str("wikidata"))
            key = "wikidata"
        elif "kemendagri-code" in p:
            region = by_kemendagri().get(p.str("kemendagri-code"))
            key = "kemendagri-code"
            if region is None:
                raise p.error(key, f"{p.where}: unknown Kemendagri code {p.str(key)!r}; expected the code of a "
                                   "regency or city (e.g. \"32.71\" for Kota Bogor)")
        elif iso == "ID" and kind in ("city", "regency", "province"):
            return find_indonesian(p.str("name"), kind)
        else:
            return None
        if region is None:
            return None
        if region.iso and region.iso != iso:
            raise p.error(key, f"{p.where}: {p.str(key)} is {region.name}, a region of {region.iso}, not of {iso}")
        expected = {"city": "city", "regency": "regency", "province": "province"}.get(kind, "first-level")
        if kind == "province" and region.iso != "ID":
            expected = "first-level"  # a foreign province (Hainan) is a row of the first-level extract
        if region.kind != expected and not (expected == "first-level" and region.kind == "province"):
            raise p.error(key, f"{p.where}: {p.str(key)} is {region.name}, a {region.kind} region, not a {kind}")
        return region

    def _region_node(self, region: Region, p: Fields, srcs) -> URIRef:
        """The graph's node for a region of the extracts: the known actor, or one named from the extract."""
        idx = self.actors
        if region.wikidata in idx.by_wikidata:
            return idx.by_wikidata[region.wikidata]
        node = ID["actor/wd-" + region.wikidata.lower()]
        kind = p.str("kind")
        cls, _ = PARTY_KINDS[kind]
        name = {"city": f"Kota {region.name}", "regency": f"Kabupaten {region.name}"}.get(region.kind, region.name)
        labels = {"id": name, "en": {"city": f"{region.name} City", "regency": f"{region.name} Regency"}
                  .get(region.kind, region.name)}
        self.w.typed(node, cls, SCKG.Actor, SCKG.RegionalGovernment)
        self.w.labels(node, labels)
        idx.labels[node] = labels
        self.w.concept(node, SCKG.partyKind, "party-kind", kind)
        self.w.concept(node, SCKG.level, "level", p.choice("level", LEVELS, implied_level(kind, region.iso)))
        self.w.add(node, SCKG.inState, self._state(region.iso))
        self.w.add(node, SCKG.wikidataId, literal(region.wikidata))
        self.w.add(node, SKOS.exactMatch, WD[region.wikidata])
        if region.kemendagri:
            self.w.add(node, SCKG.kemendagriCode, literal(region.kemendagri))
            idx.by_kemendagri[region.kemendagri] = node
        if region.subdivision:
            self.w.add(node, SCKG.isoCode, literal(region.subdivision))
        if region.within:
            within = idx.by_wikidata.get(region.within)
            if within is not None:
                self.w.add(node, SCKG.withinRegion, within)
        source = [self.w.sources.iri(region.source)] if region.source in self.w.sources.grades else []
        self.w.attest(node, source or srcs)
        idx.by_wikidata[region.wikidata] = node
        return node

    def _state(self, iso: str) -> URIRef:
        """The state of a country code: the graph's own, else a node named from the Wikidata extract."""
        if iso in self.actors.state_by_iso:
            return self.actors.state_by_iso[iso]
        country = countries()[iso]
        node = ID[f"actor/country-{iso.lower()}"]
        self.w.typed(node, SCKG.State)
        self.w.labels(node, {"id": country.name, "en": country.name})
        self.actors.labels[node] = {"id": country.name, "en": country.name}
        self.w.add(node, SCKG.isoCode, literal(iso))
        self.w.attest(node, self.w.sources.resolve("wd-country", None, None) if "wd-country" in self.w.sources.grades
                      else [])
        self.actors.state_by_iso[iso] = node
        return node

    def _person_role(self, data, line, file, node, prop, cls, suffix, inherited, party) -> None:
        g = Fields(data, suffix.split("/")[0], PERSON_KEYS, file=file, line=line)
        if "name" not in g and "person" not in g:
            raise InputError(file, line, f"{g.where} needs a name or person: <id>")
        role = URIRef(f"{node}/{suffix}")
        self.w.typed(role, cls)
        if "person" in g:
            pid = g.str("person")
            if pid not in self.actors.people:
                raise g.error("person", f"unknown person {pid!r}: expected an id of the people of data/actors")
            person = self.actors.people[pid]
        else:
            person = ID["person/" + slug_of(g.str("name"))]
            if person not in self.actors.labels:
                self.w.typed(person, SCKG.Person)
                self.w.labels(person, {"id": g.str("name"), "en": g.str("name")})
                self.actors.labels[person] = {"id": g.str("name"), "en": g.str("name")}
                self.w.attest(person, self.w.sources.resolve(g.raw("source"), file, g.line_of("source"), inherited))
        self.w.add(role, SCKG.person, person)
        posts = g.raw("post")
        post_words = [p.get("name") if isinstance(p, dict) else str(p)
                      for p in (posts if isinstance(posts, list) else [posts] if posts is not None else [])]
        role_of = f", {' / '.join(map(str, post_words))}" if post_words else ""
        aid = str(node).rsplit("/", 1)[-1]
        self.w.labels(role, {
            "id": f"{'penanda tangan' if cls == SCKG.SignatoryRole else 'saksi'} {self.actors.label(person, 'id')}"
                  f"{role_of} ({aid})",
            "en": f"{'signatory' if cls == SCKG.SignatoryRole else 'witness'} {self.actors.label(person, 'en')}"
                  f"{role_of} ({aid})"})
        for post in posts if isinstance(posts, list) else ([posts] if posts is not None else []):
            if isinstance(post, dict):
                pf = Fields(post, "post reading", {"name", "source"}, {"name"}, file=file, line=line)
                self.w.add(role, SCKG.postLabel, Literal(pf.str("name")))
                self.w.attest(role, self.w.sources.resolve(pf.raw("source"), file, pf.line_of("source")))
            else:
                self.w.add(role, SCKG.postLabel, Literal(str(post)))
        if "post-id" in g:
            pid = g.str("post-id")
            if pid not in self.actors.posts:
                raise g.error("post-id", f"unknown post {pid!r}: expected an id of the posts of data/actors")
            self.w.add(role, SCKG.inPost, self.actors.posts[pid])
        if g.bool("head-of-region") is not None:
            self.w.add(role, SCKG.headOfRegion, literal(g.bool("head-of-region")))
        if party is not None:
            self.w.add(role, SCKG.onBehalfOf, party)
        if "note" in g:
            self.w.add(role, SCKG.editorialNote, Literal(g.str("note"), lang="en"))
        self.w.attest(role, self.w.sources.resolve(g.raw("source"), file, g.line_of("source"), inherited))
        self.w.add(node, prop, role)

    def _people_roles(self, f, key, node, prop, cls, name, inherited, party) -> None:
        for n, (item, line) in enumerate(f.items(key), 1):
            self._person_role(item, line, f.file, node, prop, cls, f"{name}/{n}", inherited, party)

    def _signed(self, f: Fields, node, aid: str, inherited) -> None:
        s = f.sub("signed", "signed", {"date", "date-inferred", "place", "venue", "source", "note"}, {"date"})
        if s is None:
            return
        ev = URIRef(f"{node}/signing")
        self.w.typed(ev, SCKG.Signing)
        self.w.concept(ev, SCKG.eventType, "event-type", "signature")
        self.w.date(ev, s.when("date"))
        self._inferred(s, ev)
        if "place" in s:
            self.w.add(ev, SCKG.place, Literal(s.str("place")))
        if "venue" in s:
            self.w.add(ev, SCKG.venue, self.actors.actor(s.str("venue"), s.file, s.line_of("venue")))
        if "note" in s:
            self.w.add(ev, SCKG.editorialNote, Literal(s.str("note"), lang="en"))
        self.w.labels(ev, {"id": f"penandatanganan {aid}", "en": f"signature of {aid}"})
        self.w.attest(ev, self.w.sources.resolve(s.raw("source"), s.file, s.line_of("source"), inherited))
        self.w.add(node, SCKG.signing, ev)

    def _inferred(self, f: Fields, node) -> None:
        """`date-inferred: true`: the date was computed (e.g. from a weekday and the report's date), not read; the
        note must say how."""
        flag = f.bool("date-inferred")
        if flag is None:
            return
        if "date" not in f:
            raise f.error("date-inferred", f"{f.where}: date-inferred needs a date")
        if flag and "note" not in f:
            raise f.error("date-inferred", f"{f.where}: an inferred date needs a note saying how it was inferred")
        self.w.add(node, SCKG.dateInferred, literal(flag))

    def _fields(self, f: Fields, node, inherited) -> None:
        raw = f.raw("fields")
        if isinstance(raw, dict):
            g = Fields(raw, "fields", {"values", "source"}, {"values"}, file=f.file, line=f.line_of("fields"))
            items, srcs = g.items("values"), self.w.sources.resolve(g.raw("source"), f.file, g.line_of("source"))
        else:
            items, srcs = f.items("fields"), []
        for value, line in items:
            if str(value) not in FIELDS_VOCAB:
                raise InputError(f.file, line, f"unknown field {value!r}; expected one of: {', '.join(FIELDS_VOCAB)}")
            self.w.concept(node, SCKG.hasField, "field", str(value))
        self.w.attest(node, srcs)

    def _steps(self, f: Fields, node, aid: str, inherited) -> None:
        seen: dict[str, int] = {}
        for item, line in f.items("steps"):
            s = Fields(item, "step", {"step", "date", "date-inferred", "by", "source", "record", "searched", "note"},
                       {"step"},
                       file=f.file, line=line)
            step = s.choice("step", STEPS)
            seen[step] = seen.get(step, 0) + 1
            ev = URIRef(f"{node}/step/{step}" + (f"-{seen[step]}" if seen[step] > 1 else ""))
            when = s.when("date")
            record = s.choice("record", RECORDS, "done" if when else None)
            if record is None:
                raise InputError(f.file, line, f"step {step}: give its date, or record: not-done | no-record")
            if record == "no-record" and when is not None:
                raise s.error("date", f"step {step}: a step with no record has no date")
            self.w.typed(ev, SCKG.ProceduralStep)
            self.w.concept(ev, SCKG.stepType, "step", step)
            self.w.concept(ev, SCKG.recordStatus, "record-status", record)
            self.w.date(ev, when)
            self._inferred(s, ev)
            if "by" in s:
                by = s.str("by")
                if by in self.actors.actors:
                    self.w.add(ev, SCKG.actedBy, self.actors.actors[by])
                else:
                    self.w.add(ev, SCKG.actedByName, Literal(by))
            for src in self.w.sources.resolve(s.raw("searched"), f.file, s.line_of("searched")):
                self.w.add(ev, SCKG.searchedIn, src)  # where a record was sought
            if "note" in s:
                self.w.add(ev, SCKG.editorialNote, Literal(s.str("note"), lang="en"))
            self.w.labels(ev, {"id": f"langkah {step} ({aid})", "en": f"step {step} ({aid})"})
            searched = self.w.sources.resolve(s.raw("searched"), f.file, s.line_of("searched"))
            srcs = self.w.sources.resolve(s.raw("source"), f.file, s.line_of("source"),
                                          None if record == "no-record" else inherited)
            self.w.attest(ev, srcs or searched)
            self.w.add(node, SCKG.hasStep, ev)

    def _facts(self, f: Fields, node, inherited) -> None:
        facts = f.sub("facts", "facts", set(FACTS))
        if facts is None:
            return
        for key in facts.data:
            value = facts.raw(key)
            if isinstance(value, bool):
                flag, srcs = value, inherited
            else:
                v = Fields(value, f"fact {key}", {"value", "source", "note"}, {"value"}, file=f.file,
                           line=facts.line_of(key))
                flag = v.bool("value")
                srcs = self.w.sources.resolve(v.raw("source"), f.file, v.line_of("source"), inherited)
            finding = URIRef(f"{node}/finding/{key}")
            self.w.typed(finding, SCKG.Finding)
            self.w.concept(finding, SCKG.findingKey, "finding", key)
            self.w.add(finding, SCKG.findingValue, literal(flag))
            self.w.labels(finding, {"id": f"temuan {key}", "en": f"finding {key}"})
            self.w.attest(finding, srcs)
            self.w.add(node, SCKG.hasFinding, finding)

    def _events(self, f: Fields, node, aid: str, inherited) -> None:
        for n, (item, line) in enumerate(f.items("events"), 1):
            e = Fields(item, "event", {"id", "event", "date", "date-inferred", "title", "participants", "place", "source",
                                       "note"},
                       {"event", "date"}, file=f.file, line=line)
            eid = e.slug("id", str(n))
            ev = URIRef(f"{node}/event/{eid}")
            self.w.typed(ev, SCKG.CaseEvent)
            kind = e.choice("event", EVENTS)
            self.w.concept(ev, SCKG.eventType, "event-type", kind)
            when = e.when("date")
            self.w.date(ev, when)
            self._inferred(e, ev)
            title = e.labels("title") or {"id": f"{kind} {when.text}", "en": f"{kind} {when.text}"}
            self.w.labels(ev, {k: f"{v} ({aid})" for k, v in title.items()})
            for who in e.list("participants"):
                who = str(who)
                agent = self.actors.actors.get(who) or self.actors.people.get(who)
                if agent is not None:
                    self.w.add(ev, SCKG.participant, agent)
                else:
                    self.w.add(ev, SCKG.participantName, Literal(who))
            if "place" in e:
                self.w.add(ev, SCKG.place, Literal(e.str("place")))
            if "note" in e:
                self.w.add(ev, SCKG.editorialNote, Literal(e.str("note"), lang="en"))
            self.w.attest(ev, self.w.sources.resolve(e.raw("source"), e.file, e.line_of("source"), inherited))
            self.w.add(node, SCKG.hasEvent, ev)

    def _registers(self, f: Fields, node, aid: str, inherited) -> None:
        """What a register of partnerships (CLAIR's, for Japan) says of the pair: a classification, not law."""
        seen = set()
        for item, line in f.items("registers"):
            r = Fields(item, "register entry", REGISTER_KEYS, {"register", "listed", "source"}, file=f.file, line=line)
            name = r.choice("register", REGISTERS)
            if name in seen:
                raise r.error("register", f"register {name!r} is given twice; one entry per register")
            seen.add(name)
            listed = r.bool("listed")
            if listed is None:
                raise r.error("listed", "listed: expected true or false")
            if not listed and ("date" in r or r.bool("criteria-met") is not None):
                raise r.error("date" if "date" in r else "criteria-met",
                              "an entry that says the pair is not listed has no registration date or criteria")
            srcs = self.w.sources.resolve(r.raw("source"), f.file, r.line_of("source"))
            entry = URIRef(f"{node}/register/{name}")
            self.w.typed(entry, SCKG.RegisterEntry)
            self.w.add(entry, SCKG.registerName, Literal(name))
            self.w.add(entry, SCKG.listedInRegister, Literal(listed))
            self.w.date(entry, r.when("as-of"), SCKG.listedAsOf)
            self.w.date(entry, r.when("date"))
            if r.bool("criteria-met") is not None:
                self.w.add(entry, SCKG.meetsRegisterCriteria, literal(r.bool("criteria-met")))
            if "note" in r:
                self.w.add(entry, SCKG.editorialNote, Literal(r.str("note"), lang="en"))
            self.w.labels(entry, {"id": f"catatan register {name} ({aid})", "en": f"{name} register entry ({aid})"})
            self.w.attest(entry, srcs)
            self.w.add(node, SCKG.hasRegisterEntry, entry)

    def check_links(self, known: set[str] | None = None) -> None:
        known = set(self.ids) | set(known or ())
        for file, line, target in self.links:
            if target not in known:
                raise InputError(file, line, f"no agreement with id {target!r} in the graph or the given case files")
