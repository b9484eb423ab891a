"""Data-quality validation: the shapes of ontology/shapes/data-quality.ttl over the graph or given files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from . import paths
from .errors import InputError
from .intake.turtle import check_declared, declared_terms, parse_turtle
from .namespaces import SH, bind_prefixes

DATA_QUALITY_SHAPES = "data-quality.ttl"


@dataclass
class Violation:
    focus: str
    path: str | None
    shape: str
    severity: str
    message: str

    def as_row(self) -> tuple:
        return (self.severity, self.focus, self.path or "", self.shape, self.message)


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    graph: Graph


def data_quality_shapes(home: Path | None = None) -> Graph:
    return parse_turtle(Path(home or paths.HOME) / "ontology" / "shapes" / DATA_QUALITY_SHAPES)


def _message(report: Graph, result, lang: str) -> str:
    best = None
    for m in report.objects(result, SH.resultMessage):
        if isinstance(m, Literal) and m.language == lang:
            return str(m)
        best = best or str(m)
    return best or ""


def read_report(report: Graph, lang: str = "en") -> list[Violation]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            v = report.value(result, p)
            return str(v) if v is not None else None
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, BNode):  # an anonymous property shape: named by its path, stable across runs
            shape = f"[{report.value(shape, SH.path)}]"
        out.append(Violation(one(SH.focusNode), one(SH.resultPath), str(shape or ""),
                             one(SH.resultSeverity).rsplit("#", 1)[-1], _message(report, result, lang)))
    return sorted(out, key=lambda v: v.as_row())


def validate_graph(data: Graph, shapes: Graph, lang: str = "en") -> ValidationReport:
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                           allow_warnings=True)
    bind_prefixes(report)
    return ValidationReport(bool(conforms), read_report(report, lang), report)


def graph_of_files(files: list[Path], with_kg: bool = False):
    """The whole graph with the given files in it: case files through the intake (with the register, which they
    may refer to), Turtle files as they are, checked for undeclared terms."""
    from .dataset import load

    yaml_files = [Path(f) for f in files if Path(f).suffix in (".yaml", ".yml")]
    kg = load(case_files=yaml_files)
    declared = declared_terms(kg.layer("ontology"))
    union = kg.union()
    for f in files:
        f = Path(f)
        if f.suffix in (".yaml", ".yml"):
            continue
        if not f.exists():
            raise InputError(f, None, "no such file")
        part = parse_turtle(f)
        check_declared(f, part, declared)
        for t in part:
            union.add(t)
    return (kg, union) if with_kg else union


# ------------------------------------------------------------------------------- violations located in the files

#: The case-file key a property of an agreement (or of one of its parts) is written under.
CASE_KEYS = {"agreementId": "id", "hasParty": "parties", "instrumentKind": "kind", "signing": "signed",
             "writtenForm": "written", "designationText": "designation", "stepType": "steps",
             "recordStatus": "steps", "searchedIn": "steps", "findingValue": "facts", "label": "title",
             "attestedBy": "sources", "onDate": "signed", "inState": "parties", "level": "parties",
             "person": "signatories", "onBehalfOf": "signatories"}
#: The case-file key of a part of an agreement, by the segment of its IRI after the agreement's.
PART_KEYS = {"signing": "signed", "step": "steps", "designation": "designation", "finding": "facts",
             "event": "events", "termination": "terminated"}


@dataclass
class Located:
    """A violation with where a user finds it: file, line, agreement and field."""

    file: str | None
    line: int | None
    agreement: str | None
    field: str | None
    focus: str
    severity: str
    message: str

    def where(self) -> str:
        return (self.file or "(graph)") + (f":{self.line}" if self.line else "")

    def as_line(self) -> str:
        parts = [self.where()]
        if self.agreement:
            parts.append(f"agreement {self.agreement}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.severity}: {self.message} <{self.focus}>"

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _local(iri: str | None) -> str:
    if not iri:
        return ""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def locate(violations: list[Violation], graph: Graph, agreement_files: dict[str, str],
           subject_files: dict[str, str] | None = None) -> list[Located]:
    """Each violation with its file, line, agreement and field (the case-file key it comes from); duplicates (the
    same place, field and message) once."""
    from rdflib import URIRef

    from .intake.yamlfile import load_yaml
    from .namespaces import ID, SCKG

    base = str(ID["agreement/"])
    parsed: dict[str, object] = {}

    def yaml_of(file):
        if file not in parsed:
            try:
                parsed[file] = load_yaml(file) if str(file).endswith((".yaml", ".yml")) else None
            except Exception:
                parsed[file] = None
        return parsed[file]

    out, seen = [], set()
    for v in violations:
        aid, part = None, None
        if v.focus.startswith(base):
            aid, _, rest = v.focus[len(base):].partition("/")
            part = rest or None
        else:
            owner = next(iter(graph.subjects(SCKG.hasParty, URIRef(v.focus))), None)
            if owner is not None and str(owner).startswith(base):
                aid, part = str(owner)[len(base):], "party"
        file = agreement_files.get(aid) if aid else None
        file = file or (subject_files or {}).get(v.focus)
        key = None
        if part:
            key = "parties" if part == "party" else PART_KEYS.get(part.split("/", 1)[0])
        if key is None:
            key = CASE_KEYS.get(_local(v.path))
        line = None
        data = yaml_of(file) if file else None
        if data is not None and hasattr(data, "line_of"):
            line = data.line_of(key) if key and key in data else data.line
            if part and part.startswith("step/") and isinstance(data.get("steps"), list):
                name = part.split("/", 1)[1]
                items = data["steps"]
                match = [n for n, item in enumerate(items) if isinstance(item, dict) and
                         name.startswith(str(item.get("step", "")))]
                if match and hasattr(items, "item_lines"):
                    line = items.item_lines[match[0]]
        field = key or _local(v.path) or None
        row = (file, line, aid, field, v.focus, v.severity, v.message)
        if row in seen:
            continue
        seen.add(row)
        out.append(Located(*row))
    return out


def validate_paths(paths: list[Path], lang: str = "en") -> tuple[ValidationReport, list[Located]]:
    """`validate`: the data-quality shapes over the graph with the given case files, Turtle files and folders of
    case files in it (the whole graph when none is given) → the report and its violations located."""
    from .dataset import expand_case_paths, load
    from .intake.turtle import parse_turtle

    files = expand_case_paths(list(paths)) if paths else []
    if files:
        kg, union = graph_of_files(files, with_kg=True)
    else:
        kg = load()
        union = kg.union()
    report = validate_graph(union, data_quality_shapes(), lang)
    subject_files = {}
    for path in files:
        if path.suffix == ".ttl":
            subject_files.update({str(x): str(path) for x in set(parse_turtle(path).subjects())})
    return report, locate(report.violations, union, kg.agreements, subject_files)
