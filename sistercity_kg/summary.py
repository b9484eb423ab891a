"""What the graph holds, counted by SPARQL over the dataset (the main job's closing table)."""
from __future__ import annotations

from rdflib import Graph

from .namespaces import sparql_prologue

COUNTS = [
    # key, Indonesian, English, query (one integer ?n)
    ("instruments", "instrumen hukum", "legal instruments", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:LegalInstrument }"),
    ("provisions", "ketentuan (pasal, ayat, huruf…)", "provisions (articles, paragraphs, points…)",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Provision }"),
    ("provisions_with_text", "ketentuan dengan teks", "provisions with their text",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Provision ; sckg:text ?t }"),
    ("duties", "kewajiban organ", "duties of organs", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Duty }"),
    ("states", "negara", "states", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:State }"),
    ("regions", "pemerintah daerah", "regional governments",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:RegionalGovernment }"),
    ("organs", "organ", "organs", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Organ }"),
    ("people", "orang", "people", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Person }"),
    ("relations", "hubungan diplomatik tercatat", "diplomatic relations recorded",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:DiplomaticRelation }"),
    ("relation_states", "negara dengan hubungan diplomatik tercatat, setiap selang bersumber",
     "states with a recorded diplomatic relation, every interval with its source",
     """SELECT (COUNT(DISTINCT ?s) AS ?n) { ?r a sckg:DiplomaticRelation ; sckg:relationBetween ?s ; sckg:hasInterval ?i .
        ?s sckg:isoCode ?iso FILTER(?iso != "ID")
        FILTER NOT EXISTS { ?r sckg:hasInterval ?unsourced FILTER NOT EXISTS { ?unsourced sckg:attestedBy ?src } } }"""),
    ("relation_intervals", "selang hubungan diplomatik", "diplomatic relation intervals",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:RelationInterval }"),
    ("provision_versions", "versi ketentuan menurut waktu", "versions of provisions in time",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?p eli:is_realized_by ?x }"),
    ("agreements", "perjanjian", "agreements", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Agreement }"),
    ("steps_no_record", "langkah prosedur tanpa catatan", "procedural steps with no record",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x sckg:recordStatus record:no-record }"),
    ("claims", "klaim doktrin", "doctrinal claims", "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a sckg:Claim }"),
    ("sources_primary", "sumber primer", "primary sources",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x sckg:grade grade:primary }"),
    ("sources_secondary", "sumber sekunder", "secondary sources",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x sckg:grade grade:secondary }"),
    ("sources_unverified", "sumber belum diverifikasi", "unverified sources",
     "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x sckg:grade grade:unverified }"),
]


def count(graph: Graph) -> list[tuple[str, str, str, int]]:
    prologue = sparql_prologue()
    out = []
    for key, label_id, label_en, query in COUNTS:
        row = next(iter(graph.query(prologue + query)))
        out.append((key, label_id, label_en, int(row[0])))
    return out
