"""Release artefacts of the ontology (ODK's pattern): one merged RDF/XML file for Protégé and owlready2, and
a relative catalog-v001.xml that maps every module IRI to its Turtle file so Protégé opens it offline."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from . import paths
from .dataset import load_ontology
from .intake.turtle import parse_turtle
from .namespaces import ONTOLOGY_IRI, bind_prefixes

MERGED = "sistercity-kg.owl"
CATALOG = "catalog-v001.xml"


def merged_ontology(home: Path | None = None) -> Graph:
    """Root and modules as one ontology: the modules' headers and the imports among them are folded away."""
    g = load_ontology(Graph(), home)
    root = URIRef(ONTOLOGY_IRI)
    modules = [o for o in g.subjects(RDF.type, OWL.Ontology) if o != root]
    for m in modules:
        for t in list(g.triples((m, None, None))):
            g.remove(t)
    for t in list(g.triples((None, OWL.imports, None))):
        g.remove(t)
    bind_prefixes(g)
    return g


def module_files(home: Path | None = None) -> dict[str, str]:
    """Ontology IRI → path of its Turtle file, relative to ontology/."""
    onto_dir = Path(home or paths.HOME) / "ontology"
    out = {}
    for path in [onto_dir / "sistercity-kg.ttl"] + sorted((onto_dir / "modules").glob("*.ttl")):
        g = parse_turtle(path)
        for iri in g.subjects(RDF.type, OWL.Ontology):
            out[str(iri)] = path.relative_to(onto_dir).as_posix()
    return out


def catalog_xml(home: Path | None = None) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
             '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">']
    for n, (iri, rel) in enumerate(sorted(module_files(home).items()), 1):
        lines.append(f'    <uri id="sckg-{n}" name={quoteattr(iri)} uri={quoteattr(rel)}/>')
    lines.append("</catalog>")
    return "\n".join(lines) + "\n"


def file_mode() -> int:
    """The mode a newly created file gets under the user's umask (0644 under the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file. The file gets the
    user's umask like any other (mkstemp alone would leave it 0600)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
    except OSError as exc:   # the error names the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build(home: Path | None = None) -> list[Path]:
    """Write the release artefacts; byte-deterministic (canonical blank-node labels, sorted RDF/XML), so a
    second run over the same sources changes nothing."""
    from .export import CONTEXT_FILE, canonical, context_bytes, to_rdfxml   # export imports this module

    onto_dir = Path(home or paths.HOME) / "ontology"
    merged = merged_ontology(home)
    merged = to_rdfxml(canonical(merged, [(p, str(ns)) for p, ns in merged.namespaces()]))
    write_atomically(onto_dir / MERGED, merged)
    write_atomically(onto_dir / CATALOG, catalog_xml(home).encode("utf-8"))

    write_atomically(onto_dir / CONTEXT_FILE, context_bytes(load_ontology(Graph(), home)))
    return [onto_dir / MERGED, onto_dir / CATALOG, onto_dir / CONTEXT_FILE]
