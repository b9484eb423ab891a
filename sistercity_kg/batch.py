"""Registers of case files, judged as they are read: `assess --case DIR` at national scale.

The case files are read in slices, in worker processes (one per core) that also judge and render them: each worker
holds the graph the shapes read (legislation, actors, relations, the register) in its own pyoxigraph store, loads a
slice's agreements into a graph of their own beside it, runs every shape over them (`assess.judge`, the engine of
`assess`), renders each agreement in the format asked for, writes the texts into a spool folder of the run (not
through the pool's pipe: a register's JSON is hundreds of megabytes), and drops the slice. The parent copies the
texts, in the order of the files, as soon as the slice is done: NDJSON streams (its first line is written long
before the last file is read); the JSON array, the summary and the checklists begin once every file is read and
every link found (nothing half-written on bad input), while the linked agreements are still being judged.

What an agreement is judged on: the graph, its own case file and the case files it is linked to. An agreement
that `renews`, `implements` or `amends` another, and any agreement that another case file of the run names so, is
judged after all the files are read, with every file of those links beside it (and it comes after the others in
NDJSON). The files that name another agreement are found before reading begins, by their keys (a cheap scan of
the text), and read first, so the agreements they name are known. Bad input — a malformed file, a duplicate id, a
link to an agreement that exists nowhere — stops the run with exit status 2, every bad file reported; in NDJSON
the lines already written are whole agreements, judged on complete data.
"""
from __future__ import annotations

import gc
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from .errors import InputError, raise_collected
from .progress import track

#: The keys of a case file that name another agreement (docs/case-files.md).
LINK_KEYS = re.compile(rb"^(?:renews|implements|amends)\s*:", re.M)
#: Agreements per slice: at least SLICE, so that each shape's query runs over many agreements at once, and a
#: quarter of a worker's share of the register, up to MAX_SLICE (its memory); the first slice is small, so that the
#: first lines come quickly.
SLICE = 400
MAX_SLICE = 2000
FIRST_SLICE = 40

#: The collector's thresholds during a run: a slice makes hundreds of thousands of objects, and hardly a cycle.
GC_THRESHOLDS = (50_000, 20, 100)

_BASE = "urn:x-sistercity-kg:run:base"
_SLICE = "urn:x-sistercity-kg:run:slice"
_STATE: dict = {}


@dataclass
class Rendered:
    """One agreement judged and rendered: its id, whether a lawfulness test said no, and its text in the format:
    UTF-8 bytes, or where a worker spooled them (`Spooled`); the Assessment itself when the run renders nothing."""

    aid: str
    unlawful: bool
    text: object      # bytes | Spooled | Assessment


@dataclass(frozen=True)
class Spooled:
    """Where a worker wrote an agreement's text: its file, offset and size, and how many texts the file holds."""

    path: str
    offset: int
    size: int
    texts: int


class _Spool:
    """The parent's side of the spool: reads each text where a worker wrote it, and removes a file once every
    text in it is read."""

    def __init__(self):
        self.files: dict[str, IO[bytes]] = {}
        self.read_from: dict[str, int] = {}

    def read(self, at: Spooled) -> bytes:
        fh = self.files.get(at.path) or self.files.setdefault(at.path, open(at.path, "rb"))
        fh.seek(at.offset)
        data = fh.read(at.size)
        self.read_from[at.path] = self.read_from.get(at.path, 0) + 1
        if self.read_from[at.path] == at.texts:
            self.files.pop(at.path).close()
            os.unlink(at.path)
        return data

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


@dataclass
class _Done:
    """What a worker gives back for a slice."""

    rendered: list[Rendered]
    deferred: list = field(default_factory=list)   # CaseFiles judged at the end, with their links
    sources_nt: bytes = b""
    errors: list = field(default_factory=list)
    ids: list = field(default_factory=list)         # (path, id) of every good file read


def _start_worker() -> None:
    """In each worker: a store holding the graph the shapes read, in a named graph of its own."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(_STATE["base_nt"], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(_BASE))
    _STATE["store"] = store


def _judge_and_render(task: tuple[list[bytes], dict]) -> list[Rendered]:
    """Judge and render agreements (id → IRI) with the given files' triples beside the graph."""
    import pyoxigraph as ox

    from .assess import judge

    files_nt, agreements = task
    store = _STATE["store"]
    graph = ox.NamedNode(_SLICE)
    store.clear_graph(graph)
    store.bulk_load(b"".join(files_nt), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    results = judge(store, _STATE["catalogue"], agreements, _STATE["when"], _STATE["engine"], _STATE["with_sources"],
                    graphs=[ox.NamedNode(_BASE), graph], progress=False, threads=_STATE["threads"])
    store.clear_graph(graph)
    render, spool = _STATE["render"], _STATE.get("spool")
    if render is None or spool is None:
        return [Rendered(a.question.aid, a.lawful == "no", render(a).encode("utf-8") if render else a) for a in results]
    # the texts go to a file of the spool, for the parent to copy: not through the pool's pipe (a register's JSON is
    # hundreds of megabytes)
    out = []
    fd, path = tempfile.mkstemp(dir=spool)
    with os.fdopen(fd, "wb") as fh:
        for a in results:
            data = render(a).encode("utf-8")
            out.append(Rendered(a.question.aid, a.lawful == "no", Spooled(path, fh.tell(), len(data), len(results))))
            fh.write(data)
    return out


def _linked_sets(files: dict) -> list[list[str]]:
    """The agreements of `files` (id → CaseFile) in sets linked together by their links (renews, implements,
    amends), each set in the order of the files, the sets in the order of their first file."""
    parent = {aid: aid for aid in files}

    def root(aid: str) -> str:
        while parent[aid] != aid:
            parent[aid] = parent[parent[aid]]
            aid = parent[aid]
        return aid

    for aid, f in files.items():
        for _, _, target in f.links:
            if target in parent:
                parent[root(target)] = root(aid)
    sets: dict[str, list[str]] = {}
    for aid in files:
        sets.setdefault(root(aid), []).append(aid)
    return list(sets.values())


def _work(paths: list[str]) -> _Done:
    """Read a slice of case files, and judge and render those with no link to another case file of the run."""
    from .dataset import _read_slice
    from .namespaces import ID

    part = _read_slice(paths)
    done = _Done([], sources_nt=part.sources_nt, errors=part.errors,
                 ids=[(f.path, f.aid) for f in part.files if f.aid])
    if part.errors:
        return done   # the run stops: nothing of it is judged
    linked = _STATE["linked"]
    plain = [f for f in part.files if f.aid not in linked]
    done.deferred = [f for f in part.files if f.aid in linked]
    if plain:
        done.rendered = _judge_and_render(([f.nt for f in plain] + [part.sources_nt],
                                           {f.aid: ID["agreement/" + f.aid] for f in plain}))
    return done


class Run:
    """`assess --case` over a register of case files: `Run(paths, …).write(out)` writes every agreement, judged and
    rendered, and returns whether a lawfulness test said no for one of them."""

    def __init__(self, paths: list[Path], as_of=None, engine: str = "oxigraph", with_sources: bool = False,
                 render: Callable | None = None, home: Path | None = None):
        from .assess import catalogue_of, parse_as_of
        from .dataset import load

        self.paths = [Path(p) for p in paths]
        self.yaml = [p for p in self.paths if p.suffix != ".ttl"]
        self.kg = load(home, case_files=self.paths, read_given=False)
        self.catalogue = catalogue_of(self.kg)
        self.when = parse_as_of(as_of) if isinstance(as_of, (str, type(None))) else as_of
        self.engine, self.with_sources, self.render = engine, with_sources, render
        self._ids: dict[str, str] = {}   # case file → its agreement id, as read
        self.checked = False             # set once the input is known to be good (every file read, every link found)

    @property
    def count(self) -> int:
        """How many agreements the run judges (one per case file; a Turtle file may hold several)."""
        return len(self.yaml) + len(self.kg.turtle_ids)

    def results(self, spool: str | None = None, on_checked: Callable | None = None) -> Iterator[Rendered]:
        """Every agreement judged and rendered: those with no link to another case file of the run as their slice
        is done, in the order of the files, then the linked ones. Raises InputError (every bad file) when a file
        is bad, after the agreements already given. `spool`: a folder where the texts are written (each Rendered
        then says where, `Spooled`), else they come as bytes. `on_checked`: called once the input is known to be
        good (`checked`), while the workers judge the linked agreements."""
        from .assess import ENGINE_LAYERS
        from .dataset import PARALLEL_MIN, read_case_files

        kg = self.kg
        self.checked = False
        # the graph read so far stays for the whole run (in the workers too): the collector need not walk it
        # again and again (a quarter of the run's time when it did); and a slice's results, alive until the slice
        # is written, are walked less often (a tenth of the rest, with the default thresholds)
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        pool = None
        try:
            # the files that name another agreement are read first (in parallel when many): then every agreement named
            # is known
            linking = [p for p in self.yaml if LINK_KEYS.search(p.read_bytes())]
            early = list(read_case_files(kg, linking)) if linking else []
            raise_collected([e for part in early for e in part.errors])
            deferred = [f for part in early for f in part.files]
            sources_nt = [part.sources_nt for part in early]
            linked = {target for f in deferred for _, _, target in f.links} | {f.aid for f in deferred}
            early_paths = {str(p) for p in linking}
            rest = [p for p in self.yaml if str(p) not in early_paths]

            _STATE.update(base_nt=kg.ntriples(*ENGINE_LAYERS), catalogue=self.catalogue, when=self.when,
                          engine=self.engine, with_sources=self.with_sources, render=self.render, linked=linked,
                          spool=spool)
            seen = dict(kg.agreements)
            for f in deferred:
                seen[f.aid] = f.path
                self._ids[f.path] = f.aid
            errors: list[InputError] = []
            parallel = len(rest) >= PARALLEL_MIN and self.engine == "oxigraph" and (os.cpu_count() or 1) > 1
            from .dataset import _WORKER

            _WORKER.update(sources=self.kg.source_index, actors=self.kg.actors, known=dict(self.kg.agreements))
            self._workers = min(os.cpu_count() or 1, 8) if parallel else 1
            _STATE["threads"] = 1 if parallel else 2   # a worker per core already: more threads only cost CPU
            if parallel:
                import multiprocessing as mp

                pool = mp.get_context("fork").Pool(self._workers, initializer=_start_worker)
            else:
                _start_worker()
            for done in self._slices(rest, pool):
                for path, aid in done.ids:
                    self._ids[path] = aid
                    if aid in seen:
                        errors.append(InputError(path, 1, f"duplicate agreement id {aid!r}: already used by {seen[aid]}"))
                    seen[aid] = path
                errors += done.errors
                if errors:
                    continue
                sources_nt.append(done.sources_nt)
                deferred += done.deferred
                yield from done.rendered
            raise_collected(errors)
            for file, line, target in kg.unchecked_links + [link for f in deferred for link in f.links]:
                if target not in seen:
                    raise InputError(file, line, f"no agreement with id {target!r} in the graph or the given case files")
            self.checked = True   # every file read, every link found: no bad input can come any more
            last = {f.aid: f for f in deferred}
            turtle = {aid: None for aid in kg.turtle_ids}
            if last or turtle:
                yield from self._judge_last(last, turtle, sources_nt, pool, on_checked)
        finally:
            if pool is not None:
                pool.terminate()
            _WORKER.clear()
            _STATE.clear()
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    def _slices(self, paths: list[Path], pool) -> Iterator[_Done]:
        names = [str(p) for p in paths]
        size = min(MAX_SLICE, max(SLICE, -(-len(names) // (4 * self._workers))))
        bounds = [0, min(FIRST_SLICE, len(names))] if len(names) > FIRST_SLICE else [0]
        while bounds[-1] < len(names):
            bounds.append(min(bounds[-1] + size, len(names)))
        slices = [names[a:b] for a, b in zip(bounds, bounds[1:])]
        if pool is not None:
            yield from track(pool.imap(_work, slices), "judging case files", total=len(slices))
        else:
            yield from (_work(s) for s in slices)

    def _judge_last(self, files: dict, turtle: dict, sources_nt: list[bytes], pool,
                    on_checked: Callable | None = None) -> Iterator[Rendered]:
        """The agreements linked to other case files of the run (and those of case RDF), judged with the files they
        are linked to: each set of files linked together (all of them, with case RDF) beside the graph, the sets
        spread over the workers; given in the order of the files."""
        from .namespaces import ID

        groups = [list(files) + list(turtle)] if turtle else _linked_sets(files)
        tasks: list[tuple[list[bytes], dict]] = []
        share = min(MAX_SLICE, -(-len(files) // (2 * self._workers)))
        for group in groups:
            if not tasks or len(tasks[-1][1]) >= share:
                tasks.append(([], {}))
            for aid in group:
                if aid in files:
                    tasks[-1][0].append(files[aid].nt)
                tasks[-1][1][aid] = ID["agreement/" + aid]
        tasks = [(nt + sources_nt, agreements) for nt, agreements in tasks]
        judged, order, at = {}, list(files) + list(turtle), 0
        judging = pool.imap(_judge_and_render, tasks) if pool is not None else map(_judge_and_render, tasks)
        if on_checked is not None:
            on_checked()   # the workers have their tasks
        for rendered in judging:
            judged.update((r.aid, r) for r in rendered)
            while at < len(order) and order[at] in judged:   # each as soon as those before it are given
                yield judged.pop(order[at])
                at += 1

    def write(self, out: IO[str], stream: bool, head: str = "", separator: str = "", tail: str = "") -> bool:
        """Write `head`, every agreement's text (separated by `separator`), then `tail`. Streamed as judged when
        `stream`; else written once the run is complete, so bad input leaves nothing half-written. Returns whether
        a lawfulness test said no for one of them. The workers write the texts (UTF-8) into a spool folder of
        their own; they go from there to the stream's bytes, where it has them."""
        raw = getattr(out, "buffer", None)
        if raw is not None:
            out.flush()
        put = raw.write if raw is not None else (lambda data: out.write(data.decode("utf-8")))
        sep = separator.encode("utf-8")
        unlawful = False
        with tempfile.TemporaryDirectory(prefix="sistercity-kg-") as folder:
            spool = _Spool()
            try:
                if stream:
                    put(head.encode("utf-8"))
                    for n, r in enumerate(self.results(folder)):
                        put((sep if n else b"") + spool.read(r.text))
                        (raw or out).flush()
                        unlawful |= r.unlawful
                else:
                    where, order, done = {}, None, 0

                    def ready() -> None:
                        """Write, in the order of the files, what is judged: from the moment the input is known to
                        be good (the workers are judging the linked agreements then)."""
                        nonlocal order, done
                        if order is None:
                            order = self.order()
                            put(head.encode("utf-8"))
                        while done < len(order) and order[done] in where:
                            put((sep if done else b"") + spool.read(where.pop(order[done])))
                            done += 1

                    for r in self.results(folder, on_checked=ready):
                        where[r.aid] = r.text
                        unlawful |= r.unlawful
                        if self.checked:
                            ready()
                    ready()
                put(tail.encode("utf-8"))
                (raw or out).flush()
            finally:
                spool.close()
        return unlawful

    def order(self) -> list[str]:
        """The agreements' ids in the order of the files given (once they are read): the order of the written
        JSON array, summary and checklists."""
        return [self._ids.get(str(p)) for p in self.yaml] + list(self.kg.turtle_ids)


def assessments(paths: Iterable[Path], **options) -> list:
    """The Assessment objects of a run, in the order it gives them (for Python callers and tests)."""
    return [r.text for r in Run(list(paths), render=None, **options).results()]


__all__ = ["Run", "Rendered", "assessments", "LINK_KEYS", "SLICE", "MAX_SLICE", "FIRST_SLICE"]
