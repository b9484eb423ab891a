"""Exports: every file parses back to the layer it came from, the same dataset gives the same bytes (also in
another process with another hash seed), empty layers are skipped, nothing is half-written, and the JSON-LD
context is a release artefact kept up to date."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef

from sistercity_kg import export as ex
from sistercity_kg.cli import main
from sistercity_kg.dataset import load_ontology
from sistercity_kg.namespaces import LAYERS, PREFIXES, SCKG, graph_iri
from sistercity_kg.paths import HOME, ONTOLOGY_DIR

PARSERS = {"ttl": "turtle", "nt": "nt"}


def triples(g: Graph) -> set:
    """The set of triples, blank nodes by their canonical (RDFC-1.0) labels: equal sets = isomorphic graphs."""
    return set(ex.canonical(g))


@pytest.fixture(scope="module")
def kg():
    """The graph as `export` writes it: the register assessed as of each signature (not the session graph, which
    other tests assess as of other dates)."""
    from sistercity_kg.assess import assess
    from sistercity_kg.dataset import load

    graph = load()
    assess(graph)
    return graph


@pytest.fixture(scope="module")
def expected(kg):
    return {layer: triples(kg.layer(layer)) for layer in LAYERS}


@pytest.fixture(scope="module")
def exported(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    return out, ex.export(kg, out)


def nonempty(kg):
    return [name for name in LAYERS if len(kg.layer(name))]


def test_files_written(kg, exported):
    out, paths = exported
    names = {p.name for p in paths}
    expected = {f"{layer}.{fmt}" for layer in nonempty(kg) for fmt in ("ttl", "nt", "jsonld")}
    expected |= {"ontology.owl", ex.TRIG_FILE, ex.CONTEXT_FILE}
    assert names == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(names), "no temporary files left behind"


def test_every_layer_file_parses_back(kg, exported, expected):
    out, _ = exported
    for layer in nonempty(kg):
        for fmt in ("ttl", "nt", "jsonld"):
            path = out / f"{layer}.{fmt}"
            g = ex.read_jsonld(path) if fmt == "jsonld" else Graph().parse(path, format=PARSERS[fmt])
            assert len(g) == len(kg.layer(layer)), path.name
            assert triples(g) == expected[layer], path.name


def test_owl_is_the_folded_ontology(kg, exported):
    out, _ = exported
    g = Graph().parse(out / "ontology.owl", format="xml")
    folded = ex.fold_ontology(kg.layer("ontology"))
    assert len(g) == len(folded) and triples(g) == triples(folded)
    from rdflib.namespace import OWL, RDF
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [URIRef("https://w3id.org/sistercity-kg/ontology")]
    assert not list(g.triples((None, OWL.imports, None)))


def test_trig_holds_one_named_graph_per_layer(kg, exported, expected):
    out, _ = exported
    ds = Dataset()
    ds.parse(out / ex.TRIG_FILE, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(graph_iri(layer)) for layer in nonempty(kg)}
    total = 0
    for layer in nonempty(kg):
        g = ds.graph(graph_iri(layer))
        assert len(g) == len(kg.layer(layer)) and triples(g) == expected[layer], layer
        total += len(g)
    assert total == sum(len(kg.layer(layer)) for layer in LAYERS)


def test_deterministic_across_processes_and_hash_seeds(exported, tmp_path):
    """The CLI in a fresh process with another hash seed writes byte-identical files (rdflib's term and set
    order depend on the hash seed, so this also covers two runs in one process)."""
    out, paths = exported
    env = dict(os.environ, PYTHONHASHSEED="4242")
    result = subprocess.run([sys.executable, "-m", "sistercity_kg.cli", "export", "--out", str(tmp_path)],
                            capture_output=True, text=True, env=env, cwd=HOME, timeout=300)
    assert result.returncode == 0, result.stderr
    for p in paths:
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_ntriples_sorted_and_jsonld_sorted(kg, exported):
    out, _ = exported
    lines = (out / "cases.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    doc = json.loads((out / "legislation.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == json.loads((out / ex.CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    ids = [node["@id"] for node in doc["@graph"]]
    assert ids == sorted(ids)
    text = (out / "legislation.jsonld").read_text(encoding="utf-8")
    assert text == json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_jsonld_uses_the_terms(exported):
    out, _ = exported
    doc = json.loads((out / "cases.jsonld").read_text(encoding="utf-8"))
    agreement = next(n for n in doc["@graph"] if n["@id"] == "id:agreement/bogor-kisarazu-2016")
    assert agreement["@type"] == "sckg:Agreement"
    assert set(agreement["label"]) >= {"id", "en"}                            # a language map
    assert all(v.startswith("id:source/") for v in agreement["attestedBy"])   # @id-typed
    dated = [n for n in doc["@graph"] if "onDate" in n]
    assert dated and all(isinstance(n["onDate"], str) for n in dated)           # xsd:date-typed term


def test_context_maps_prefixes_and_terms(kg):
    ctx = ex.context(kg.layer("ontology"))["@context"]
    for prefix, ns in PREFIXES.items():
        assert ctx[prefix] == str(ns)
    assert ctx["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert ctx["attestedBy"] == {"@id": "sckg:attestedBy", "@type": "@id"}
    assert ctx["onDate"] == {"@id": "sckg:onDate", "@type": "xsd:date"}
    assert ctx["has_part"]["@type"] == "@id"
    assert "level" in ctx and ctx["level"] == PREFIXES["level"].__str__(), "a prefix is never shadowed by a term"


def test_context_release_artefact_is_up_to_date(exported):
    out, _ = exported
    built = ex.context_bytes(load_ontology(Graph()))
    assert (ONTOLOGY_DIR / ex.CONTEXT_FILE).read_bytes() == built, "run `sistercity-kg build` and commit the result"
    assert (out / ex.CONTEXT_FILE).read_bytes() == built


def test_build_writes_the_context(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(ONTOLOGY_DIR, home / "ontology", ignore=shutil.ignore_patterns(ex.CONTEXT_FILE))
    from sistercity_kg.release import build

    written = build(home)
    assert home / "ontology" / ex.CONTEXT_FILE in written
    first = (home / "ontology" / ex.CONTEXT_FILE).read_bytes()
    build(home)
    assert (home / "ontology" / ex.CONTEXT_FILE).read_bytes() == first


def test_empty_layers_skipped_and_formats_chosen(tmp_path):
    ds = Dataset()
    ds.graph(graph_iri("cases")).add((URIRef("https://w3id.org/sistercity-kg/id/agreement/x"),
                                       SCKG.agreementId, Literal("x")))
    paths = ex.export(ds, tmp_path, ["nt", "trig"])
    assert sorted(p.name for p in paths) == ["cases.nt", ex.TRIG_FILE]


def test_nothing_written_when_serialising_fails(tmp_path, monkeypatch):
    """Every file is serialised before any is written: a failure late in the run leaves the folder empty."""
    ds = Dataset()
    ds.graph(graph_iri("cases")).add((URIRef("https://w3id.org/sistercity-kg/id/agreement/x"),
                                       SCKG.agreementId, Literal("x")))

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ex, "to_trig", broken)
    with pytest.raises(RuntimeError):
        ex.export(ds, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_rejects_an_unknown_format(tmp_path):
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path), "--format", "ttl,xml"])
    assert result.exit_code == 2
    assert "xml" in result.output
