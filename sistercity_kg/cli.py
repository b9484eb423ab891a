"""The `sistercity-kg` command: a thin shell over the package's Python API."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .errors import InputError

LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="en", show_default=True,
                    help="Language of labels and messages.")
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


def _stderr() -> Console:
    return Console(stderr=True)


def handle_input_errors(fn):
    """Bad input: one line naming file, line and expectation on stderr, exit status 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            click.echo(f"sistercity-kg: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sistercity-kg")
def main():
    """A legal knowledge graph of the international cooperation agreements of Indonesian regions."""


@main.command()
@LANG
@FORMAT
@click.option("--reason/--no-reason", default=True, show_default=True,
              help="Run HermiT on ontology + data (needs Java).")
@handle_input_errors
def summary(lang, fmt, reason):
    """Load the graph, run its checks (hygiene, data quality, OWL consistency) and say what it holds."""
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
    checks.append(("shapes", report.conforms, f"{len(report.violations)} violations"))
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
        table = Table(title=T["checks"][lang])
        table.add_column("")
        table.add_column("")
        table.add_column("")
        for key, passed, detail in checks:
            table.add_row(T[key][lang], T["ok" if passed else "fail"][lang], detail)
        console.print(table)
        table = Table(title=f"{T['holds'][lang]} ({len(union)} {T['triples'][lang]})")
        table.add_column("")
        table.add_column("", justify="right")
        for _, label_id, label_en, n in counts:
            table.add_row(label_id if lang == "id" else label_en, str(n))
        console.print(table)
        for v in report.violations[:20]:
            console.print(f"[red]{v.severity}[/red] {v.focus} {v.path or ''}: {v.message}")
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@LANG
@FORMAT
@handle_input_errors
def validate(files, lang, fmt):
    """Run the data-quality shapes on the graph, or on FILES (Turtle or case files) with the graph's ontology.

    Exit status 1 when there are violations."""
    from .dataset import load, load_ontology
    from .validate import data_quality_shapes, graph_of_files, validate_graph
    from rdflib import Graph

    if files:
        onto = load_ontology(Graph())
        data = graph_of_files(list(files), onto)
        kg = load()
        union = kg.union()
        for t in data:
            union.add(t)
    else:
        union = load().union()
    report = validate_graph(union, data_quality_shapes(), lang)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms,
                               "violations": [v.__dict__ for v in report.violations]}, ensure_ascii=False, indent=2))
    else:
        for v in report.violations:
            click.echo(f"{v.severity}\t{v.focus}\t{v.path or ''}\t{v.message}")
        click.echo(("sesuai" if lang == "id" else "conforms") if report.conforms else
                   (f"{len(report.violations)} pelanggaran" if lang == "id" else f"{len(report.violations)} violations"))
    sys.exit(0 if report.conforms else 1)


@main.command()
@handle_input_errors
def build():
    """Write the ontology's release artefacts: ontology/sistercity-kg.owl (RDF/XML) and catalog-v001.xml."""
    from .release import build as build_release

    for path in build_release():
        click.echo(str(path))


if __name__ == "__main__":
    main()
