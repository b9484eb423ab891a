"""Shared pieces of the intake: reading checked values out of YAML mappings, and writing RDF with evidence."""
from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import InputError
from ..namespaces import ID, SCKG, vocab
from .yamlfile import Mapping, Sequence

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGS = ("id", "en", "ja")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class When:
    """A date as a source gives it: judged at the earliest day it can mean, with its precision kept."""

    date: _dt.date
    precision: str  # day | month | year
    text: str

    def literal(self) -> Literal:
        return _date_literal(self.date)


def parse_when(value, file: str, line: int, what: str = "date") -> When:
    text = value.isoformat() if isinstance(value, _dt.date) else str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise InputError(file, line, f"expected {what} as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        date = _dt.date(year, int(month or 1), int(day or 1))
    except ValueError:
        raise InputError(file, line, f"expected {what} as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r} (no such day)") from None
    return When(date, "day" if day else "month" if month else "year", text)


class Fields:
    """Checked access to one YAML mapping: unknown keys, missing keys and wrong types are reported by line."""

    def __init__(self, data, where: str, allowed: set[str] | frozenset[str], required: set[str] = frozenset(),
                 file: str | None = None, line: int | None = None):
        self.file = getattr(data, "file", None) or file
        self.line = getattr(data, "line", None) or line
        self.where = where
        if not isinstance(data, dict):
            raise InputError(self.file, self.line, f"expected a mapping for {where}, got {_kind(data)}")
        self.data = data
        for key in data:
            if key not in allowed:
                raise InputError(self.file, self.line_of(key),
                                 f"unknown key {key!r} in {where}; expected one of: {', '.join(sorted(allowed))}")
        for key in sorted(required):
            if key not in data or data[key] is None:
                raise InputError(self.file, self.line, f"{where} needs the key {key!r}")

    def line_of(self, key) -> int | None:
        if isinstance(self.data, Mapping):
            return self.data.line_of(key)
        return self.line

    def __contains__(self, key) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key, default=None):
        return self.data.get(key, default)

    def error(self, key, message: str) -> InputError:
        return InputError(self.file, self.line_of(key), message)

    def str(self, key, default=None, pattern: re.Pattern | None = None, expected: str = "") -> str | None:
        if key not in self:
            return default
        value = self.data[key]
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            raise self.error(key, f"{self.where}: {key} must be text, got {_kind(value)}")
        value = str(value)
        if pattern is not None and not pattern.match(value):
            raise self.error(key, f"{self.where}: {key} {value!r} is not {expected or 'well formed'}")
        return value

    def slug(self, key, default=None) -> str | None:
        return self.str(key, default, SLUG, "an id of the form [a-z0-9-]+")

    def bool(self, key, default=None) -> bool | None:
        if key not in self:
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.error(key, f"{self.where}: {key} must be true or false, got {value!r}")
        return value

    def int(self, key, default=None) -> int | None:
        if key not in self:
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"{self.where}: {key} must be a whole number, got {value!r}")
        return value

    def when(self, key) -> When | None:
        if key not in self:
            return None
        return parse_when(self.data[key], self.file, self.line_of(key), f"{self.where}: {key}")

    def choice(self, key, choices, default=None) -> str | None:
        value = self.str(key, default)
        if value is not None and value not in choices:
            raise self.error(key, f"{self.where}: {key} {value!r} is not one of: {', '.join(choices)}")
        return value

    def list(self, key) -> list:
        """A list; a single scalar or mapping counts as a list of one."""
        if key not in self:
            return []
        value = self.data[key]
        return list(value) if isinstance(value, list) else [value]

    def items(self, key) -> list[tuple[object, int | None]]:
        """The items of a list with the line each stands on."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            return [(value, self.line_of(key))]
        lines = getattr(value, "item_lines", None) or [self.line_of(key)] * len(value)
        return list(zip(value, lines))

    def sub(self, key, where: str, allowed, required=frozenset()) -> "Fields | None":
        if key not in self:
            return None
        return Fields(self.data[key], where, allowed, required, file=self.file, line=self.line_of(key))

    def labels(self, key, required: bool = False) -> dict[str, str]:
        """A label mapping {id: …, en: …, ja: …} (or one string, taken as both id and en)."""
        if key not in self:
            if required:
                raise InputError(self.file, self.line, f"{self.where} needs the key {key!r}")
            return {}
        value = self.data[key]
        if isinstance(value, str):
            return {"id": value, "en": value}
        sub = Fields(value, f"{self.where}: {key}", set(LANGS), file=self.file, line=self.line_of(key))
        return {lang: str(v) for lang, v in sub.data.items() if v is not None}


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number"}.get(
        type(value) if not isinstance(value, (Mapping, Sequence)) else (dict if isinstance(value, dict) else list),
        type(value).__name__)


def slug_of(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


@functools.lru_cache(maxsize=1 << 14)
def _date_literal(day: _dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


@functools.lru_cache(maxsize=1 << 14, typed=True)
def literal(value) -> Literal:
    """A plain literal of a value that recurs from file to file (true/false, a region's codes), made once."""
    return Literal(value)


@functools.lru_cache(maxsize=1 << 14)
def _label(text: str, lang: str) -> Literal:
    """A language-tagged literal (the labels of actors and vocabularies recur in every case file: made once)."""
    return Literal(text, lang=lang)


class Writer:
    """Writes one layer's triples, with their evidence links (data/README.md, "The rules of evidence")."""

    def __init__(self, graph: Graph, sources: "SourceIndex"):
        self.graph = graph
        self.sources = sources

    def add(self, s, p, o) -> None:
        if o is None:
            return
        self.graph.add((s, p, o))

    def typed(self, node, *classes) -> None:
        for c in classes:
            self.graph.add((node, RDF.type, c))

    def labels(self, node, labels: dict[str, str], prop=RDFS.label) -> None:
        for lang, text in labels.items():
            self.graph.add((node, prop, _label(text, lang)))

    def concept(self, node, prop, scheme: str, value: str | None) -> None:
        if value is not None:
            self.graph.add((node, prop, vocab(scheme, value)))

    def date(self, node, when: When | None, prop=SCKG.onDate) -> None:
        if when is not None:
            self.graph.add((node, prop, when.literal()))
            if when.precision != "day":
                self.graph.add((node, SCKG.datePrecision, vocab("date-precision", when.precision)))

    def attest(self, node, source_ids: list[URIRef]) -> None:
        for src in source_ids:
            self.graph.add((node, SCKG.attestedBy, src))


@dataclass
class SourceIndex:
    """The bibliography: source id → IRI and grade; inline sources of case files are added as they come."""

    grades: dict[str, str] = field(default_factory=dict)
    graph: Graph | None = None

    def iri(self, source_id: str) -> URIRef:
        return ID["source/" + source_id]

    def resolve(self, value, file: str, line: int | None, inherited: list[URIRef] | None = None) -> list[URIRef]:
        """`source:` as an id, a list of ids, or inline {url, title, grade}; absent → the inherited sources."""
        if value is None:
            return list(inherited or [])
        items = value if isinstance(value, list) else [value]
        lines = getattr(value, "item_lines", None) or [line] * len(items)
        out: list[URIRef] = []
        for item, item_line in zip(items, lines):
            if isinstance(item, dict):
                out.append(self.inline(item, file, item_line))
                continue
            sid = str(item)
            if sid not in self.grades:
                raise InputError(file, item_line, f"unknown source {sid!r}: expected an id of data/sources/*.yaml "
                                                  "or an inline {url, title, grade}")
            out.append(self.iri(sid))
        return out

    def inline(self, data, file: str, line: int | None) -> URIRef:
        from .sources import write_source  # late import: sources.py uses this module

        f = Fields(data, "inline source", {"url", "title", "grade", "kind", "published", "publisher", "note", "id"},
                   {"grade"}, file=file, line=line)
        if "url" not in f and "title" not in f and "id" not in f:
            raise InputError(f.file, f.line, "an inline source needs a url or a title")
        sid = f.slug("id") or "inline-" + _short_hash(f.str("url") or f.str("title"))
        if sid not in self.grades:
            write_source(self, f, sid)
        return self.iri(sid)


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

