"""The `sistercity-kg` command: a thin shell over the package's Python API."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .errors import InputError

LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="en", show_default=True,
                    help="Language of labels and messages.")
PROFILE = click.option("--store-profile", type=click.Choice(["oxigraph", "virtuoso", "generic"]), default="oxigraph",
                       show_default=True, help="With --endpoint: the store's kind; it sets the default update and "
                       "Graph Store endpoints and how data is staged (README, 'Triple stores').")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="Output format.")

T = {
    "checks": {"id": "Pemeriksaan", "en": "Checks"},
    "holds": {"id": "Isi graf", "en": "What the graph holds"},
    "ok": {"id": "lulus", "en": "pass"},
    "fail": {"id": "gagal", "en": "fail"},
    "hygiene": {"id": "kueri higiene", "en": "hygiene queries"},
    "shapes": {"id": "bentuk mutu data", "en": "data-quality shapes"},
    "hermit": {"id": "konsistensi OWL 2 DL (HermiT)", "en": "OWL 2 DL consistency (HermiT)"},
    "triples": {"id": "tripel", "en": "triples"},
}


def check_writable(path: Path, folder: bool) -> None:
    """An --out that cannot be written is said before any work is done (and nothing is created to find out)."""
    import os

    path = Path(path)
    target = path if folder else path.parent
    probe = target
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise InputError(path, None, f"cannot write ({probe} is not a folder)")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(path, None, f"cannot write (no permission in {probe})")
    if folder and path.exists() and not path.is_dir():
        raise InputError(path, None, "cannot write (a file is in the way of the folder)")


def handle_input_errors(fn):
    """Bad input: one line naming file, line and expectation on stderr, exit status 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:   # several bad files: one line each (up to a cap, then how many more)
            for line in str(exc).splitlines():
                click.echo(f"sistercity-kg: {line}", err=True)
            sys.exit(2)
        except BrokenPipeError:   # the reader closed the output (`| head`): stop quietly, as SIGPIPE would
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except OSError as exc:   # an --out that cannot be written (no permission, a file in the way, disk full)
            where = exc.filename or ""
            click.echo(f"sistercity-kg: {where}{': ' if where else ''}cannot write "
                       f"({exc.strerror or type(exc).__name__})", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-V", "--version", package_name="sistercity-kg", prog_name="sistercity-kg")
def main():
    """A legal knowledge graph of the international cooperation agreements of Indonesian regions."""


@main.command()
@LANG
@FORMAT
@click.option("--reason/--no-reason", default=False, show_default=True,
              help="Also run HermiT on ontology + data (OWL 2 DL consistency; needs Java, about 15 s).")
@handle_input_errors
def summary(lang, fmt, reason):
    """Load the graph, run its checks (hygiene, data quality; OWL consistency with --reason) and say what it
    holds."""
    from .dataset import load
    from .hygiene import run_hygiene
    from .summary import count
    from .validate import data_quality_shapes, validate_graph

    kg = load()
    union = kg.union()
    checks = []
    hyg = run_hygiene(union)
    bad = [h for h in hyg if h.rows]
    checks.append(("hygiene", not bad, f"{len(hyg) - len(bad)}/{len(hyg)}"
                   + ("" if not bad else " — " + ", ".join(f"{h.name} ({len(h.rows)})" for h in bad))))
    report = validate_graph(union, data_quality_shapes(), lang)
    checks.append(("shapes", report.conforms, f"{len(report.violations)} "
                   + ("pelanggaran" if lang == "id" else "violations")))
    if reason:
        from .reason import check_consistency

        result = check_consistency(kg.union(*[l for l in ("ontology", "sources", "legislation", "actors", "cases",
                                                            "doctrine")]))
        checks.append(("hermit", result.consistent, f"{result.message}, {result.triples} {T['triples'][lang]}"))
    counts = count(union)
    ok = all(c[1] for c in checks)
    if fmt == "json":
        click.echo(json.dumps({
            "triples": len(union),
            "checks": [{"check": k, "pass": passed, "detail": d} for k, passed, d in checks],
            "counts": {key: n for key, _, _, n in counts},
        }, ensure_ascii=False, indent=2))
    else:
        console = Console()
        table = Table(title=T["checks"][lang], show_header=False)
        table.add_column("")
        table.add_column("")
        table.add_column("")
        for key, passed, detail in checks:
            table.add_row(T[key][lang], T["ok" if passed else "fail"][lang], detail)
        console.print(table)
        table = Table(title=f"{T['holds'][lang]} ({len(union)} {T['triples'][lang]})", show_header=False)
        table.add_column("")
        table.add_column("", justify="right")
        for _, label_id, label_en, n in counts:
            table.add_row(label_id if lang == "id" else label_en, str(n))
        console.print(table)
        for v in report.violations[:20]:
            console.print(f"[red]{v.severity}[/red] {v.focus} {v.path or ''}: {v.message}")
    sys.exit(0 if ok else 1)


def _graph_with_assessments():
    """The graph as users query it: every layer, with the register assessed as of each signature."""
    from .assess import assess as run_assess
    from .dataset import load

    kg = load()
    run_assess(kg)
    return kg


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@LANG
@FORMAT
@handle_input_errors
def validate(files, lang, fmt):
    """Run the data-quality shapes on the graph, or on FILES: case files, Turtle files, or folders of case files
    (every *.yaml, as `assess --case` takes them), with the graph's ontology.

    Each violation is printed once, with its file and line, its agreement and its field (the case-file key).
    Exit status 1 when there are violations, 2 on bad input."""
    from .validate import validate_paths

    report, located = validate_paths(list(files), lang)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": [v.as_json() for v in located]},
                              ensure_ascii=False, indent=2))
    else:
        for v in located:
            click.echo(v.as_line())
        click.echo(("sesuai" if lang == "id" else "conforms") if report.conforms else
                   (f"{len(located)} pelanggaran" if lang == "id" else f"{len(located)} violations"))
    sys.exit(0 if report.conforms else 1)


@main.command()
@handle_input_errors
def build():
    """Write the ontology's release artefacts: ontology/sistercity-kg.owl (RDF/XML) and catalog-v001.xml."""
    from .release import build as build_release

    for path in build_release():
        click.echo(str(path))


# ---- Triple stores and exports: export, load, serve (sistercity_kg/export.py, store.py, serve.py, sparql.py) ----
# A store that is down, slow or answers an error raises sparql.StoreError, an InputError: handle_input_errors
# reports it as one line on stderr with exit status 2, never a traceback or the credentials.


def _export_formats(ctx, param, value):
    from .export import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("export")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (created if missing).")
@click.option("--format", "formats", default="ttl,nt,owl,jsonld,trig", show_default=True, callback=_export_formats,
              help="Comma-separated: ttl, nt, jsonld (per layer), owl (the ontology as RDF/XML), trig (the whole "
                   "dataset, one named graph per layer).")
@LANG
@handle_input_errors
def export_command(out_dir, formats, lang):
    """Write every layer as Turtle, N-Triples and JSON-LD, the ontology as RDF/XML, the dataset as TriG.

    Deterministic (the same graph gives the same bytes) and atomic (no half-written file); empty layers are
    skipped. Every JSON-LD file embeds its context (also written as context.jsonld), so any JSON-LD processor
    reads it offline. Files get your umask's mode."""
    from .export import export

    check_writable(out_dir, folder=True)
    paths = export(_graph_with_assessments(), out_dir, formats)
    for path in paths:
        click.echo(str(path))
    click.echo((f"{len(paths)} berkas ditulis ke {out_dir}" if lang == "id" else
                f"{len(paths)} files written to {out_dir}"), err=True)


@main.command("load")
@click.option("--endpoint", required=True, metavar="QUERY_URL",
              help="SPARQL 1.1 query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph).")
@click.option("--update-endpoint", metavar="URL",
              help="SPARQL Update endpoint [default: the store profile's: …/query → …/update (oxigraph), the query "
                   "endpoint (virtuoso, generic)].")
@click.option("--store-endpoint", metavar="URL",
              help="Graph Store Protocol endpoint [default: the store profile's: …/query → …/store (oxigraph), "
                   "…/sparql → …/sparql-graph-crud (virtuoso), none (generic: SPARQL Update)].")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for each request (more for the requests that move or count big graphs).")
@click.option("--case", "cases", multiple=True, type=click.Path(path_type=Path),
              help="Load these case files (or folders of them, every *.yaml) into the graph …/graph/case-files "
                   "instead of the layers; the store must hold the layers (load without --case first).")
@PROFILE
@LANG
@handle_input_errors
def load_command(endpoint, update_endpoint, store_endpoint, timeout, cases, store_profile, lang):
    """Load every layer into its own named graph of a SPARQL 1.1 store, replacing the previous version; with
    --case, the agreements of case files into their own graph …/graph/case-files, replacing it.

    Each graph is staged in a temporary graph, then all are swapped in by one SPARQL Update request, so a store
    that is down, slow or answers an error keeps its previous graphs (exit status 2, one line). Credentials, if
    the store needs them, come from SISTERCITY_KG_USER and SISTERCITY_KG_PASSWORD."""
    from .store import CASE_FILES_GRAPH, load_case_files, load_into_store

    if cases:
        from .dataset import expand_case_paths

        files = expand_case_paths(list(cases))
        report = load_case_files(files, endpoint, update_endpoint, store_endpoint, timeout, store_profile)
        click.echo(f"{report.total} tripel dari {len(files)} berkas kasus dimuat ke graf <{CASE_FILES_GRAPH}> di "
                   f"{endpoint} ({report.method}, {report.seconds:.1f} dtk)" if lang == "id" else
                   f"loaded {report.total} triples of {len(files)} case files into the graph <{CASE_FILES_GRAPH}> "
                   f"of {endpoint} ({report.method}, {report.seconds:.1f} s)")
        return
    report = load_into_store(_graph_with_assessments(), endpoint, update_endpoint, store_endpoint, timeout=timeout,
                             profile=store_profile)
    graphs = len(report.triples)
    if lang == "id":
        msg = (f"{report.total} tripel dalam {graphs} graf bernama dimuat ke {endpoint} "
               f"({report.method}, {report.seconds:.1f} dtk)")
        if report.dropped:
            msg += f"; graf kosong dihapus: {', '.join(report.dropped)}"
    else:
        msg = (f"loaded {report.total} triples in {graphs} named graphs into {endpoint} "
               f"({report.method}, {report.seconds:.1f} s)")
        if report.dropped:
            msg += f"; empty layers dropped: {', '.join(report.dropped)}"
    click.echo(msg)


@main.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on (Oxigraph's default, as in `oxigraph serve`).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@LANG
@handle_input_errors
def serve_command(port, host, lang):
    """Run a local read-only SPARQL endpoint (Oxigraph) over the graph until Ctrl-C.

    Queries see the union of the layers as default graph and each layer as a named graph; updates are refused."""
    import signal

    from .serve import serving

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    from .serve import check_port_free

    check_port_free(host, port)   # a taken port is said before the graph is loaded
    with serving(_graph_with_assessments(), host, port) as server:
        click.echo(("Titik akhir SPARQL (hanya baca): " if lang == "id" else "SPARQL endpoint (read-only): ")
                   + server.query_url)
        click.echo("Ctrl-C untuk berhenti" if lang == "id" else "Ctrl-C to stop", err=True)
        try:
            code = server.process.wait()
        except KeyboardInterrupt:
            return
    from .sparql import StoreError

    raise StoreError(f"oxigraph stopped unexpectedly (exit status {code})")


@main.command()
@click.argument("agreement_ids", nargs=-1)
@click.option("--case", "cases", multiple=True, type=click.Path(path_type=Path),
              help="A case file, or a folder of them (every *.yaml); may be repeated. Only these are assessed "
                   "unless ids are given.")
@click.option("--as-of", "as_of", default="signing", show_default=True,
              help="signing, today, or a date YYYY-MM-DD. The making of an instrument is always judged by the law "
                   "of its signature date; a later date changes only whether it is still in force.")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes' SPARQL run once over all agreements; pyshacl: the reference validator.")
@click.option("--sources", "with_sources", is_flag=True,
              help="List every source each condition rests on (the grade of the weakest is always given).")
@LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ndjson", "summary"]), default="text",
              show_default=True,
              help="text: a checklist; json: an array with one object per agreement (docs/outputs.md); ndjson: the "
                   "same objects, one per line, streamed; summary: one tab-separated line per agreement.")
@click.option("--endpoint", metavar="QUERY_URL", default=None,
              help="Let a remote SPARQL 1.1 store (loaded with `sistercity-kg load`) run the shapes; the questions go "
                   "into a temporary named graph, dropped afterwards. With no ids: every agreement the store "
                   "holds, the register's and those of case files loaded with `load --case`. Not with --case.")
@click.option("--update-endpoint", metavar="URL", help="With --endpoint: SPARQL Update endpoint "
                                                       "[default: the store profile's, e.g. …/query → …/update].")
@PROFILE
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="With --endpoint: seconds to wait for each request.")
@handle_input_errors
def assess(agreement_ids, cases, as_of, engine, with_sources, lang, fmt, endpoint, update_endpoint, store_profile,
           timeout):
    """Every legal test, every condition, for the given agreements (all of the register when none is given).

    Exit status 0 when no lawfulness test answers no (a classification test's no — not a treaty — breaks nothing),
    1 when one does, 2 on bad input."""
    from .assess import assess as run_assess
    from .dataset import expand_case_paths, load
    from .render import (Citations, as_json, as_summary_row, as_text, renderer, summary_header, write_json_array,
                         write_ndjson)

    if endpoint:   # the store runs the shapes (sistercity_kg/remote_engine.py)
        from .remote_engine import remote_assess

        results, citations = remote_assess(endpoint, update_endpoint, list(agreement_ids) or None, as_of, engine,
                                           with_sources, cases, timeout, store_profile)
    elif cases and not agreement_ids and engine == "oxigraph":
        # a register of case files: read, judged and rendered in worker processes, slice by slice (batch.py)
        from .batch import Run

        run = Run(expand_case_paths(list(cases)), as_of, engine, with_sources)
        head, render, separator, tail = renderer(fmt, Citations(run.kg.layer("legislation")), lang, run.count,
                                                 run.catalogue.tests)
        run.render = render
        sys.exit(1 if run.write(click.get_text_stream("stdout"), fmt == "ndjson", head, separator, tail) else 0)
    else:
        case_files = expand_case_paths(list(cases))
        kg = load(case_files=case_files)
        ids = list(agreement_ids) or ([kg.case_ids[str(f)] for f in case_files if f.suffix != ".ttl"] + kg.turtle_ids
                                      if case_files else None)
        results = run_assess(kg, ids, as_of, engine=engine, write=False, with_sources=with_sources)
        citations = Citations(kg.layer("legislation"))
    out = click.get_text_stream("stdout")
    if fmt == "json":
        write_json_array(out, (as_json(a, citations, lang) for a in results), len(results))
    elif fmt == "ndjson":
        write_ndjson(out, (as_json(a, citations, lang) for a in results))
    elif fmt == "summary":
        out.write("\n".join([summary_header(results)] + [as_summary_row(a) for a in results]) + "\n")
    else:
        out.write("\n".join(as_text(a, citations, lang) for a in results) + "\n")
    sys.exit(1 if any(a.lawful == "no" for a in results) else 0)  # a classification "no" breaks nothing


def _backend(endpoint, store_profile=None):
    from .sparql import backend

    return backend(None if endpoint else _graph_with_assessments(), endpoint, profile=store_profile)


ENDPOINT = click.option("--endpoint", metavar="QUERY_URL", default=None,
                        help="Run against a remote SPARQL 1.1 store (loaded with `sistercity-kg load`) instead of "
                             "the embedded one.")


def _params(values) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in values:
        if "=" not in item:
            raise InputError(None, None, f"--param {item!r}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        out.setdefault(name.strip(), []).append(value)
    return out


@main.command("answer")
@click.option("--question", "questions", type=click.IntRange(1, 7), multiple=True,
              help="Only this research question (1–7); may be repeated. All of them by default.")
@click.option("--with-text", is_flag=True, help="Show the text of every provision cited (Indonesian, with the "
                                                "English gloss).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Change a query parameter, e.g. agreement=bogor-kisarazu-2022.")
@LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "csv-long"]), default="text",
              show_default=True, help="csv: one table per question (a header row, one column per variable, the "
                                      "question's number first), the tables separated by an empty line; csv-long: "
                                      "one table of question, row, variable, value.")
@click.option("--rows", is_flag=True, help="In the text format, also print the rows of each query.")
@ENDPOINT
@PROFILE
@handle_input_errors
def answer_command(questions, with_text, params, lang, fmt, rows, endpoint, store_profile):
    """The research questions, each answered in prose built from the graph, with the provisions and the sources
    (and their grades) behind it; --rows adds the rows of each query to the text."""
    from .answer import QUESTIONS, answer, as_text
    from .queries import check_params, parse_param, stored_queries

    given = _params(params)
    stored = stored_queries()
    taken = {name for n in (sorted(questions) or sorted(QUESTIONS)) for name in stored[QUESTIONS[n]].parameters}
    for name, values in given.items():
        if name not in taken:
            raise InputError(None, None, f"--param {name}: no question asked takes it; they take: "
                                         f"{', '.join(sorted(taken - {'lang'})) or 'none'}")
        for value in values:
            parse_param(name, value)      # its form, before anything is loaded
    backend = _backend(endpoint, store_profile)
    check_params(given, backend)          # an id that names nothing in the graph is bad input, not an empty answer
    answers = answer(backend, sorted(questions) or None, lang, with_text, given)
    if fmt == "json":
        click.echo(json.dumps([a.as_json() for a in answers], ensure_ascii=False, indent=2))
        return
    if fmt in ("csv", "csv-long"):
        from .render import answers_csv

        click.echo(answers_csv(answers, wide=fmt == "csv"), nl=False)
        return
    click.echo(as_text(answers, lang, with_text, rows), nl=False)


@main.command("query")
@click.argument("name_or_file", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Set a parameter of a stored query (its VALUES lines marked '# parameter: NAME'). Each has a "
                   "type: date (YYYY-MM-DD), agreement, region/actor or provision id, lang (id|en); a value not of "
                   "its type, or an id that names nothing in the graph, is bad input (exit status 2).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "turtle", "nt", "xml", "json-ld"]),
              default=None, help="SELECT: table (default), csv or json; CONSTRUCT/DESCRIBE: turtle (default), nt, "
                                 "xml (RDF/XML) or json-ld; ASK prints true or false.")
@click.option("--list", "list_only", is_flag=True, help="List the stored queries and their parameters.")
@ENDPOINT
@PROFILE
@handle_input_errors
def query_command(name_or_file, params, fmt, list_only, endpoint, store_profile):
    """Run a stored query (by name, e.g. q2 or r1-agreements-of-region) or any FILE.rq: SELECT, ASK, CONSTRUCT
    or DESCRIBE.

    ASK prints true (exit status 0) or false (exit status 1). A syntax error in the query is reported with its
    line and column and what was expected there (exit status 2)."""
    from .queries import check_params, find_query, format_rows, query_form, stored_queries, with_params

    if list_only:
        for name, q in stored_queries().items():
            click.echo(f"{name}\t{q.questions.get('en', '')}\t{', '.join(q.parameters)}")
        return
    if not name_or_file:
        raise InputError(None, None, "query: give a stored query's name or a FILE.rq (see --list)")
    q = find_query(name_or_file)
    given = _params(params)
    text = with_params(q, given)        # every value checked against its type before it reaches the text
    form = query_form(text, q.path)
    graph_formats, row_formats = ("turtle", "nt", "xml", "json-ld"), ("table", "csv", "json")
    if fmt is not None and fmt not in (graph_formats if form == "construct" else row_formats):
        raise InputError(None, None, f"--format {fmt}: a {form.upper()} query gives "
                                     + ("triples: turtle, nt, xml or json-ld" if form == "construct" else
                                        "a boolean (true or false)" if form == "ask" else
                                        "rows: table, csv or json"))
    backend = _backend(endpoint, store_profile)
    check_params(given, backend)        # ... and every id against the graph
    if form == "ask":
        answer = backend.ask(text)
        click.echo("true" if answer else "false")
        sys.exit(0 if answer else 1)
    if form == "construct":
        data = backend.construct(text).serialize(format=fmt or "turtle", encoding="utf-8")
        click.get_binary_stream("stdout").write(data)
        return
    variables, rows = backend.select(text)
    click.echo(format_rows(variables, rows, fmt or "table"))


# ---- Dossiers and ontology documentation: report, docs (sistercity_kg/report.py, docs.py, templates/) ----


@main.command("report")
@click.argument("agreement_ids", nargs=-1)
@click.option("--case", "cases", multiple=True, type=click.Path(path_type=Path),
              help="A case file, or a folder of them (every *.yaml), as `assess --case` takes them; may be repeated. "
                   "Their dossiers are written (unless ids are given).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (created if missing).")
@LANG
@handle_input_errors
def report_command(agreement_ids, cases, out_dir, lang):
    """Write the legal dossier of each agreement (all of the register when no id is given) and the index of the
    register, as static HTML in English and Indonesian (<id>.en.html, <id>.id.html, index.en.html, index.id.html;
    index.html is the --lang one).

    Each dossier holds the instrument, a timeline, the assessment matrix on the signing date and today, the
    procedure required beside the record, the thesis's claims beside the graph's findings, a diagram of the
    agreement's part of the graph and the bibliography. The pages work offline (no server, no network) and are
    written atomically."""
    from .report import build_report

    check_writable(out_dir, folder=True)
    kg, ids = None, list(agreement_ids) or None
    if cases:   # the user's own case files, read as `assess --case` reads them
        from .dataset import expand_case_paths, load

        case_files = expand_case_paths(list(cases))
        kg = load(case_files=case_files)
        ids = ids or [kg.case_ids[str(f)] for f in case_files if f.suffix != ".ttl"] + kg.turtle_ids
    paths = build_report(out_dir, ids, kg=kg, lang=lang)
    for path in paths:
        click.echo(str(path))
    click.echo((f"{len(paths)} berkas ditulis ke {out_dir}; buka {out_dir / 'index.html'}" if lang == "id" else
                f"{len(paths)} files written to {out_dir}; open {out_dir / 'index.html'}"), err=True)


@main.command("docs")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (created if missing).")
@click.option("--pylode/--no-pylode", default=False, show_default=True,
              help="Also write pyLODE's English page (ontology.pylode.html); needs pylode 3.3.4.")
@click.option("--conditions-only", is_flag=True,
              help="Write only the condition catalogue (conditions.md), as kept in the repository's docs/ folder.")
@LANG
@handle_input_errors
def docs_command(out_dir, pylode, conditions_only, lang):
    """Write the ontology's documentation, one page per language (index.en.html, index.id.html): every class,
    property and controlled vocabulary with its labels, definition, domain and range, and where the data uses it;
    and the condition catalogue (conditions.md): every legal test and condition, its articles and what decides its
    status, generated from the shapes."""
    from .docs import condition_catalogue
    from .dataset import load
    from .docs import build_docs
    from .report import write_files

    if pylode:
        try:
            import pylode as _pylode  # noqa: F401
        except Exception as exc:  # pylode 3.4.x fails to import; 3.3.4 works
            raise InputError(None, None, f"--pylode: pyLODE cannot be imported ({exc}); pip install pylode==3.3.4")
    kg = load()
    paths = [] if conditions_only else build_docs(out_dir, kg=kg, pylode=pylode, lang=lang)
    paths += write_files(out_dir, {"conditions.md": condition_catalogue(kg).encode("utf-8")})
    for path in paths:
        click.echo(str(path))
    click.echo((f"{len(paths)} berkas ditulis ke {out_dir}" if lang == "id" else
                f"{len(paths)} files written to {out_dir}"), err=True)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The Turtle file to write (written whole, or not at all).")
@LANG
@handle_input_errors
def import_command(paths, out_file, lang):
    """Convert case files (or folders of them) to RDF: the agreements, their parties, steps and sources.

    The files are checked as `assess --case` checks them; bad input stops with file, line and reason (exit 2)
    and writes nothing."""
    from rdflib import Graph

    from .dataset import expand_case_paths, load
    from .namespaces import bind_prefixes
    from .release import write_atomically

    check_writable(out_file, folder=False)
    files = expand_case_paths(list(paths))
    kg = load(case_files=files)
    graph = Graph()
    bind_prefixes(graph)
    for chunk in kg.given:
        graph.parse(data=chunk, format="nt")
    write_atomically(out_file, graph.serialize(format="turtle", encoding="utf-8"))
    click.echo((f"{len(files)} berkas kasus, {len(graph)} tripel → {out_file}" if lang == "id" else
                f"{len(files)} case files, {len(graph)} triples → {out_file}"), err=True)


if __name__ == "__main__":
    main()
