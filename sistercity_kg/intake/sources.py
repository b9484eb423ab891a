"""data/sources/*.yaml → the bibliography layer: one sckg:Source per document, with its grade."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, XSD

from ..errors import InputError
from ..namespaces import SCKG
from .common import Fields, SourceIndex, Writer
from .yamlfile import load_yaml

GRADES = ("primary", "secondary", "unverified")
KINDS = ("statute-text", "official-page", "news", "thesis", "article", "blog", "dataset", "commentary",
         "treaty-text")
FIELDS = {"id", "title", "url", "grade", "kind", "read-in", "language", "published", "publisher", "note"}


def write_source(index: SourceIndex, f: Fields, sid: str) -> None:
    """Add one source to the index and, when it has one, to its graph."""
    grade = f.choice("grade", GRADES)
    index.grades[sid] = grade
    if index.graph is None:
        return
    w = Writer(index.graph, index)
    node = index.iri(sid)
    w.typed(node, SCKG.Source)
    w.concept(node, SCKG.grade, "grade", grade)
    w.concept(node, SCKG.sourceKind, "source-kind", f.choice("kind", KINDS))
    title = f.str("title") or f.str("url")
    w.add(node, DCTERMS.title, Literal(title))
    w.labels(node, {"id": title, "en": title})  # a title is not translated: the same words in both languages
    if "url" in f:
        w.add(node, SCKG.url, Literal(f.str("url"), datatype=XSD.anyURI))
    if "read-in" in f:
        w.add(node, SCKG.readIn, Literal(f.str("read-in")))
    if "language" in f:
        w.add(node, DCTERMS.language, Literal(f.str("language")))
    if "publisher" in f:
        w.add(node, DCTERMS.publisher, Literal(f.str("publisher")))
    when = f.when("published")
    if when:
        w.date(node, when, SCKG.published)
    if "note" in f:
        w.add(node, SCKG.editorialNote, Literal(f.str("note"), lang="en"))


def read_sources(files: list[Path], graph: Graph | None) -> SourceIndex:
    index = SourceIndex(graph=graph)
    seen: dict[str, str] = {}
    for path in files:
        data = load_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise InputError(path, getattr(data, "line", 1), "expected a list of sources")
        for item, line in zip(data, data.item_lines):
            f = Fields(item, "source", FIELDS, {"id", "grade"}, file=str(path), line=line)
            sid = f.slug("id")
            if sid in seen:
                raise InputError(path, line, f"source id {sid!r} is already defined in {seen[sid]}")
            if "url" not in f and "title" not in f:
                raise InputError(path, line, f"source {sid!r} needs a url or a title")
            seen[sid] = f"{path}:{line}"
            write_source(index, f, sid)
    return index
