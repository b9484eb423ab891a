"""The ontology documentation (sistercity-kg docs): every term, in both languages, with where it is used."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from markupsafe import escape
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sistercity_kg import docs
from sistercity_kg.cli import main
from sistercity_kg.dataset import load
from sistercity_kg.namespaces import SCKG

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def esc(text: str) -> str:
    return str(escape(text))


@pytest.fixture(scope="module")
def kg():
    return load()


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    docs.build_docs(out, kg=kg)
    return out


@pytest.fixture(scope="module")
def pages(site):
    return {lang: (site / f"index.{lang}.html").read_text("utf-8") for lang in ("en", "id")}


def labels(g, node) -> dict[str, str]:
    return {o.language: str(o) for o in g.objects(node, RDFS.label) if isinstance(o, Literal) and o.language}


def block(page: str, anchor: str) -> str:
    m = re.search(rf'<div class="term" id="{re.escape(anchor)}">(.*?)</dl>\s*</div>', page, re.S)
    assert m, f"no entry #{anchor}"
    return m.group(1)


def test_pages_are_written_and_linked(site, pages):
    assert {p.name for p in site.iterdir()} == {"index.en.html", "index.id.html", "index.html"}
    assert 'href="index.id.html"' in pages["en"] and 'href="index.en.html"' in pages["id"]
    for page in pages.values():
        assert "<script" not in page.lower() and "<style>" in page
        assert not re.search(r'\ssrc="(?!data:)', page)


def test_every_term_of_the_ontology_appears_with_its_labels_in_both_pages(kg, pages):
    onto = kg.layer("ontology")
    terms = {s for kind in KINDS for s in onto.subjects(RDF.type, kind)
             if isinstance(s, URIRef) and str(s).startswith(str(SCKG))}
    assert len(terms) > 150
    for lang, page in pages.items():
        for term in terms:
            name = str(term)[len(str(SCKG)):]
            entry = block(page, name)
            assert f"sckg:{name}" in entry
            found = labels(onto, term)
            assert {"id", "en"} <= set(found), term
            for tag in ("id", "en"):
                assert esc(found[tag]) in entry, (lang, name, tag)


def test_terms_show_definition_domain_range_and_uses(kg, pages):
    en = pages["en"]
    onto = kg.layer("ontology")
    for axis, word in ((RDFS.domain, "Domain"), (RDFS.range, "Range")):
        props = sorted(p for p in onto.subjects(axis, None) if str(p).startswith(str(SCKG))
                       and isinstance(onto.value(p, axis), URIRef))
        assert props, axis
        for prop in props:
            entry = block(en, str(prop)[len(str(SCKG)):])
            assert f"<dt>{word}</dt>" in entry and docs.curie(onto.value(prop, axis)) in entry, prop
    entry = block(en, "hasParty")
    assert "<dt>Range</dt>" in entry and 'href="#Actor"' in entry
    uses = sum(1 for _ in kg.layer("cases").triples((None, SCKG.hasParty, None)))
    assert f'<span class="lang-tag">cases</span> {uses}' in entry   # uses per layer, and their total
    assert re.search(r"<strong>\d+</strong> uses", entry)
    definition = next(str(o) for o in kg.layer("ontology").objects(SCKG.hasParty, SKOS.definition) if o.language == "en")
    assert esc(definition) in entry
    entry_id = block(pages["id"], "hasParty")
    definition_id = next(str(o) for o in kg.layer("ontology").objects(SCKG.hasParty, SKOS.definition)
                         if o.language == "id")
    assert esc(definition_id) in entry_id and "pemakaian" in entry_id
    # a class: its instances counted per layer; the assessment classes are used by the assessments layer
    assert '<span class="lang-tag">assessments</span>' in block(en, "TestResult")
    assert "functional" in block(en, "agreementId")


def test_controlled_vocabularies_list_every_concept(kg, pages):
    onto = kg.layer("ontology")
    schemes = set(onto.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes
    for lang, page in pages.items():
        vocab = page[page.index('<section id="vocabularies">'):page.index('<section id="external">')]
        for concept in onto.subjects(RDF.type, SKOS.Concept):
            found = labels(onto, concept)
            notation = str(onto.value(concept, SKOS.notation))
            assert f"<code>{esc(notation)}</code>" in vocab, concept
            for tag in ("id", "en"):
                assert esc(found[tag]) in vocab, (lang, concept, tag)


def test_reused_terms_are_listed(pages):
    for page in pages.values():
        ext = page[page.index('<section id="external">'):page.index('<section id="modules">')]
        for curie in ("prov:Entity", "org:Post", "eli:is_part_of", "skos:Concept"):
            assert f"<code>{curie}</code>" in ext, curie


def test_cli_docs(tmp_path, kg, monkeypatch):
    real = docs.build_docs
    monkeypatch.setattr(docs, "build_docs", lambda out, **k: real(out, kg=kg, **{x: v for x, v in k.items()
                                                                                  if x != "kg"}))
    result = CliRunner().invoke(main, ["docs", "--out", str(tmp_path / "site"), "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").read_bytes() == (tmp_path / "site" / "index.id.html").read_bytes()


def test_pylode_page(tmp_path, kg):
    pytest.importorskip("pylode")
    files = docs.build_docs(tmp_path, kg=kg, pylode=True, assess_register=False)
    page = (tmp_path / "ontology.pylode.html").read_text("utf-8")
    assert tmp_path / "ontology.pylode.html" in files
    assert "Agreement" in page and "hasParty" in page
    assert 'href="ontology.pylode.html"' in (tmp_path / "index.en.html").read_text("utf-8")
