"""Where queries run: embedded (pyoxigraph, in process) or remote (any SPARQL 1.1 endpoint, over SPARQLWrapper).

Both backends answer the same two calls, and give the same rows for the same data:

    backend.select(query) -> (vars, rows)   # vars: list of names; rows: tuples of rdflib terms (None if unbound)
    backend.ask(query) -> bool

Literals come back as rdflib Literals with their datatype or language (a simple literal has datatype None, as
rdflib writes it). The default graph a query sees is the union of the layers' named graphs, in both backends:
embedded through pyoxigraph's `use_default_graph_as_union`, remote through the protocol's `default-graph-uri`
and `named-graph-uri` parameters (one per layer), so a store needs no special configuration.

A remote store that is down, slow or answers an error raises `StoreError` (an `InputError`): one line, no
traceback, never the credentials (read from SISTERCITY_KG_USER / SISTERCITY_KG_PASSWORD); the CLI's
`handle_input_errors` turns it into exit status 2.
"""
from __future__ import annotations

import json
import os
import socket
import urllib.error
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import InputError
from .namespaces import LAYERS, bind_prefixes, graph_iri

USER_ENV = "SISTERCITY_KG_USER"
PASSWORD_ENV = "SISTERCITY_KG_PASSWORD"
DEFAULT_TIMEOUT = 60


class StoreError(InputError):
    """A SPARQL store could not do what was asked (down, timeout, HTTP error, bad answer).

    It is an InputError (with no file or line), so every command wrapped by cli.handle_input_errors reports
    it as one line on stderr with exit status 2, like bad input."""

    def __init__(self, message: str):
        super().__init__(None, None, " ".join(str(message).split()))

    def __str__(self) -> str:
        return self.message


class QueryError(StoreError):
    """The query itself was refused (syntax error, wrong query form)."""


def sparql_wrapper(query_url: str, timeout: float, update_url: str | None = None):
    """A SPARQLWrapper as every remote call here uses it: POST, a timeout, credentials from the environment."""
    from SPARQLWrapper import POST, SPARQLWrapper

    sw = SPARQLWrapper(query_url, updateEndpoint=update_url) if update_url else SPARQLWrapper(query_url)
    sw.setMethod(POST)
    sw.setTimeout(max(1, int(round(timeout))))
    creds = credentials()
    if creds:
        sw.setCredentials(*creds)
    return sw


def credentials() -> tuple[str, str] | None:
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    return (user, password or "") if user else None


def describe_error(exc: BaseException) -> str:
    """A short, one-line reason for a failed HTTP exchange (no credentials, no traceback)."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if isinstance(exc, urllib.error.HTTPError):
        body = ""
        try:
            body = exc.read().decode("utf-8", "replace")
        except Exception:
            pass
        return f"HTTP {exc.code} {exc.reason}" + (f": {_first_line(body)}" if body.strip() else "")
    if isinstance(exc, SPARQLWrapperException):
        codes = {"QueryBadFormed": "HTTP 400 (bad request)", "EndPointNotFound": "HTTP 404 (not found)",
                 "Unauthorized": "HTTP 401 (unauthorized: check SISTERCITY_KG_USER / SISTERCITY_KG_PASSWORD)",
                 "URITooLong": "HTTP 414 (URI too long)", "EndPointInternalError": "HTTP 500 (internal server error)"}
        head = codes.get(type(exc).__name__, type(exc).__name__)
        detail = _first_line(str(exc).split("Response:", 1)[-1]) if "Response:" in str(exc) else ""
        return head + (f": {detail}" if detail else "")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return "timed out"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused (is the store running?)"
        return f"cannot connect: {reason}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(exc, ConnectionError):
        return f"connection lost ({type(exc).__name__})"
    return _first_line(f"{type(exc).__name__}: {exc}")


def _first_line(text: str, limit: int = 200) -> str:
    text = text.strip()
    if text.startswith(("b'", 'b"')):
        text = text[2:-1].encode().decode("unicode_escape", "replace")
    for line in text.splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


#: xsd:boolean's other lexical forms (Virtuoso answers "1" and "0") → the canonical ones.
BOOLEAN_FORMS = {"1": "true", "0": "false"}


def canonical_value(value: str, datatype: str | None) -> str:
    """A literal's lexical form as every backend gives it: xsd:boolean in its canonical form (true, false)."""
    if datatype == str(XSD.boolean):
        return BOOLEAN_FORMS.get(value, value)
    return value


def _literal(value: str, datatype: str | None, language: str | None) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype is None or datatype == str(XSD.string):
        return Literal(value)
    return Literal(canonical_value(value, datatype), datatype=URIRef(datatype))


# ---------------------------------------------------------------------------------------------------- embedded

def _from_oxigraph(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None, term.language)
    raise TypeError(f"unexpected term {term!r}")


def nquads(source) -> bytes:
    """N-Quads of a KnowledgeGraph, an rdflib Dataset (its named graphs) or a Graph (into the default graph)."""
    from rdflib import Dataset, Graph

    data = getattr(source, "dataset", source)
    if isinstance(data, Dataset):
        return data.serialize(format="nquads", encoding="utf-8")
    if isinstance(data, Graph):
        return data.serialize(format="nt", encoding="utf-8")
    raise TypeError(f"cannot read RDF from {type(source).__name__}")


class Embedded:
    """An in-process pyoxigraph store built from the dataset's quads; default graph = union of named graphs."""

    name = "embedded"

    def __init__(self, kg, layers: Iterable[str] | None = None):
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.load(nquads(kg), format=ox.RdfFormat.N_QUADS)
        self.layers = tuple(layers) if layers is not None else None

    def _query(self, query: str):
        import pyoxigraph as ox

        kwargs = {"use_default_graph_as_union": True}
        if self.layers is not None:
            kwargs = {"default_graph": [ox.NamedNode(str(graph_iri(l))) for l in self.layers],
                      "named_graphs": [ox.NamedNode(str(graph_iri(l))) for l in self.layers]}
        try:
            return self.store.query(query, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {_first_line(str(exc))}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {_first_line(str(exc))}") from None

    def select(self, query: str) -> tuple[list[str], list[tuple]]:
        import pyoxigraph as ox

        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        variables = list(result.variables)
        rows = [tuple(_from_oxigraph(solution[v]) for v in variables) for solution in result]
        return [v.value for v in variables], rows

    def ask(self, query: str) -> bool:
        import pyoxigraph as ox

        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE query → its triples as an rdflib graph."""
        import pyoxigraph as ox

        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        g = Graph()
        bind_prefixes(g)
        if data:
            g.parse(data=data, format="nt")
        return g


# ------------------------------------------------------------------------------------------------------ remote

def _from_json(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        return _literal(value, binding.get("datatype"), binding.get("xml:lang"))
    raise StoreError(f"unexpected term in the SPARQL results: {kind}")


class Remote:
    """A SPARQL 1.1 endpoint over SPARQLWrapper (JSON results), with HTTP basic credentials from the environment.

    `layers` (default: all of them) become the protocol's default-graph-uri and named-graph-uri parameters, so
    the default graph is their union, as in the embedded backend. `use_store_dataset=True` sends no graph
    parameters: the query sees the store's own default graph and all its named graphs. `extra_graphs` (IRIs)
    join the layers in both parameters, e.g. the temporary graph of an assessment's questions (remote_engine.py)."""

    name = "remote"

    def __init__(self, query_url: str, timeout: float = DEFAULT_TIMEOUT, layers: Iterable[str] | None = None,
                 use_store_dataset: bool = False, extra_graphs: Iterable[str] = ()):
        self.url = query_url
        self.timeout = timeout
        self.graphs = [] if use_store_dataset else [str(graph_iri(l)) for l in (layers or LAYERS)]
        self.graphs += [str(g) for g in extra_graphs]

    def _wrapper(self, query: str):
        from SPARQLWrapper import JSON

        sw = sparql_wrapper(self.url, self.timeout)
        sw.setReturnFormat(JSON)
        for g in self.graphs:
            sw.addParameter("default-graph-uri", g)
            sw.addParameter("named-graph-uri", g)
        sw.setQuery(query)
        return sw

    def _run(self, query: str) -> dict:
        sw = self._wrapper(query)
        try:
            response = sw.query().response
            body = response.read()
        except Exception as exc:   # urllib, socket and SPARQLWrapper errors: all mean "the store did not answer"
            from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

            cls = QueryError if isinstance(exc, QueryBadFormed) else StoreError
            raise cls(f"SPARQL endpoint {self.url}: {describe_error(exc)}") from None
        try:
            return json.loads(body)
        except ValueError:
            raise StoreError(f"SPARQL endpoint {self.url}: the answer is not SPARQL JSON results") from None

    def select(self, query: str) -> tuple[list[str], list[tuple]]:
        data = self._run(query)
        if "results" not in data:
            raise QueryError(f"SPARQL endpoint {self.url}: not a SELECT query")
        variables = list(data.get("head", {}).get("vars", []))
        rows = [tuple(_from_json(b.get(v)) for v in variables) for b in data["results"].get("bindings", [])]
        return variables, rows

    def ask(self, query: str) -> bool:
        data = self._run(query)
        if "boolean" not in data:
            raise QueryError(f"SPARQL endpoint {self.url}: not an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE query → its triples as an rdflib graph (the store answers in N-Triples)."""
        from SPARQLWrapper import N3

        sw = self._wrapper(query)
        sw.setReturnFormat(N3)
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        try:
            response = sw.query().response
            body = response.read()
            ctype = response.headers.get("Content-Type", "")
        except Exception as exc:
            from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

            cls = QueryError if isinstance(exc, QueryBadFormed) else StoreError
            raise cls(f"SPARQL endpoint {self.url}: {describe_error(exc)}") from None
        g = Graph()
        bind_prefixes(g)
        try:
            g.parse(data=body, format="nt" if "n-triples" in ctype else "turtle")
        except Exception as exc:
            raise StoreError(f"SPARQL endpoint {self.url}: the answer is not RDF ({type(exc).__name__})") from None
        return g


def backend(kg=None, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT, profile=None):
    """The backend a command uses: Remote(endpoint) when an endpoint is given, else Embedded(kg or load()).
    Queries are plain SPARQL 1.1 protocol on every store profile (`profile` sets only where updates go)."""
    if endpoint:
        return Remote(endpoint, timeout=timeout)
    if kg is None:
        from .dataset import load

        kg = load()
    return Embedded(kg)


__all__ = ["Embedded", "Remote", "StoreError", "QueryError", "backend", "credentials", "nquads"]
