"""Stage 1, load: the files on disk → one RDF dataset, a named graph per layer (README.md, "Identifiers")."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

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
    from rdflib.plugins.serializers.nt import _nt_row

    return "".join(_nt_row(t) for t in triples).encode("utf-8")


#: Case files read in parallel from this many on (reading is CPU-bound Python; each process takes a slice).
PARALLEL_MIN = 400
_WORKER = {}


def _read_slice(paths: list[str]):
    """In a worker process (forked, so it shares the parent's sources and actors): read a slice of case files."""
    sources, actors, known = _WORKER["sources"], _WORKER["actors"], _WORKER["known"]
    sources.graph = TripleList()  # inline sources found in these files
    triples = TripleList()
    reader = CaseReader(Writer(triples, sources), actors)
    reader.ids.update(known)
    ids, errors = [], []
    for p in paths:
        try:
            ids.append(reader.read(Path(p)))
        except InputError as exc:   # reported with the others' once every slice is read
            ids.append(None)
            errors.append(exc)
    return ids, reader.links, _ntriples(triples), _ntriples(sources.graph), dict(sources.grades), errors


def _read_cases_parallel(kg, cases: "CaseReader", paths: list[Path], sources) -> None:
    import multiprocessing as mp
    import os

    workers = min(os.cpu_count() or 1, 8)
    size = max(1, len(paths) // (workers * 4))
    slices = [[str(p) for p in paths[i:i + size]] for i in range(0, len(paths), size)]
    _WORKER.update(sources=sources, actors=kg.actors, known=dict(cases.ids))
    errors: list[InputError] = []
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            done = 0
            for ids, links, case_nt, source_nt, grades, bad in track(pool.imap(_read_slice, slices),
                                                                     "reading case files", total=len(slices)):
                errors += bad
                for path, aid in zip(slices[done], ids):
                    if aid is None:
                        continue
                    if aid in cases.ids:
                        raise InputError(path, 1, f"duplicate agreement id {aid!r}: already used by {cases.ids[aid]}")
                    cases.ids[aid] = path
                    kg.case_ids[path] = aid
                done += 1
                if errors:
                    continue
                cases.links += links
                kg.pending_nt.setdefault("cases", []).append(case_nt)
                kg.pending_nt.setdefault("sources", []).append(source_nt)
                sources.grades.update(grades)
    finally:
        _WORKER.clear()
    raise_collected(errors)


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
         include_register: bool = True) -> KnowledgeGraph:
    """Read ontology, shapes and data/ into a dataset; `case_files` adds agreements from elsewhere."""
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
    given_resolved = {p.resolve() for p in given}
    register = [p for p in _files(data / "cases", "*.yaml") if p.resolve() not in given_resolved] \
        if include_register else []
    for path in register:
        cases.read(path)
    for path in given:
        if not path.exists():
            raise InputError(path, None, "no such case file")
    turtle = [p for p in given if p.suffix == ".ttl"]   # case RDF, e.g. written by `sistercity-kg import`
    given = [p for p in given if p.suffix != ".ttl"]
    if len(given) >= PARALLEL_MIN:
        _read_cases_parallel(kg, cases, given, sources)
        kg.given = list(kg.pending_nt.get("cases", []))
    else:
        before = len(kg.pending["cases"])
        errors = []
        for path in given:   # every bad file is reported, not only the first
            try:
                kg.case_ids[str(path)] = cases.read(path)
            except InputError as exc:
                errors.append(exc)
        raise_collected(errors)
        kg.given = [_ntriples(kg.pending["cases"][before:])]
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
    cases.check_links()
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
