"""Shapes: each file passes SHACL-SHACL; the graph passes the data-quality shapes; a broken fixture fails them
with exactly the report checked in beside it (UCO's golden-report pattern)."""
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph

from sistercity_kg.namespaces import bind_prefixes
from sistercity_kg.paths import SHAPES_DIR
from sistercity_kg.validate import data_quality_shapes, read_report, validate_graph

from .conftest import FIXTURES, UPDATE_GOLDEN

SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", SHAPE_FILES, ids=[p.name for p in SHAPE_FILES])
def test_shapes_file_passes_shacl_shacl(path):
    conforms, _, text = pyshacl.validate(Graph().parse(path), shacl_graph=Graph().parse(SHACL_SHACL))
    assert conforms, text


def test_every_shape_speaks_both_languages():
    shapes = data_quality_shapes()
    q = """
    PREFIX sh: <http://www.w3.org/ns/shacl#>
    SELECT ?shape ?what WHERE {
      { ?shape a sh:NodeShape } UNION { ?shape a sh:PropertyShape } UNION { ?x sh:property ?shape }
      FILTER(isIRI(?shape) || EXISTS { ?shape sh:path ?p })
      VALUES (?what ?lang) { ("name" "id") ("name" "en") }
      FILTER NOT EXISTS { ?shape sh:name ?n . FILTER(LANG(?n) = ?lang) }
    }"""
    assert list(shapes.query(q)) == []


def test_graph_passes_data_quality(union):
    report = validate_graph(union, data_quality_shapes())
    assert report.conforms, "\n".join(map(str, report.violations[:20]))


def _rows(report_graph):
    return sorted(v.as_row() for v in read_report(report_graph))


@pytest.mark.parametrize("name", ["broken"])
def test_broken_fixture_matches_its_golden_report(union, name):
    data = Graph()
    for t in union:
        data.add(t)
    data.parse(FIXTURES / "data-quality" / f"{name}.ttl")
    report = validate_graph(data, data_quality_shapes())
    golden = FIXTURES / "data-quality" / f"{name}.validation.ttl"
    if UPDATE_GOLDEN:
        bind_prefixes(report.graph)
        report.graph.serialize(golden, format="turtle")
    assert not report.conforms
    assert _rows(report.graph) == _rows(Graph().parse(golden))
    messages = {v.message for v in report.violations}
    assert "An agreement needs at least two parties, each an actor." in messages
    assert "No source is given for where this fact was read (sckg:attestedBy)." in messages


def test_each_message_tells_its_language_from_the_other():
    """pyshacl fills an sh:sparql constraint's {?variables} but drops the language tag of the message; the engine
    gives each message back its language by the template it matches, so no template may match the other
    language's message (a message that is all variable would match anything)."""
    from sistercity_kg.assess.engines import _VAR, _template_pattern
    from sistercity_kg.namespaces import SH

    g = Graph()
    for path in SHAPE_FILES:
        g.parse(path)
    checked = 0
    for node in set(g.subjects(SH.message, None)):
        templates = {m.language: str(m) for m in g.objects(node, SH.message)}
        if not any(_VAR.search(t) for t in templates.values()):
            continue
        assert set(templates) == {"en", "id"}, node
        filled = {lang: _VAR.sub("X", t) for lang, t in templates.items()}
        assert not _template_pattern(templates["id"]).match(filled["en"]), node
        assert not _template_pattern(templates["en"]).match(filled["id"]), node
        checked += 1
    assert checked > 20
