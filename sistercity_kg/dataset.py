"""Stage 1, load: the files on disk → one RDF dataset, a named graph per layer (README.md, "Identifiers")."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from . import paths
from .errors import InputError, raise_collected
from .intake.actors import ActorIndex, ActorReader
from .intake.cases import CaseReader
from .intake.common import Writer
from .intake.doctrine import DoctrineReader
from .intake.legislation import LegislationReader
from .intake.sources import read_sources
from .intake.turtle import check_declared, declared_terms, parse_turtle
from .namespaces import LAYERS, SCKG, bind_prefixes, graph_iri
from .progress import track


class TripleList(list):
    """Triples collected as plain tuples: a case layer of thousands of agreements is built without the cost of
    an indexed rdflib graph, and goes straight to the query engine as N-Triples when that is all it needs."""

    def add(self, triple) -> None:
        self.append(triple)


@dataclass
class KnowledgeGraph:
    """The dataset and what the intake learned on the way (ids of agreements, actors, provisions)."""

    _ds: Dataset
    agreements: dict[str, str] = field(default_factory=dict)   # id → case file
    case_ids: dict[str, str] = field(default_factory=dict)     # case file given by the caller → its id
    actors: ActorIndex = field(default_factory=ActorIndex)
    provisions: set[str] = field(default_factory=set)
    pending: dict[str, TripleList] = field(default_factory=dict)  # layer → triples not yet in the rdflib graph

    pending_nt: dict[str, list[bytes]] = field(default_factory=dict)  # layer → N-Triples read in worker processes
    given: list = field(default_factory=list)   # the triples of the case files given by the caller (N-Triples chunks)
    turtle_ids: list = field(default_factory=list)  # agreements read from case RDF (Turtle) given by the caller
    source_index: object = None   # the sources read (intake.sources.SourceIndex): case files cite them
    unchecked_links: list = field(default_factory=list)   # (file, line, id) to check once the given files are read

    @property
    def dataset(self) -> Dataset:
        """The whole dataset as rdflib sees it (every triple collected in bulk moved in first)."""
        for name in list(self.pending) + list(self.pending_nt):
            self.layer(name)
        return self._ds

    def layer(self, name: str) -> Graph:
        """The layer as an rdflib graph (triples collected in bulk are moved into it on first use)."""
        graph = self._ds.graph(graph_iri(name))
        waiting = self.pending.get(name)
        if waiting:
            graph.addN((s, p, o, graph) for s, p, o in waiting)
            waiting.clear()
        for chunk in self.pending_nt.pop(name, []):
            graph.parse(data=chunk, format="nt")
        return graph

    def ntriples(self, *layers: str) -> bytes:
        """The layers as N-Triples, without building rdflib graphs for triples still collected in bulk."""
        out = []
        for name in layers:
            out.append(_ntriples(self._ds.graph(graph_iri(name))))
            out.append(_ntriples(self.pending.get(name, ())))
            out += self.pending_nt.get(name, [])
        return b"".join(out)

    def union(self, *layers: str) -> Graph:
        """One graph holding the named layers (all of them when none are named)."""
        g = Graph()
        bind_prefixes(g)
        for name in layers or LAYERS:
            for triple in self.layer(name):
                g.add(triple)
        return g


def _ntriples(triples) -> bytes:
    """N-Triples of the triples, as rdflib's serializer writes each row (`_nt_row`), with each IRI and blank node
    written once: the same few hundred terms recur in every case file."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    node = _nt_node
    return "".join(f"{node(s)} {node(p)} {_quoteLiteral(o) if isinstance(o, Literal) else node(o)} .\n"
                   for s, p, o in triples).encode("utf-8")


@functools.lru_cache(maxsize=1 << 16)
def _nt_node(term) -> str:
    return term.n3()


#: Case files read in parallel from this many on (reading is CPU-bound Python; each process takes a slice).
PARALLEL_MIN = 400
_WORKER = {}


@dataclass
class CaseFile:
    """One case file as read: its agreement id (None when it is bad), its triples as N-Triples, its links."""

    path: str
    aid: str | None
    nt: bytes
    links: list = field(default_factory=list)   # (file, line, target id): renews, implements, amends


@dataclass
class CaseSlice:
    """Case files read together (in one worker process): each file, the inline sources they declared (N-Triples)
    with their grades, and the files' errors."""

    files: list[CaseFile]
    sources_nt: bytes
    grades: dict
    errors: list


def _read_slice(paths: list[str]) -> CaseSlice:
    """Read a slice of case files (in a forked worker, which shares the parent's sources and actors, or in
    process): every file is read, and every bad one reported."""
    sources, actors, known = _WORKER["sources"], _WORKER["actors"], _WORKER["known"]
    from collections import ChainMap

    # the inline sources these files declare, written here even when an earlier slice declared them too: the
    # slice's triples stand on their own beside the graph
    layer, grades = sources.graph, sources.grades
    sources.graph, sources.grades = TripleList(), ChainMap({}, grades)
    try:
        return _read(paths, sources, actors, known)
    finally:
        sources.graph, sources.grades = layer, grades


def _read(paths, sources, actors, known) -> CaseSlice:
    triples = TripleList()
    reader = CaseReader(Writer(triples, sources), actors)
    reader.ids.update(known)
    files, errors = [], []
    for p in paths:
        start, links = len(triples), len(reader.links)
        reader.actors = actors.overlay()   # each file's triples stand on their own (ActorIndex.overlay)
        try:
            aid = reader.read(Path(p))
        except InputError as exc:   # reported with the others' once every slice is read
            aid = None
            errors.append(exc)
        files.append(CaseFile(p, aid, _ntriples(triples[start:]) if aid else b"", reader.links[links:]))
    return CaseSlice(files, _ntriples(sources.graph), dict(sources.grades.maps[0]), errors)


def read_case_files(kg: "KnowledgeGraph", paths: list[Path], slice_size: int | None = None,
                    first_slice: int | None = None):
    """The case files given by the caller, read in slices, in order (→ CaseSlice), in parallel worker processes
    from PARALLEL_MIN files on. The files are read against the graph's sources and actors; an id already used (by
    the graph or an earlier file) is an error of the file that repeats it. `first_slice`: a smaller first slice,
    so that a consumer has something to work on early."""
    import multiprocessing as mp
    import os

    workers = min(os.cpu_count() or 1, 8)
    names = [str(p) for p in paths]
    size = slice_size or max(1, len(names) // (workers * 4))
    bounds = [0] + ([min(first_slice, len(names))] if first_slice and first_slice < size else [])
    while bounds[-1] < len(names):
        bounds.append(min(bounds[-1] + size, len(names)))
    slices = [names[a:b] for a, b in zip(bounds, bounds[1:])]
    seen = dict(kg.agreements)
    _WORKER.update(sources=kg.source_index, actors=kg.actors, known=dict(seen))
    try:
        if len(names) >= PARALLEL_MIN and workers > 1:
            pool = mp.get_context("fork").Pool(workers)
            results = pool.imap(_read_slice, slices)
        else:
            pool, results = None, map(_read_slice, slices)
        try:
            for part in track(results, "reading case files", total=len(slices)):
                for f in part.files:
                    if f.aid is None:
                        continue
                    if f.aid in seen:
                        part.errors.append(InputError(f.path, 1, f"duplicate agreement id {f.aid!r}: already used by "
                                                                 f"{seen[f.aid]}"))
                        f.aid = None
                        continue
                    seen[f.aid] = f.path
                yield part
        finally:
            if pool is not None:
                pool.terminate()
    finally:
        _WORKER.clear()


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []


def load_ontology(graph: Graph, home: Path | None = None) -> Graph:
    onto_dir = Path(home or paths.HOME) / "ontology"
    for path in [onto_dir / "sistercity-kg.ttl"] + _files(onto_dir / "modules", "*.ttl"):
        parse_turtle(path, graph)
    return graph


def load_shapes(graph: Graph, home: Path | None = None) -> Graph:
    for path in _files(Path(home or paths.HOME) / "ontology" / "shapes", "*.ttl"):
        parse_turtle(path, graph)
    return graph


def expand_case_paths(paths: list[Path]) -> list[Path]:
    """Case files as given: files as they are, folders as every *.yaml in them (sorted). A folder with no case
    file is bad input (never "assess the whole register" or "write an empty file")."""
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(q for q in p.glob("*.yaml") if q.is_file())
            if not found:
                raise InputError(p, None, "no case file in this folder (expected one or more *.yaml files)")
            out += found
        elif not p.exists():
            raise InputError(p, None, "no such file or folder")
        else:
            out.append(p)
    return out


def load(home: Path | str | None = None, case_files: list[Path] | None = None,
         include_register: bool = True, read_given: bool = True) -> KnowledgeGraph:
    """Read ontology, shapes and data/ into a dataset; `case_files` adds agreements from elsewhere (with
    `read_given` false they are only set apart from the register: `read_case_files` reads them later)."""
    home = Path(home or paths.HOME)
    data = home / "data"
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    kg = KnowledgeGraph(ds)
    onto = load_ontology(kg.layer("ontology"), home)
    load_shapes(kg.layer("shapes"), home)
    declared = declared_terms(onto)

    sources = read_sources(_files(data / "sources", "*.yaml"), kg.layer("sources"))
    leg = LegislationReader(Writer(kg.layer("legislation"), sources))
    for path in _files(data / "legislation", "*.yaml"):
        if path.name == "duties.yaml":
            continue
        leg.read(path)
    if (data / "legislation" / "duties.yaml").exists():
        leg.read_duties(data / "legislation" / "duties.yaml")

    actors = ActorReader(Writer(kg.layer("actors"), sources), kg.actors)
    for path in _files(data / "actors", "*.yaml"):
        actors.read(path)
    actors.finish()

    kg.pending["cases"] = TripleList()
    cases = CaseReader(Writer(kg.pending["cases"], sources), kg.actors)
    given = [Path(p) for p in case_files or []]
    register = _files(data / "cases", "*.yaml") if include_register else []
    # a register file given again (under any path) is read as given: only a path that bears a register file's name
    # or is a link can be one (resolving every path of a national register was a fifth of the start-up)
    names = {p.name for p in register}
    given_resolved = {p.resolve() for p in given if p.name in names or p.is_symlink()}
    register = [p for p in register if p.resolve() not in given_resolved]
    for path in register:
        cases.read(path)
    for path in given:
        if not path.exists():
            raise InputError(path, None, "no such case file")
    turtle = [p for p in given if p.suffix == ".ttl"]   # case RDF, e.g. written by `sistercity-kg import`
    given = [p for p in given if p.suffix != ".ttl"]
    kg.source_index = sources
    if read_given and given:
        kg.agreements = dict(cases.ids)
        errors: list[InputError] = []
        for part in read_case_files(kg, given):   # every bad file is reported, not only the first
            errors += part.errors
            if errors:
                continue
            for f in part.files:
                cases.ids[f.aid] = f.path
                kg.case_ids[f.path] = f.aid
                cases.links += f.links
                kg.given.append(f.nt)
            kg.pending_nt.setdefault("sources", []).append(part.sources_nt)
            sources.grades.update(part.grades)
        raise_collected(errors)
        kg.pending_nt.setdefault("cases", []).extend(kg.given)
    for path in turtle:
        g = parse_turtle(path)
        check_declared(path, g, declared)
        ids = sorted(str(o) for o in g.objects(None, SCKG.agreementId))
        if not ids:
            raise InputError(path, None, "no agreement in this file (expected a subject with sckg:agreementId)")
        for aid in ids:
            if aid in cases.ids:
                raise InputError(path, None, f"duplicate agreement id {aid!r}: already used by {cases.ids[aid]}")
            cases.ids[aid] = str(path)
        kg.case_ids[str(path)] = ids[0]
        kg.turtle_ids += ids
        kg.pending["cases"].extend(g)
        kg.given.append(_ntriples(g))

    doctrine = DoctrineReader(Writer(kg.layer("doctrine"), sources))
    for path in _files(data / "doctrine", "*.yaml"):
        doctrine.read(path)

    leg.links.extend(doctrine.links)
    leg.check_links()
    cases.links.extend(doctrine.agreement_links)
    if read_given or not given:
        cases.check_links()
    else:   # the given files may be what they link to: checked once those are read (batch.Run)
        kg.unchecked_links = list(cases.links)
    kg.agreements = dict(cases.ids)
    kg.provisions = set(leg.provisions)

    for layer in ("sources", "legislation", "actors", "cases", "doctrine"):
        for path in _files(data / layer, "*.ttl"):
            g = parse_turtle(path)
            check_declared(path, g, declared)
            target = kg.layer(layer)
            for triple in g:
                target.add(triple)

    return kg


__all__ = ["KnowledgeGraph", "load", "load_ontology", "load_shapes", "InputError"]
