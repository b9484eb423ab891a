"""Load the dataset into a SPARQL 1.1 store: every layer into its own named graph, replaced safely.

How it stays safe (a store that is down, slow or answers an error keeps its previous graphs):
1. each non-empty layer is uploaded into a *staging* graph `…/graph/staging/<run>/<layer>` — with the Graph
   Store Protocol (`PUT store?graph=…`, N-Triples) where the store offers it, else with SPARQL Update
   (`INSERT DATA`, one request per layer, through SPARQLWrapper);
2. one SPARQL Update request then swaps them all in: `DROP SILENT GRAPH <g> ; MOVE GRAPH <staging> TO GRAPH <g>`
   for each layer (and `DROP SILENT GRAPH <g>` for a layer the dataset leaves empty). A SPARQL 1.1 store
   applies one update request whole or not at all (in Oxigraph one request is one transaction);
3. the triple count of every graph is checked against the dataset.
If anything fails before the swap, the staging graphs are dropped (best effort) and the store's graphs are
as they were. Staging graphs that a crashed run left behind are dropped at the start of the next load (so
run one loader at a time against a store).

Endpoints default to Oxigraph's layout: `…/query` → `…/update` and `…/store`.
"""
from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from .namespaces import GRAPH, LAYERS, graph_iri
from .sparql import DEFAULT_TIMEOUT, Remote, StoreError, credentials, describe_error, sparql_wrapper

STAGING = str(GRAPH) + "staging/"
NTRIPLES = "application/n-triples"


@dataclass
class Endpoints:
    query: str
    update: str
    store: str | None


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


def endpoints(query_url: str, update_url: str | None = None, store_url: str | None = None) -> Endpoints:
    """The update and Graph Store endpoints, derived for Oxigraph (`…/query` → `…/update`, `…/store`)."""
    trimmed = query_url.rstrip("/")
    base = trimmed[: -len("/query")] if trimmed.endswith("/query") else None
    update = update_url or (base + "/update" if base is not None else query_url)
    store = store_url or (base + "/store" if base is not None else None)
    return Endpoints(query_url, update, store)


def on_staged(layer: str, staging_graph: str) -> None:
    """Called after each staging upload; a hook for tests (e.g. stop the store mid-way)."""


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

    def put_graph(self, graph: str, data: bytes) -> bool:
        """PUT N-Triples into `graph` (Graph Store Protocol). False when the store does not offer it."""
        url = self.ep.store + ("&" if "?" in self.ep.store else "?") + urllib.parse.urlencode({"graph": graph})
        request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": NTRIPLES})
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

    def update(self, request: str) -> None:
        from SPARQLWrapper import POSTDIRECTLY

        sw = sparql_wrapper(self.ep.query, self.timeout, self.ep.update)
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

    def counts(self, graphs: list[str]) -> dict[str, int]:
        remote = Remote(self.ep.query, timeout=self.timeout, use_store_dataset=True)
        values = " ".join(f"<{g}>" for g in graphs)
        _, rows = remote.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        return {str(g): int(n) for g, n in rows}

    # -- staging
    def stage(self, graph: str, data: bytes) -> None:
        if self.gsp and self.put_graph(graph, data):
            return
        self.gsp = False
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n"
                    + data.decode("utf-8") + "}}")

    def drop(self, graphs: list[str]) -> None:
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def layer_ntriples(kg) -> dict[str, bytes]:
    """Layer → its N-Triples, for every non-empty layer (the store gives blank nodes its own labels anyway)."""
    out = {}
    for name in LAYERS:
        g = kg.layer(name)
        if len(g):
            out[name] = g.serialize(format="nt", encoding="utf-8")
    return out


def swap_request(staged: dict[str, str]) -> str:
    """The one SPARQL Update request that replaces every layer's graph by its staging graph."""
    ops = []
    for name in LAYERS:
        target = str(graph_iri(name))
        ops.append(f"DROP SILENT GRAPH <{target}>")
        if name in staged:
            ops.append(f"MOVE GRAPH <{staged[name]}> TO GRAPH <{target}>")
    return " ;\n".join(ops)


def load_into_store(kg, query_url: str, update_url: str | None = None, store_url: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT) -> LoadReport:
    """Replace the store's graph of every layer by the dataset's, atomically; raises StoreError on failure."""
    started = time.monotonic()
    ep = endpoints(query_url, update_url, store_url)
    client = _Client(ep, timeout)
    data = layer_ntriples(kg)
    expected = {name: len(kg.layer(name)) for name in data}
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
        raise StoreError(f"load into {query_url} failed: {exc}; nothing was replaced, the store keeps its "
                         f"previous graphs") from None

    try:
        client.update(swap_request(staged))
    except StoreError as exc:
        _cleanup(client, list(staged.values()))
        raise StoreError(f"load into {query_url} failed at the swap: {exc}; a SPARQL 1.1 store applies an update "
                         f"request whole or not at all, so its graphs are either all replaced or all as before") \
            from None

    try:
        counts = client.counts([str(graph_iri(n)) for n in LAYERS])
    except StoreError as exc:
        raise StoreError(f"load into {query_url}: the swap was sent but its result could not be checked: {exc}") \
            from None
    for name in LAYERS:
        got, want = counts.get(str(graph_iri(name)), 0), expected.get(name, 0)
        if got != want:
            raise StoreError(f"load into {query_url}: graph {graph_iri(name)} holds {got} triples after the swap, "
                             f"expected {want}")
    report = LoadReport(query_url, "graph-store-protocol" if client.gsp else "sparql-update", expected,
                        [n for n in LAYERS if n not in data])
    report.seconds = time.monotonic() - started
    return report


def _cleanup(client: _Client, graphs: list[str]) -> None:
    try:
        client.drop(graphs)
    except Exception:
        pass   # best effort: the next load drops stale staging graphs


__all__ = ["Endpoints", "LoadReport", "endpoints", "load_into_store", "layer_ntriples", "swap_request", "on_staged"]
