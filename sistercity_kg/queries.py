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


#: The type of each parameter name, and the form a value of it takes. Every value is checked against its form,
#: and an id against the graph (`check_params`), before it reaches the query text.
PARAM_TYPES = {"agreement": "agreement", "region": "actor", "actor": "actor", "provision": "provision",
               "instrument": "provision", "date": "date", "lang": "lang"}
EXPECTED = {
    "agreement": "an agreement id such as bogor-kisarazu-2016 (lower-case letters, digits and hyphens)",
    "actor": "an actor id such as kota-bogor (lower-case letters, digits and hyphens)",
    "provision": "a provision id such as pp/2018/28/pasal/27/ayat/1/huruf/a or vclt/1969/art/6",
    "date": "a calendar date YYYY-MM-DD such as 2016-11-18",
    "lang": "a language: id or en",
    "text": "a text without line breaks",
}
_BASES = {"agreement": "agreement/", "actor": "actor/", "provision": "legislation/"}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PATH = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*(?:/[a-z0-9]+(?:[-.][a-z0-9]+)*)*")
_WHAT = {"agreement": "no agreement", "actor": "no actor", "provision": "no provision or instrument"}


def param_type(name: str) -> str:
    return PARAM_TYPES.get(name, "text")


def _bad(name: str, value: str, why: str = "") -> InputError:
    kind = param_type(name)
    return InputError(None, None, f"--param {name}={value!r}: {why or 'not of the expected form'}; expected "
                                  f"{EXPECTED[kind]}")


def parse_param(name: str, value: str) -> tuple[str, str | None]:
    """A parameter value → (its SPARQL term, the IRI it names or None). Raises InputError (with the form expected)
    for a value that is not of its parameter's type; nothing unchecked reaches the query text."""
    kind = param_type(name)
    raw = value
    value = value.strip()
    if kind in _BASES:
        base = str(ID[_BASES[kind]])
        if value.startswith("<") and value.endswith(">"):   # an IRI written as in SPARQL
            value = value[1:-1]
        local = value[len(base):] if value.startswith(base) else value
        if not (_SLUG if kind != "provision" else _PATH).fullmatch(local):
            raise _bad(name, raw)
        iri = base + local
        return f"<{iri}>", iri
    if kind == "date":
        import datetime as dt

        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise _bad(name, raw)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise _bad(name, raw, "no such date") from None
        return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#date>', None
    if kind == "lang":
        if value not in ("id", "en"):
            raise _bad(name, raw)
        return f'"{value}"', None
    if "\n" in value or "\r" in value:
        raise _bad(name, raw)
    return Literal(value).n3(), None   # escaped by rdflib: a plain string literal


def term_for(name: str, value: str) -> str:
    """A parameter value as SPARQL, checked against its parameter's type (see `parse_param`)."""
    return parse_param(name, value)[0]


def check_params(params: dict[str, list[str]], backend) -> None:
    """Every id among the values names something in the graph (asked of `backend`, local or remote): an
    agreement id that names no agreement is bad input, not an empty answer."""
    for name, values in params.items():
        for value in values:
            _, iri = parse_param(name, value)
            if iri is not None and not backend.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"):
                raise _bad(name, value, f"{_WHAT[param_type(name)]} with this id in the graph")


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


_TOKEN_WORDS = [
    # (tokens of the parser's "expected one of" list, the words for them), in the order they are said
    ({'"?"', '"$"'}, "a variable (?x)"),
    ({'"<"'}, "an IRI (<…>)"),
    ({'":"'}, "a prefixed name (prefix:name)"),
    ({'"\\""', '"\'"', '"\'\'\'"', '"\\"\\"\\""'}, "a literal (\"…\")"),
    ({'"+"', '"-"'}, "a number"),
    ({'"true"', '"false"', "true", "false"}, "true or false"),
    ({'"("'}, "an expression in brackets"),
    ({'"["'}, "a blank node ([…])"),
    ({'"{"', '"{|"'}, "'{'"),
    ({'"}"'}, "'}'"),
    ({'"."'}, "'.'"),
    ({'";"'}, "';'"),
    ({'","'}, "','"),
    ({'"!"'}, "'!'"),
    ({'"<<("'}, "a triple term"),
    ({'"~"'}, "a reifier (~)"),
]


def in_words(what: str) -> str:
    """Oxigraph's "expected one of …" (tokens and character classes) said in words."""
    m = re.match(r"expected one of (.*)$", what, re.S)
    if not m:
        m2 = re.match(r"expected (.*)$", what, re.S)
        return f"expected {m2.group(1).strip()}" if m2 else what
    items = re.findall(r"\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z_]+", m.group(1))
    said, words = set(), []
    for tokens, word in _TOKEN_WORDS:
        if tokens & set(items) and word not in said:
            said.add(word)
            words.append(word)
    keywords = [i for i in items if re.fullmatch(r"[A-Z][A-Z_]+", i)]
    letters = any(i.startswith("[") and "'A'" in i for i in items)
    digits = any(i.startswith("[") and "'0'" in i for i in items)
    if letters and not words:
        words.append("a name")
    elif letters and ":" not in " ".join(words):
        words.append("a prefixed name (prefix:name)")
    if digits and "a number" not in words:
        words.append("a number")
    words += [f"the keyword {k}" for k in keywords]
    if not words:
        return "unexpected text"
    return "expected " + (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0])


def query_form(text: str, source: str | Path) -> str:
    """Check the syntax (see `check_syntax`) and say which form the query has: select, ask or construct
    (CONSTRUCT and DESCRIBE)."""
    import pyoxigraph as ox

    result = _parse(text, source)
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    if isinstance(result, ox.QueryTriples):
        return "construct"
    return "select"


def check_syntax(text: str, source: str | Path) -> None:
    """A syntax error in a query is reported with its line and column (Oxigraph's SPARQL parser) and what was
    expected there, in words."""
    _parse(text, source)


def _parse(text: str, source: str | Path):
    import pyoxigraph as ox

    try:
        return ox.Store().query(text)  # an empty store: parsing is all that costs
    except SyntaxError as exc:
        message = str(exc)
        m = re.match(r"error at (\d+):(\d+):\s*(.*)", message, re.S)
        if m:
            line, col, what = int(m.group(1)), int(m.group(2)), in_words(m.group(3))
            lines = text.rstrip("\n").splitlines()
            last = len(lines)
            if line > last or (line == last and col > len(lines[-1])):  # the query ended too early
                line, where = last, f"column {len(lines[-1]) + 1} (end of query)"
            else:
                found = lines[line - 1][col - 1:].split()
                where = f"column {col}" + (f", at {found[0][:30]!r}" if found else "")
            raise InputError(source, line, f"{where}: SPARQL syntax error: {what}") from None
        raise InputError(source, None, f"SPARQL syntax error: {' '.join(message.split())[:200]}") from None


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


__all__ = ["StoredQuery", "read_query", "stored_queries", "find_query", "with_params", "check_syntax", "query_form",
           "check_params", "parse_param", "in_words",
           "format_rows", "as_records", "URIRef"]
