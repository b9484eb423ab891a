"""Triple stores: `load` into a real Oxigraph server (started and stopped here, on 127.0.0.1 only), safe replacement
when the store dies mid-way, answers 500 or is slow, the embedded and remote backends agreeing, and `serve`."""
import http.server
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Literal, URIRef

from sistercity_kg import store as store_module
from sistercity_kg.cli import main
from sistercity_kg.export import export
from sistercity_kg.namespaces import LAYERS, SCKG, graph_iri, sparql_prologue
from sistercity_kg.paths import HOME
from sistercity_kg.serve import OxigraphServer, answers, free_port
from sistercity_kg.sparql import Embedded, QueryError, Remote, StoreError
from sistercity_kg.store import STAGING, endpoints, load_into_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# the `oxigraph` fixture (a server for the whole session) is in conftest.py: test_remote.py shares it


@pytest.fixture(scope="module")
def loaded(kg, oxigraph):
    return load_into_store(kg, oxigraph.query_url)


def _canonical_sets(quads) -> dict[str, set]:
    """Graph name → its triples as N-Triples lines, blank nodes canonically (RDFC-1.0) labelled per graph."""
    by_graph: dict[str, list] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(ox.Quad(q.subject, q.predicate, q.object))
    out = {}
    for g, items in by_graph.items():
        ds = ox.Dataset(items)
        ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        out[g] = {str(q.triple) for q in ds}
    return out


def store_graphs(server: OxigraphServer) -> dict[str, set]:
    """Every named graph of the store (read whole with the Graph Store Protocol) → its set of triples."""
    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = response.read()
    return _canonical_sets(q for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
                           if not isinstance(q.graph_name, ox.DefaultGraph))


def small_kg(marker: str):
    """A stand-in dataset with two layers, to tell one loaded version from another."""
    ds = Dataset()
    agreement = URIRef("https://w3id.org/sistercity-kg/id/agreement/test")
    ds.graph(graph_iri("cases")).add((agreement, SCKG.agreementId, Literal(marker)))
    node = BNode()
    ds.graph(graph_iri("sources")).add((agreement, SCKG.attestedBy, node))
    ds.graph(graph_iri("sources")).add((node, SCKG.readIn, Literal(marker)))
    return type("KG", (), {"dataset": ds, "layer": lambda self, name: ds.graph(graph_iri(name))})()


# ---------------------------------------------------------------------------------------------------- load

def test_endpoints_derived_for_oxigraph():
    ep = endpoints("http://127.0.0.1:7878/query")
    assert (ep.update, ep.store) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    ep = endpoints("http://127.0.0.1:3030/ds/sparql")
    assert (ep.update, ep.store) == ("http://127.0.0.1:3030/ds/sparql", None)


def test_store_holds_exactly_the_exported_quads(kg, loaded, oxigraph, tmp_path):
    export(kg, tmp_path, ["trig"])
    ds = ox.Dataset(ox.parse(path=str(tmp_path / "sistercity-kg.trig"), format=ox.RdfFormat.TRIG))
    expected = _canonical_sets(ds)
    assert set(expected) == {str(graph_iri(layer)) for layer in LAYERS if len(kg.layer(layer))}
    got = store_graphs(oxigraph)
    assert set(got) == set(expected), "one named graph per non-empty layer, no staging graph left"
    for g in expected:
        assert got[g] == expected[g], g
    assert loaded.total == sum(len(s) for s in expected.values())
    assert loaded.method == "graph-store-protocol"


def test_second_load_changes_nothing(kg, loaded, oxigraph):
    before = store_graphs(oxigraph)
    report = load_into_store(kg, oxigraph.query_url)
    assert store_graphs(oxigraph) == before
    assert report.triples == loaded.triples


def test_sparql_update_path_when_no_graph_store(tmp_path):
    """Without a Graph Store endpoint the layers are staged with INSERT DATA; the result is the same."""
    with OxigraphServer(tmp_path / "db") as server:
        report = load_into_store(small_kg("v1"), server.query_url, store_url=server.base_url + "/no-such-store")
        assert report.method == "sparql-update"
        got = store_graphs(server)
        assert set(got) == {str(graph_iri("cases")), str(graph_iri("sources"))}
        assert len(got[str(graph_iri("sources"))]) == 2


def test_store_killed_mid_load_keeps_previous_graphs(tmp_path, monkeypatch):
    server = OxigraphServer(tmp_path / "db")
    server.start()
    try:
        load_into_store(small_kg("previous"), server.query_url)
        previous = store_graphs(server)

        def kill_after_first_upload(layer, staging):
            server.process.kill()
            server.process.wait()

        monkeypatch.setattr(store_module, "on_staged", kill_after_first_upload)
        result = CliRunner().invoke(main, ["load", "--endpoint", server.query_url, "--timeout", "5"])
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "previous graphs" in lines[0], result.output
        assert "Traceback" not in result.output

        monkeypatch.setattr(store_module, "on_staged", lambda layer, staging: None)
        server.process = None
        server.start()                         # the same database, restarted
        after = {g: t for g, t in store_graphs(server).items() if not g.startswith(STAGING)}
        assert after == previous
        load_into_store(small_kg("next"), server.query_url)   # the next load drops the stale staging graphs
        assert not [g for g in store_graphs(server) if g.startswith(STAGING)]
    finally:
        server.stop()


class _Failing(http.server.BaseHTTPRequestHandler):
    seen_auth: list = []
    delay = 0.0

    def _answer(self):
        type(self).seen_auth.append(self.headers.get("Authorization"))
        if self.delay:
            time.sleep(self.delay)
        body = b"internal error\nsecond line"
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def bad_server():
    servers = []

    def start(delay=0.0):
        handler = type("Handler", (_Failing,), {"delay": delay, "seen_auth": []})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        # a slow handler writes after the client gave up (BrokenPipe): socketserver would print that traceback on
        # stderr during a later test, into its captured output
        httpd.handle_error = lambda request, client_address: None
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/query", handler

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def test_store_answering_500_fails_cleanly(bad_server, monkeypatch):
    url, handler = bad_server()
    monkeypatch.setenv("SISTERCITY_KG_USER", "loader")
    monkeypatch.setenv("SISTERCITY_KG_PASSWORD", "s3cret-pw")
    result = CliRunner().invoke(main, ["load", "--endpoint", url])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "500" in lines[0] and "previous graphs" in lines[0], result.output
    assert "s3cret-pw" not in result.output
    assert handler.seen_auth and handler.seen_auth[0].startswith("Basic ")


def test_slow_store_times_out_cleanly(bad_server):
    url, _ = bad_server(delay=60)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["load", "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 2
    assert "timed out" in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert time.monotonic() - started < 50     # the store answers after 60 s: the 1 s timeout, not the store, ended it


def test_store_down_fails_cleanly():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["load", "--endpoint", url])
    assert result.exit_code == 2
    assert "connection refused" in result.output and len(result.output.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------ backends

QUERIES = [
    "SELECT ?a ?label WHERE { ?a a sckg:Agreement ; rdfs:label ?label } ORDER BY ?a ?label",
    "SELECT ?a ?date ?none WHERE { ?a sckg:signing ?s . ?s sckg:onDate ?date . OPTIONAL { ?a sckg:noSuchThing ?none } }"
    " ORDER BY ?a ?date",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?p ?text WHERE { ?p sckg:text ?text } ORDER BY ?p ?text LIMIT 50",
    "SELECT ?s ?grade WHERE { ?s sckg:grade ?grade } ORDER BY ?s",
]


def test_embedded_and_remote_agree(kg, loaded, oxigraph):
    embedded, remote = Embedded(kg), Remote(oxigraph.query_url)
    for q in QUERIES:
        query = sparql_prologue() + q
        e, r = embedded.select(query), remote.select(query)
        assert e[1], f"no rows for {q}"
        assert e == r, q
    dated = embedded.select(sparql_prologue() + QUERIES[1])[1]
    assert all(isinstance(row[1], Literal) and row[1].datatype is not None and row[2] is None for row in dated)
    ask = sparql_prologue() + "ASK { ?a a sckg:Agreement }"
    assert embedded.ask(ask) is True and remote.ask(ask) is True
    assert remote.ask("ASK { <urn:x> <urn:y> <urn:z> }") is False


def test_remote_errors_are_one_line(bad_server, oxigraph):
    url, _ = bad_server()
    with pytest.raises(StoreError) as err:
        Remote(url).select("SELECT * WHERE { ?s ?p ?o }")
    assert "500" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(QueryError):
        Remote(oxigraph.query_url).select("SELEC nothing")
    with pytest.raises(StoreError, match="connection refused"):
        Remote(f"http://127.0.0.1:{free_port()}/query").ask("ASK {}")


# ------------------------------------------------------------------------------------------------- serve

def test_serve_answers_and_refuses_updates():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sistercity_kg.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=HOME)
    try:
        line = proc.stdout.readline()
        assert line.strip().endswith(f"http://127.0.0.1:{port}/query"), line + proc.stderr.read()
        url = f"http://127.0.0.1:{port}/query"
        assert answers(url)
        remote = Remote(url, use_store_dataset=True)      # no graph parameters: the union default graph
        _, rows = remote.select(sparql_prologue() + "SELECT ?a WHERE { ?a a sckg:Agreement }")
        assert rows
        request = urllib.request.Request(f"http://127.0.0.1:{port}/update", method="POST",
                                         data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                         headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code in (403, 404, 405)
        assert remote.ask("ASK { <urn:a> <urn:b> <urn:c> }") is False
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0
    assert not answers(f"http://127.0.0.1:{port}/query", timeout=0.5), "the oxigraph child stopped too"
