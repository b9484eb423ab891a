"""Stage 4, report: the dossier of an agreement, and the index of the register, as static HTML.

For each agreement, one page per language (`<id>.en.html`, `<id>.id.html`, linked to each other): the instrument,
a timeline of its life (drawn by matplotlib), the assessment matrix on the signing date and today (two runs of
`assess`), what the procedure required beside what the record shows (research question 4), the thesis's claims
beside the graph's findings (question 6), a diagram of the agreement's part of the graph (Graphviz, or matplotlib
where `dot` is missing) and the bibliography every fact and conclusion rests on, numbered and graded.

The pages work from the file system: no server, no network, no script, no external font; the CSS is inline and
the pictures are inline SVG. Everything is rendered in memory first and then written file by file through a
temporary file and a rename, so a failure leaves no half-written page.

    from sistercity_kg.report import build_report
    paths = build_report("out/", ["bogor-kisarazu-2016"])
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import InputError
from .charts import register_charts
from .namespaces import ELI, ID, SCKG
from .render import ANSWER_WORDS, GRADE_WORDS, IN_FORCE_WORDS, KIND_WORDS, STATUS_WORDS

LANGS = ("en", "id")
GRADE_ORDER = {"primary": 0, "secondary": 1, "unverified": 2}
STATUSES = ("satisfied", "violated", "not-evidenced", "not-applicable")
ANSWERS = ("yes", "no", "undetermined", "not-applicable")
#: The order of the procedure (the step vocabulary, docs/vocabularies.md), for the step-by-step table.
STEP_ORDER = ("ministers-consulted", "loi-signed", "dprd-requested", "dprd-approval", "mendagri-consideration",
              "inter-ministerial-meeting", "draft-approved", "negotiation", "surat-konfirmasi", "full-powers",
              "central-approval", "report", "supervision")
#: Which legal test decides whether the duties of a regime (duties.yaml `applies-to`) bind the instrument.
REGIME_TEST = {"ksdpl": "pp-28-2018/ksdpl", "ksdll": "pp-28-2018/ksdll",
               "kerja-sama-luar-negeri": "uu-23-2014/kerja-sama-luar-negeri",
               "perjanjian-internasional": "uu-24-2000/perjanjian-internasional",
               "hubungan-luar-negeri": "uu-37-1999/hubungan-luar-negeri"}
#: Tests that say whether an instrument falls within a regime at all: their duties bind it only when the answer is
#: yes (or cannot be settled); for the others a "no" means the duties applied and were not met.
SCOPE_TESTS = {"uu-24-2000/perjanjian-internasional", "uu-37-1999/hubungan-luar-negeri"}
MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"],
          "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"]}

W = {
    "en": {
        "lang_name": "English", "other_lang_name": "Bahasa Indonesia", "dossier": "Legal dossier",
        "register": "Register of international cooperation agreements",
        "register_lead": "Every agreement of the register, with the answer of each legal test on the day it was "
                         "signed. Open an agreement for its dossier.",
        "toc": "Contents", "back": "Register",
        "s_summary": "At a glance", "s_instrument": "The instrument", "s_timeline": "Timeline",
        "s_matrix": "Assessment matrix", "s_procedure": "Procedure: what was required and what the record shows",
        "s_doctrine": "Doctrine: the thesis beside the graph", "s_diagram": "The agreement in the graph",
        "s_bibliography": "Bibliography",
        "id": "Identifier", "iri": "IRI", "title": "Title", "kind": "Judged as", "written": "Written form",
        "governing_law": "Governing law as stated", "designations": "Designations", "name": "Name",
        "language": "Language", "used_by": "Used by", "parties": "Parties", "party": "Party", "level": "Level",
        "party_kind": "Kind", "state": "State", "region_within": "Within", "signatory": "Signatory", "signatories": "Signatories",
        "post": "Post", "head_of_region": "head of region", "signature": "Signature", "date": "Date",
        "place": "Place", "venue": "Venue", "witnesses": "Witnesses",
        "relation_on_date": "Diplomatic relations on that day",
        "relation_not_recorded": "no recorded interval covers the date (not evidenced)", "fields": "Fields of cooperation",
        "term": "Term", "years": "years", "until": "until", "terminated": "Terminated",
        "renews": "Renews", "renewed_by": "Renewed by", "implements": "Implements",
        "implemented_by": "Implemented by", "amends": "Amends", "amended_by": "Amended by",
        "codes": "Codes", "none_recorded": "nothing recorded", "unknown": "not known",
        "yes": "yes", "no": "no", "case_note": "Editor's note from the case file", "reading": "Reading judged",
        "signed_on": "Signed", "in_force_today": "In force today", "today": "Today",
        "signing_date": "Signing date", "answers_on": "Answers on the signing date",
        "findings": "Key findings on the signing date", "violated_conds": "Conditions violated",
        "unsettled_conds": "Conditions not evidenced (no record either way)",
        "steps_on_record": "Procedural steps of the applicable regimes",
        "timeline_lead": "Everything dated for this instrument and the instruments that renew, implement or amend "
                         "it (or that it renews). Dashed lines mark the days a legal framework entered into or "
                         "went out of force.",
        "num": "No.", "event": "Event", "instrument": "Instrument", "sources": "Sources", "type": "Type",
        "no_dates": "No dated record.",
        "matrix_lead": "Every legal test of every framework, asked twice: as of the signing date (how the "
                       "instrument was made is judged by the law of that day) and as of today (a later date changes "
                       "only whether it is still in force and which continuing duties apply). A condition is "
                       "'not evidenced' when the graph holds no record either way; that is never reported as a "
                       "breach.",
        "framework": "Framework", "in_force_from": "in force from", "in_force_until": "until",
        "test": "Test", "question": "Question", "condition": "Condition", "article": "Article cited",
        "status_signing": "Signing date", "status_today": "Today", "weakest": "Weakest source",
        "answer": "Answer", "text": "Text", "gloss": "English gloss", "show_text": "text",
        "s_sides": "The two parties' sides", "partner_law": "the partner's side",
        "side_indonesia": "The Indonesian party and the instrument (Indonesian and international law)",
        "side_partner": "The partner's side (its own state's law)",
        "sides_lead": "Each party under its own law, on the signing date and today. A test of a partner state's "
                      "law is not applicable when no party is a local body of that state.",
        "no_partner_test": "No framework of this partner's state is modelled yet.",
        "register_entry": "Partnership register", "register_listed": "listed", "register_not_listed": "not listed",
        "register_as_of": "as of", "register_date": "date recorded", "register_criteria": "meets its criteria",
        "register_criteria_unknown": "criteria not stated by the entry",
        "no_text": "The graph holds no text of this provision.", "why_today": "today",
        "test_reason": "Why", "conditions": "conditions", "no_source": "none",
        "procedure_lead": "The duties of each organ under the regimes that reach this instrument (data/legislation/"
                          "duties.yaml), step by step, beside the agreement's own procedural record: done, not "
                          "done (a source says it did not happen), searched with no record found, or nothing "
                          "recorded.",
        "regime": "Regime", "regime_test": "decided by", "step": "Step", "organ": "Organ",
        "must_precede": "Before", "on_record": "On record", "searched_in": "searched in",
        "duty": "Duty", "other_regimes": "Regimes that do not reach this instrument on its signing date",
        "no_duties": "No duty of the graph applies.",
        "doctrine_lead": "The conclusions of the literature that concern this instrument, each set beside the "
                         "answer of the legal test that decides it.",
        "claim": "Claim", "thesis_says": "The work concludes", "needs": "needs", "graph_finds": "The graph finds",
        "position": "Position", "cites_as_written": "Cites, as written", "means": "meaning",
        "verdict": "Verdict", "no_claims": "No claim of the doctrine layer concerns this instrument.",
        "fails_on": "fails on",
        "diagram_lead": "The agreement, its parties, their states and organs, and the provisions of the conditions "
                        "that are violated or not evidenced on the signing date.",
        "legend_violated": "violated", "legend_not_evidenced": "not evidenced",
        "bibliography_lead": "Every source the facts and conclusions of this dossier rest on. Grades: primary (the "
                             "regulation's own text or an official copy), secondary (news, a city's page, a thesis), "
                             "unverified.",
        "published": "published", "publisher": "publisher", "kind_src": "kind",
        "generated": "Generated by sistercity-kg {version} on {date} from the knowledge graph ({triples} triples). "
                     "Every fact carries its source and grade; where nothing is known, the graph says nothing.",
        "open_dossier": "dossier", "agreements": "agreements", "tests": "Tests",
        "legend": "Legend", "record_searched": "searched, no record found",
        "timeline_caption": "Timeline of {title}", "diagram_caption": "Graph neighbourhood of {title}",
        "framework_line": "{label}: {what}", "fw_from": "in force", "fw_until": "end of force",
        "term_end": "end of term", "lane_this": "this instrument",
    },
    "id": {
        "lang_name": "Bahasa Indonesia", "other_lang_name": "English", "dossier": "Berkas hukum",
        "register": "Daftar perjanjian kerja sama luar negeri",
        "register_lead": "Setiap perjanjian dalam daftar, dengan jawaban setiap uji hukum pada hari "
                         "penandatanganannya. Buka perjanjian untuk melihat berkasnya.",
        "toc": "Daftar isi", "back": "Daftar",
        "s_summary": "Ringkasan", "s_instrument": "Instrumen", "s_timeline": "Lini masa",
        "s_matrix": "Matriks penilaian", "s_procedure": "Prosedur: apa yang diwajibkan dan apa yang tercatat",
        "s_doctrine": "Doktrin: skripsi di samping graf", "s_diagram": "Perjanjian dalam graf",
        "s_bibliography": "Daftar pustaka",
        "id": "Pengenal", "iri": "IRI", "title": "Judul", "kind": "Dinilai sebagai", "written": "Bentuk tertulis",
        "governing_law": "Hukum yang dinyatakan berlaku", "designations": "Sebutan", "name": "Nama",
        "language": "Bahasa", "used_by": "Dipakai oleh", "parties": "Para pihak", "party": "Pihak",
        "level": "Tingkat", "party_kind": "Jenis", "state": "Negara", "region_within": "Dalam wilayah", "signatory": "Penanda tangan",
        "signatories": "Penanda tangan", "post": "Jabatan", "head_of_region": "kepala daerah",
        "signature": "Penandatanganan", "date": "Tanggal", "place": "Tempat", "venue": "Lokasi",
        "relation_on_date": "Hubungan diplomatik pada hari itu",
        "relation_not_recorded": "tidak ada selang tercatat yang mencakup tanggal itu (belum terbukti)",
        "witnesses": "Saksi", "fields": "Bidang kerja sama", "term": "Jangka waktu", "years": "tahun",
        "until": "sampai", "terminated": "Diakhiri", "renews": "Memperbarui", "renewed_by": "Diperbarui oleh",
        "implements": "Melaksanakan", "implemented_by": "Dilaksanakan oleh", "amends": "Mengubah",
        "amended_by": "Diubah oleh", "codes": "Kode", "none_recorded": "tidak ada yang dicatat",
        "unknown": "tidak diketahui", "yes": "ya", "case_note": "Catatan penyunting dari berkas kasus",
        "reading": "Bacaan yang dinilai", "signed_on": "Ditandatangani", "in_force_today": "Berlaku hari ini",
        "today": "Hari ini", "signing_date": "Tanggal penandatanganan",
        "answers_on": "Jawaban pada tanggal penandatanganan",
        "findings": "Temuan pokok pada tanggal penandatanganan", "violated_conds": "Syarat yang dilanggar",
        "unsettled_conds": "Syarat yang tidak ada buktinya (tidak ada catatan apa pun)",
        "steps_on_record": "Langkah prosedur rezim yang berlaku",
        "timeline_lead": "Segala yang bertanggal bagi instrumen ini dan instrumen yang memperbarui, melaksanakan "
                         "atau mengubahnya (atau yang diperbaruinya). Garis putus-putus menandai hari suatu kerangka "
                         "hukum mulai atau berhenti berlaku.",
        "num": "No.", "no": "tidak", "event": "Peristiwa", "instrument": "Instrumen", "sources": "Sumber", "type": "Jenis",
        "no_dates": "Tidak ada catatan bertanggal.",
        "matrix_lead": "Setiap uji hukum dari setiap kerangka, diajukan dua kali: per tanggal penandatanganan (cara "
                       "instrumen dibuat dinilai menurut hukum hari itu) dan per hari ini (tanggal kemudian hanya "
                       "mengubah apakah instrumen masih berlaku dan kewajiban berkelanjutan mana yang berlaku). "
                       "Suatu syarat 'tidak ada bukti' bila graf tidak memuat catatan apa pun; hal itu tidak pernah "
                       "dilaporkan sebagai pelanggaran.",
        "framework": "Kerangka", "in_force_from": "berlaku sejak", "in_force_until": "sampai",
        "test": "Uji", "question": "Pertanyaan", "condition": "Syarat", "article": "Pasal yang dirujuk",
        "status_signing": "Tanggal penandatanganan", "status_today": "Hari ini", "weakest": "Sumber terlemah",
        "answer": "Jawaban", "text": "Teks", "gloss": "Glosa bahasa Inggris", "show_text": "teks",
        "s_sides": "Sisi kedua pihak", "partner_law": "sisi pihak mitra",
        "side_indonesia": "Pihak Indonesia dan instrumennya (hukum Indonesia dan hukum internasional)",
        "side_partner": "Sisi pihak mitra (hukum negaranya sendiri)",
        "sides_lead": "Setiap pihak menurut hukumnya sendiri, per tanggal penandatanganan dan hari ini. Uji hukum "
                      "negara mitra tidak berlaku bila tidak ada pihak yang merupakan pemerintah daerah negara itu.",
        "no_partner_test": "Belum ada kerangka hukum negara mitra ini yang dimodelkan.",
        "register_entry": "Register kemitraan", "register_listed": "tercantum", "register_not_listed": "tidak tercantum",
        "register_as_of": "per", "register_date": "tanggal yang dicatat", "register_criteria": "memenuhi kriterianya",
        "register_criteria_unknown": "kriteria tidak dinyatakan catatan itu",
        "no_text": "Graf tidak memuat teks ketentuan ini.", "why_today": "hari ini",
        "test_reason": "Alasan", "conditions": "syarat", "no_source": "tidak ada",
        "procedure_lead": "Kewajiban setiap organ menurut rezim yang menjangkau instrumen ini (data/legislation/"
                          "duties.yaml), langkah demi langkah, di samping catatan prosedur perjanjian itu sendiri: "
                          "dilakukan, tidak dilakukan (suatu sumber menyatakan tidak terjadi), dicari tetapi tidak "
                          "ada catatan, atau tidak ada yang dicatat.",
        "regime": "Rezim", "regime_test": "ditentukan oleh", "step": "Langkah", "organ": "Organ",
        "must_precede": "Sebelum", "on_record": "Catatan", "searched_in": "dicari dalam",
        "duty": "Kewajiban", "other_regimes": "Rezim yang tidak menjangkau instrumen ini pada tanggal "
                                              "penandatanganannya",
        "no_duties": "Tidak ada kewajiban dalam graf yang berlaku.",
        "doctrine_lead": "Kesimpulan literatur yang menyangkut instrumen ini, masing-masing di samping jawaban uji "
                         "hukum yang memutusnya.",
        "claim": "Klaim", "thesis_says": "Karya itu menyimpulkan", "needs": "memerlukan",
        "graph_finds": "Temuan graf", "position": "Posisi", "cites_as_written": "Merujuk, sebagaimana tertulis",
        "means": "maksudnya", "verdict": "Penilaian",
        "no_claims": "Tidak ada klaim dalam lapisan doktrin yang menyangkut instrumen ini.",
        "fails_on": "gagal pada",
        "diagram_lead": "Perjanjian, para pihaknya, negara dan organ mereka, serta ketentuan dari syarat yang "
                        "dilanggar atau tidak ada buktinya pada tanggal penandatanganan.",
        "legend_violated": "dilanggar", "legend_not_evidenced": "tidak ada bukti",
        "bibliography_lead": "Setiap sumber yang menjadi dasar fakta dan kesimpulan berkas ini. Derajat: primer "
                             "(teks peraturan itu sendiri atau salinan resmi), sekunder (berita, laman kota, "
                             "skripsi), belum diverifikasi.",
        "published": "terbit", "publisher": "penerbit", "kind_src": "jenis",
        "generated": "Dibuat oleh sistercity-kg {version} pada {date} dari graf pengetahuan ({triples} tripel). "
                     "Setiap fakta membawa sumber dan derajatnya; bila tidak ada yang diketahui, graf tidak "
                     "menyatakan apa pun.",
        "open_dossier": "berkas", "agreements": "perjanjian", "tests": "Uji",
        "legend": "Keterangan", "record_searched": "dicari, tidak ada catatan",
        "timeline_caption": "Lini masa {title}", "diagram_caption": "Lingkungan graf {title}",
        "framework_line": "{label}: {what}", "fw_from": "mulai berlaku", "fw_until": "berhenti berlaku",
        "term_end": "akhir jangka waktu", "lane_this": "instrumen ini",
    },
}
RECORD_WORDS = {"en": {"done": "done", "not-done": "not done", "no-record": "searched, no record found",
                       "absent": "nothing recorded"},
                "id": {"done": "dilakukan", "not-done": "tidak dilakukan", "no-record": "dicari, tidak ada catatan",
                       "absent": "tidak ada yang dicatat"}}
POSITION_WORDS = {"en": {"supported": "supported", "contested": "contested", "undetermined": "undetermined",
                         "miscited": "supported but mis-cited"},
                  "id": {"supported": "didukung", "contested": "dibantah", "undetermined": "belum dapat dinilai",
                         "miscited": "didukung tetapi salah rujuk"}}
MARK = {"satisfied": "✓", "violated": "✗", "not-evidenced": "?", "not-applicable": "–",
        "yes": "✓", "no": "✗", "undetermined": "?"}


# ------------------------------------------------------------------------------------------------ small helpers
def local(node) -> str:
    return re.split(r"[/#]", str(node).rstrip("/"))[-1]


def strip_qualifier(text: str) -> str:
    """'signature (event type)' → 'signature': the qualifier that keeps labels unique is noise on a page."""
    return re.sub(r"\s+\([^()]*\)$", "", text)


def strip_case_suffix(text: str, aid: str) -> str:
    return text[: -len(f" ({aid})")] if text.endswith(f" ({aid})") else text


def fmt_date(value, lang: str, precision: str = "day") -> str:
    if value is None:
        return ""
    if isinstance(value, Literal):
        value = value.toPython()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    months = MONTHS[lang]
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{months[value.month - 1]} {value.year}"
    return f"{value.day} {months[value.month - 1]} {value.year}"


def natural_key(iri: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(iri))]


class Labels:
    """Labels of any node of the graph in a language (falling back to English, Indonesian, any)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._cache: dict = {}

    def __call__(self, node, lang: str, qualifier: bool = True) -> str:
        if node is None:
            return ""
        key = (node, lang)
        if key not in self._cache:
            found: dict[str, str] = {}
            for o in self.graph.objects(node, RDFS.label):
                found.setdefault(o.language or "", str(o))
            text = (found.get(lang) or found.get("en") or found.get("id") or found.get("")
                    or next(iter(found.values()), None) or local(node))
            self._cache[key] = text
        return self._cache[key] if qualifier else strip_qualifier(self._cache[key])

    def native(self, node, langs=("ja", "ko", "zh", "de", "ru", "ar")) -> str | None:
        for o in self.graph.objects(node, RDFS.label):
            if o.language in langs:
                return str(o)
        return None

    def lang_literal(self, node, prop, lang: str) -> str | None:
        found = {o.language or "": str(o) for o in self.graph.objects(node, prop) if isinstance(o, Literal)}
        return found.get(lang) or found.get("en") or found.get("") or next(iter(found.values()), None)


# ------------------------------------------------------------------------------------------------ bibliography
class Bibliography:
    """The sources a dossier rests on: collected while the facts are gathered, numbered once (by grade, then
    title), cited in the pages as [n] links to the list at the end."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.iris: set[str] = set()
        self.number: dict[str, int] = {}
        self.entries: list[dict] = []

    def sources_of(self, *nodes) -> list[str]:
        out = set()
        for n in nodes:
            if n is None:
                continue
            out |= {str(s) for s in self.graph.objects(n, SCKG.attestedBy)}
        return self.add(out)

    def add(self, iris) -> list[str]:
        iris = sorted({str(i) for i in iris if i})
        self.iris.update(iris)
        return iris

    def finish(self) -> None:
        g = self.graph
        rows = []
        for iri in self.iris:
            node = URIRef(iri)
            grade = g.value(node, SCKG.grade)
            grade = str(g.value(grade, SKOS.notation) or local(grade)) if grade is not None else "unverified"
            kind = g.value(node, SCKG.sourceKind)
            rows.append({"iri": iri, "id": local(iri),
                         "title": str(g.value(node, URIRef("http://purl.org/dc/terms/title")) or local(iri)),
                         "url": str(g.value(node, SCKG.url) or "") or None, "grade": grade,
                         "kind": local(kind) if kind is not None else None,
                         "publisher": str(g.value(node, URIRef("http://purl.org/dc/terms/publisher")) or "") or None,
                         "published": g.value(node, SCKG.published)})
        rows.sort(key=lambda r: (GRADE_ORDER.get(r["grade"], 3), r["title"].casefold(), r["iri"]))
        for n, r in enumerate(rows, 1):
            r["n"] = n
            self.number[r["iri"]] = n
        self.entries = rows

    def cite(self, iris) -> Markup:
        nums = sorted({self.number[str(i)] for i in iris or [] if str(i) in self.number})
        if not nums:
            return Markup("")
        links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in nums)
        return Markup(f'<sup class="cite">[{links}]</sup>')

    def grade_of(self, iris) -> str | None:
        grades = [e["grade"] for e in self.entries if e["iri"] in {str(i) for i in iris or []}]
        return max(grades, key=lambda g: GRADE_ORDER.get(g, 3)) if grades else None


# ------------------------------------------------------------------------------------------------ the run
@dataclass
class Run:
    """Everything the pages of one report share: the graph, the two assessments, the query backend."""

    kg: object
    graph: Graph
    labels: Labels
    catalogue: object
    signing: dict
    today: dict
    today_date: dt.date
    backend: object
    frameworks: dict
    version: str
    files: dict = field(default_factory=dict)   # file name → bytes


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("sistercity-kg")
    except Exception:
        return "0"


def _frameworks(graph: Graph, labels: Labels) -> dict[str, dict]:
    out = {}
    for f in graph.subjects(RDF.type, SCKG.LegalFramework):
        out[str(f)] = {"iri": str(f), "id": str(graph.value(f, SCKG.frameworkId) or local(f)),
                       "label": {lang: labels(f, lang) for lang in LANGS},
                       "from": graph.value(f, SCKG.inForceFrom), "until": graph.value(f, SCKG.inForceUntil),
                       "instrument": graph.value(f, SCKG.frameworkInstrument),
                       # a partner state's law judges the party in that state, not the Indonesian one
                       "partner_state": graph.value(f, SCKG.judgesPartyIn)}
    return out


def prepare(kg=None, ids: list[str] | None = None, today: dt.date | None = None) -> Run:
    """Load (unless given), assess the register as of each signature and the chosen agreements as of today."""
    from .assess import assess, catalogue_of
    from .dataset import load
    from .sparql import Embedded

    kg = kg if kg is not None else load()
    for aid in ids or []:
        if aid not in kg.agreements:
            raise InputError(None, None, f"unknown agreement id {aid!r}; known ids: {', '.join(sorted(kg.agreements))}")
    today = today or dt.date.today()
    signing = {a.question.aid: a for a in assess(kg, None, "signing")}
    on_today = {a.question.aid: a for a in assess(kg, list(ids or sorted(kg.agreements)), today)}
    graph = kg.union()
    labels = Labels(graph)
    return Run(kg, graph, labels, catalogue_of(kg), signing, on_today, today, Embedded(kg),
               _frameworks(graph, labels), _version())


# ------------------------------------------------------------------------------------------------ provisions
def provision_info(run: Run, iri: str, lang: str, depth: int = 0) -> dict:
    g, node = run.graph, URIRef(iri)
    label = run.labels.lang_literal(node, SCKG.citationLabel, lang) or local(iri)
    text_lit = next(iter(g.objects(node, SCKG.text)), None)
    info = {"iri": iri, "citation": label,
            "heading": run.labels.lang_literal(node, SCKG.heading, lang),
            "text": str(text_lit) if text_lit is not None else None,
            "text_lang": (text_lit.language if isinstance(text_lit, Literal) else None) or "id",
            "gloss": run.labels.lang_literal(node, SCKG.gloss, "en"), "parts": []}
    # a gloss in the page's own language, where one is recorded (the Indonesian gloss of a Japanese text)
    own = {o.language: str(o) for o in g.objects(node, SCKG.gloss) if isinstance(o, Literal)}.get(lang)
    info["gloss_own"] = own if lang != "en" and own and own != info["gloss"] else None
    if info["text"] is None and depth < 3:
        children = sorted({str(c) for c in g.subjects(ELI.is_part_of, node)}, key=natural_key)
        info["parts"] = [provision_info(run, c, lang, depth + 1) for c in children
                         if "/penjelasan/" not in c[len(iri):]]
    return info


# ------------------------------------------------------------------------------------------------ one dossier
def _date_of(g: Graph, node):
    d = g.value(node, SCKG.onDate)
    prec = g.value(node, SCKG.datePrecision)
    return (d.toPython() if d is not None else None), (local(prec) if prec is not None else "day")


def family(g: Graph, a: URIRef) -> list[URIRef]:
    """The agreement, those that renew, implement or amend it (and so on), and those it renews, implements,
    amends (and so on)."""
    links = (SCKG.renews, SCKG.implementsAgreement, SCKG.amendsAgreement)
    seen, todo = [a], [a]
    while todo:
        x = todo.pop()
        for p in links:
            for y in list(g.subjects(p, x)) + list(g.objects(x, p)):
                if y not in seen and (y, RDF.type, SCKG.Agreement) in g:
                    seen.append(y)
                    todo.append(y)
    return seen


def _agreement_date(g: Graph, a) -> dt.date | None:
    s = g.value(a, SCKG.signing)
    d = g.value(s, SCKG.onDate) if s is not None else None
    return d.toPython() if d is not None else None


class Dossier:
    """The facts of one agreement, gathered once for both languages (labels are looked up per language)."""

    def __init__(self, run: Run, aid: str):
        self.run, self.aid = run, aid
        self.g = g = run.graph
        self.a = a = ID["agreement/" + aid]
        self.bib = Bibliography(g)
        self.signing_assessment = run.signing[aid]
        self.today_assessment = run.today.get(aid)
        s = g.value(a, SCKG.signing)
        self.signing_node = s
        self.signed, self.signed_precision = _date_of(g, s) if s is not None else (None, "day")
        self.agreement_sources = self.bib.sources_of(a)
        self.family = family(g, a)

    # -------------------------------------------------------------------- the instrument
    def instrument(self, lang: str) -> dict:
        g, L, bib, a = self.g, self.run.labels, self.bib, self.a
        kind = g.value(a, SCKG.instrumentKind)
        law = g.value(a, SCKG.governingLaw)
        written = g.value(a, SCKG.writtenForm)
        designations = []
        for d in sorted(g.objects(a, SCKG.hasDesignation), key=natural_key):
            text = g.value(d, SCKG.designationText)
            user = g.value(d, SCKG.usedBy)
            designations.append({"text": str(text), "lang": (text.language if isinstance(text, Literal) else "") or "",
                                 "used_by": L(user, lang) if user is not None else
                                 (str(g.value(d, SCKG.usedByName) or "") or None),
                                 "sources": bib.sources_of(d)})
        parties = []
        for p in g.objects(a, SCKG.hasParty):
            state = g.value(p, SCKG.inState)
            within = g.value(p, SCKG.withinRegion)
            sigs = []
            for s in sorted(g.objects(a, SCKG.hasSignatory), key=natural_key):
                if g.value(s, SCKG.onBehalfOf) != p:
                    continue
                person, post = g.value(s, SCKG.person), g.value(s, SCKG.inPost)
                sigs.append({"person": L(person, lang) if person is not None else "",
                             "post": L(post, lang) if post is not None else str(g.value(s, SCKG.postLabel) or ""),
                             "post_as_written": str(g.value(s, SCKG.postLabel) or ""),
                             "head": g.value(s, SCKG.headOfRegion) == Literal(True),
                             "sources": bib.sources_of(s)})
            codes = [(n, str(v)) for n, prop in (("Wikidata", SCKG.wikidataId), ("Kemendagri", SCKG.kemendagriCode),
                                                 ("JIS", SCKG.jisCode), ("ISO", SCKG.isoCode))
                     for v in g.objects(p, prop)]
            parties.append({"iri": str(p), "name": L(p, lang),
                            "native": None if state is not None and local(state) == "indonesia" else L.native(p),
                            "kind": L(g.value(p, SCKG.partyKind), lang, False) if g.value(p, SCKG.partyKind) else "",
                            "level": L(g.value(p, SCKG.level), lang, False) if g.value(p, SCKG.level) else "",
                            "state": L(state, lang) if state is not None else "",
                            "indonesian": state is not None and local(state) == "indonesia",
                            "within": L(within, lang) if within is not None else "",
                            "codes": codes, "signatories": sigs, "sources": bib.sources_of(p, state)})
        parties.sort(key=lambda p: (not p["indonesian"], p["name"]))
        witnesses = []
        for w in sorted(g.objects(a, SCKG.hasWitness), key=natural_key):
            person, post = g.value(w, SCKG.person), g.value(w, SCKG.inPost)
            witnesses.append({"person": L(person, lang) if person is not None else "",
                              "post": L(post, lang) if post is not None else "",
                              "post_as_written": str(g.value(w, SCKG.postLabel) or ""), "sources": bib.sources_of(w)})
        fields = sorted(L(f, lang, False) for f in g.objects(a, SCKG.hasField))
        s = self.signing_node
        venue = g.value(s, SCKG.venue) if s is not None else None
        signing = {"date": fmt_date(self.signed, lang, self.signed_precision) if self.signed else None,
                   "iso": self.signed.isoformat() if self.signed else None,
                   "place": str(g.value(s, SCKG.place) or "") or None if s is not None else None,
                   "venue": L(venue, lang) if venue is not None else None,
                   "sources": bib.sources_of(s, venue) if s is not None else []}
        signing["relations"] = self.relations_on_signing(lang, parties)
        term = None
        if g.value(a, SCKG.termYears) is not None:
            term = f"{int(g.value(a, SCKG.termYears))} {W[lang]['years']}"
        if g.value(a, SCKG.validUntil) is not None:
            term = f"{W[lang]['until']} {fmt_date(g.value(a, SCKG.validUntil), lang)}"
        terminations = [{"date": fmt_date(g.value(t, SCKG.onDate), lang), "reason": str(g.value(t, SCKG.reason) or ""),
                         "sources": bib.sources_of(t)} for t in g.objects(a, SCKG.terminatedBy)]
        links = []
        for key, prop, inverse in (("renews", SCKG.renews, False), ("renewed_by", SCKG.renews, True),
                                   ("implements", SCKG.implementsAgreement, False),
                                   ("implemented_by", SCKG.implementsAgreement, True),
                                   ("amends", SCKG.amendsAgreement, False), ("amended_by", SCKG.amendsAgreement, True)):
            others = g.subjects(prop, a) if inverse else g.objects(a, prop)
            for o in sorted(others):
                oid = str(g.value(o, SCKG.agreementId) or local(o))
                d = _agreement_date(g, o)
                links.append({"key": key, "label": W[lang][key], "id": oid, "title": L(o, lang),
                              "date": fmt_date(d, lang) if d else "", "sources": bib.sources_of(o)})
        note = g.value(a, SCKG.editorialNote)
        return {"title": L(a, lang), "iri": str(a), "id": self.aid, "kind": L(kind, lang, False) if kind else "",
                "kind_id": local(kind) if kind is not None else None,
                "written": None if written is None else bool(written.toPython()),
                "governing_law": L(law, lang, False) if law is not None else None,
                "designations": designations, "parties": parties, "witnesses": witnesses, "fields": fields,
                "field_sources": self.agreement_sources, "signing": signing, "term": term,
                "terminations": terminations, "links": links, "note": str(note) if note is not None else None,
                "case_file": str(g.value(a, SCKG.caseFile) or ""), "sources": self.agreement_sources}

    def relations_on_signing(self, lang: str, parties: list[dict]) -> list[dict]:
        """Indonesia's diplomatic relations with each foreign party's state on the signing date: the recorded
        interval that covers it, whether or not a framework of that date asks (PP 28/2018 Pasal 27(1)(a))."""
        g, L, bib = self.g, self.run.labels, self.bib
        if self.signed is None:
            return []
        day = self.signed
        out, seen = [], set()
        for p in parties:
            state = g.value(URIRef(p["iri"]), SCKG.inState)
            if state is None or p["indonesian"] or state in seen:
                continue
            seen.add(state)
            covering = []
            for rel in g.subjects(SCKG.relationBetween, state):
                if not any(g.value(o, SCKG.isoCode) == Literal("ID") for o in g.objects(rel, SCKG.relationBetween)):
                    continue
                for iv in sorted(g.objects(rel, SCKG.hasInterval), key=natural_key):
                    start, end = g.value(iv, SCKG.since), g.value(iv, SCKG.until)
                    if (start is None or start.toPython() <= day) and (end is None or day < end.toPython()):
                        covering.append({"text": L.lang_literal(iv, SCKG.intervalText, lang) or local(iv),
                                         "status": local(g.value(iv, SCKG.relationStatus)),
                                         "sources": bib.sources_of(iv)})
            out.append({"state": L(state, lang), "intervals": covering})
        return out

    # -------------------------------------------------------------------- the timeline
    def timeline_items(self, lang: str) -> list[dict]:
        g, L, bib = self.g, self.run.labels, self.bib
        items = []
        for x in self.family:
            xid = str(g.value(x, SCKG.agreementId) or local(x))
            s = g.value(x, SCKG.signing)
            if s is not None:
                d, prec = _date_of(g, s)
                if d:
                    kind = g.value(x, SCKG.instrumentKind)
                    place = g.value(s, SCKG.place)
                    desc = f"{W[lang]['signature']}: {L(x, lang)}"
                    items.append({"date": d, "precision": prec, "kind": "signature", "agreement": xid,
                                  "type": (L(kind, lang, False) if kind is not None else W[lang]["signature"]),
                                  "label": desc, "place": str(place) if place is not None else "",
                                  "sources": bib.sources_of(s)})
            for e in g.objects(x, SCKG.hasEvent):
                d, prec = _date_of(g, e)
                if not d:
                    continue
                et = g.value(e, SCKG.eventType)
                items.append({"date": d, "precision": prec, "kind": "event", "agreement": xid,
                              "type": L(et, lang, False) if et is not None else "",
                              "label": strip_case_suffix(L(e, lang), xid),
                              "place": str(g.value(e, SCKG.place) or ""), "sources": bib.sources_of(e)})
            for st in g.objects(x, SCKG.hasStep):
                d, prec = _date_of(g, st)
                if not d:
                    continue
                step = g.value(st, SCKG.stepType)
                items.append({"date": d, "precision": prec, "kind": "step", "agreement": xid,
                              "type": L(step, lang, False) if step is not None else "",
                              "label": strip_case_suffix(L(st, lang), xid), "place": "",
                              "sources": bib.sources_of(st)})
            for t in g.objects(x, SCKG.terminatedBy):
                d, prec = _date_of(g, t)
                if d:
                    items.append({"date": d, "precision": prec, "kind": "termination", "agreement": xid,
                                  "type": W[lang]["terminated"], "label": str(g.value(t, SCKG.reason) or ""),
                                  "place": "", "sources": bib.sources_of(t)})
            start = _agreement_date(g, x)
            end = g.value(x, SCKG.validUntil)
            end = end.toPython() if end is not None else None
            if end is None and start and g.value(x, SCKG.termYears) is not None:
                try:
                    end = start.replace(year=start.year + int(g.value(x, SCKG.termYears)))
                except ValueError:
                    end = start.replace(year=start.year + int(g.value(x, SCKG.termYears)), day=28)
            if end:
                items.append({"date": end, "precision": "day", "kind": "term-end", "agreement": xid,
                              "type": W[lang]["term_end"], "label": W[lang]["term_end"], "place": "",
                              "sources": bib.sources_of(x)})
        items.sort(key=lambda i: (i["date"], {"event": 0, "step": 1, "signature": 2}.get(i["kind"], 3), i["label"]))
        for n, item in enumerate(items, 1):
            item["n"] = n
            item["date_text"] = fmt_date(item["date"], lang, item["precision"])
        return items

    def framework_lines(self, items: list[dict], lang: str) -> list[dict]:
        if not items:
            return []
        lo = min(i["date"] for i in items)
        hi = max(max(i["date"] for i in items), self.run.today_date)
        lines = []
        for f in self.run.frameworks.values():
            for key, when in (("fw_from", f["from"]), ("fw_until", f["until"])):
                if when is None:
                    continue
                d = when.toPython()
                if lo - dt.timedelta(days=365) <= d <= hi:
                    short = f["label"][lang].split(" (")[0].split(" on ")[0].split(" tentang ")[0]
                    lines.append({"date": d, "label": f"{short}: {W[lang][key]}"})
        return sorted(lines, key=lambda l: l["date"])

    # -------------------------------------------------------------------- the assessment matrix
    def matrix(self, lang: str) -> dict:
        run, bib = self.run, self.bib
        sign, today = self.signing_assessment, self.today_assessment
        today_tests = {tr.test.tid: tr for tr in today.tests} if today else {}
        frameworks: OrderedDict = OrderedDict()
        summary = []
        for tr in sign.tests:
            t = tr.test
            tt = today_tests.get(t.tid)
            fw = run.frameworks.get(t.framework, {"id": local(t.framework), "label": {l: local(t.framework)
                                                                                      for l in LANGS},
                                                  "from": None, "until": None})
            block = frameworks.setdefault(fw["id"], {"id": fw["id"], "label": fw["label"][lang],
                                                     "from": fmt_date(fw["from"], lang) if fw["from"] else None,
                                                     "until": fmt_date(fw["until"], lang) if fw["until"] else None,
                                                     "partner": fw.get("partner_state") is not None,
                                                     "tests": []})
            today_conds = {c.cid: c for c in tt.conditions} if tt else {}
            msgs = {c.messages.get(lang, "") for c in tr.conditions}
            reason = msgs.pop() if tr.answer == "not-applicable" and len(msgs) == 1 else None
            t_msgs = {c.messages.get(lang, "") for c in tt.conditions} if tt else set()
            reason_today = t_msgs.pop() if tt and tt.answer == "not-applicable" and len(t_msgs) == 1 else None
            conditions = []
            for c in tr.conditions:
                ct = today_conds.get(c.cid)
                provs = [provision_info(run, p, lang) for p in c.provisions]
                for p in c.provisions:
                    bib.add(run.graph.objects(URIRef(p), SCKG.attestedBy))
                bib.add(c.sources)
                if ct:
                    bib.add(ct.sources)
                msg = c.messages.get(lang, "")
                msg_today = ct.messages.get(lang, "") if ct else ""
                conditions.append({
                    "cid": c.cid, "label": run.catalogue.conditions[c.condition].labels.get(lang, ""),
                    "status": c.status, "status_today": ct.status if ct else None,
                    "message": msg if msg != reason else "",
                    "message_today": msg_today if ct and msg_today != msg and msg_today != reason_today else "",
                    "provisions": provs, "citation": "; ".join(p["citation"] for p in provs),
                    "grade": c.grade, "grade_today": ct.grade if ct else None, "sources": c.sources,
                })
            entry = {"tid": t.tid, "kind": t.kind, "kind_label": KIND_WORDS[lang][t.kind],
                     "question": t.questions.get(lang, ""), "label": t.labels.get(lang, t.tid),
                     "side": "partner" if fw.get("partner_state") is not None else "indonesia",
                     "framework_label": fw["label"][lang],
                     "answer": tr.answer, "answer_today": tt.answer if tt else None, "reason": reason,
                     "reason_today": reason_today if reason_today != reason else None,
                     "conditions": conditions,
                     "open": not (tr.answer == "not-applicable" and (tt is None or tt.answer == "not-applicable"))}
            block["tests"].append(entry)
            summary.append(entry)
        violated, unsettled = OrderedDict(), OrderedDict()
        for t in summary:
            for c in t["conditions"]:
                if c["status"] == "violated":
                    violated.setdefault(c["cid"], c["citation"])
                elif c["status"] == "not-evidenced":
                    unsettled.setdefault(c["cid"], c["citation"])
        return {"frameworks": list(frameworks.values()), "summary": summary, "sides": self.sides(lang, summary),
                "violated": [{"cid": k, "citation": v} for k, v in violated.items()],
                "not_evidenced": [{"cid": k, "citation": v} for k, v in unsettled.items()],
                "as_of": fmt_date(sign.question.as_of, lang), "today": fmt_date(run.today_date, lang),
                "in_force_today": today.in_force if today else None,
                "in_force_today_reason": today.in_force_reason.get(lang, "") if today else "",
                "reading": sign.notes.get(lang, ""), "reading_today": today.notes.get(lang, "") if today else ""}

    def sides(self, lang: str, summary: list[dict]) -> list[dict]:
        """The two parties' sides of the assessment, to be set next to each other: the Indonesian party and the
        instrument (Indonesian and international law), and the foreign partner under its own state's law (the
        frameworks with sckg:judgesPartyIn), with what a partnership register says of the pair."""
        g, L, bib = self.g, self.run.labels, self.bib
        own, foreign = [], []
        for p in g.objects(self.a, SCKG.hasParty):
            state = g.value(p, SCKG.inState)
            (own if state is not None and local(state) == "indonesia" else foreign).append(L(p, lang))
        registers = []
        for r in sorted(g.objects(self.a, SCKG.hasRegisterEntry), key=natural_key):
            listed, as_of = g.value(r, SCKG.listedInRegister), g.value(r, SCKG.listedAsOf)
            d, prec = _date_of(g, r)
            met = g.value(r, SCKG.meetsRegisterCriteria)
            registers.append({"register": str(g.value(r, SCKG.registerName) or ""),
                              "listed": None if listed is None else bool(listed.toPython()),
                              "as_of": fmt_date(as_of.toPython(), lang) if as_of is not None else None,
                              "date": fmt_date(d, lang, prec) if d else None,
                              "criteria_met": None if met is None else bool(met.toPython()),
                              "note": str(g.value(r, SCKG.editorialNote) or ""), "sources": bib.sources_of(r)})
        steps = []   # the partner's own procedural record (steps partner-…)
        for st in sorted(g.objects(self.a, SCKG.hasStep), key=natural_key):
            kind = g.value(st, SCKG.stepType)
            if kind is None or not local(kind).startswith("partner-"):
                continue
            d, prec = _date_of(g, st)
            record = g.value(st, SCKG.recordStatus)
            steps.append({"label": L(kind, lang, False), "date": fmt_date(d, lang, prec) if d else None,
                          "record": local(record) if record is not None else None,
                          "by": str(g.value(st, SCKG.actedByName) or "") or None, "sources": bib.sources_of(st)})
        return [{"key": "indonesia", "label": W[lang]["side_indonesia"], "parties": sorted(own),
                 "tests": [t for t in summary if t["side"] == "indonesia"], "registers": [], "steps": []},
                {"key": "partner", "label": W[lang]["side_partner"], "parties": sorted(foreign),
                 "tests": [t for t in summary if t["side"] == "partner"], "registers": registers, "steps": steps}]

    # -------------------------------------------------------------------- the procedure (question 4)
    def procedure(self, lang: str, matrix: dict) -> dict:
        from .answer import answer

        run, g, L, bib = self.run, self.g, self.run.labels, self.bib
        answers = {t["tid"]: t["answer"] for t in matrix["summary"]}
        q4 = answer(run.backend, [4], lang, False, {"agreement": [f"<{self.a}>"]})[0]
        steps = {}
        for st in g.objects(self.a, SCKG.hasStep):
            kind = g.value(st, SCKG.stepType)
            if kind is None:
                continue
            d, prec = _date_of(g, st)
            actor = g.value(st, SCKG.actedBy)
            steps[local(kind)] = {"date": fmt_date(d, lang, prec) if d else None,
                                  "by": L(actor, lang) if actor is not None else str(g.value(st, SCKG.actedByName) or ""),
                                  "sources": bib.sources_of(st),
                                  "searched": bib.add(g.objects(st, SCKG.searchedIn)),
                                  "note": str(g.value(st, SCKG.editorialNote) or "")}
        regimes: OrderedDict = OrderedDict()
        for r in q4.rows:
            regime = r["regime"]
            test = REGIME_TEST.get(regime)
            block = regimes.setdefault(regime, {
                "id": regime, "label": L(ID[f"vocab/regime/{regime}"], lang, False), "test": test,
                "answer": answers.get(test), "duties": []})
            provs = (r.get("provisions") or "").split()
            for p in provs:
                bib.add(g.objects(URIRef(p), SCKG.attestedBy))
            rec = steps.get(r["step"], {})
            block["duties"].append({
                "step": r["step"], "step_label": L(ID[f"vocab/step/{r['step']}"], lang, False),
                "organ": strip_qualifier(r["organLabel"]), "citation": r["citation"],
                "provisions": [provision_info(run, p, lang) for p in provs],
                "before": (L(ID[f"vocab/step/{r['before']}"], lang, False) if r.get("before") not in (None, "signature")
                           else (W[lang]["signature"].lower() if r.get("before") == "signature" else None)),
                "description": r.get("description") or "", "record": r["record"],
                "date": rec.get("date"), "by": rec.get("by"), "sources": rec.get("sources", []),
                "searched": rec.get("searched", []), "note": rec.get("note", "")})
        for block in regimes.values():
            block["duties"].sort(key=lambda d: (STEP_ORDER.index(d["step"]) if d["step"] in STEP_ORDER else 99,
                                                d["organ"]))
            block["applies"] = (block["answer"] in ("yes", "undetermined") if block["test"] in SCOPE_TESTS
                                else block["answer"] not in (None, "not-applicable"))
        ordered = sorted(regimes.values(), key=lambda b: (not b["applies"], b["label"]))
        applicable = [b for b in ordered if b["applies"]]
        records = OrderedDict((k, 0) for k in ("done", "not-done", "no-record", "absent"))
        for step in {(d["step"], d["record"]) for b in applicable for d in b["duties"]}:
            records[step[1]] = records.get(step[1], 0) + 1
        return {"applicable": applicable, "other": [b for b in ordered if not b["applies"]],
                "records": {k: v for k, v in records.items() if v}}

    # -------------------------------------------------------------------- doctrine (question 6)
    def doctrine(self, lang: str) -> list[dict]:
        from .answer import answer

        run, g, bib = self.run, self.g, self.bib
        q6 = answer(run.backend, [6], lang, False)[0]
        rows = [r for r in q6.rows if r.get("agreementId") == self.aid]
        claims: OrderedDict = OrderedDict()
        for r in rows:
            c = claims.setdefault(r["number"], {"number": r["number"], "claim": r["claim"], "checks": OrderedDict(),
                                                "citations": OrderedDict()})
            if r.get("test"):
                c["checks"][r["test"]] = {"test": r["test"], "expected": r["expected"], "actual": r["actual"],
                                          "position": r["position"], "failing": r.get("failing") or ""}
            if r.get("asWritten"):
                c["citations"][r["asWritten"]] = {"as_written": r["asWritten"], "meant": r.get("meant"),
                                                  "error": r.get("citationError") == "true"}
        out = []
        for c in claims.values():
            positions = {k["position"] for k in c["checks"].values()}
            verdict = ("contested" if "contested" in positions else "undetermined" if "undetermined" in positions
                       else "supported" if positions else "undetermined")
            if verdict == "supported" and any(x["error"] for x in c["citations"].values()):
                verdict = "miscited"
            out.append({**c, "checks": list(c["checks"].values()), "citations": list(c["citations"].values()),
                        "verdict": verdict})
        if out:   # the works the claims come from
            numbers = {str(c["number"]) for c in out}
            for work, claim in g.subject_objects(SCKG.claims):
                if str(g.value(claim, SCKG.claimNumber)) in numbers:
                    for c in out:
                        if str(c["number"]) == str(g.value(claim, SCKG.claimNumber)):
                            c["work"] = self.run.labels(work, lang)
                            c["sources"] = bib.sources_of(work, claim)
        return out

    # -------------------------------------------------------------------- the diagram's graph
    def neighbourhood(self, lang: str, matrix: dict, procedure: dict) -> dict:
        g, L = self.g, self.run.labels
        nodes: OrderedDict = OrderedDict()
        edges: list[tuple] = []

        def node(n, kind, label=None):
            key = str(n)
            if key not in nodes:
                nodes[key] = {"id": f"n{len(nodes)}", "kind": kind, "label": label or L(n, lang)}
            return nodes[key]["id"]

        a = node(self.a, "agreement", f"{self.aid}\n{self._kind(lang)}")
        for x in self.family:
            if x != self.a:
                node(x, "related", f"{g.value(x, SCKG.agreementId) or local(x)}\n{self._kind(lang, x)}")
        for x in self.family:
            for prop, word in ((SCKG.renews, "renews"), (SCKG.implementsAgreement, "implements"),
                               (SCKG.amendsAgreement, "amends")):
                for o in g.objects(x, prop):
                    if str(o) in nodes:
                        edges.append((nodes[str(x)]["id"], nodes[str(o)]["id"], W[lang][word].lower(), "link"))
        states = set()
        for p in g.objects(self.a, SCKG.hasParty):
            pn = node(p, "party")
            edges.append((a, pn, W[lang]["party"].lower(), "party"))
            st = g.value(p, SCKG.inState)
            if st is not None:
                states.add(st)
                edges.append((pn, node(st, "state"), W[lang]["state"].lower(), "state"))
            for organ in g.subjects(SCKG.organOf, p):
                edges.append((node(organ, "organ"), pn, "organ", "organ"))
        s = self.signing_node
        venue = g.value(s, SCKG.venue) if s is not None else None
        if venue is not None:
            edges.append((a, node(venue, "organ"), W[lang]["venue"].lower(), "venue"))
            vs = g.value(venue, SCKG.organOf)
            if vs is not None:
                edges.append((nodes[str(venue)]["id"], node(vs, "state"), "organ", "organ"))
                states.add(vs)
        # the central organs that must act under the regimes that reach the instrument
        wanted = {d["step"] for b in procedure["applicable"] for d in b["duties"]}
        if wanted:
            for st in list(states):
                for organ in g.subjects(SCKG.organOf, st):
                    role = g.value(organ, SCKG.organRole)
                    if role is not None and local(role) in {"mendagri", "menlu", "president"}:
                        edges.append((node(organ, "organ"), nodes[str(st)]["id"], "organ", "organ"))
        states = sorted(states)
        for rel in g.subjects(RDF.type, SCKG.DiplomaticRelation):
            between = set(g.objects(rel, SCKG.relationBetween))
            if len(between) == 2 and between <= set(states):
                x, y = sorted(between)
                since = g.value(rel, SCKG.since)
                status = g.value(rel, SCKG.relationStatus)
                label = L(status, lang, False) if status is not None else ""
                if since is not None:
                    label += f" ({fmt_date(since, lang)})"
                edges.append((nodes[str(x)]["id"], nodes[str(y)]["id"], label, "relation"))
        worst: dict[str, dict] = {}
        for fw in matrix["frameworks"]:
            for t in fw["tests"]:
                for c in t["conditions"]:
                    if c["status"] not in ("violated", "not-evidenced"):
                        continue
                    for p in c["provisions"]:
                        entry = worst.setdefault(p["iri"], {"status": c["status"], "cids": set(),
                                                            "framework": fw["label"], "citation": p["citation"]})
                        if c["status"] == "violated":
                            entry["status"] = "violated"
                        entry["cids"].add(c["cid"])
        for iri, e in sorted(worst.items(), key=lambda kv: natural_key(kv[0])):
            cids = sorted(e["cids"])
            label = e["citation"] + "\n" + "\n".join(cids[:3]) + ("\n…" if len(cids) > 3 else "")
            nodes[iri] = {"id": f"n{len(nodes)}", "kind": "provision", "label": label, "status": e["status"],
                          "cluster": e["framework"]}
            edges.append((a, nodes[iri]["id"], "", e["status"]))
        seen, unique = set(), []
        for e in edges:
            if e[:2] + (e[3],) not in seen:
                seen.add(e[:2] + (e[3],))
                unique.append(e)
        return {"nodes": list(nodes.values()), "edges": unique}

    def _kind(self, lang: str, x=None) -> str:
        kind = self.g.value(x if x is not None else self.a, SCKG.instrumentKind)
        return self.run.labels(kind, lang, False) if kind is not None else ""


# ------------------------------------------------------------------------------------------------ pictures
def _svg_inline(svg: str) -> str:
    """An SVG document as an element to put inline: no XML prolog, no DOCTYPE, no fixed size (it scales)."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    m = re.search(r"<svg\b[^>]*>", svg)
    if m:
        head = re.sub(r'\s(width|height)="[^"]*"', "", m.group(0))
        svg = svg[: m.start()] + head + svg[m.end():]
    return svg.strip()


KIND_STYLE = {"signature": ("D", "#1f2a44", 11), "event": ("o", "#4a6fa5", 8), "step": ("s", "#2e7d32", 8),
              "termination": ("X", "#b3261e", 10), "term-end": (">", "#8a5a00", 9)}


def timeline_svg(items: list[dict], lines: list[dict], lanes: list[str], this: str, lang: str, salt: str,
                 today: dt.date) -> str:
    """The timeline as SVG, drawn by matplotlib: one lane per instrument, numbered markers (the table beside the
    picture says what each number is), dashed lines where a framework starts or ends."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    rc = {"svg.hashsalt": salt, "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(11, 1.9 + 0.95 * len(lanes)), dpi=100)
        ax = fig.add_subplot()
        lane_y = {lane: len(lanes) - 1 - i for i, lane in enumerate(lanes)}
        dates = [i["date"] for i in items] + [today]
        lo, hi = min(dates), max(dates)
        span = max((hi - lo).days, 60)
        pad = dt.timedelta(days=max(span * 0.04, 20))
        ax.set_xlim(mdates.date2num(lo - pad), mdates.date2num(hi + pad))
        ax.set_ylim(-0.7, len(lanes) - 0.1 + 0.25)
        for lane, y in lane_y.items():
            ax.axhline(y, color="#c5ccd6", lw=1.2, zorder=1)
        ax.set_yticks(list(lane_y.values()),
                      [f"{lane}\n({W[lang]['lane_this']})" if lane == this else lane for lane in lane_y])
        for tick, lane in zip(ax.get_yticklabels(), lane_y):
            tick.set_color("#1f2a44" if lane == this else "#5f6b7a")
            tick.set_fontweight("bold" if lane == this else "normal")
        ax.tick_params(axis="y", length=0, labelsize=8.5)
        label_room = (span + 2 * pad.days) / 5.5   # days one framework label takes, roughly
        taken: list[tuple[float, int]] = []
        for line in lines:
            x = mdates.date2num(line["date"])
            ax.axvline(x, color="#8a94a6", lw=0.9, ls=(0, (4, 3)), zorder=0)
            level = 0
            while any(x - px < label_room and pl == level for px, pl in taken):
                level += 1
            taken.append((x, level))
            ax.text(x, -0.62 + 0.16 * level, " " + line["label"], rotation=0, fontsize=7.2, color="#5f6b7a",
                    va="bottom", ha="left",
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.85})
        ax.axvline(mdates.date2num(today), color="#b3261e", lw=0.9, ls=(0, (1, 2)), zorder=0)
        ax.text(mdates.date2num(today), len(lanes) - 0.1 + 0.2, W[lang]["today"], fontsize=7.5, color="#b3261e",
                ha="center", va="top")
        # numbered labels, lifted in levels so that close events do not overlap
        min_gap = span / 28
        placed: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for item in items:
            y = lane_y.get(item["agreement"], 0)
            x = mdates.date2num(item["date"])
            marker, color, size = KIND_STYLE.get(item["kind"], ("o", "#4a6fa5", 8))
            ax.plot([x], [y], marker=marker, color=color, markersize=size, zorder=3, markeredgecolor="white",
                    markeredgewidth=0.8)
            level = 0
            while any(abs(x - px) < min_gap and pl == level for px, pl in placed[item["agreement"]]):
                level += 1
            placed[item["agreement"]].append((x, level % 4))
            dy = 0.2 + 0.17 * (level % 4)
            ax.plot([x, x], [y, y + dy - 0.04], color="#9aa5b5", lw=0.6, zorder=2)
            ax.text(x, y + dy, str(item["n"]), ha="center", va="bottom", fontsize=7.8, color="white",
                    fontweight="bold", zorder=4,
                    bbox={"boxstyle": "round,pad=0.22", "fc": color, "ec": "none"})
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#8a94a6")
        ax.tick_params(axis="x", colors="#3c4657", labelsize=8)
        handles = []
        from matplotlib.lines import Line2D

        names = {"signature": W[lang]["signature"], "event": W[lang]["event"], "step": W[lang]["step"],
                 "termination": W[lang]["terminated"], "term-end": W[lang]["term_end"]}
        for kind in ("signature", "event", "step", "termination", "term-end"):
            if any(i["kind"] == kind for i in items):
                marker, color, size = KIND_STYLE[kind]
                handles.append(Line2D([], [], marker=marker, color=color, ls="", markersize=size * 0.8,
                                      label=names[kind]))
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.16), ncol=len(handles),
                      frameon=False, fontsize=8)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=True, bbox_inches="tight",
                    pad_inches=0.08)
    return _svg_inline(buf.getvalue())


DIAGRAM_STYLE = {
    "agreement": 'shape=box, style="rounded,filled,bold", fillcolor="#1f2a44", fontcolor="white", color="#1f2a44"',
    "related": 'shape=box, style="rounded,filled,dashed", fillcolor="#e8edf5", color="#1f2a44"',
    "party": 'shape=box, style="rounded,filled", fillcolor="#dbe7f6", color="#4a6fa5"',
    "state": 'shape=box, style="filled", fillcolor="#eef1f5", color="#5f6b7a", peripheries=2',
    "organ": 'shape=box, style="rounded,filled", fillcolor="#f7f8fa", color="#8a94a6", fontsize=9',
    "provision": 'shape=note, style="filled", fillcolor="#fffdf5", color="#8a5a00", fontsize=10',
}
EDGE_STYLE = {"violated": 'color="#b3261e", fontcolor="#b3261e", penwidth=1.4',
              "not-evidenced": 'color="#b07d00", fontcolor="#8a5a00", style=dashed',
              "relation": 'dir=both, color="#5f6b7a", style=dashed',
              "link": 'color="#1f2a44", penwidth=1.2'}


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def diagram_dot(hood: dict) -> str:
    """The neighbourhood in Graphviz's DOT language: provisions (grouped by framework) on the left, pointing into
    the agreement; parties, venue, organs and states to the right."""
    lines = ["digraph G {", '  graph [rankdir=LR, bgcolor="transparent", nodesep=0.18, ranksep=0.5, '
             'fontname="DejaVu Sans", fontsize=10, pad=0.15, newrank=true];',
             '  node [fontname="DejaVu Sans", fontsize=11, margin="0.12,0.05"];',
             '  edge [fontname="DejaVu Sans", fontsize=9, color="#8a94a6", fontcolor="#3c4657", arrowsize=0.6];']
    clusters: dict[str, list[dict]] = OrderedDict()
    for n in hood["nodes"]:
        if n.get("cluster"):
            clusters.setdefault(n["cluster"], []).append(n)
            continue
        lines.append(f'  {n["id"]} [label={_dot_quote(n["label"])}, {DIAGRAM_STYLE[n["kind"]]}];')
    for k, (label, members) in enumerate(clusters.items()):
        lines.append(f'  subgraph cluster_{k} {{ label={_dot_quote(label)}; style="rounded,filled"; '
                     'fillcolor="#fbfbf9"; color="#d8dde5"; fontcolor="#5f6b7a"; fontsize=10; labeljust=l;')
        for n in members:
            border = "#b3261e" if n.get("status") == "violated" else "#b07d00"
            lines.append(f'    {n["id"]} [label={_dot_quote(n["label"])}, {DIAGRAM_STYLE[n["kind"]]}, '
                         f'color="{border}"];')
        lines.append("  }")
    for a, b, label, kind in hood["edges"]:
        style = EDGE_STYLE.get(kind, "")
        if kind in ("violated", "not-evidenced"):   # drawn right to left: provision ← agreement
            lines.append(f'  {b} -> {a} [dir=back{", " + style if style else ""}];')
        else:
            lines.append(f'  {a} -> {b} [label={_dot_quote(label)}{", " + style if style else ""}];')
    lines.append("}")
    return "\n".join(lines)


def diagram_svg(hood: dict, salt: str) -> tuple[str, str]:
    """(SVG, engine): Graphviz's dot where it is installed, else matplotlib with a layered layout."""
    dot = shutil.which("dot")
    if dot:
        proc = subprocess.run([dot, "-Tsvg"], input=diagram_dot(hood).encode("utf-8"), capture_output=True,
                              timeout=60)
        if proc.returncode == 0:
            svg = proc.stdout.decode("utf-8")
            # the page may hold several SVGs: keep Graphviz's element ids unique to this one
            svg = re.sub(r'id="(graph|node|edge)(\d+)"', lambda m: f'id="{salt}-{m.group(1)}{m.group(2)}"', svg)
            return _svg_inline(svg), "graphviz"
    return diagram_matplotlib(hood, salt), "matplotlib"


def diagram_matplotlib(hood: dict, salt: str) -> str:
    """The same neighbourhood drawn by matplotlib, for machines without Graphviz: columns by distance from the
    agreement (provisions on the left, the agreement, its parties and venue, their states and organs)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ids = {n["id"]: n for n in hood["nodes"]}
    column = {"provision": 0, "agreement": 1, "related": 1, "party": 2, "organ": 3, "state": 4}
    cols: dict[int, list[str]] = defaultdict(list)
    for n in hood["nodes"]:
        cols[column[n["kind"]]].append(n["id"])
    rows = max(len(v) for v in cols.values())
    pos = {}
    for c, members in cols.items():
        for i, nid in enumerate(members):
            pos[nid] = (c * 2.4, (rows - 1) / 2 - i + (len(members) - 1) / 2 - (rows - 1) / 2)
    colors = {"agreement": "#1f2a44", "related": "#e8edf5", "party": "#dbe7f6", "state": "#eef1f5",
              "organ": "#f7f8fa", "provision": "#fffdf5"}
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(12, max(3, 0.55 * rows + 1)))
        ax = fig.add_subplot()
        for a, b, label, kind in hood["edges"]:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            color = {"violated": "#b3261e", "not-evidenced": "#b07d00"}.get(kind, "#8a94a6")
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 0.8, "shrinkA": 18, "shrinkB": 18})
            if label:
                ax.text((x1 + x2) / 2, (y1 + y2) / 2, label.split("\n")[0], fontsize=6.5, color=color,
                        ha="center", va="center")
        for nid, (x, y) in pos.items():
            n = ids[nid]
            ax.text(x, y, n["label"], ha="center", va="center", fontsize=7.5,
                    color="white" if n["kind"] == "agreement" else "#1f2a44",
                    bbox={"boxstyle": "round,pad=0.35", "fc": colors[n["kind"]], "ec": "#8a94a6"})
        ax.set_xlim(-1.3, max(column.values()) * 2.4 + 1.3)
        ax.set_ylim(-rows / 2 - 0.5, rows / 2 + 0.5)
        ax.axis("off")
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=True)
    return _svg_inline(buf.getvalue())


# ------------------------------------------------------------------------------------------------ pages
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("sistercity_kg", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(STATUS_WORDS=STATUS_WORDS, ANSWER_WORDS=ANSWER_WORDS, RECORD_WORDS=RECORD_WORDS,
                       GRADE_WORDS=GRADE_WORDS, POSITION_WORDS=POSITION_WORDS, MARK=MARK)
    return env


def dossier_pages(run: Run, aid: str, env) -> dict[str, bytes]:
    d = Dossier(run, aid)
    contexts = {}
    for lang in LANGS:   # gather first (the bibliography is numbered once all facts are in) …
        matrix = d.matrix(lang)
        procedure = d.procedure(lang, matrix)
        items = d.timeline_items(lang)
        lanes = [str(run.graph.value(x, SCKG.agreementId) or local(x)) for x in d.family]
        lanes = [aid] + sorted({i["agreement"] for i in items} - {aid}, key=lambda x: lanes.index(x))
        contexts[lang] = {"instrument": d.instrument(lang), "matrix": matrix, "procedure": procedure,
                          "doctrine": d.doctrine(lang), "timeline": items,
                          "timeline_lines": d.framework_lines(items, lang), "lanes": lanes,
                          "hood": d.neighbourhood(lang, matrix, procedure)}
    d.bib.finish()
    files = {}
    for lang in LANGS:   # … then draw and render
        c = contexts[lang]
        salt = f"{aid}-{lang}"
        c["timeline_svg"] = Markup(timeline_svg(c["timeline"], c["timeline_lines"], c["lanes"], aid, lang,
                                                f"{salt}-timeline", run.today_date)) if c["timeline"] else None
        svg, engine = diagram_svg(c["hood"], f"{salt}-graph")
        c["diagram_svg"], c["diagram_engine"] = Markup(svg), engine
        other = "id" if lang == "en" else "en"
        html = env.get_template("dossier.html.j2").render(
            lang=lang, other=other, w=W[lang], aid=aid, bib=d.bib, cite=d.bib.cite, in_force_words=IN_FORCE_WORDS[lang],
            page=f"{aid}.{lang}.html", other_page=f"{aid}.{other}.html", index=f"index.{lang}.html",
            generated=_generated(run, lang), **c)
        files[f"{aid}.{lang}.html"] = html.encode("utf-8")
    return files


def _generated(run: Run, lang: str) -> str:
    return W[lang]["generated"].format(version=run.version, date=fmt_date(run.today_date, lang),
                                       triples=len(run.graph))


def index_rows(run: Run, lang: str, linked: set[str]) -> list[dict]:
    g, L = run.graph, run.labels
    rows = []
    for aid in sorted(run.kg.agreements):
        a = ID["agreement/" + aid]
        parties = sorted(g.objects(a, SCKG.hasParty),
                         key=lambda p: (local(g.value(p, SCKG.inState) or "") != "indonesia", L(p, lang)))
        kind = g.value(a, SCKG.instrumentKind)
        signed = _agreement_date(g, a)
        s = g.value(a, SCKG.signing)
        prec = g.value(s, SCKG.datePrecision) if s is not None else None
        sa = run.signing.get(aid)
        rows.append({"id": aid, "title": L(a, lang), "parties": [L(p, lang) for p in parties],
                     "date": fmt_date(signed, lang, local(prec) if prec is not None else "day") if signed else "",
                     "iso": signed.isoformat() if signed else "", "kind": L(kind, lang, False) if kind else "",
                     "answers": {tr.test.tid: tr.answer for tr in sa.tests} if sa else {},
                     "link": f"{aid}.{lang}.html" if aid in linked else None,
                     "case_file": run.kg.agreements[aid]})
    rows.sort(key=lambda r: (r["iso"] or "9999", r["id"]))
    return rows


def index_pages(run: Run, env, linked: set[str]) -> dict[str, bytes]:
    files = {}
    tests = [{"tid": t.tid, "label": t.labels, "question": t.questions} for t in run.catalogue.tests]
    for lang in LANGS:
        other = "id" if lang == "en" else "en"
        rows = index_rows(run, lang, linked)
        counts = {tid: {a: sum(1 for r in rows if r["answers"].get(tid) == a) for a in ANSWERS}
                  for tid in (t["tid"] for t in tests)}
        html = env.get_template("index.html.j2").render(
            lang=lang, other=other, w=W[lang], rows=rows, tests=tests, counts=counts,
            charts=register_charts(run.backend, lang),
            page=f"index.{lang}.html", other_page=f"index.{other}.html", index=f"index.{lang}.html",
            generated=_generated(run, lang))
        files[f"index.{lang}.html"] = html.encode("utf-8")
    return files


def render_report(run: Run, ids: list[str] | None = None, existing: set[str] | None = None) -> dict[str, bytes]:
    """File name → bytes: the dossiers of `ids` (all of the register when none), and the index of the register
    (linking the dossiers written now and those already in the folder)."""
    env = environment()
    ids = list(ids) if ids else sorted(run.kg.agreements)
    files: dict[str, bytes] = {}
    for aid in ids:
        files.update(dossier_pages(run, aid, env))
    files.update(index_pages(run, env, set(ids) | (existing or set())))
    return files


def build_report(out_dir: Path | str, ids: list[str] | None = None, kg=None, today: dt.date | None = None,
                 lang: str = "en") -> list[Path]:
    """Write the dossiers and the index into `out_dir` (created if missing); returns the paths written.

    Everything is rendered before the first file is written, and each file goes through a temporary file and a
    rename, so an error leaves the folder as it was (no half-written page)."""
    out = Path(out_dir)
    run = prepare(kg, ids, today)
    existing = {p.name[: -len(".en.html")] for p in out.glob("*.en.html")} & set(run.kg.agreements) \
        if out.is_dir() else set()
    files = render_report(run, ids, existing)
    files["index.html"] = files[f"index.{lang}.html"]
    return write_files(out, files)


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file through a temporary file beside it and a rename (readable as a normal file would be)."""
    import os
    import tempfile

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(out)) from None
    umask = os.umask(0)
    os.umask(umask)
    written = []
    for name in sorted(files, key=lambda n: (n.startswith("index"), n)):
        path = out / name
        try:
            fd, tmp = tempfile.mkstemp(prefix="." + name + ".", dir=out)
        except OSError as exc:   # the error names the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(files[name])
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        written.append(path)
    return written


__all__ = ["build_report", "render_report", "prepare", "Dossier", "timeline_svg", "diagram_svg", "diagram_dot"]
