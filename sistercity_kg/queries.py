"""Stored and user SPARQL queries: their headers, their parameters, and running them on a backend.

A stored query (queries/*.rq) opens with three comment lines — `# en: …`, `# id: …` (the question) and
`# rests on: …` — and marks each parameter on the line of its VALUES clause with `# parameter: NAME`. The file is
plain SPARQL that runs as it is (the VALUES hold the defaults); `with_params` swaps the values of the named ones.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from . import paths
from .errors import InputError
from .namespaces import ID

_PARAM = re.compile(r"^(?P<head>\s*VALUES\s+\?(?P<var>\w+)\s*\{)(?P<values>[^}]*)(?P<tail>\}.*#\s*parameter:\s*(?P<name>\w+).*)$")


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    questions: dict[str, str] = field(default_factory=dict)
    rests_on: str = ""
    parameters: dict[str, str] = field(default_factory=dict)   # name → default values as written


def read_query(path: Path) -> StoredQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read the query ({exc.__class__.__name__})") from None
    q = StoredQuery(path.stem, path, text)
    for line in text.splitlines():
        m = re.match(r"#\s*(en|id):\s*(.+)", line)
        if m:
            q.questions[m.group(1)] = m.group(2).strip()
        m = re.match(r"#\s*rests on:\s*(.+)", line)
        if m:
            q.rests_on = m.group(1).strip()
        m = _PARAM.match(line)
        if m:
            q.parameters[m.group("name")] = m.group("values").strip()
    return q


def stored_queries(folder: Path | None = None) -> dict[str, StoredQuery]:
    folder = Path(folder or paths.QUERIES_DIR)
    return {p.stem: read_query(p) for p in sorted(folder.glob("*.rq"))}


def find_query(name_or_file: str) -> StoredQuery:
    """A stored query by name (q2-international-agreement, or just q2), or any .rq file."""
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.exists():
        return read_query(p)
    stored = stored_queries()
    if name_or_file in stored:
        return stored[name_or_file]
    matches = [q for n, q in stored.items() if n.split("-", 1)[0] == name_or_file]
    if len(matches) == 1:
        return matches[0]
    if p.suffix == ".rq":
        raise InputError(p, None, "no such query file")
    raise InputError(None, None, f"no stored query {name_or_file!r}; stored: {', '.join(stored)}")


def term_for(name: str, value: str) -> str:
    """A parameter value as SPARQL: ids become IRIs by the parameter's name, dates typed literals."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return f"<{value}>"
    if value.startswith("<") or value.startswith('"'):
        return value
    base = {"agreement": "agreement/", "region": "actor/", "actor": "actor/", "provision": "legislation/",
            "instrument": "legislation/"}.get(name)
    if base:
        return f"<{ID[base + value]}>"
    if name == "date" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#date>'
    return Literal(value).n3()


def with_params(query: StoredQuery, params: dict[str, list[str]]) -> str:
    unknown = set(params) - set(query.parameters)
    if unknown:
        raise InputError(query.path, None, f"unknown parameter {sorted(unknown)[0]!r}; this query takes: "
                                           f"{', '.join(query.parameters) or 'none'}")
    lines = []
    for line in query.text.splitlines():
        m = _PARAM.match(line)
        if m and m.group("name") in params:
            values = " ".join(term_for(m.group("name"), v) for v in params[m.group("name")])
            line = f"{m.group('head')} {values} {m.group('tail')}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def check_syntax(text: str, source: str | Path) -> None:
    """A syntax error in a query is reported with its line and column (Oxigraph's SPARQL parser)."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text)  # an empty store: parsing is all that costs
    except SyntaxError as exc:
        message = str(exc)
        m = re.match(r"error at (\d+):(\d+):\s*(.*)", message)
        if m:
            line, col, what = int(m.group(1)), m.group(2), m.group(3)
            last = len(text.rstrip("\n").splitlines())
            if line > last:  # the query ended too early: name its last line
                line, col = last, f"{len(text.rstrip(chr(10)).splitlines()[-1]) + 1} (end of query)"
            raise InputError(source, line, f"column {col}: SPARQL syntax error: {what}") from None
        raise InputError(source, None, f"SPARQL syntax error: {message}") from None


def value_of(term) -> str | None:
    if term is None:
        return None
    return str(term)


def as_records(variables: list[str], rows: list[tuple]) -> list[dict]:
    return [{v: value_of(t) for v, t in zip(variables, row)} for row in rows]


def format_rows(variables: list[str], rows: list[tuple], fmt: str) -> str:
    records = as_records(variables, rows)
    if fmt == "json":
        return json.dumps({"variables": variables, "rows": records}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(variables)
        for r in records:
            writer.writerow(["" if r[v] is None else r[v] for v in variables])
        return buf.getvalue()
    widths = {v: min(60, max([len(v)] + [len(r[v] or "") for r in records])) for v in variables}
    head = "  ".join(v.ljust(widths[v]) for v in variables)
    lines = [head, "  ".join("-" * widths[v] for v in variables)]
    for r in records:
        lines.append("  ".join(_cut(r[v] or "", widths[v]).ljust(widths[v]) for v in variables))
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


__all__ = ["StoredQuery", "read_query", "stored_queries", "find_query", "with_params", "check_syntax",
           "format_rows", "as_records", "URIRef"]
