"""`--endpoint` on assess, answer and query: a real Oxigraph server (conftest's `oxigraph`, on 127.0.0.1), loaded with
`sistercity-kg load`, gives the same results as the embedded engine; the questions' temporary graph is dropped,
also on error; a stopped store is one line and exit status 2."""
import json

import pytest
from click.testing import CliRunner

from sistercity_kg import assess as assess_module
from sistercity_kg.cli import main
from sistercity_kg.queries import as_records
from sistercity_kg.namespaces import LAYERS, graph_iri
from sistercity_kg.remote_engine import QUESTIONS
from sistercity_kg.serve import OxigraphServer
from sistercity_kg.sparql import Remote, StoreError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAIR = ["bogor-kisarazu-2016", "bogor-kisarazu-2022"]


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def store_graphs(url: str) -> set[str]:
    _, rows = Remote(url, use_store_dataset=True).select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {str(g) for (g,) in rows}


@pytest.fixture(scope="module")
def url(oxigraph):
    result = run("load", "--endpoint", oxigraph.query_url)
    assert result.exit_code == 0, result.output
    assert str(graph_iri("assessments")) in store_graphs(oxigraph.query_url), "load writes the assessments layer"
    return oxigraph.query_url


def without_engine(data):
    return [{k: v for k, v in a.items() if k != "engine"} for a in (data if isinstance(data, list) else [data])]


@pytest.mark.parametrize("args", [
    ["bogor-kisarazu-2016"],
    ["bogor-kisarazu-2022"],
    [*PAIR, "--as-of", "2024-01-01", "--sources"],
], ids=["2016-signing", "2022-signing", "both-2024-01-01"])
def test_assess_remote_equals_embedded(url, args):
    embedded = run("assess", *args, "--format", "json")
    remote = run("assess", *args, "--format", "json", "--endpoint", url)
    assert remote.exit_code == embedded.exit_code and remote.exit_code in (0, 1), remote.output
    e, r = json.loads(embedded.output), json.loads(remote.output)
    assert without_engine(r) == without_engine(e)
    assert {a["engine"] for a in (r if isinstance(r, list) else [r])} == {"remote"}
    assert not [g for g in store_graphs(url) if g.startswith(QUESTIONS)], "the questions' graph is dropped"
    assert store_graphs(url) <= {str(graph_iri(layer)) for layer in LAYERS}


def _rows(items) -> set[str]:
    return {json.dumps(i, sort_keys=True, ensure_ascii=False) for i in items}


def test_answer_remote_equals_embedded(url):
    embedded = run("answer", "--format", "json")
    remote = run("answer", "--format", "json", "--endpoint", url)
    assert embedded.exit_code == remote.exit_code == 0, remote.output
    e, r = json.loads(embedded.output), json.loads(remote.output)
    assert [a["question"] for a in r] == [a["question"] for a in e] == list(range(1, 8))
    for a, b in zip(e, r):
        assert a["rows"], f"q{a['question']} has rows"
        assert _rows(b["rows"]) == _rows(a["rows"]), f"q{a['question']}"
        assert b["answer"] == a["answer"], f"q{a['question']}: the prose"
        assert (b["title"], b["rests_on"]) == (a["title"], a["rests_on"])
        assert _rows(b["provisions"]) == _rows(a["provisions"]) and _rows(b["sources"]) == _rows(a["sources"])


def test_query_remote_equals_embedded(url):
    embedded = run("query", "r1", "--format", "json")
    remote = run("query", "r1", "--format", "json", "--endpoint", url)
    assert embedded.exit_code == remote.exit_code == 0, remote.output
    e, r = json.loads(embedded.output), json.loads(remote.output)
    assert e["rows"] and r["variables"] == e["variables"]
    assert _rows(r["rows"]) == _rows(e["rows"])


@pytest.fixture(scope="module")
def backends(url):
    """The embedded graph as `query` builds it (the register assessed) and the store, each built once."""
    from sistercity_kg.cli import _graph_with_assessments
    from sistercity_kg.sparql import backend

    return backend(_graph_with_assessments(), None), backend(None, url)


@pytest.mark.parametrize("args", [
    ["r5", "--param", "date=2014-12-15"],
    ["r6", "--param", "state=CN", "--param", "date=1985-06-01"],
    ["r7"], ["r8"], ["r9"], ["r10"], ["r11"],
], ids=["r5", "r6", "r7", "r8", "r9", "r10", "r11"])
def test_register_queries_remote_equal_embedded(backends, args):
    """Issue 11: the register's questions (and the relation and the law on a date) give the same rows both ways.
    The stored query and its parameters go through the same path as `query` (find_query, typed parameters); the
    command itself is tested with --endpoint in test_query_remote_equals_embedded."""
    from sistercity_kg.cli import _params
    from sistercity_kg.queries import find_query, with_params

    text = with_params(find_query(args[0]), _params(args[2::2]))
    embedded, remote = (b.select(text) for b in backends)
    assert remote[0] == embedded[0]
    assert _rows(as_records(*remote)) == _rows(as_records(*embedded))
    if args[0] != "r10":   # no agreement of the register records a dated DPRD or central approval yet
        assert embedded[1], args


def test_questions_go_to_a_temporary_graph_dropped_also_on_error(url, monkeypatch):
    seen = {}

    def fail_after_the_questions(store, catalogue, graphs=None):
        _, rows = Remote(url, use_store_dataset=True).select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        seen.update({str(g): int(n) for g, n in rows if str(g).startswith(QUESTIONS)})
        raise StoreError("the store went away")

    monkeypatch.setattr(assess_module, "run_oxigraph", fail_after_the_questions)
    result = run("assess", *PAIR, "--as-of", "2024-01-01", "--endpoint", url)
    assert result.exit_code == 2 and result.output.strip() == "sistercity-kg: the store went away"
    assert len(seen) == 1 and list(seen.values()) == [2 * 4], "one graph: type, agreement, as-of, judged-on × 2"
    assert not [g for g in store_graphs(url) if g.startswith(QUESTIONS)]


@pytest.mark.parametrize("extra, needle", [
    (["--case", "tests/fixtures/conditions/manifest.yaml"], "--case cannot be used with --endpoint"),
    (["--engine", "pyshacl"], "--engine pyshacl"),
])
def test_what_is_not_supported_remotely_says_so(url, extra, needle):
    result = run("assess", "--endpoint", url, *extra)
    assert result.exit_code == 2 and needle in result.output and len(result.output.strip().splitlines()) == 1


def test_stopped_store_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("SISTERCITY_KG_USER", "reader")
    monkeypatch.setenv("SISTERCITY_KG_PASSWORD", "s3cret-pw")
    server = OxigraphServer(tmp_path / "db")
    server.start()
    stopped = server.query_url
    server.stop()
    for args in (["assess", "bogor-kisarazu-2016"], ["answer", "--question", "2"], ["query", "r1"]):
        result = run(*args, "--endpoint", stopped)
        lines = result.output.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1, result.output
        assert "connection refused" in lines[0] and "Traceback" not in result.output
        assert "s3cret-pw" not in result.output


def test_empty_store_says_load_first(tmp_path):
    with OxigraphServer(tmp_path / "db") as server:
        result = run("assess", "bogor-kisarazu-2016", "--endpoint", server.query_url)
    assert result.exit_code == 2 and "sistercity-kg load" in result.output, result.output
