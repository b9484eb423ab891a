"""Load the dataset into a SPARQL 1.1 store: every layer into its own named graph, replaced safely; and the
agreements of case files into a graph of their own (`load --case`).

How it stays safe (a store that is down, slow or answers an error keeps its previous graphs):
1. each graph's data is uploaded into a *staging* graph `…/graph/staging/<run>/<name>`, in requests of a bounded
   number of triples (the profile's; the triples that share a blank node go in one request) — with the Graph
   Store Protocol (`PUT`, then `POST store?graph=…`, N-Triples) where the store offers it, else with SPARQL
   Update (`INSERT DATA`, or `INSERT { GRAPH <g> { … } } WHERE {}` for a store that refuses blank nodes in
   `INSERT DATA`), through SPARQLWrapper;
2. one SPARQL Update request then swaps them all in: `DROP SILENT GRAPH <g> ; MOVE GRAPH <staging> TO GRAPH <g>`
   for each graph (and `DROP SILENT GRAPH <g>` for a layer the dataset leaves empty). A SPARQL 1.1 store
   applies one update request whole or not at all (in Oxigraph one request is one transaction). Its timeout
   (and the count check's) grows with the triples moved, from `--timeout` up;
3. the triple count of every graph is checked against the data.
If anything fails before the swap, the staging graphs are dropped (best effort) and the store's graphs are
as they were. Staging graphs that a crashed run left behind are dropped at the start of the next load (so
run one loader at a time against a store).

Endpoints default to the store profile's layout (profiles.py): Oxigraph's `…/query` → `…/update` and `…/store`.
"""
from __future__ import annotations

import base64
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Iterator

from .namespaces import GRAPH, LAYERS, graph_iri
from .profiles import PROFILES, StoreProfile, profile as get_profile
from .sparql import DEFAULT_TIMEOUT, Remote, StoreError, credentials, describe_error, sparql_wrapper

STAGING = str(GRAPH) + "staging/"
NTRIPLES = "application/n-triples"
#: The named graph of the agreements loaded from case files (`load --case`), beside the layers' graphs.
CASE_FILES = "case-files"
CASE_FILES_GRAPH = str(graph_iri(CASE_FILES))


@dataclass
class Endpoints:
    query: str
    update: str
    store: str | None
    profile: StoreProfile = PROFILES["oxigraph"]


@dataclass
class LoadReport:
    endpoint: str
    method: str                                             # "graph-store-protocol" or "sparql-update"
    triples: dict[str, int] = field(default_factory=dict)   # layer → triples loaded
    dropped: list[str] = field(default_factory=list)        # layers the dataset leaves empty
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.triples.values())


def endpoints(query_url: str, update_url: str | None = None, store_url: str | None = None,
              profile: str | StoreProfile | None = None) -> Endpoints:
    """The update and Graph Store endpoints, derived by the store profile (Oxigraph's by default:
    `…/query` → `…/update`, `…/store`); given ones win."""
    p = get_profile(profile)
    update, store = p.derive(query_url)
    return Endpoints(query_url, update_url or update, store_url or store, p)


def on_staged(layer: str, staging_graph: str) -> None:
    """Called after each staging upload; a hook for tests (e.g. stop the store mid-way)."""


_BNODE = re.compile(rb"_:([A-Za-z0-9_.\-]+)")


def chunks(nt: bytes, size: int) -> Iterator[bytes]:
    """N-Triples in pieces of at most `size` triples (more only where blank nodes tie more together): the triples
    that share a blank node stay in one piece, since each request is a document of its own for the store."""
    lines = [line + b"\n" for line in nt.splitlines() if line.strip()]
    if not any(b"_:" in line for line in lines):
        for start in range(0, len(lines), size):
            yield b"".join(lines[start:start + size])
        return
    parent: dict[bytes, bytes] = {}

    def find(x: bytes) -> bytes:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups: dict[bytes, list[bytes]] = {}
    plain = []
    tied = []
    for line in lines:
        labels = _BNODE.findall(line) if b"_:" in line else []
        if not labels:
            plain.append(line)
            continue
        root = find(labels[0])
        for other in labels[1:]:
            parent[find(other)] = root
        tied.append((labels[0], line))
    for label, line in tied:
        groups.setdefault(find(label), []).append(line)
    piece: list[bytes] = []
    for group in [[line] for line in plain] + list(groups.values()):
        if piece and len(piece) + len(group) > size:
            yield b"".join(piece)
            piece = []
        piece += group
    if piece:
        yield b"".join(piece)


def distinct_lines(parts) -> bytes:
    """N-Triples chunks → one N-Triples text, every triple once (in the order first seen)."""
    seen = dict.fromkeys(line for part in parts for line in part.splitlines() if line.strip())
    return b"".join(line + b"\n" for line in seen)


class _Client:
    def __init__(self, ep: Endpoints, timeout: float):
        self.ep = ep
        self.timeout = timeout
        self.gsp = ep.store is not None

    # -- HTTP
    def _auth(self, request: urllib.request.Request) -> None:
        creds = credentials()
        if creds:
            token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode("utf-8")).decode("ascii")
            request.add_header("Authorization", "Basic " + token)

    def put_graph(self, graph: str, data: bytes, method: str = "PUT") -> bool:
        """PUT (replace) or POST (add) N-Triples into `graph` (Graph Store Protocol). False when the store does
        not offer it."""
        url = self.ep.store + ("&" if "?" in self.ep.store else "?") + urllib.parse.urlencode({"graph": graph})
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": NTRIPLES})
        self._auth(request)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
            return True
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 405, 501):
                return False
            raise StoreError(f"{self.ep.store}: {describe_error(exc)}") from None
        except Exception as exc:
            raise StoreError(f"{self.ep.store}: {describe_error(exc)}") from None

    def update(self, request: str, timeout: float | None = None) -> None:
        from SPARQLWrapper import POSTDIRECTLY

        sw = sparql_wrapper(self.ep.query, timeout or self.timeout, self.ep.update)
        sw.setRequestMethod(POSTDIRECTLY)
        sw.setQuery(request)
        if not sw.isSparqlUpdateRequest():
            raise ValueError("not a SPARQL Update request")
        try:
            sw.query().response.read()
        except Exception as exc:
            raise StoreError(f"{self.ep.update}: {describe_error(exc)}") from None

    def graphs(self) -> list[str]:
        remote = Remote(self.ep.query, timeout=self.timeout, use_store_dataset=True)
        _, rows = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r[0]) for r in rows if r[0] is not None)

    def counts(self, graphs: list[str], timeout: float | None = None) -> dict[str, int]:
        remote = Remote(self.ep.query, timeout=timeout or self.timeout, use_store_dataset=True)
        values = " ".join(f"<{g}>" for g in graphs)
        _, rows = remote.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        return {str(g): int(n) for g, n in rows}

    # -- staging
    def insert_request(self, graph: str, text: str) -> str:
        """The SPARQL Update that adds N-Triples to `graph`, in the form the profile's store takes."""
        if self.ep.profile.staging == "insert-where":
            return f"INSERT {{ GRAPH <{graph}> {{\n{text}}} }} WHERE {{}}"
        return f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}}} }}"

    def stage(self, graph: str, data: bytes) -> None:
        """`graph` := the N-Triples `data`, in requests of at most the profile's number of triples."""
        if self.gsp:
            for n, piece in enumerate(chunks(data, self.ep.profile.gsp_chunk)):
                if not self.put_graph(graph, piece, "PUT" if n == 0 else "POST"):
                    if n:
                        raise StoreError(f"{self.ep.store}: the Graph Store Protocol stopped answering mid-way")
                    self.gsp = False
                    break
            else:
                return
        self.update(f"DROP SILENT GRAPH <{graph}>")
        self.append(graph, data)

    def append(self, graph: str, data: bytes) -> None:
        """Add N-Triples to `graph` with SPARQL Update, in requests of at most the profile's number of triples."""
        for piece in chunks(data, self.ep.profile.update_chunk):
            self.update(self.insert_request(graph, piece.decode("utf-8")))

    def drop(self, graphs: list[str]) -> None:
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def scaled(self, triples: int) -> float:
        """The timeout of a request that moves or counts `triples`: --timeout, more for big graphs."""
        return self.timeout + triples / self.ep.profile.moved_per_second


def layer_ntriples(kg) -> dict[str, bytes]:
    """Layer → its N-Triples, for every non-empty layer (the store gives blank nodes its own labels anyway)."""
    out = {}
    for name in LAYERS:
        g = kg.layer(name)
        if len(g):
            out[name] = g.serialize(format="nt", encoding="utf-8")
    return out


def swap_request(staged: dict[str, str], targets: dict[str, str] | None = None) -> str:
    """The one SPARQL Update request that replaces every target graph (name → IRI; the layers' by default) by its
    staging graph, or drops it when nothing was staged for it."""
    targets = targets or {name: str(graph_iri(name)) for name in LAYERS}
    ops = []
    for name, target in targets.items():
        ops.append(f"DROP SILENT GRAPH <{target}>")
        if name in staged:
            ops.append(f"MOVE GRAPH <{staged[name]}> TO GRAPH <{target}>")
    return " ;\n".join(ops)


def replace_graphs(client: _Client, targets: dict[str, str], data: dict[str, bytes], expected: dict[str, int],
                   url: str) -> None:
    """Replace each target graph (name → IRI) by its data (name → N-Triples; a target with none is dropped):
    staging graphs, one swap request, the count check (`expected`: name → triples)."""
    run = uuid.uuid4().hex[:12]
    staged: dict[str, str] = {}
    try:
        stale = [g for g in client.graphs() if g.startswith(STAGING)]
        client.drop(stale)
        for name, nt in data.items():
            graph = f"{STAGING}{run}/{name}"
            staged[name] = graph
            client.stage(graph, nt)
            on_staged(name, graph)
    except StoreError as exc:
        _cleanup(client, list(staged.values()))
        raise StoreError(f"load into {url} failed: {exc}; nothing was replaced, the store keeps its "
                         f"previous graphs") from None

    total = sum(expected.values())
    try:
        client.update(swap_request(staged, targets), timeout=client.scaled(total))
    except StoreError as exc:
        _cleanup(client, list(staged.values()))
        if client.ep.profile.atomic:
            raise StoreError(f"load into {url} failed at the swap: {exc}; a SPARQL 1.1 store applies an update "
                             f"request whole or not at all, so its graphs are either all replaced or all as before") \
                from None
        raise StoreError(f"load into {url} failed at the swap: {exc}; this store ({client.ep.profile.name}) commits "
                         f"operation by operation, so some graphs may be replaced: load again") from None

    try:
        counts = client.counts(list(targets.values()), timeout=client.scaled(total))
    except StoreError as exc:
        raise StoreError(f"load into {url}: the swap was sent but its result could not be checked: {exc}") \
            from None
    for name, target in targets.items():
        got, want = counts.get(target, 0), expected.get(name, 0)
        if got != want:
            raise StoreError(f"load into {url}: graph {target} holds {got} triples after the swap, "
                             f"expected {want}")


def load_into_store(kg, query_url: str, update_url: str | None = None, store_url: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT, profile: str | StoreProfile | None = None) -> LoadReport:
    """Replace the store's graph of every layer by the dataset's, atomically; raises StoreError on failure."""
    started = time.monotonic()
    client = _Client(endpoints(query_url, update_url, store_url, profile), timeout)
    data = layer_ntriples(kg)
    expected = {name: len(kg.layer(name)) for name in data}
    replace_graphs(client, {name: str(graph_iri(name)) for name in LAYERS}, data, expected, query_url)
    report = LoadReport(query_url, "graph-store-protocol" if client.gsp else "sparql-update", expected,
                        [n for n in LAYERS if n not in data])
    report.seconds = time.monotonic() - started
    return report


def case_file_triples(kg) -> bytes:
    """The triples the case files given to `dataset.load` compile to: their agreements (`kg.given`) and the
    sources they declare inline — every triple once, as N-Triples."""
    return distinct_lines(list(kg.given) + list(kg.pending_nt.get("sources", [])))


def load_case_files(case_files, query_url: str, update_url: str | None = None, store_url: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT, profile: str | StoreProfile | None = None) -> LoadReport:
    """Replace the store's graph of case files (`…/graph/case-files`) by the agreements of `case_files`,
    atomically. The store must hold the project's layers (`load` first); an id the register uses is bad input."""
    from .dataset import load
    from .errors import InputError
    from .namespaces import sparql_prologue

    started = time.monotonic()
    client = _Client(endpoints(query_url, update_url, store_url, profile), timeout)
    held = client.counts([str(graph_iri(n)) for n in ("shapes", "cases")])
    if not all(held.get(str(graph_iri(n))) for n in ("shapes", "cases")):
        raise StoreError(f"the store at {query_url} does not hold the project's graphs yet (no "
                         f"<{graph_iri('shapes')}> or <{graph_iri('cases')}>): run sistercity-kg load --endpoint "
                         f"{query_url} first")
    kg = load(case_files=list(case_files))   # a case file whose id the register uses is an error of that file
    _, rows = Remote(query_url, timeout=timeout, layers=["cases"]).select(
        sparql_prologue() + "SELECT DISTINCT ?id WHERE { ?a sckg:agreementId ?id }")
    register = {str(r[0]) for r in rows}
    clashes = [(path, aid) for path, aid in kg.case_ids.items() if aid in register]
    if clashes:
        path, aid = clashes[0]
        more = f" (and {len(clashes) - 1} more case files)" if len(clashes) > 1 else ""
        raise InputError(path, 1, f"agreement id {aid!r} is already in the register of the store at {query_url}; "
                                  f"a case file's id must be new{more}")
    nt = case_file_triples(kg)
    expected = {CASE_FILES: nt.count(b"\n")}
    replace_graphs(client, {CASE_FILES: CASE_FILES_GRAPH}, {CASE_FILES: nt} if nt else {}, expected, query_url)
    report = LoadReport(query_url, "graph-store-protocol" if client.gsp else "sparql-update", expected)
    report.seconds = time.monotonic() - started
    return report


def _cleanup(client: _Client, graphs: list[str]) -> None:
    try:
        client.drop(graphs)
    except Exception:
        pass   # best effort: the next load drops stale staging graphs


__all__ = ["Endpoints", "LoadReport", "endpoints", "load_into_store", "load_case_files", "layer_ntriples",
           "swap_request", "on_staged", "chunks", "CASE_FILES", "CASE_FILES_GRAPH"]
