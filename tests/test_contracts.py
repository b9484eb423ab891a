"""The contracts a cooperation office and its scripts rely on (docs/): nothing silent (a folder with no case file,
a bad parameter, an unwritable --out, several bad files, a taken port), the JSON and NDJSON shapes, file modes,
JSON-LD read offline, a byte-deterministic build, ASK and CONSTRUCT, wide CSV, dossiers of case files, validate on a
folder, assess over a read-only endpoint, and a repository that names nothing outside itself."""
import csv
import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess

import pytest
from click.testing import CliRunner
from rdflib import Graph

from sistercity_kg import cli
from sistercity_kg.cli import main
from sistercity_kg.paths import HOME

from .conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CASE = """id: {id}
kind: letter-of-intent
signed: {{date: 2019-05-01}}
parties:
  - {{name: Kota Bogor, kind: city, country: ID}}
  - {{name: Somewhere, kind: municipality, country: JP, level: second}}
{extra}sources: [{{url: 'https://example.org/p', title: a test case, grade: unverified}}]
"""


@pytest.fixture(scope="module", autouse=True)
def one_graph(kg):
    """The commands' graph (the register assessed as of each signature) built once for the module."""
    from sistercity_kg.assess import assess
    from sistercity_kg.dataset import load

    graph = load()
    assess(graph)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_graph_with_assessments", lambda: graph)
        yield graph


def run(*args, code=None):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def one_line_error(result, *texts):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    for text in texts:
        assert text in lines[0], lines[0]
    return lines[0]


def write_case(folder, name, aid, extra=""):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(CASE.format(id=aid, extra=extra), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------- nothing silent

def test_a_folder_with_no_case_file_is_bad_input_and_nothing_is_written(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a case file")
    one_line_error(run("assess", "--case", empty), "empty", "no case file")
    out = tmp_path / "out.ttl"
    one_line_error(run("import", empty, "--out", out), "no case file")
    assert not out.exists()
    one_line_error(run("report", "--case", empty, "--out", tmp_path / "r"), "no case file")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("args,text", [
    (["query", "r4", "--param", "date=2021-02-30"], "no such date"),
    (["query", "r4", "--param", "date=banana"], "YYYY-MM-DD"),
    (["query", "r5", "--param", "date=2016-11-18T00:00"], "YYYY-MM-DD"),
    (["query", "r1", "--param", "region=kota-bogor> } ?s ?p ?o {"], "actor id"),
    (["query", "r1", "--param", "region=nosuch"], "no actor with this id"),
    (["query", "r3", "--param", "provision=pp/2018/28/pasal/999"], "no provision"),
    (["query", "r3", "--param", 'provision=pp/2018/28" .'], "provision id"),
    (["query", "r1", "--param", "lang=fr"], "id or en"),
    (["answer", "--param", "agreement=nosuch"], "no agreement with this id"),
    (["answer", "--param", "agreement=Bogor Kisarazu"], "agreement id"),
    (["answer", "--question", "6", "--param", "agreement=bogor-kisarazu-2016"], "no question asked takes it"),
])
def test_every_bad_parameter_is_exit_2_with_the_expected_form(args, text):
    line = one_line_error(run(*args), text)
    assert "expected" in line or "take" in line


def test_the_readme_r3_example_returns_rows():
    readme = (HOME / "README.md").read_text(encoding="utf-8")
    (provision,) = re.findall(r"r3-agreements-failing-provision` \(`--param provision=([^`)]+)`\)", readme)
    result = run("query", "r3", "--param", f"provision={provision}", "--format", "json", code=0)
    assert json.loads(result.stdout)["rows"]


@pytest.mark.parametrize("command", [["report", "bogor-kisarazu-2016"], ["export"], ["import", "data/cases"]])
def test_an_unwritable_out_is_one_line(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    one_line_error(run(*command, "--out", blocker / "sub" / "x.ttl"), str(blocker / "sub"), "cannot write")


def test_several_bad_files_are_all_reported_up_to_a_cap(tmp_path):
    folder = tmp_path / "mixed"
    write_case(folder, "good.yaml", "good-one")
    for n in range(3):
        write_case(folder, f"bad-{n}.yaml", f"bad-{n}", extra="colour: red\n")
    result = run("assess", "--case", folder)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [re.search(r"bad-\d\.yaml:7: unknown key 'colour'", line) is not None for line in lines] == [True] * 3
    for n in range(3, 26):
        write_case(folder, f"bad-{n:02d}.yaml", f"bad-{n}", extra="colour: red\n")
    lines = run("import", folder, "--out", tmp_path / "x.ttl").stderr.strip().splitlines()
    assert len(lines) == 21 and "and 6 more" in lines[-1] and "26" in lines[-1]
    assert not (tmp_path / "x.ttl").exists()


def test_a_taken_port_is_said_so():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        one_line_error(run("serve", "--port", port), f"port {port}", "taken")


def test_assess_over_a_read_only_serve_endpoint(one_graph):
    from sistercity_kg.serve import free_port, serving
    from sistercity_kg.sparql import Remote

    args = ["bogor-kisarazu-2016", "bogor-kisarazu-2022", "--format", "json"]
    embedded = json.loads(run("assess", *args).stdout)
    with serving(one_graph, "127.0.0.1", free_port()) as server:
        before = Remote(server.query_url, use_store_dataset=True).select("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        result = run("assess", *args, "--endpoint", server.query_url)
        after = Remote(server.query_url, use_store_dataset=True).select("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert result.exit_code in (0, 1), result.output
    remote = json.loads(result.stdout)
    assert [{k: v for k, v in a.items() if k != "engine"} for a in remote] == \
        [{k: v for k, v in a.items() if k != "engine"} for a in embedded]
    assert {a["engine"] for a in remote} == {"remote-read-only"}
    assert before == after


# --------------------------------------------------------------------------------------------------- the contracts

def test_assess_json_is_always_an_array_and_ndjson_one_object_per_line():
    (one,) = json.loads(run("assess", "bogor-kisarazu-2016", "--format", "json").stdout)
    assert one["id"] == "bogor-kisarazu-2016"
    lines = run("assess", "bogor-kisarazu-2016", "bogor-kisarazu-2022", "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["bogor-kisarazu-2016", "bogor-kisarazu-2022"]
    assert json.loads(lines[0]) == one


def test_validate_takes_a_folder_and_names_file_line_agreement_and_field(tmp_path):
    folder = tmp_path / "cases"
    write_case(folder, "a.yaml", "step-undated", extra="steps:\n  - {step: dprd-approval, record: done}\n")
    write_case(folder, "b.yaml", "all-fine")
    result = run("validate", folder)
    assert result.exit_code == 1, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[-1] == "1 violations"
    assert lines[0].startswith(f"{folder / 'a.yaml'}:8: agreement step-undated: field steps: Violation: ")
    data = json.loads(run("validate", FIXTURES / "data-quality" / "broken.ttl", "--format", "json").stdout)
    rows = [json.dumps(v, sort_keys=True) for v in data["violations"]]
    assert rows and len(rows) == len(set(rows))
    assert all(v["file"].endswith("broken.ttl") for v in data["violations"])
    assert {"agreement": "broken-one-party", "field": "parties"}.items() <= data["violations"][0].items()


def test_files_get_the_users_umask_and_build_is_byte_deterministic(tmp_path):
    old = os.umask(0o027)
    try:
        run("export", "--out", tmp_path / "e", "--format", "ttl", code=0)
        write_case(tmp_path / "c", "a.yaml", "mode-test")
        run("import", tmp_path / "c", "--out", tmp_path / "i.ttl", code=0)
        from sistercity_kg.release import build

        shutil.copytree(HOME / "ontology", tmp_path / "home" / "ontology")
        built = build(tmp_path / "home")
    finally:
        os.umask(old)
    for path in [*(tmp_path / "e").iterdir(), tmp_path / "i.ttl", *built]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    # build twice: the same bytes, and the same as the release committed (a stale .owl fails here)
    first = {p.name: p.read_bytes() for p in built}
    second = {p.name: p.read_bytes() for p in build(tmp_path / "home")}
    assert first == second
    for name, data in first.items():
        assert (HOME / "ontology" / name).read_bytes() == data, f"{name} is stale: run `sistercity-kg build`"


def test_jsonld_exports_read_offline_by_rdflib_and_pyld(tmp_path, one_graph):
    from pyld import jsonld

    from sistercity_kg.export import read_jsonld

    run("export", "--out", tmp_path, "--format", "jsonld", code=0)

    def no_network(url, options=None):
        raise AssertionError(f"a JSON-LD processor fetched {url}")

    for layer in ("legislation", "cases"):
        path = tmp_path / f"{layer}.jsonld"
        expected = len(one_graph.layer(layer))
        assert len(Graph().parse(path, format="json-ld")) == expected          # rdflib, no loader
        assert len(read_jsonld(str(path))) == expected                         # a str path
        doc = json.loads(path.read_text(encoding="utf-8"))
        nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_network})
        assert len(Graph().parse(data=nquads, format="nt")) == expected       # pyld, nothing fetched


def test_ask_and_construct(tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>\nASK { ?a sckg:agreementId ?id }\n")
    assert run("query", ask, code=0).stdout == "true\n"
    ask.write_text('PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>\nASK { ?a sckg:agreementId "nosuch" }\n')
    assert run("query", ask, code=1).stdout == "false\n"
    construct = tmp_path / "c.rq"
    construct.write_text("PREFIX sckg: <https://w3id.org/sistercity-kg/ontology#>\n"
                         "CONSTRUCT { ?a sckg:agreementId ?id } WHERE { ?a sckg:agreementId ?id }\n")
    turtle = Graph().parse(data=run("query", construct, code=0).stdout, format="turtle")
    assert len(turtle) >= 38
    nt = Graph().parse(data=run("query", construct, "--format", "nt", code=0).stdout, format="nt")
    assert set(nt) == set(turtle)
    one_line_error(run("query", construct, "--format", "csv"), "CONSTRUCT", "triples")
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = }\n")
    one_line_error(run("query", bad), "bad.rq:3: column ", "SPARQL syntax error: expected ")


def test_answer_csv_is_wide_one_table_per_question():
    text = run("answer", "--question", "2", "--question", "6", "--format", "csv", code=0).stdout
    tables = text.split("\n\n")
    assert len(tables) == 2
    for number, table in zip((2, 6), tables):
        rows = list(csv.reader(io.StringIO(table)))
        assert rows[0][0] == "question" and len(rows[0]) > 2
        assert rows[1:] and all(r[0] == str(number) and len(r) == len(rows[0]) for r in rows[1:])
    long = run("answer", "--question", "2", "--format", "csv-long", code=0).stdout
    assert long.splitlines()[0] == "question,row,variable,value"


def test_dossiers_of_the_users_case_files(tmp_path):
    folder = tmp_path / "cases"
    write_case(folder, "mine.yaml", "my-agreement")
    result = run("report", "--case", folder, "--out", tmp_path / "out", code=0)
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"my-agreement.en.html", "my-agreement.id.html", "index.html"} <= names, result.output
    assert "Somewhere" in (tmp_path / "out" / "my-agreement.en.html").read_text(encoding="utf-8")


def test_version_and_lang_options():
    assert run("-V", code=0).stdout.startswith("sistercity-kg, version ")
    for command in ("summary", "validate", "assess", "answer", "report", "docs", "export", "load", "serve", "import"):
        assert "--lang" in run(command, "--help", code=0).stdout, command


# ------------------------------------------------------------------------------------- a repository that stands alone

def test_no_tracked_file_names_a_path_outside_the_repository():
    if not (HOME / ".git").exists():
        pytest.skip("not a git checkout")
    words = ["DESIGN" + ".md", "shared" + "/", "research" + " note", "search" + " corpus", "legal-sources" + ".md",
             "pp28-articles" + ".md"]
    args = [a for w in words for a in ("-e", w)]
    proc = subprocess.run(["git", "grep", "-n", "-I", *args, "--", "."],
                          cwd=HOME, capture_output=True, text=True)
    assert proc.stdout == "", proc.stdout[:2000]


def test_the_documented_contracts_hold():
    import runpy

    from sistercity_kg.dataset import load
    from sistercity_kg.intake.cases import CASE_KEYS, FACTS, FIELDS_VOCAB, KINDS, STEPS

    generated = runpy.run_path(str(HOME / "docs" / "generate.py"))
    assert (HOME / "docs" / "vocabularies.md").read_text(encoding="utf-8") == generated["page"](), \
        "docs/vocabularies.md is stale: python3 docs/generate.py"
    text = (HOME / "docs" / "case-files.md").read_text(encoding="utf-8")
    for value in (*CASE_KEYS, *STEPS, *FACTS, *FIELDS_VOCAB, *KINDS):
        assert f"`{value}`" in text, value
    example = re.search(r"## An example\n.*?```yaml\n(.*?)```", text, re.S).group(1)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "example.yaml"
        case.write_text(example, encoding="utf-8")
        assert "kota-x-city-y-2024" in load(case_files=[case]).agreements
