"""Assessments computed by a remote SPARQL 1.1 store (`assess --endpoint`): the same engine, another store.

The store holds the layers (`sistercity-kg load`). `assess.assess` runs unchanged over `RemoteStore`, an adapter
that answers `query(text)` as a pyoxigraph Store does (`.variables`, rows of terms in their order and by name, `.value`,
None when unbound) and takes the question triples (`sckg:Assessment` nodes) through `bulk_load`: it inserts them
with SPARQL Update (requests of the store profile's size and form) into a temporary named graph
`…/graph/questions/<run>`, dropped when the run ends (also on error). Every query sees as its default graph the
union of the layers the engine reads (`assess.ENGINE_LAYERS`), the graph of case files (`load --case`) and that
temporary graph, given as the protocol's `default-graph-uri` parameters
(`sparql.Remote`): the store needs no configuration, and runs at the same time do not see each other's questions
(nor the assessments layer that `load` wrote). A run that is killed outright leaves its graph behind: no query sees
it (the default graph is always named), and `DROP SILENT GRAPH` removes it. The results say `"engine": "remote"`.

What the engine and the renderer read besides (the agreement ids, the shapes, the citation labels) comes from the
same store (`RemoteKG`), so the local files and the store's version of the graph are never mixed.

With no agreement ids, every agreement of the store is judged: the register's and the case files'.

Not supported remotely: case files (`--case`: they are read on this machine; load them with `load --case` instead)
and the pyshacl engine (it validates in process). A store that is down, slow or answers an error raises
`sparql.StoreError`: one line, exit status 2, never the credentials (SISTERCITY_KG_USER / SISTERCITY_KG_PASSWORD).
"""
from __future__ import annotations

import uuid
from typing import Iterable

from rdflib import Graph

from .assess import ENGINE_LAYERS
from .errors import InputError
from .namespaces import GRAPH, graph_iri, sparql_prologue
from .store import CASE_FILES
from .sparql import DEFAULT_TIMEOUT, QueryError, Remote, StoreError, canonical_value, describe_error

#: Where the questions of one run live while it runs: QUESTIONS + a random run id.
QUESTIONS = str(GRAPH) + "questions/"
ENGINE_NAME = "remote"
#: The store's graphs the engine reads: the layers the shapes read, and the agreements of case files (`load --case`).
DATA_GRAPHS = ENGINE_LAYERS + (CASE_FILES,)


class _Term:
    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __repr__(self) -> str:
        return f"_Term({self.value!r})"


class _Row(tuple):
    """One solution, as pyoxigraph's QuerySolution: its terms (None when unbound) in the order of the variables,
    also `row[name]`."""

    index: dict[str, int]

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.index[key] if isinstance(key, str) else key)


class _Solutions:
    """SELECT results shaped as pyoxigraph's QuerySolutions: `.variables`, and rows (`_Row`)."""

    def __init__(self, variables: list[str], rows: list[dict]):
        self.variables = [_Term(v) for v in variables]
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _body(remote: Remote, sw) -> bytes:
    """Send a prepared SPARQLWrapper request; any failure → one-line StoreError (QueryError when refused)."""
    try:
        return sw.query().response.read()
    except Exception as exc:   # urllib, socket and SPARQLWrapper errors: all mean "the store did not answer"
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        cls = QueryError if isinstance(exc, QueryBadFormed) else StoreError
        raise cls(f"SPARQL endpoint {remote.url}: {describe_error(exc)}") from None


#: HTTP answers of a store that does not take updates at that address (read-only: `oxigraph serve-read-only`,
#: `sistercity-kg serve`; or no update service there).
REFUSED = ("HTTP 403", "HTTP 404", "HTTP 405", "HTTP 401")


class ReadOnlyStore(StoreError):
    """The store refused the questions: it is read-only (or has no update endpoint at that address)."""


class RemoteStore:
    """The engine's store, remote: `query` (SELECT, thread-safe: one SPARQLWrapper per call), `bulk_load` (the
    question triples, into the temporary graph), and `close` (drops it). Use it as a context manager."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 layers: Iterable[str] | None = None, profile=None):
        from .store import _Client, endpoints

        self.graph = f"{QUESTIONS}{uuid.uuid4().hex}"
        self.remote = Remote(query_url, timeout=timeout, layers=tuple(layers or DATA_GRAPHS),
                             extra_graphs=[self.graph])
        self._client = _Client(endpoints(query_url, update_url, profile=profile), timeout)
        self._written = False

    @property
    def update_url(self) -> str:
        return self._client.ep.update

    def query(self, text: str) -> _Solutions:
        data = self.remote._run(text)
        if "results" not in data:
            raise QueryError(f"SPARQL endpoint {self.remote.url}: not a SELECT query")
        variables = list(data.get("head", {}).get("vars", []))
        row = type("_Row", (_Row,), {"index": {v: i for i, v in enumerate(variables)}})
        rows = []
        for binding in data["results"].get("bindings", []):
            rows.append(row((_Term(canonical_value(binding[v].get("value", ""), binding[v].get("datatype")))
                             if v in binding else None) for v in variables))
        return _Solutions(variables, rows)

    def bulk_load(self, data: bytes, format=None) -> None:
        """Add N-Triples (the question triples) to the temporary graph, with SPARQL Update (in requests of the
        store profile's size)."""
        text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        if not text.strip():
            return
        self._written = True   # before sending: a request that times out may still have been applied
        try:
            self._client.append(self.graph, text.encode("utf-8"))
        except StoreError as exc:
            self._written = False
            if any(code in str(exc) for code in REFUSED):
                raise ReadOnlyStore(str(exc)) from None
            raise StoreError(f"could not write the questions into the store: {exc}") from None

    def dump(self, *args, **kwargs):
        raise InputError(None, None, "--engine pyshacl validates on this machine; with --endpoint the store runs "
                                     "the shapes' SPARQL (--engine oxigraph)")

    def close(self) -> None:
        """Drop the temporary graph (when something was written to it)."""
        if self._written:
            try:
                self._client.update(f"DROP SILENT GRAPH <{self.graph}>")
            except StoreError as exc:
                raise StoreError(f"could not drop the temporary graph <{self.graph}> ({exc}); drop it with "
                                 f"DROP SILENT GRAPH <{self.graph}>") from None
            self._written = False

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
            return
        try:
            self.close()
        except Exception:
            pass   # the error that ended the run is the one to report


class RemoteKG:
    """The parts of a KnowledgeGraph that `assess` and the renderer read, from the store: `agreements` (id → IRI)
    and `layer(name)` (an rdflib Graph, fetched with CONSTRUCT once)."""

    def __init__(self, query_url: str, timeout: float = DEFAULT_TIMEOUT):
        self.url = query_url
        self.timeout = timeout
        self.case_ids: dict[str, str] = {}
        self._layers: dict[str, Graph] = {}
        self._agreements: dict[str, str] | None = None

    @property
    def agreements(self) -> dict[str, str]:
        if self._agreements is None:
            remote = Remote(self.url, timeout=self.timeout, layers=["cases", CASE_FILES])
            _, rows = remote.select(sparql_prologue() + "SELECT ?id ?a WHERE { ?a sckg:agreementId ?id }")
            self._agreements = {str(aid): str(a) for aid, a in rows}
        return self._agreements

    def layer(self, name: str) -> Graph:
        if name not in self._layers:
            from SPARQLWrapper import TURTLE

            remote = Remote(self.url, timeout=self.timeout, layers=[name])
            sw = remote._wrapper("CONSTRUCT WHERE { ?s ?p ?o }")
            sw.setReturnFormat(TURTLE)
            body = _body(remote, sw)
            g = Graph()
            try:
                g.parse(data=body, format="turtle")
            except Exception as exc:
                raise StoreError(f"SPARQL endpoint {self.url}: the answer to CONSTRUCT is not Turtle "
                                 f"({type(exc).__name__})") from None
            self._layers[name] = g
        return self._layers[name]


def read_only_store(kg: RemoteKG):
    """An in-memory pyoxigraph store holding the engine's layers as the remote store has them."""
    import pyoxigraph as ox

    store = ox.Store()
    for name in DATA_GRAPHS:
        data = kg.layer(name).serialize(format="nt", encoding="utf-8")
        if data.strip():
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def remote_assess(query_url: str, update_url: str | None = None, agreement_ids: list[str] | None = None,
                  as_of=None, engine: str = "oxigraph", with_sources: bool = False, cases=(),
                  timeout: float = DEFAULT_TIMEOUT, profile=None):
    """`assess` computed by the store at `query_url` → (results, citations for rendering)."""
    from .assess import assess
    from .render import Citations

    if cases:
        raise InputError(None, None, "--case cannot be used with --endpoint: case files are read on this machine; "
                                     "load them into the store (sistercity-kg load), or assess them without --endpoint")
    if engine != "oxigraph":
        raise InputError(None, None, f"--engine {engine} validates on this machine; with --endpoint the store runs "
                                     f"the shapes' SPARQL (--engine oxigraph)")
    kg = RemoteKG(query_url, timeout)
    if not len(kg.layer("shapes")):
        raise StoreError(f"the store at {query_url} holds no graph <{graph_iri('shapes')}>: load the graph first "
                         f"(sistercity-kg load --endpoint {query_url})")
    try:
        with RemoteStore(query_url, update_url, timeout, profile=profile) as store:
            results = assess(kg, agreement_ids, as_of, engine=engine, write=False, with_sources=with_sources,
                             store=store)
        name = ENGINE_NAME
    except ReadOnlyStore:
        # A read-only store (`sistercity-kg serve`): nothing is written into it. The layers the engine reads come
        # from the store (one CONSTRUCT each) and the shapes run here over them: the same graph, the same engine.
        results = assess(kg, agreement_ids, as_of, engine=engine, write=False, with_sources=with_sources,
                         store=read_only_store(kg))
        name = ENGINE_NAME + "-read-only"
    for a in results:
        a.engine = name
    return results, Citations(kg.layer("legislation"))


__all__ = ["RemoteStore", "RemoteKG", "ReadOnlyStore", "remote_assess", "read_only_store", "QUESTIONS"]
