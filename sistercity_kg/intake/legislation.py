"""data/legislation/*.yaml → article-level legislation with hackable ELI-style IRIs, dates, ranks and links."""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import TIME

from ..errors import InputError
from ..namespaces import ELI, ID, SCKG, legislation
from .common import Fields, SourceIndex, Writer
from .yamlfile import load_yaml

DOC_TYPES = ("uud", "uu", "perppu", "pp", "perpres", "perda-provinsi", "perda-kabupaten-kota", "permendagri",
             "permenlu", "convention", "jp-act")
RANKS = ("uud", "tap-mpr", "uu", "pp", "perpres", "perda-provinsi", "perda-kabupaten-kota", "pasal-8",
         "international", "foreign")
LIFECYCLE = ("adopted", "enacted", "promulgated", "in-force", "end-of-force", "signed")
INSTRUMENT_KEYS = {"id", "type", "number", "year", "title", "short", "rank", "rank-source", "source", "gazette",
                   "events", "based-on", "amends", "repeals", "note", "provisions"}
PROVISION_KEYS = {"id", "label", "text", "text-lang", "gloss", "heading", "numbering", "gaps", "note", "source",
                  "repeals", "amends", "based-on", "provisions", "explains", "text-as-amended-by", "text-from", "versions"}
VERSION_KEYS = {"id", "label", "text", "from", "until", "by", "source", "note"}
EVENT_KEYS = {"event", "date", "source", "by", "by-instrument", "note"}
PATH = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)*$")
ORGAN_ROLES = ("president", "mendagri", "menlu", "dprd", "head-of-region", "governor-as-central-representative",
               "sectoral-minister")
STEPS = ("ministers-consulted", "loi-signed", "dprd-requested", "dprd-approval", "mendagri-consideration",
         "inter-ministerial-meeting", "draft-approved", "central-approval", "surat-konfirmasi", "full-powers",
         "report", "negotiation", "supervision", "signature")
REGIMES = ("ksdpl", "ksdll", "kerja-sama-luar-negeri", "perjanjian-internasional", "hubungan-luar-negeri")
DUTY_KEYS = {"id", "organ", "step", "applies-to", "provisions", "before", "description", "source", "note"}

_ROMAN = {"i": "I", "ii": "II", "iii": "III", "iv": "IV", "v": "V", "vi": "VI", "vii": "VII", "viii": "VIII",
          "ix": "IX", "x": "X", "xi": "XI", "xii": "XII"}


def _num(unit: str, n: str) -> str:
    if unit in ("bab",) or (unit == "pasal" and n in _ROMAN):
        return _ROMAN.get(n, n.upper())
    return n


def citation(short: dict[str, str], rel: str) -> dict[str, str]:
    """'PP 28/2018' + 'pasal/27/ayat/1/huruf/a' → {'id': 'PP 28/2018 Pasal 27 ayat (1) huruf a', 'en': '… Art. 27(1)(a)'}."""
    parts = rel.split("/")
    elucidation = parts[0] == "penjelasan"
    if elucidation:
        parts = parts[1:]
    pairs = [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    ind, eng = [], ""
    for unit, n in pairs:
        num = _num(unit, n)
        if unit in ("pasal", "art"):
            ind.append(f"Pasal {num}")
            eng += f" Art. {num}"
        elif unit in ("ayat", "para"):
            ind.append(f"ayat ({num})")
            eng += f"({num})"
        elif unit in ("huruf", "sub"):
            ind.append(f"huruf {num}")
            eng += f"({num})"
        elif unit == "item":
            ind.append(f"angka {num}")
            eng += f" item {num}"
        elif unit == "angka":
            ind.append(f"angka {num}")
            eng += f" point {num}"
        elif unit == "bab":
            ind.append(f"Bab {num}")
            eng += f" Chapter {num}"
        elif unit == "bagian":
            ind.append(f"Bagian {num.capitalize()}")
            eng += f" Part {num}"
        elif unit == "point":
            ind.append(f"butir {num}")
            eng += f" point {num}"
        elif unit == "umum":
            ind.append("Umum")
            eng += " General"
        elif unit == "preamble":
            ind.append("Pembukaan" + (f" {n}" if n else ""))
            eng += " Preamble" + (f" {n}" if n else "")
        elif unit == "recital":
            ind.append(f"konsiderans {n}")
            eng += f" recital {n}"
        else:
            ind.append(f"{unit} {num}".strip())
            eng += f" {unit} {num}".rstrip()
    id_text = " ".join(ind)
    en_text = eng.strip()
    if elucidation:
        return {"id": f"{short['id']} Penjelasan {id_text}".strip(),
                "en": f"{short['en']} Elucidation of {en_text}".strip()}
    return {"id": f"{short['id']} {id_text}".strip(), "en": f"{short['en']} {en_text}".strip()}


def unit_of(rel: str) -> tuple[str, str]:
    parts = rel.split("/")
    if parts[0] == "penjelasan":
        return "penjelasan", "/".join(parts[1:])
    if len(parts) % 2:
        return parts[-1], ""
    return parts[-2], parts[-1]


class LegislationReader:
    """Reads every instrument file, then checks that every link points at something the graph holds."""

    def __init__(self, writer: Writer):
        self.w = writer
        self.sources: SourceIndex = writer.sources
        self.instruments: dict[str, str] = {}      # id → file
        self.provisions: dict[str, tuple[str, int]] = {}  # full path → (file, line)
        self.links: list[tuple[str, int, str]] = []      # (file, line, target path)

    # -- instruments -----------------------------------------------------------------------------------
    def read(self, path: Path) -> None:
        data = load_yaml(path)
        f = Fields(data, f"instrument file {path.name}", INSTRUMENT_KEYS, {"id", "type", "title", "short", "rank"},
                   file=str(path), line=1)
        iid = f.str("id", pattern=PATH, expected="a legislation path like pp/2018/28")
        if iid in self.instruments:
            raise f.error("id", f"instrument {iid} is already defined in {self.instruments[iid]}")
        self.instruments[iid] = str(path)
        node = legislation(iid)
        w = self.w
        srcs = self.sources.resolve(f.raw("source"), f.file, f.line_of("source"))
        if not srcs:
            raise InputError(path, 1, f"instrument {iid} needs a source")
        title, short = f.labels("title", True), f.labels("short", True)
        for lang in ("id", "en"):
            if lang not in title or lang not in short:
                raise InputError(path, f.line_of("title"), f"instrument {iid}: title and short need both id and en")
        w.typed(node, SCKG.LegalInstrument)
        w.labels(node, title)
        w.labels(node, short, SCKG.citationLabel)
        w.concept(node, SCKG.documentType, "document-type", f.choice("type", DOC_TYPES))
        w.concept(node, SCKG.hierarchyRank, "hierarchy-rank", f.choice("rank", RANKS))
        if "number" in f:
            w.add(node, ELI.number, Literal(f.str("number")))
        if "year" in f:
            w.add(node, SCKG.year, Literal(f.int("year")))
        if "note" in f:
            w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))
        w.attest(node, srcs)
        if "rank-source" in f:
            w.attest(node, self.sources.resolve(f.raw("rank-source"), f.file, f.line_of("rank-source")))
        gaz = f.sub("gazette", f"{iid}: gazette", {"ln", "tln", "bn", "source", "note"})
        if gaz is not None:
            for key, prop in (("ln", SCKG.gazetteLN), ("tln", SCKG.gazetteTLN), ("bn", SCKG.gazetteBN)):
                if key in gaz:
                    w.add(node, prop, Literal(gaz.str(key)))
            w.attest(node, self.sources.resolve(gaz.raw("source"), gaz.file, gaz.line_of("source")))
        self._links(node, f, iid, srcs)
        self._events(node, iid, f, srcs)
        for item, line in f.items("provisions"):
            self._provision(item, line, iid, node, short, srcs, str(path))

    def _links(self, node, f: Fields, base: str, srcs) -> None:
        for key, prop, inverse in (("based-on", ELI.based_on, ELI.basis_for), ("amends", ELI.amends, ELI.amended_by),
                                   ("repeals", ELI.repeals, ELI.repealed_by)):
            for target, line in f.items(key):
                target = str(target)
                if not PATH.match(target):
                    raise InputError(f.file, line, f"{base}: {key} expects legislation paths, got {target!r}")
                self.links.append((f.file, line, target))
                self.w.add(node, prop, legislation(target))
                self.w.add(legislation(target), inverse, node)

    def _events(self, node, iid: str, f: Fields, srcs) -> None:
        begin = end = None
        for item, line in f.items("events"):
            e = Fields(item, f"{iid}: event", EVENT_KEYS, {"event", "date"}, file=f.file, line=line)
            kind = e.choice("event", LIFECYCLE)
            when = e.when("date")
            ev = URIRef(f"{node}/event/{kind}")
            self.w.typed(ev, SCKG.LegislativeEvent)
            self.w.concept(ev, SCKG.lifecycleType, "lifecycle", kind)
            self.w.date(ev, when)
            self.w.add(node, SCKG.hasLifecycleEvent, ev)
            self.w.labels(ev, {"id": f"{kind} {iid}", "en": f"{kind} of {iid}"})
            ev_srcs = self.sources.resolve(e.raw("source"), e.file, e.line_of("source"), srcs)
            self.w.attest(ev, ev_srcs)
            if "by" in e:
                target = f"{iid}/{e.str('by')}"
                self.links.append((e.file, e.line_of("by"), target))
                self.w.add(ev, SCKG.declaredBy, legislation(target))
            if "by-instrument" in e:
                target = e.str("by-instrument", pattern=PATH, expected="a legislation path")
                self.links.append((e.file, e.line_of("by-instrument"), target))
                self.w.add(ev, SCKG.endedBy, legislation(target))
            if "note" in e:
                self.w.add(ev, SCKG.editorialNote, Literal(e.str("note"), lang="en"))
            shortcut = {"adopted": ELI.date_document, "enacted": ELI.date_document, "promulgated": ELI.date_publication,
                        "in-force": ELI.first_date_entry_in_force, "end-of-force": ELI.date_no_longer_in_force}.get(kind)
            if shortcut is not None and when is not None:
                self.w.add(node, shortcut, when.literal())
            if kind == "in-force":
                begin = when
            elif kind == "end-of-force":
                end = when
        if begin is not None:
            interval = URIRef(f"{node}/in-force")
            self.w.typed(interval, TIME.ProperInterval)
            self.w.add(node, SCKG.inForceDuring, interval)
            self.w.labels(interval, {"id": f"masa berlaku {iid}", "en": f"period in force of {iid}"})
            for when, prop, suffix in ((begin, TIME.hasBeginning, "begin"), (end, TIME.hasEnd, "end")):
                if when is None:
                    continue
                instant = URIRef(f"{interval}/{suffix}")
                self.w.typed(instant, TIME.Instant)
                self.w.add(interval, prop, instant)
                self.w.add(instant, TIME.inXSDDate, when.literal())
                self.w.labels(instant, {"id": f"{'awal' if suffix == 'begin' else 'akhir'} berlaku {iid}",
                                        "en": f"{suffix} of force of {iid}"})

    # -- provisions ------------------------------------------------------------------------------------
    def _provision(self, data, line, parent_path: str, parent, short, inherited, file: str) -> None:
        f = Fields(data, "provision", PROVISION_KEYS, {"id"}, file=file, line=line)
        rel = f.str("id", pattern=PATH, expected="a relative path like pasal/27/ayat/1")
        full = f"{parent_path}/{rel}"
        if full in self.provisions:
            prev = self.provisions[full]
            raise InputError(file, line, f"provision {full} is already defined at {prev[0]}:{prev[1]}")
        self.provisions[full] = (file, line)
        instrument_id = self._instrument_of(full)
        rel_to_instrument = full[len(instrument_id) + 1:]
        node = legislation(full)
        w = self.w
        w.typed(node, SCKG.Provision)
        cite = citation(short, rel_to_instrument)
        f.labels("label")  # accepted for readability of the YAML; the label is always derived from the id
        w.labels(node, cite)
        w.labels(node, cite, SCKG.citationLabel)
        unit, number = unit_of(rel_to_instrument)
        w.concept(node, SCKG.unitType, "unit-type", unit)
        if number:
            w.add(node, SCKG.unitNumber, Literal(number))
        w.add(node, ELI.is_part_of, parent)
        w.add(parent, ELI.has_part, node)
        srcs = self.sources.resolve(f.raw("source"), file, f.line_of("source"), inherited)
        w.attest(node, srcs)
        if "text" in f:
            w.add(node, SCKG.text, Literal(f.str("text").strip(), lang=f.str("text-lang", "id")))
        if isinstance(f.raw("gloss"), dict):  # glosses in several languages: {en: …, id: …}
            for lang, text in f.labels("gloss").items():
                w.add(node, SCKG.gloss, Literal(text.strip(), lang=lang))
        elif "gloss" in f:
            w.add(node, SCKG.gloss, Literal(f.str("gloss").strip(), lang="en"))
        w.labels(node, f.labels("heading"), SCKG.heading)
        if f.raw("numbering") is not None:
            if f.str("numbering") != "inferred":
                raise f.error("numbering", "numbering: the only value is 'inferred'")
            w.add(node, SCKG.numberingInferred, Literal(True))
        if f.bool("gaps"):
            w.add(node, SCKG.hasGaps, Literal(True))
        if "note" in f:
            w.add(node, SCKG.editorialNote, Literal(f.str("note").strip(), lang="en"))
        if "explains" in f:
            target = f"{instrument_id}/{f.str('explains', pattern=PATH, expected='a relative provision path')}"
            self.links.append((file, f.line_of("explains"), target))
            w.add(node, SCKG.explains, legislation(target))
        if "text-as-amended-by" in f:
            target = f.str("text-as-amended-by", pattern=PATH, expected="a legislation path")
            self.links.append((file, f.line_of("text-as-amended-by"), target))
            w.add(node, SCKG.textAsAmendedBy, legislation(target))
        if "text-from" in f:
            w.date(node, f.when("text-from"), SCKG.textFrom)
        self._links(node, f, full, srcs)
        for item, item_line in f.items("versions"):
            self._version(item, item_line, node, f, cite, srcs, file)
        for item, item_line in f.items("provisions"):
            self._provision(item, item_line, full, node, short, srcs, file)

    def _version(self, data, line, node, provision: Fields, cite: dict, inherited, file: str) -> None:
        """A version of a provision in time, in ELI's terms: the provision (the work's subdivision) is realised by
        one eli:LegalExpression per text it had, each applicable from a date (eli:date_applicability, also its
        eli:version_date) to the first day it no longer applied (eli:date_no_longer_in_force), consolidating the
        amending provision that produced it (eli:consolidates). A version without its own text has the provision's."""
        v = Fields(data, "provision version", VERSION_KEYS, {"id", "label", "from", "source"}, file=file, line=line)
        vid = v.slug("id")
        start, end = v.when("from"), v.when("until")
        for key, when in (("from", start), ("until", end)):
            if when is not None and when.precision != "day":
                raise v.error(key, f"provision version {vid}: {key} must be a full date YYYY-MM-DD")
        if end is not None and end.date < start.date:
            raise v.error("until", f"provision version {vid}: until must not be before from")
        if end is not None and end.date == start.date and "note" not in v:
            raise v.error("until", f"provision version {vid}: a version with no day of its own needs a note saying why")
        text = v.str("text") or provision.str("text")
        labels = v.labels("label", True)
        if "id" not in labels or "en" not in labels:
            raise v.error("label", f"provision version {vid}: label needs both id and en")
        w = self.w
        ver = URIRef(f"{node}/version/{vid}")
        w.typed(ver, ELI.LegalExpression)
        w.add(node, ELI.is_realized_by, ver)
        w.add(ver, ELI.realizes, node)
        names = {lang: f"{cite[lang]} ({labels[lang]})" for lang in ("id", "en")}
        w.labels(ver, names)
        w.labels(ver, names, SCKG.citationLabel)
        w.labels(ver, {lang: labels[lang] for lang in ("id", "en")}, SCKG.versionLabel)
        if text:
            w.add(ver, SCKG.text, Literal(text.strip(), lang=provision.str("text-lang", "id")))
        w.add(ver, ELI.date_applicability, start.literal())
        w.add(ver, ELI.version_date, start.literal())
        if end is not None:
            w.add(ver, ELI.date_no_longer_in_force, end.literal())
        if "by" in v:
            target = v.str("by", pattern=PATH, expected="a legislation path")
            self.links.append((file, v.line_of("by"), target))
            w.add(ver, ELI.consolidates, legislation(target))
        w.attest(ver, self.sources.resolve(v.raw("source"), file, v.line_of("source"), inherited))
        if "note" in v:
            w.add(ver, SCKG.editorialNote, Literal(v.str("note").strip(), lang="en"))

    def _instrument_of(self, full: str) -> str:
        best = ""
        for iid in self.instruments:
            if (full == iid or full.startswith(iid + "/")) and len(iid) > len(best):
                best = iid
        return best

    # -- duties ----------------------------------------------------------------------------------------
    def read_duties(self, path: Path) -> None:
        data = load_yaml(path)
        if not isinstance(data, list):
            raise InputError(path, 1, "expected a list of duties")
        seen = set()
        for item, line in zip(data, data.item_lines):
            f = Fields(item, "duty", DUTY_KEYS, {"id", "organ", "step", "applies-to", "provisions", "description"},
                       file=str(path), line=line)
            did = f.slug("id")
            if did in seen:
                raise InputError(path, line, f"duty {did!r} is defined twice")
            seen.add(did)
            node = ID["duty/" + did]
            w = self.w
            w.typed(node, SCKG.Duty)
            desc = f.labels("description", True)
            w.labels(node, desc, SCKG.description)
            w.labels(node, {k: (v if len(v) <= 100 else v[:99] + "…") + f" [{did}]" for k, v in desc.items()})
            w.concept(node, SCKG.dutyOf, "organ-role", f.choice("organ", ORGAN_ROLES))
            w.concept(node, SCKG.dutyStep, "step", f.choice("step", STEPS))
            w.concept(node, SCKG.appliesTo, "regime", f.choice("applies-to", REGIMES))
            if "before" in f:
                w.concept(node, SCKG.mustPrecede, "step", f.choice("before", STEPS + ("signature",)))
            srcs = []
            for target, tline in f.items("provisions"):
                target = str(target)
                if not PATH.match(target):
                    raise InputError(path, tline, f"duty {did}: provisions expects legislation paths, got {target!r}")
                self.links.append((str(path), tline, target))
                w.add(node, SCKG.establishedBy, legislation(target))
                srcs.append(target)
            w.attest(node, self.sources.resolve(f.raw("source"), f.file, f.line_of("source"),
                                                self._sources_of_provisions(srcs)))
            if "note" in f:
                w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))

    def _sources_of_provisions(self, targets: list[str]) -> list[URIRef]:
        out = []
        for t in targets:
            for src in self.w.graph.objects(legislation(t), SCKG.attestedBy):
                if src not in out:
                    out.append(src)
        return out

    # -- after all files -------------------------------------------------------------------------------
    def check_links(self) -> None:
        """A link must name an instrument the graph holds; a provision it does not hold becomes a cited stub."""
        for file, line, target in self.links:
            if target in self.provisions or target in self.instruments:
                continue
            instrument = self._instrument_of(target)
            if not instrument:
                raise InputError(file, line, f"{target} names no instrument of data/legislation")
            self._stub(instrument, target, file, line)

    def _stub(self, instrument: str, target: str, file: str, line: int) -> None:
        """A provision cited but not transcribed: typed, placed and labelled, with no text."""
        parts = target[len(instrument) + 1:].split("/")
        instrument_node = legislation(instrument)
        short = {l.language: str(l) for l in self.w.graph.objects(instrument_node, SCKG.citationLabel)}
        srcs = list(self.w.graph.objects(instrument_node, SCKG.attestedBy))
        # the chain of ancestors: pasal/63, pasal/63/ayat/1, … (an elucidation hangs on the instrument directly)
        cuts = [len(parts)] if parts[0] == "penjelasan" else range(2, len(parts) + 1, 2)
        parent = instrument_node
        for cut in cuts:
            rel = "/".join(parts[:cut])
            path = f"{instrument}/{rel}"
            node = legislation(path)
            if path not in self.provisions:
                self.provisions[path] = (file, line)
                self.w.typed(node, SCKG.Provision)
                cite = citation(short, rel)
                self.w.labels(node, cite)
                self.w.labels(node, cite, SCKG.citationLabel)
                unit, number = unit_of(rel)
                self.w.concept(node, SCKG.unitType, "unit-type", unit)
                if number:
                    self.w.add(node, SCKG.unitNumber, Literal(number))
                self.w.add(node, ELI.is_part_of, parent)
                self.w.add(parent, ELI.has_part, node)
                self.w.add(node, SCKG.editorialNote, Literal("Cited but not transcribed in this graph.", lang="en"))
                self.w.attest(node, srcs)
            parent = node
